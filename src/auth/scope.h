#pragma once
// Scope: the jurisdiction of one request, built once from the session and passed to every repo
// call (ARCHITECTURE.md, Jurisdiction). Outside it a record does not exist.
#include <string>
#include <string_view>
#include <vector>

#include "codes/regions.h"
#include "db/database.h"

namespace anjian::auth {

class Scope {
 public:
  enum class Kind { all, region, enterprise, none };

  static Scope all() { return Scope(Kind::all); }
  static Scope none() { return Scope(Kind::none); }
  // The subtree of a region. REQUIRES: regions.find(code) != nullptr.
  static Scope region(const codes::RegionTable& regions, std::string_view code);
  static Scope enterprise(std::string uscc, std::string region_code);

  Kind kind() const { return kind_; }
  const std::string& region_code() const { return region_code_; }
  // Whether the scope spans a whole province or more (planners then prefer an ordered scan).
  bool broad() const { return kind_ == Kind::all || (kind_ == Kind::region && lo_.size() <= 2); }
  const std::string& uscc() const { return uscc_; }

  // Whether a record that lives in `region_code` (and belongs to `uscc`, when it is an
  // enterprise's) is visible.
  bool sees(std::string_view region_code, std::string_view uscc = {}) const;
  // Whether a whole region (an org bound to it, a subtree filter) lies inside this scope.
  bool covers_region(const codes::RegionTable& regions, std::string_view code) const;

  // A SQL condition restricting rows by their region and uscc columns, with its parameters
  // appended to `params`. Always a complete boolean expression ("1=1", "1=0", …).
  std::string sql(std::string_view region_column, std::string_view uscc_column,
                  std::vector<db::Value>& params) const;

 private:
  explicit Scope(Kind k) : kind_(k) {}
  Kind kind_;
  std::string region_code_, lo_, hi_, uscc_;
};

}  // namespace anjian::auth
