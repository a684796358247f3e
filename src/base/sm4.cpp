#include "base/sm4.h"

#include "base/crypto.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

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

std::string seal(const Key& key, std::string_view plain) {
  std::string iv = random_bytes(kIv);
  CbcStream enc(key.cipher_key(), iv, true);
  std::string out = iv + enc.update(plain);
  out += enc.finish().value();
  out += hmac_sm3(key.mac_key(), out);
  return out;
}

std::optional<std::string> open(const Key& key, std::string_view sealed) {
  if (sealed.size() < kIv + 16 + kTag || (sealed.size() - kIv - kTag) % 16 != 0) return std::nullopt;
  const std::string_view body = sealed.substr(0, sealed.size() - kTag);
  const std::string tag = hmac_sm3(key.mac_key(), body);
  if (CRYPTO_memcmp(tag.data(), sealed.data() + body.size(), kTag) != 0) return std::nullopt;
  CbcStream dec(key.cipher_key(), body.substr(0, kIv), false);
  std::string out = dec.update(body.substr(kIv));
  auto rest = dec.finish();
  if (!rest.ok()) return std::nullopt;
  return out + *rest;
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
