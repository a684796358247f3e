#include "base/totp.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace anjian::totp {
namespace {

const char* digest_name(Hash h) {
  switch (h) {
    case Hash::sha1: return "SHA1";
    case Hash::sha256: return "SHA256";
    case Hash::sha512: return "SHA512";
  }
  return "SHA1";
}

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

std::string percent_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace

std::string hotp(std::string_view key, std::uint64_t counter, int digits, Hash hash) {
  if (digits < 6 || digits > 9) throw std::invalid_argument("HOTP digits must be 6..9");
  unsigned char msg[8];
  for (int i = 7; i >= 0; --i) {
    msg[i] = static_cast<unsigned char>(counter & 0xff);
    counter >>= 8;
  }
  unsigned char mac[EVP_MAX_MD_SIZE];
  size_t len = 0;
  if (!EVP_Q_mac(nullptr, "HMAC", nullptr, digest_name(hash), nullptr, key.data(), key.size(), msg, sizeof msg, mac, sizeof mac, &len))
    throw std::runtime_error("HMAC failed");
  // Dynamic truncation (RFC 4226 §5.3).
  const unsigned offset = mac[len - 1] & 0x0f;
  const std::uint32_t bin = (static_cast<std::uint32_t>(mac[offset] & 0x7f) << 24) | (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                            (static_cast<std::uint32_t>(mac[offset + 2]) << 8) | static_cast<std::uint32_t>(mac[offset + 3]);
  std::uint32_t mod = 1;
  for (int i = 0; i < digits; ++i) mod *= 10;
  std::string out = std::to_string(bin % mod);
  return std::string(static_cast<size_t>(digits) - out.size(), '0') + out;
}

std::string at(std::string_view key, std::int64_t unix_seconds, int digits, Hash hash, int step_seconds) {
  return hotp(key, step_of(unix_seconds, step_seconds), digits, hash);
}

std::optional<std::uint64_t> verify(std::string_view key, std::string_view code, std::int64_t unix_seconds, int window, int digits,
                                    Hash hash, int step_seconds) {
  if (code.size() != static_cast<size_t>(digits)) return std::nullopt;
  for (char c : code)
    if (c < '0' || c > '9') return std::nullopt;
  const std::uint64_t now = step_of(unix_seconds, step_seconds);
  std::optional<std::uint64_t> found;
  // Every candidate is computed and compared, so that the time taken says nothing of which matched.
  for (int d = -window; d <= window; ++d) {
    if (d < 0 && now < static_cast<std::uint64_t>(-d)) continue;
    const std::uint64_t step = now + static_cast<std::uint64_t>(static_cast<std::int64_t>(d));
    const std::string expected = hotp(key, step, digits, hash);
    unsigned diff = 0;
    for (size_t i = 0; i < expected.size(); ++i) diff |= static_cast<unsigned>(expected[i] ^ code[i]);
    if (diff == 0) found = step;
  }
  return found;
}

std::string base32_encode(std::string_view bytes) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out += kAlphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (5 - bits)) & 31];
  return out;
}

std::optional<std::string> base32_decode(std::string_view text) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == ' ' || c == '=' || c == '-') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    const auto v = kAlphabet.find(c);
    if (v == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 5) | static_cast<std::uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      out += static_cast<char>((buffer >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return out;
}

std::string otpauth_uri(std::string_view issuer, std::string_view account, std::string_view key) {
  return "otpauth://totp/" + percent_encode(issuer) + ":" + percent_encode(account) + "?secret=" + base32_encode(key) +
         "&issuer=" + percent_encode(issuer) + "&algorithm=SHA1&digits=6&period=30";
}

}  // namespace anjian::totp
