#include "base/sm4.h"

#include "base/crypto.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <memory>
#include <stdexcept>
#include <vector>

namespace anjian::sm4 {
namespace {
constexpr size_t kIv = 16, kTag = 32;

const EVP_CIPHER* sm4_cbc() {
  static EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, "SM4-CBC", nullptr);
  if (!cipher) throw std::runtime_error("SM4-CBC is not available in this OpenSSL");
  return cipher;
}

}  // namespace

std::string hmac_sm3(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  size_t len = 0;
  if (!EVP_Q_mac(nullptr, "HMAC", nullptr, "SM3", nullptr, key.data(), key.size(),
                 reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, sizeof out, &len))
    throw std::runtime_error("HMAC-SM3 failed");
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string hmac_sm3_hex(std::string_view key, std::string_view data) { return to_hex(hmac_sm3(key, data)); }

std::string Key::cipher_key() const { return hmac_sm3(secret, "anjian sm4 cipher key").substr(0, 16); }
std::string Key::mac_key() const { return hmac_sm3(secret, "anjian sm3 mac key"); }

Key generate(std::string id) { return Key{std::move(id), random_bytes(32)}; }

CbcStream::CbcStream(std::string_view key16, std::string_view iv16, bool encrypt) : ctx_(EVP_CIPHER_CTX_new()) {
  if (!ctx_ || key16.size() != 16 || iv16.size() != kIv ||
      EVP_CipherInit_ex2(static_cast<EVP_CIPHER_CTX*>(ctx_), sm4_cbc(), reinterpret_cast<const unsigned char*>(key16.data()),
                         reinterpret_cast<const unsigned char*>(iv16.data()), encrypt ? 1 : 0, nullptr) != 1) {
    EVP_CIPHER_CTX_free(static_cast<EVP_CIPHER_CTX*>(ctx_));
    throw std::runtime_error("SM4-CBC init failed");
  }
}

CbcStream::~CbcStream() { EVP_CIPHER_CTX_free(static_cast<EVP_CIPHER_CTX*>(ctx_)); }

std::string CbcStream::update(std::string_view data) {
  std::string out(data.size() + 16, '\0');
  int len = 0;
  if (EVP_CipherUpdate(static_cast<EVP_CIPHER_CTX*>(ctx_), reinterpret_cast<unsigned char*>(out.data()), &len,
                       reinterpret_cast<const unsigned char*>(data.data()), static_cast<int>(data.size())) != 1)
    throw std::runtime_error("SM4-CBC update failed");
  out.resize(static_cast<size_t>(len));
  return out;
}

Result<std::string> CbcStream::finish() {
  std::string out(16, '\0');
  int len = 0;
  if (EVP_CipherFinal_ex(static_cast<EVP_CIPHER_CTX*>(ctx_), reinterpret_cast<unsigned char*>(out.data()), &len) != 1)
    return Error{"bad_ciphertext", "SM4 解密失败：密钥不符或数据已损坏", ""};
  out.resize(static_cast<size_t>(len));
  return out;
}

std::string seal(const Key& key, std::string_view plain) { return Sealer(key).seal(plain); }

std::optional<std::string> open(const Key& key, std::string_view sealed) { return Sealer(key).open(sealed); }

struct Sealer::ThreadContexts {
  EVP_CIPHER_CTX* enc = nullptr;
  EVP_CIPHER_CTX* dec = nullptr;
  EVP_MAC_CTX* mac = nullptr;
  ThreadContexts() = default;
  ThreadContexts(const ThreadContexts&) = delete;
  ThreadContexts& operator=(const ThreadContexts&) = delete;
  ~ThreadContexts() {
    EVP_CIPHER_CTX_free(enc);
    EVP_CIPHER_CTX_free(dec);
    EVP_MAC_CTX_free(mac);
  }
};

Sealer::Sealer(const Key& key) : id_(key.id), cipher_key_(key.cipher_key()) {
  static EVP_MAC* hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  mac_ = hmac ? EVP_MAC_CTX_new(hmac) : nullptr;
  const std::string mac_key = key.mac_key();
  char digest[] = "SM3";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0), OSSL_PARAM_construct_end()};
  if (!mac_ || EVP_MAC_init(static_cast<EVP_MAC_CTX*>(mac_), reinterpret_cast<const unsigned char*>(mac_key.data()), mac_key.size(),
                            params) != 1) {
    EVP_MAC_CTX_free(static_cast<EVP_MAC_CTX*>(mac_));
    throw std::runtime_error("HMAC-SM3 init failed");
  }
}

Sealer::~Sealer() { EVP_MAC_CTX_free(static_cast<EVP_MAC_CTX*>(mac_)); }

Sealer::ThreadContexts& Sealer::contexts() const {
  // A few keys at most: the current one and those being rotated out.
  thread_local std::vector<std::pair<std::weak_ptr<const int>, std::unique_ptr<ThreadContexts>>> cache;
  const auto same = [this](const std::weak_ptr<const int>& w) { return !w.owner_before(alive_) && !alive_.owner_before(w); };
  for (auto& [owner, c] : cache)
    if (same(owner)) return *c;
  std::erase_if(cache, [](const auto& entry) { return entry.first.expired(); });
  auto c = std::make_unique<ThreadContexts>();
  const auto* k = reinterpret_cast<const unsigned char*>(cipher_key_.data());
  c->enc = EVP_CIPHER_CTX_new();
  c->dec = EVP_CIPHER_CTX_new();
  c->mac = EVP_MAC_CTX_dup(static_cast<const EVP_MAC_CTX*>(mac_));
  if (!c->enc || !c->dec || !c->mac || EVP_CipherInit_ex2(c->enc, sm4_cbc(), k, nullptr, 1, nullptr) != 1 ||
      EVP_CipherInit_ex2(c->dec, sm4_cbc(), k, nullptr, 0, nullptr) != 1)
    throw std::runtime_error("SM4 contexts could not be made");
  cache.emplace_back(alive_, std::move(c));
  return *cache.back().second;
}

std::string Sealer::tag(ThreadContexts& c, std::string_view data) const {
  unsigned char out[EVP_MAX_MD_SIZE];
  size_t len = 0;
  // A NULL key re-initialises with the key already set (OpenSSL 3's HMAC).
  const bool ok = EVP_MAC_init(c.mac, nullptr, 0, nullptr) == 1 &&
                  EVP_MAC_update(c.mac, reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1 &&
                  EVP_MAC_final(c.mac, out, &len, sizeof out) == 1;
  if (!ok) throw std::runtime_error("HMAC-SM3 failed");
  return std::string(reinterpret_cast<char*>(out), len);
}

namespace {
// One whole message through a context already keyed: a new IV, then update and final.
std::optional<std::string> cbc(EVP_CIPHER_CTX* ctx, std::string_view iv, std::string_view in) {
  std::string out(in.size() + 16, '\0');
  int n = 0, last = 0;
  if (EVP_CipherInit_ex2(ctx, nullptr, nullptr, reinterpret_cast<const unsigned char*>(iv.data()), -1, nullptr) != 1 ||
      EVP_CipherUpdate(ctx, reinterpret_cast<unsigned char*>(out.data()), &n, reinterpret_cast<const unsigned char*>(in.data()),
                       static_cast<int>(in.size())) != 1 ||
      EVP_CipherFinal_ex(ctx, reinterpret_cast<unsigned char*>(out.data()) + n, &last) != 1)
    return std::nullopt;
  out.resize(static_cast<size_t>(n + last));
  return out;
}
}  // namespace

std::string Sealer::seal(std::string_view plain) const {
  ThreadContexts& c = contexts();
  std::string out = random_bytes(kIv);
  auto cipher = cbc(c.enc, out, plain);
  if (!cipher) throw std::runtime_error("SM4-CBC failed");
  out += *cipher;
  out += tag(c, out);
  return out;
}

std::optional<std::string> Sealer::open(std::string_view sealed) const {
  if (sealed.size() < kIv + 16 + kTag || (sealed.size() - kIv - kTag) % 16 != 0) return std::nullopt;
  ThreadContexts& c = contexts();
  const std::string_view body = sealed.substr(0, sealed.size() - kTag);
  const std::string expected = tag(c, body);
  if (CRYPTO_memcmp(expected.data(), sealed.data() + body.size(), kTag) != 0) return std::nullopt;
  return cbc(c.dec, body.substr(0, kIv), body.substr(kIv));
}

Sm3Stream::Sm3Stream(std::string_view mac_key) {
  if (mac_key.empty()) {
    md_ = EVP_MD_CTX_new();
    EVP_MD* md = EVP_MD_fetch(nullptr, "SM3", nullptr);
    const bool ok = md_ && md && EVP_DigestInit_ex2(static_cast<EVP_MD_CTX*>(md_), md, nullptr) == 1;
    EVP_MD_free(md);
    if (!ok) throw std::runtime_error("SM3 init failed");
    return;
  }
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  mac_ = mac ? EVP_MAC_CTX_new(mac) : nullptr;
  EVP_MAC_free(mac);
  char digest[] = "SM3";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0), OSSL_PARAM_construct_end()};
  if (!mac_ || EVP_MAC_init(static_cast<EVP_MAC_CTX*>(mac_), reinterpret_cast<const unsigned char*>(mac_key.data()),
                            mac_key.size(), params) != 1)
    throw std::runtime_error("HMAC-SM3 init failed");
}

Sm3Stream::~Sm3Stream() {
  EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(md_));
  EVP_MAC_CTX_free(static_cast<EVP_MAC_CTX*>(mac_));
}

void Sm3Stream::update(std::string_view data) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  const int ok = md_ ? EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(md_), p, data.size())
                     : EVP_MAC_update(static_cast<EVP_MAC_CTX*>(mac_), p, data.size());
  if (ok != 1) throw std::runtime_error("SM3 update failed");
}

std::string Sm3Stream::hex() {
  unsigned char out[EVP_MAX_MD_SIZE];
  size_t len = 0;
  if (md_) {
    unsigned int n = 0;
    if (EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(md_), out, &n) != 1) throw std::runtime_error("SM3 final failed");
    len = n;
  } else if (EVP_MAC_final(static_cast<EVP_MAC_CTX*>(mac_), out, &len, sizeof out) != 1) {
    throw std::runtime_error("HMAC-SM3 final failed");
  }
  return to_hex(std::string_view(reinterpret_cast<char*>(out), len));
}

}  // namespace anjian::sm4
