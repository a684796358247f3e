#include "base/collation.h"

#include <unicode/ucol.h>
#include <unicode/ustring.h>

#include <memory>
#include <vector>

namespace anjian {

namespace {
struct CloseCollator {
  void operator()(UCollator* c) const { ucol_close(c); }
};

// One collator per thread: opening one costs a millisecond, using it concurrently is not allowed.
UCollator* chinese() {
  thread_local std::unique_ptr<UCollator, CloseCollator> collator = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<UCollator, CloseCollator> c(ucol_open("zh", &status));  // zh: pinyin order
    if (U_FAILURE(status)) c.reset();
    return c;
  }();
  return collator.get();
}
}  // namespace

std::string pinyin_key(std::string_view utf8) {
  static const char* hex = "0123456789abcdef";
  UCollator* coll = chinese();
  std::vector<UChar> text(utf8.size() + 1);
  UErrorCode status = U_ZERO_ERROR;
  int32_t length = 0;
  u_strFromUTF8(text.data(), static_cast<int32_t>(text.size()), &length, utf8.data(), static_cast<int32_t>(utf8.size()), &status);
  if (!coll || U_FAILURE(status)) {
    // Without ICU's data the bytes themselves keep an order (never expected on Debian).
    std::string out;
    for (unsigned char ch : utf8) out += {hex[ch >> 4], hex[ch & 15]};
    return out;
  }
  std::vector<uint8_t> key(256);
  int32_t n = ucol_getSortKey(coll, text.data(), length, key.data(), static_cast<int32_t>(key.size()));
  if (n > static_cast<int32_t>(key.size())) {
    key.resize(static_cast<size_t>(n));
    n = ucol_getSortKey(coll, text.data(), length, key.data(), n);
  }
  std::string out;
  out.reserve(static_cast<size_t>(n) * 2);
  for (int32_t i = 0; i + 1 < n; ++i) out += {hex[key[i] >> 4], hex[key[i] & 15]};  // without the final 0
  return out;
}

}  // namespace anjian
