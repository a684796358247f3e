#pragma once
// SM4 (GB/T 32907) for data at rest, through OpenSSL 3: personal data in the database and
// encrypted backups. OpenSSL 3.0 (Debian 12) has no SM4-GCM, so confidentiality and integrity are
// SM4-CBC then HMAC-SM3 over IV and ciphertext (encrypt-then-MAC, GB/T 39786's SM4 + SM3), each
// with its own key derived from one 256-bit secret.
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace anjian::sm4 {

// A secret as kept in a key file: its name (written beside what it sealed, so that rotation can
// tell old from new) and 32 random bytes.
struct Key {
  std::string id;
  std::string secret;  // 32 bytes

  std::string cipher_key() const;  // 16 bytes for SM4
  std::string mac_key() const;     // 32 bytes for HMAC-SM3
};

// A new key named `id` with a fresh random secret.
Key generate(std::string id);

// iv (16) ‖ SM4-CBC (PKCS#7 padded) ‖ HMAC-SM3(iv ‖ ciphertext) (32).
std::string seal(const Key& key, std::string_view plain);
// nullopt when the tag does not verify (wrong key, changed bytes) or the padding is wrong.
std::optional<std::string> open(const Key& key, std::string_view sealed);

// A key made ready for many values: its two keys derived once and an HMAC-SM3 context keyed once,
// which each value copies. seal()/open() above derive and key anew each call — several times the
// cost of the cipher itself for a phone number (the enterprise GET opens one per request).
// Const and safe to share between threads.
class Sealer {
 public:
  explicit Sealer(const Key& key);
  ~Sealer();
  Sealer(const Sealer&) = delete;
  Sealer& operator=(const Sealer&) = delete;
  const std::string& id() const { return id_; }
  std::string seal(std::string_view plain) const;
  std::optional<std::string> open(std::string_view sealed) const;

 private:
  struct ThreadContexts;
  // This thread's cipher and MAC contexts for this key, made at its first use: OpenSSL 3 contexts
  // made per value take shared reference counts and locks that request threads contend for.
  ThreadContexts& contexts() const;
  std::string tag(ThreadContexts& c, std::string_view data) const;
  std::string id_, cipher_key_;
  // Names this key in the threads' caches; when it dies, each thread drops its contexts at its next
  // miss (an address alone could be reused by another key).
  std::shared_ptr<const int> alive_ = std::make_shared<const int>(0);
  void* mac_ = nullptr;  // EVP_MAC_CTX keyed with the MAC key, the template threads copy
};

// HMAC-SM3 as raw bytes (32) and in hex.
std::string hmac_sm3(std::string_view key, std::string_view data);
std::string hmac_sm3_hex(std::string_view key, std::string_view data);

// SM4-CBC over a stream (backups of gigabytes): feed pieces, get what is ready; finish pads
// (encrypting) or checks and strips the padding (decrypting; an error when it is wrong).
class CbcStream {
 public:
  CbcStream(std::string_view key16, std::string_view iv16, bool encrypt);
  ~CbcStream();
  CbcStream(const CbcStream&) = delete;
  CbcStream& operator=(const CbcStream&) = delete;
  std::string update(std::string_view data);
  Result<std::string> finish();

 private:
  void* ctx_;  // EVP_CIPHER_CTX
};

// An incremental HMAC-SM3 (or plain SM3 when the key is empty): the digest of a stream.
class Sm3Stream {
 public:
  explicit Sm3Stream(std::string_view mac_key = {});
  ~Sm3Stream();
  Sm3Stream(const Sm3Stream&) = delete;
  Sm3Stream& operator=(const Sm3Stream&) = delete;
  void update(std::string_view data);
  std::string hex();  // once, at the end

 private:
  void* md_ = nullptr;   // EVP_MD_CTX for plain SM3
  void* mac_ = nullptr;  // EVP_MAC_CTX for HMAC-SM3
};

}  // namespace anjian::sm4
