#pragma once
// A major hazard source (重大危险源) of an enterprise: a production or storage unit with the
// dangerous substances it holds. Its grade (一级..四级) is computed by the risk module from
// GB 18218-2018 and may be entered by hand until then.
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/time.h"

namespace anjian::hazard {

struct Substance {
  std::string name;
  std::optional<std::string> cas;  // CAS registry number, check digit verified
  double quantity_t = 0;           // the actual maximum quantity on site, tonnes
  std::vector<std::string> categories;  // GB 18218 表2 categories, when not in 表1 or to decide β
  bool mixture = false;  // a mixture or solution of its own class (GB 18218 4.2.3): Q by `categories`
};

struct HazardSource {
  std::string id, enterprise_uscc, code, name, kind;
  std::optional<int> grade;  // 1..4
  std::optional<double> lon, lat;
  std::vector<Substance> substances;
  std::optional<std::int64_t> people_exposed;  // 常住人口 within 500 m of the plant boundary (GB 18218's α)
  bool active = true;
  std::int64_t version = 0;
  Millis created_at = 0, updated_at = 0;
};

// tank_farm 储罐区 | warehouse 库区 | production_unit 生产装置 | other 其他
const std::vector<std::string_view>& kinds();
// Storage units (储存单元) and production units (生产单元) are identified differently by GB 18218.
bool is_storage(std::string_view kind);

// Validates the API's JSON onto a source (creating: enterprise_uscc, code, name, kind required).
// Errors: invalid_field, unknown_field.
Status apply_fields(HazardSource& h, const boost::json::object& fields, bool creating);
boost::json::object to_json(const HazardSource& h);
std::string substances_json(const std::vector<Substance>& list);
std::vector<Substance> substances_from_json(std::string_view text);

}  // namespace anjian::hazard
