#pragma once
// The enterprise record — the centre of the unified data view (以企业为统一数据视图), keyed by
// the unified social credit code.
#include <boost/json/fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"

namespace anjian::enterprise {

struct Enterprise {
  std::int64_t id = 0;
  std::string uscc, name;
  std::optional<std::string> short_name;
  std::string region_code;  // county level, or a city without counties (DOMAIN.md §2)
  std::optional<std::string> address;
  std::optional<double> lon, lat;
  std::string industry;                      // regulatory industry, see industries()
  std::optional<std::string> industry_code;  // GB/T 4754
  std::optional<std::string> scale;
  std::optional<std::int64_t> employees;
  std::optional<std::string> legal_representative;
  std::optional<std::string> safety_manager_name, safety_manager_phone;  // personal data
  std::optional<std::string> licence_number, licence_issued_on, licence_expires_on;
  std::optional<std::string> standardization_grade;  // "1" | "2" | "3"
  std::string status = "operating";
  std::int64_t version = 0;
  Millis created_at = 0, updated_at = 0;
};

struct EnterpriseOptions {
  int licence_warning_days = 90;  // a licence expiring within this many days is "expiring"
};

// valid | expiring | expired | none, on `today` (days since the epoch, Asia/Shanghai).
std::string licence_state(const Enterprise& e, std::int64_t today, const EnterpriseOptions& options);

const std::vector<std::string_view>& industries();
std::string_view industry_label(std::string_view industry);  // 危险化学品生产 …
// GB/T 4754-2017: a section letter A–T, then 2 to 4 digits (C26, C261, C2614).
bool valid_industry_code(std::string_view code);
const std::vector<std::string_view>& scales();
const std::vector<std::string_view>& statuses();
// The Chinese words of the enumerations, for what people read (exports): 小型, 正常生产, 已过期, 二级.
std::string_view scale_label(std::string_view scale);
std::string_view status_label(std::string_view status);
std::string_view licence_state_label(std::string_view state);
std::string_view grade_label(std::string_view grade);

// 13800000000 → 138****0000: lists show who to call about, not the number.
std::string mask_phone(std::string_view phone);

// The record as the API shows it. `mask_personal`: lists mask personal data.
boost::json::object to_json(const Enterprise& e, std::int64_t today, const EnterpriseOptions& options,
                            bool mask_personal);

// The text the full-text index holds: name, short name, address.
std::string search_text(const Enterprise& e);

}  // namespace anjian::enterprise
