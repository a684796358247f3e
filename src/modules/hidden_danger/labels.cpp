#include "modules/hidden_danger/labels.h"

#include <utility>

namespace anjian::hidden_danger {
namespace {
using Table = std::initializer_list<std::pair<std::string_view, std::string_view>>;
std::string_view find(Table table, std::string_view key) {
  for (const auto& [k, v] : table)
    if (k == key) return v;
  return key;
}
}  // namespace

std::string_view state_label(std::string_view s) {
  return find({{"reported", "已登记"}, {"planned", "已制定方案"}, {"rectifying", "整改中"}, {"rectified", "待验收"},
               {"closed", "已销号"}, {"withdrawn", "已撤销"}},
              s);
}
std::string_view grade_label(std::string_view g) { return find({{"general", "一般事故隐患"}, {"major", "重大事故隐患"}}, g); }
std::string_view found_by_label(std::string_view f) {
  return find({{"self_inspection", "企业自查"}, {"inspection", "监管检查"}, {"public_report", "群众举报"}, {"monitoring", "监测报警"},
               {"other", "其他"}},
              f);
}
std::string_view category_label(std::string_view c) {
  return find({{"basic_management", "基础管理类"}, {"site_management", "现场管理类"}, {"", ""}}, c);
}
}  // namespace anjian::hidden_danger
