#include "modules/enterprise/model.h"
#include "base/json_text.h"

#include <algorithm>

#include <boost/json.hpp>

#include <utility>

namespace anjian::enterprise {
namespace json = boost::json;

namespace {
const std::vector<std::pair<std::string_view, std::string_view>>& industry_table() {
  static const std::vector<std::pair<std::string_view, std::string_view>> t = {
      {"coal_mine", "煤矿"}, {"metal_nonmetal_mine", "金属非金属矿山"}, {"oil_gas", "石油天然气"},
      {"hazchem_production", "危险化学品生产"}, {"hazchem_operation", "危险化学品经营"},
      {"hazchem_use", "危险化学品使用"}, {"fireworks", "烟花爆竹"}, {"metallurgy", "冶金"},
      {"nonferrous", "有色"}, {"building_materials", "建材"}, {"machinery", "机械"},
      {"light_industry", "轻工"}, {"textile", "纺织"}, {"tobacco", "烟草"}, {"commerce", "商贸"}, {"other", "其他"},
  };
  return t;
}
json::value opt(const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); }
}  // namespace

const std::vector<std::string_view>& industries() {
  static const std::vector<std::string_view> v = [] {
    std::vector<std::string_view> out;
    for (const auto& [code, label] : industry_table()) out.push_back(code);
    return out;
  }();
  return v;
}

std::string_view industry_label(std::string_view industry) {
  for (const auto& [code, label] : industry_table())
    if (code == industry) return label;
  return {};
}

const std::vector<std::string_view>& scales() {
  static const std::vector<std::string_view> v = {"large", "medium", "small", "micro"};
  return v;
}
const std::vector<std::string_view>& statuses() {
  static const std::vector<std::string_view> v = {"operating", "suspended", "closed"};
  return v;
}

namespace {
std::string_view label_of(std::string_view key, std::initializer_list<std::pair<std::string_view, std::string_view>> words) {
  for (const auto& [k, v] : words)
    if (k == key) return v;
  return key;
}
}  // namespace

// The console's words (web/src/utils/labels.ts), so that an export reads like the screen.
std::string_view scale_label(std::string_view s) {
  return label_of(s, {{"large", "大型"}, {"medium", "中型"}, {"small", "小型"}, {"micro", "微型"}});
}
std::string_view status_label(std::string_view s) {
  return label_of(s, {{"operating", "正常生产"}, {"suspended", "停产"}, {"closed", "关闭"}});
}
std::string_view licence_state_label(std::string_view s) {
  return label_of(s, {{"valid", "有效"}, {"expiring", "即将到期"}, {"expired", "已过期"}, {"none", "无"}});
}
std::string_view grade_label(std::string_view g) { return label_of(g, {{"1", "一级"}, {"2", "二级"}, {"3", "三级"}}); }

std::string licence_state(const Enterprise& e, std::int64_t today, const EnterpriseOptions& options) {
  if (!e.licence_expires_on) return "none";
  auto expires = parse_date(*e.licence_expires_on);
  if (!expires) return "none";
  if (*expires < today) return "expired";
  if (*expires <= today + options.licence_warning_days) return "expiring";
  return "valid";
}

std::string mask_phone(std::string_view phone) {
  if (phone.size() < 8) return std::string(phone.size(), '*');
  return std::string(phone.substr(0, 3)) + "****" + std::string(phone.substr(phone.size() - 4));
}

json::object to_json(const Enterprise& e, std::int64_t today, const EnterpriseOptions& options, bool mask_personal) {
  json::object o;
  o["uscc"] = e.uscc;
  o["name"] = e.name;
  o["short_name"] = opt(e.short_name);
  o["region_code"] = e.region_code;
  o["address"] = opt(e.address);
  o["lon"] = e.lon ? json::value(round_coordinate(*e.lon)) : json::value(nullptr);
  o["lat"] = e.lat ? json::value(round_coordinate(*e.lat)) : json::value(nullptr);
  o["industry"] = e.industry;
  o["industry_code"] = opt(e.industry_code);
  o["scale"] = opt(e.scale);
  o["employees"] = e.employees ? json::value(*e.employees) : json::value(nullptr);
  o["legal_representative"] = opt(e.legal_representative);
  if (e.safety_manager_name || e.safety_manager_phone) {
    std::optional<std::string> phone = e.safety_manager_phone;
    if (phone && mask_personal) phone = mask_phone(*phone);
    o["safety_manager"] = json::object{{"name", opt(e.safety_manager_name)}, {"phone", opt(phone)}};
  } else {
    o["safety_manager"] = nullptr;
  }
  if (e.licence_number || e.licence_issued_on || e.licence_expires_on)
    o["licence"] = json::object{{"number", opt(e.licence_number)}, {"issued_on", opt(e.licence_issued_on)},
                                {"expires_on", opt(e.licence_expires_on)}};
  else
    o["licence"] = nullptr;
  o["licence_state"] = licence_state(e, today, options);
  o["standardization_grade"] = opt(e.standardization_grade);
  o["status"] = e.status;
  o["version"] = e.version;
  o["created_at"] = format_iso(e.created_at);
  o["updated_at"] = format_iso(e.updated_at);
  return o;
}

std::string search_text(const Enterprise& e) {
  std::string t = e.name;
  if (e.short_name) t += " " + *e.short_name;
  if (e.address) t += " " + *e.address;
  return t;
}

bool valid_industry_code(std::string_view s) {
  if (s.empty() || s.size() > 5 || s[0] < 'A' || s[0] > 'T') return false;
  if (s.size() == 2) return false;
  return std::all_of(s.begin() + 1, s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace anjian::enterprise
