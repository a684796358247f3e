#include "base/signature.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

#include "base/crypto.h"

namespace anjian {
namespace {

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;
using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;

// GB/T 32918.2 leaves the signer's distinguishing identifier to the application; GM/T 0009 names
// this default, which every SM2 implementation uses when none is agreed.
constexpr std::string_view kSm2Id = "1234567812345678";

Error key_error(std::string message) { return {"invalid_key", std::move(message), {}}; }

bool is_sm2(EVP_PKEY* key) {
  if (EVP_PKEY_is_a(key, "SM2")) return true;
  if (!EVP_PKEY_is_a(key, "EC")) return false;
  char group[64] = {};
  size_t len = 0;
  return EVP_PKEY_get_utf8_string_param(key, "group", group, sizeof group, &len) == 1 &&
         std::string_view(group, len) == "SM2";
}

Result<std::string> algorithm_of(EVP_PKEY* key) {
  if (EVP_PKEY_is_a(key, "ED25519")) return std::string("ed25519");
  if (is_sm2(key)) return std::string("sm2");
  return key_error("只接受 Ed25519 或 SM2 密钥");
}

PkeyPtr read_private(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  return PkeyPtr(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr, EVP_PKEY_free);
}

PkeyPtr read_public(std::string_view public_key) {
  auto der = base64_decode(public_key);
  if (!der.ok() || der->empty()) return PkeyPtr(nullptr, EVP_PKEY_free);
  const auto* p = reinterpret_cast<const unsigned char*>(der->data());
  PkeyPtr key(d2i_PUBKEY(nullptr, &p, static_cast<long>(der->size())), EVP_PKEY_free);
  if (key && p != reinterpret_cast<const unsigned char*>(der->data()) + der->size()) key.reset();  // trailing bytes
  return key;
}

Result<std::string> public_text(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  const int n = i2d_PUBKEY(key, &der);
  if (n <= 0) return key_error("无法导出公钥");
  std::string out = base64_encode(std::string_view(reinterpret_cast<char*>(der), static_cast<size_t>(n)));
  OPENSSL_free(der);
  return out;
}

// Ed25519 signs the message itself (no digest); SM2 digests it with SM3 and its identifier.
struct OwnedPkeyCtx {  // the SM2 key context we attach: the digest context does not free it
  EVP_PKEY_CTX* p = nullptr;
  ~OwnedPkeyCtx() { EVP_PKEY_CTX_free(p); }
};

bool init_context(EVP_MD_CTX* ctx, OwnedPkeyCtx& owned, EVP_PKEY* key, bool for_signing) {
  const bool sm2 = is_sm2(key);
  const char* md = sm2 ? "SM3" : nullptr;
  if (sm2) {
    // The identifier must be set on the key context before the digest context is initialised.
    owned.p = EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr);
    if (!owned.p || EVP_PKEY_CTX_set1_id(owned.p, kSm2Id.data(), kSm2Id.size()) != 1) return false;
    EVP_MD_CTX_set_pkey_ctx(ctx, owned.p);
  }
  const int ok = for_signing ? EVP_DigestSignInit_ex(ctx, nullptr, md, nullptr, nullptr, key, nullptr)
                             : EVP_DigestVerifyInit_ex(ctx, nullptr, md, nullptr, nullptr, key, nullptr);
  return ok == 1;
}

}  // namespace

Result<SigningKey> generate_signing_key(SignatureAlgorithm algorithm) {
  PkeyPtr key(algorithm == SignatureAlgorithm::sm2 ? EVP_PKEY_Q_keygen(nullptr, nullptr, "SM2")
                                                   : EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"),
              EVP_PKEY_free);
  if (!key) return key_error("无法生成密钥");
  BioPtr bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return key_error("无法写出私钥");
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  SigningKey out;
  out.private_pem.assign(data, static_cast<size_t>(n));
  ANJIAN_ASSIGN(out.public_key, public_text(key.get()));
  return out;
}

Result<std::string> public_key_of(std::string_view private_pem) {
  auto key = read_private(private_pem);
  if (!key) return key_error("私钥文件无法读取（应为 PEM 格式的 PKCS #8 私钥）");
  ANJIAN_TRY(algorithm_of(key.get()));
  return public_text(key.get());
}

Result<std::string> key_algorithm(std::string_view public_key) {
  auto key = read_public(public_key);
  if (!key) return key_error("公钥无法解析（应为一行 base64 编码的 DER 公钥）");
  return algorithm_of(key.get());
}

Result<std::string> sign_message(std::string_view private_pem, std::string_view message) {
  auto key = read_private(private_pem);
  if (!key) return key_error("私钥文件无法读取（应为 PEM 格式的 PKCS #8 私钥）");
  ANJIAN_TRY(algorithm_of(key.get()));
  OwnedPkeyCtx owned;  // declared first: outlives the digest context that points at it
  MdCtxPtr ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || !init_context(ctx.get(), owned, key.get(), true)) return key_error("无法初始化签名");
  size_t len = 0;
  const auto* msg = reinterpret_cast<const unsigned char*>(message.data());
  if (EVP_DigestSign(ctx.get(), nullptr, &len, msg, message.size()) != 1) return key_error("签名失败");
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, msg, message.size()) != 1)
    return key_error("签名失败");
  sig.resize(len);
  return sig;
}

bool verify_message(std::string_view public_key, std::string_view message, std::string_view signature) {
  auto key = read_public(public_key);
  if (!key || !algorithm_of(key.get()).ok()) return false;
  OwnedPkeyCtx owned;  // declared first: outlives the digest context that points at it
  MdCtxPtr ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || !init_context(ctx.get(), owned, key.get(), false)) return false;
  const int ok = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                                  signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                                  message.size());
  return ok == 1;
}

std::string key_fingerprint(std::string_view public_key) {
  auto der = base64_decode(public_key);
  return sm3_hex(der.ok() ? std::string_view(*der) : public_key).substr(0, 16);
}

std::string base64_encode(std::string_view bytes) {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i < bytes.size()) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

Result<std::string> base64_decode(std::string_view text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return Error{"invalid_base64", "不是有效的 base64 文本", {}};
  std::string out;
  out.reserve(text.size() * 3 / 4);
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int v = value(c);
    if (v < 0) return Error{"invalid_base64", "不是有效的 base64 文本", {}};
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

}  // namespace anjian
