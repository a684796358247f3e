#include "base/text.h"

#include <unicode/ucnv.h>

#include <memory>

namespace anjian {

bool is_valid_utf8(std::string_view s) {
  size_t i = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  while (i < s.size()) {
    unsigned char c = p[i];
    if (c < 0x80) { ++i; continue; }
    size_t n;
    char32_t cp;
    if ((c & 0xE0) == 0xC0) { n = 1; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { n = 2; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { n = 3; cp = c & 0x07; }
    else return false;
    for (size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size() || (p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    // Reject overlong forms, surrogates and values beyond U+10FFFF.
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += n + 1;
  }
  return true;
}

namespace {
struct ConverterCloser {
  void operator()(UConverter* c) const { ucnv_close(c); }
};
using Converter = std::unique_ptr<UConverter, ConverterCloser>;

Converter open_gb18030() {
  UErrorCode status = U_ZERO_ERROR;
  Converter c(ucnv_open("GB18030", &status));
  if (U_FAILURE(status)) return nullptr;
  // Stop at the first invalid byte sequence instead of substituting, so garbage is refused.
  ucnv_setToUCallBack(c.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  ucnv_setFromUCallBack(c.get(), UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  return U_FAILURE(status) ? nullptr : std::move(c);
}
}  // namespace

std::optional<std::string> decode_utf8_or_gb18030(std::string_view bytes) {
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  if (is_valid_utf8(bytes)) return std::string(bytes);
  Converter gb = open_gb18030();
  Converter utf8;
  UErrorCode status = U_ZERO_ERROR;
  utf8.reset(ucnv_open("UTF-8", &status));
  if (!gb || U_FAILURE(status)) return std::nullopt;
  // ucnv_convert would substitute bad bytes; go through UTF-16 with STOP callbacks instead.
  std::u16string u16(bytes.size() + 16, u'\0');
  const char* src = bytes.data();
  UChar* dst = reinterpret_cast<UChar*>(u16.data());
  ucnv_toUnicode(gb.get(), &dst, dst + u16.size(), &src, bytes.data() + bytes.size(), nullptr, true,
                 &status);
  if (U_FAILURE(status)) return std::nullopt;
  u16.resize(static_cast<size_t>(dst - reinterpret_cast<UChar*>(u16.data())));
  // GB18030 decodes almost any byte string: also refuse C0 control characters that no text file has.
  for (char16_t c : u16)
    if (c < 0x20 && c != u'\t' && c != u'\n' && c != u'\r') return std::nullopt;
  std::string out(u16.size() * 3 + 16, '\0');
  const UChar* usrc = reinterpret_cast<const UChar*>(u16.data());
  char* odst = out.data();
  ucnv_fromUnicode(utf8.get(), &odst, odst + out.size(), &usrc, usrc + u16.size(), nullptr, true,
                   &status);
  if (U_FAILURE(status)) return std::nullopt;
  out.resize(static_cast<size_t>(odst - out.data()));
  return out;
}

std::string utf8_to_gb18030(std::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  std::string out(utf8.size() * 2 + 16, '\0');
  int32_t n = ucnv_convert("GB18030", "UTF-8", out.data(), static_cast<int32_t>(out.size()),
                           utf8.data(), static_cast<int32_t>(utf8.size()), &status);
  if (U_FAILURE(status)) return {};
  out.resize(static_cast<size_t>(n));
  return out;
}

std::vector<char32_t> code_points(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for (size_t i = 0; i < s.size();) {
    unsigned char c = p[i];
    size_t n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : 3;
    char32_t cp = n == 0 ? c : n == 1 ? (c & 0x1F) : n == 2 ? (c & 0x0F) : (c & 0x07);
    for (size_t k = 1; k <= n && i + k < s.size(); ++k) cp = (cp << 6) | (p[i + k] & 0x3F);
    out.push_back(cp);
    i += n + 1;
  }
  return out;
}

std::string to_utf8(char32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

size_t utf8_length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string_view trim(std::string_view s) {
  auto space_at_front = [&]() {
    if (s.empty()) return size_t{0};
    if (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n') return size_t{1};
    if (s.substr(0, 3) == "\xE3\x80\x80") return size_t{3};
    return size_t{0};
  };
  auto space_at_back = [&]() {
    if (s.empty()) return size_t{0};
    char c = s.back();
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') return size_t{1};
    if (s.size() >= 3 && s.substr(s.size() - 3) == "\xE3\x80\x80") return size_t{3};
    return size_t{0};
  };
  for (size_t n; (n = space_at_front()) > 0;) s.remove_prefix(n);
  for (size_t n; (n = space_at_back()) > 0;) s.remove_suffix(n);
  return s;
}

std::vector<std::string> split_list(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t from = 0;
  while (from < s.size()) {
    size_t at = s.find(sep, from);
    if (at == std::string_view::npos) at = s.size();
    if (at > from) out.emplace_back(s.substr(from, at - from));
    from = at + 1;
  }
  return out;
}

}  // namespace anjian
