#pragma once
// Random tokens and digests (OpenSSL 3). SM3 is the national hash GB/T 32905 that 等保 asks for.
#include <optional>
#include <string>
#include <string_view>

namespace anjian {

// Bytes as lower-case hex, and back (nothing for odd lengths or other characters).
std::string to_hex(std::string_view bytes);
std::optional<std::string> from_hex(std::string_view hex);

// n cryptographically random bytes.
std::string random_bytes(size_t n);
// n cryptographically random bytes, hex-encoded (2n characters).
std::string random_hex(size_t n);
// n cryptographically random bytes, base64url without padding.
std::string random_token(size_t n);
// A new record id: 128 random bits as 32 hex characters.
inline std::string new_id() { return random_hex(16); }

std::string sha256_hex(std::string_view data);
std::string sm3_hex(std::string_view data);

// Compares in time independent of where the strings differ.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace anjian
