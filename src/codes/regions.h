#pragma once
// Administrative divisions, GB/T 2260 (DOMAIN.md §2): the province → city → county tree with the
// municipality, 省直辖县 and 不设区的地级市 cases resolved by the data file's parent column.
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/result.h"

namespace anjian::codes {

enum class RegionLevel { province, city, county };
std::string_view to_string(RegionLevel level);
Result<RegionLevel> parse_region_level(std::string_view s);

struct Region {
  std::string code;  // six digits
  std::string name;
  RegionLevel level = RegionLevel::county;
  std::string parent;              // empty for a province
  bool county_equivalent = false;  // a city without counties (东莞 441900): enterprises may sit here
  bool retired = false;            // kept for records that still use it
};

// Half-open range [lo, hi) of six-digit codes in a region's subtree, for index-friendly SQL.
struct CodeRange {
  std::string lo, hi;
};

// Thread-safe for reading once built.
class RegionTable {
 public:
  // Parses data/regions/gbt2260.csv (code,name,level,parent,county_equivalent).
  static Result<RegionTable> from_csv(std::string_view text);

  void add(Region r);
  const Region* find(std::string_view code) const;
  // From the province down to the region itself.
  std::vector<const Region*> path(std::string_view code) const;
  // Children sorted by code; provinces when parent is empty.
  std::vector<const Region*> children(std::string_view parent) const;
  // A region an enterprise may carry: county level, or a city that is its own county level.
  bool is_enterprise_region(std::string_view code) const;
  // Codes of the subtree of a region. REQUIRES: find(code) != nullptr.
  CodeRange subtree(std::string_view code) const;
  // The child of `root` ('' for the country: a province) whose subtree holds `code`; `code` itself
  // when it is not below `root` (a statistics row of its own).
  std::string child_toward(std::string_view root, std::string_view code) const;
  // True when `code` is `ancestor` or below it.
  bool contains(std::string_view ancestor, std::string_view code) const;
  size_t size() const { return by_code_.size(); }

 private:
  std::unordered_map<std::string, Region> by_code_;
  std::unordered_map<std::string, std::vector<std::string>> children_;
};

// Six ASCII digits.
bool is_region_code_syntax(std::string_view s);

}  // namespace anjian::codes
