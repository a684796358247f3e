#pragma once
// Digital signatures for what nodes send each other (OpenSSL 3): Ed25519 by default, SM2 with SM3
// (GB/T 32918, GB/T 32905) under the 国密 profile. Public keys travel as one line of text (the
// base64 of the DER SubjectPublicKeyInfo), so that administrators can paste them; private keys
// stay in PEM (PKCS #8) files. The algorithm is a property of the key: verify needs no flag.
#include <string>
#include <string_view>

#include "base/result.h"

namespace anjian {

enum class SignatureAlgorithm { ed25519, sm2 };

struct SigningKey {
  std::string private_pem;  // PKCS #8 PEM: keep it in a file only its owner reads
  std::string public_key;   // base64 DER SubjectPublicKeyInfo, one line
};

Result<SigningKey> generate_signing_key(SignatureAlgorithm algorithm);
// The public key of a private one (to show it again, or to check a key file).
Result<std::string> public_key_of(std::string_view private_pem);
// "ed25519" | "sm2", or an error for anything else (RSA, garbage).
Result<std::string> key_algorithm(std::string_view public_key);

// The signature of `message` (raw bytes; base64 them to put them in text).
Result<std::string> sign_message(std::string_view private_pem, std::string_view message);
// True only when `signature` is `public_key`'s over exactly `message`; false for any malformed input.
bool verify_message(std::string_view public_key, std::string_view message, std::string_view signature);

// A short name for a key: the first 16 hex characters of the SM3 of its DER.
std::string key_fingerprint(std::string_view public_key);

std::string base64_encode(std::string_view bytes);
// Refuses anything that is not standard base64 (padding optional, no whitespace inside).
Result<std::string> base64_decode(std::string_view text);

}  // namespace anjian
