#include "modules/accident/kind_rules.h"

#include "base/embedded_table.h"

namespace anjian::accident {

namespace {
struct Table {
  std::vector<AccidentKind> kinds;
  std::vector<std::pair<std::string, size_t>> names;  // name, alias or code → index
};
const Table& table() {
  static const Table t = [] {
    Table out;
    for (const auto& r : embedded::csv_rows("accident/gb6441-kinds.csv", 3)) {
      const size_t i = out.kinds.size();
      out.kinds.push_back({r[0], r[1]});
      out.names.push_back({r[0], i});
      out.names.push_back({r[1], i});
      std::string_view rest = r[2];
      while (!rest.empty()) {
        const auto bar = rest.find('|');
        out.names.push_back({std::string(rest.substr(0, bar)), i});
        rest = bar == std::string_view::npos ? std::string_view() : rest.substr(bar + 1);
      }
    }
    return out;
  }();
  return t;
}
}  // namespace

const std::vector<AccidentKind>& accident_kinds() { return table().kinds; }

std::optional<AccidentKind> find_kind(std::string_view name_or_code) {
  for (const auto& [name, i] : table().names)
    if (name == name_or_code) return table().kinds[i];
  return std::nullopt;
}

bool fire_kind(std::string_view code) { return code == "08"; }

}  // namespace anjian::accident
