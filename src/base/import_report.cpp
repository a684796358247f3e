#include "base/import_report.h"

#include <boost/json.hpp>
#include <fmt/format.h>

namespace anjian {
namespace json = boost::json;

json::object to_json(const ImportReport& r) {
  json::array issues;
  for (const auto& i : r.issues) {
    json::object o{{"line", i.line}, {"code", i.code}, {"message", i.message}};
    if (!i.column.empty()) o["column"] = i.column;
    if (!i.field.empty()) o["field"] = i.field;
    issues.push_back(std::move(o));
  }
  json::array ignored;
  for (const auto& c : r.ignored_columns) ignored.emplace_back(c);
  return {{"dry_run", r.dry_run}, {"committed", r.committed}, {"rows", r.rows}, {"valid", r.valid},
          {"imported", r.imported}, {"rejected", r.issues.size()}, {"ignored_columns", std::move(ignored)},
          {"errors", std::move(issues)}};
}

std::string to_text(const ImportReport& r) {
  std::string out = fmt::format("共 {} 行，合格 {} 行，不合格 {} 行，{}\n", r.rows, r.valid, r.issues.size(),
                                r.dry_run ? "试导入（未写入数据库）"
                                          : (r.committed ? fmt::format("已导入 {} 行", r.imported) : "未导入任何行"));
  if (!r.ignored_columns.empty()) {
    out += "忽略的列：";
    for (const auto& c : r.ignored_columns) out += c + " ";
    out += "\n";
  }
  if (!r.issues.empty()) out += fmt::format("{:>6}  {:<20}  {}\n", "行号", "列", "原因");
  for (const auto& i : r.issues) out += fmt::format("{:>6}  {:<20}  {}\n", i.line, i.column.empty() ? "-" : i.column, i.message);
  return out;
}

}  // namespace anjian
