#pragma once
// Names in the order Chinese readers expect (汉语拼音: 东 before 万), for databases that sort by
// bytes: a sort key from ICU's Chinese collation, as text that sorts the same byte by byte.
#include <string>
#include <string_view>

namespace anjian {

// The pinyin-order key of a UTF-8 text (lower-case hex of ICU's "zh" collation sort key).
// Comparing two keys as bytes gives the collation's order. Thread-safe.
std::string pinyin_key(std::string_view utf8);

}  // namespace anjian
