#pragma once
// One-time passwords of authenticator apps: HOTP (RFC 4226) and TOTP (RFC 6238), and the Base32
// (RFC 4648) their secrets are written in. Pure: the clock is the caller's.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace anjian::totp {

enum class Hash { sha1, sha256, sha512 };

// The `digits`-digit HOTP value of `key` at `counter`, zero-padded.
std::string hotp(std::string_view key, std::uint64_t counter, int digits = 6, Hash hash = Hash::sha1);
// The time step of `unix_seconds` (T = floor(t / step)).
inline std::uint64_t step_of(std::int64_t unix_seconds, int step_seconds = 30) {
  return unix_seconds < 0 ? 0 : static_cast<std::uint64_t>(unix_seconds) / static_cast<std::uint64_t>(step_seconds);
}
std::string at(std::string_view key, std::int64_t unix_seconds, int digits = 6, Hash hash = Hash::sha1, int step_seconds = 30);

// The step within ±`window` steps of `unix_seconds` whose code is `code` (the newest when two
// match), or nothing. The caller refuses a step it has accepted before (RFC 6238 §5.2: one use).
std::optional<std::uint64_t> verify(std::string_view key, std::string_view code, std::int64_t unix_seconds, int window = 1,
                                    int digits = 6, Hash hash = Hash::sha1, int step_seconds = 30);

// RFC 4648 Base32 without padding (what authenticator apps take), and back: case, spaces and
// padding are forgiven; other characters are refused (nothing).
std::string base32_encode(std::string_view bytes);
std::optional<std::string> base32_decode(std::string_view text);

// The otpauth:// URI an app scans: otpauth://totp/ISSUER:ACCOUNT?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30
std::string otpauth_uri(std::string_view issuer, std::string_view account, std::string_view key);

}  // namespace anjian::totp
