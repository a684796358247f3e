#pragma once
// The Chinese words for hidden dangers' enumerations, as exports and notices print them (the
// console has the same in web/src/utils/labels.ts).
#include <string_view>

namespace anjian::hidden_danger {
std::string_view state_label(std::string_view state);        // reported → 已登记 …
std::string_view grade_label(std::string_view grade);        // general → 一般事故隐患
std::string_view found_by_label(std::string_view found_by);  // self_inspection → 企业自查
std::string_view category_label(std::string_view category);  // basic_management → 基础管理类
}  // namespace anjian::hidden_danger
