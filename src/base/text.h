#pragma once
// Text helpers for Chinese input: UTF-8 validation, GB18030 decoding, code points.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace anjian {

bool is_valid_utf8(std::string_view s);

// Decodes bytes from a file made by Excel or a Chinese Windows program: UTF-8 (a BOM is dropped)
// when valid, else GB18030. Returns nullopt when the bytes are neither.
std::optional<std::string> decode_utf8_or_gb18030(std::string_view bytes);

// Encodes UTF-8 as GB18030 (for tests and for exports to old systems).
std::string utf8_to_gb18030(std::string_view utf8);

// Splits valid UTF-8 into code points. REQUIRES: is_valid_utf8(s).
std::vector<char32_t> code_points(std::string_view s);
std::string to_utf8(char32_t cp);

// Number of code points in valid UTF-8.
size_t utf8_length(std::string_view s);

// Trims ASCII and ideographic (U+3000) white space at both ends.
std::string_view trim(std::string_view s);
// The non-empty parts of `s` between `sep` characters (a|b||c → a, b, c).
std::vector<std::string> split_list(std::string_view s, char sep);

}  // namespace anjian
