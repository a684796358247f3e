#include "auth/scope.h"

namespace anjian::auth {

Scope Scope::region(const codes::RegionTable& regions, std::string_view code) {
  Scope s(Kind::region);
  s.region_code_ = std::string(code);
  auto range = regions.subtree(code);
  s.lo_ = range.lo;
  s.hi_ = range.hi;
  return s;
}

Scope Scope::enterprise(std::string uscc, std::string region_code) {
  Scope s(Kind::enterprise);
  s.uscc_ = std::move(uscc);
  s.region_code_ = std::move(region_code);
  return s;
}

bool Scope::sees(std::string_view region_code, std::string_view uscc) const {
  switch (kind_) {
    case Kind::all: return true;
    case Kind::none: return false;
    case Kind::region: return region_code >= lo_ && region_code < hi_;
    case Kind::enterprise: return !uscc.empty() && uscc == uscc_;
  }
  return false;
}

bool Scope::covers_region(const codes::RegionTable& regions, std::string_view code) const {
  if (kind_ == Kind::all) return true;
  if (kind_ != Kind::region || !regions.find(code)) return false;
  return code >= lo_ && code < hi_;
}

std::string Scope::sql(std::string_view region_column, std::string_view uscc_column,
                       std::vector<db::Value>& params) const {
  switch (kind_) {
    case Kind::all: return "1=1";
    case Kind::none: return "1=0";
    case Kind::region:
      // A county's subtree is its own code (codes are six digits): an equality lets an index on
      // (region, x) give rows in x's order, which a range cannot.
      if (lo_.size() == 6) {
        params.emplace_back(lo_);
        return std::string(region_column) + " = ?";
      }
      params.emplace_back(lo_);
      params.emplace_back(hi_);
      return std::string(region_column) + " >= ? AND " + std::string(region_column) + " < ?";
    case Kind::enterprise:
      params.emplace_back(uscc_);
      return std::string(uscc_column) + " = ?";
  }
  return "1=0";
}

}  // namespace anjian::auth
