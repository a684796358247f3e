#include "codes/regions.h"

#include <algorithm>

#include "base/csv.h"

namespace anjian::codes {

std::string_view to_string(RegionLevel level) {
  switch (level) {
    case RegionLevel::province: return "province";
    case RegionLevel::city: return "city";
    case RegionLevel::county: return "county";
  }
  return "county";
}

Result<RegionLevel> parse_region_level(std::string_view s) {
  if (s == "province") return RegionLevel::province;
  if (s == "city") return RegionLevel::city;
  if (s == "county") return RegionLevel::county;
  return Error::invalid_field("level", "level 必须是 province、city 或 county");
}

bool is_region_code_syntax(std::string_view s) {
  return s.size() == 6 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Result<RegionTable> RegionTable::from_csv(std::string_view text) {
  RegionTable table;
  auto records = parse_csv(text);
  for (size_t i = 1; i < records.size(); ++i) {
    const auto& f = records[i].fields;
    if (f.size() < 5 || !is_region_code_syntax(f[0]))
      return Error{"invalid_data", "区划数据第 " + std::to_string(records[i].line) + " 行格式错误", ""};
    auto level = parse_region_level(f[2]);
    if (!level.ok()) return level.take_error();
    table.add(Region{f[0], f[1], *level, f[3], f[4] == "1", f.size() > 5 && f[5] == "1"});
  }
  return table;
}

void RegionTable::add(Region r) {
  children_[r.parent].push_back(r.code);
  std::string code = r.code;
  by_code_[code] = std::move(r);
}

const Region* RegionTable::find(std::string_view code) const {
  auto it = by_code_.find(std::string(code));
  return it == by_code_.end() ? nullptr : &it->second;
}

std::vector<const Region*> RegionTable::path(std::string_view code) const {
  std::vector<const Region*> out;
  for (const Region* r = find(code); r && out.size() < 4; r = r->parent.empty() ? nullptr : find(r->parent))
    out.push_back(r);
  std::reverse(out.begin(), out.end());
  return out;
}

std::string RegionTable::child_toward(std::string_view root, std::string_view code) const {
  const Region* r = find(code);
  while (r && r->parent != root && !r->parent.empty()) r = find(r->parent);
  return (r && r->parent == root) ? r->code : std::string(code);
}

std::vector<const Region*> RegionTable::children(std::string_view parent) const {
  std::vector<const Region*> out;
  auto it = children_.find(std::string(parent));
  if (it == children_.end()) return out;
  for (const auto& c : it->second) out.push_back(find(c));
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->code < b->code; });
  return out;
}

bool RegionTable::is_enterprise_region(std::string_view code) const {
  const Region* r = find(code);
  return r && !r->retired &&
         (r->level == RegionLevel::county || (r->level == RegionLevel::city && r->county_equivalent));
}

CodeRange RegionTable::subtree(std::string_view code) const {
  const Region* r = find(code);
  // GB/T 2260 codes nest by prefix: PP for a province, PPCC for a city, all six for a county.
  size_t prefix = r->level == RegionLevel::province ? 2 : r->level == RegionLevel::city ? 4 : 6;
  std::string lo(code.substr(0, prefix));
  std::string hi = lo;
  hi.back() = static_cast<char>(hi.back() + 1);  // '9' + 1 is ':', still above every digit
  return {lo, hi};
}

bool RegionTable::contains(std::string_view ancestor, std::string_view code) const {
  if (!find(ancestor)) return false;
  CodeRange range = subtree(ancestor);
  return code >= range.lo && code < range.hi;
}

}  // namespace anjian::codes
