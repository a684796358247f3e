#include "modules/enforcement/inspection_items.h"

#include <boost/json.hpp>

#include "base/crypto.h"
#include "base/json_fields.h"
#include "base/json_text.h"

namespace anjian::enforcement {
namespace json = boost::json;

namespace {
constexpr std::string_view kLevels[] = {"major", "larger", "general", "low"};
// Seen where it applies: in the owner's subtree, and by the owner's ancestors.
bool visible(const codes::RegionTable& regions, const auth::Principal& who, const std::string& region) {
  if (who.org_kind != "regulator") return false;
  return who.region_code.empty() || region.empty() || regions.contains(who.region_code, region) || regions.contains(region, who.region_code);
}
InspectionItem from_row(const db::Row& r) {
  InspectionItem i{r.str(0), r.str(1), r.str(2), r.str(3), r.str(4), r.str(7), r.i64(5), {}, r.i64(8)};
  for (const auto& [k, v] : object_of_text(r.str(6)))
    if (v.is_int64()) i.caps_by_risk_level[std::string(k)] = v.as_int64();
  return i;
}
constexpr const char* kColumns = "id, region_code, name, legal_basis, template_id, cap_per_year, caps_by_risk_level, created_by, created_at";
}  // namespace

json::object to_json(const InspectionItem& i) {
  json::object caps;
  for (const auto& [k, v] : i.caps_by_risk_level) caps[k] = v;
  return {{"id", i.id}, {"region_code", i.region_code}, {"name", i.name}, {"legal_basis", i.legal_basis}, {"template_id", i.template_id},
          {"cap_per_year", i.cap_per_year}, {"caps_by_risk_level", std::move(caps)}, {"created_by", i.created_by},
          {"created_at", format_iso(i.created_at)}};
}

std::int64_t InspectionItemService::cap_for(const InspectionItem& item, const std::string& level) {
  auto it = item.caps_by_risk_level.find(level);
  return it != item.caps_by_risk_level.end() ? it->second : item.cap_per_year;
}

Result<InspectionItem> InspectionItemService::create(const auth::Principal& who, const json::object& fields, std::string_view source) {
  if (who.org_kind != "regulator") return Error::forbidden("随机抽查事项清单由监管部门制定");
  JsonFields f(fields);
  InspectionItem i;
  i.name = f.string("name", true, 200).value_or("");
  i.legal_basis = f.string("legal_basis", true, 2000).value_or("");
  i.template_id = f.string("template_id", false, 64).value_or("");
  i.cap_per_year = f.integer("cap_per_year", false, 1, 12).value_or(2);
  if (const json::object* caps = f.object("caps_by_risk_level", false)) {
    JsonFields g = f.child("caps_by_risk_level", *caps);
    for (auto level : kLevels)
      if (auto v = g.integer(level, false, 0, 12)) i.caps_by_risk_level[std::string(level)] = *v;
    f.absorb(g);
  }
  ANJIAN_TRY(f.finish());
  i.id = new_id();
  i.region_code = who.region_code;
  i.created_by = who.username;
  i.created_at = now_ms();
  json::object caps;
  for (const auto& [k, v] : i.caps_by_risk_level) caps[k] = v;
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    ANJIAN_TRY(c.exec(std::string("INSERT INTO inspection_items (") + kColumns + ", org_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      {i.id, i.region_code, i.name, i.legal_basis, i.template_id, i.cap_per_year, json_text(caps), i.created_by, i.created_at,
                       who.org_id}));
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "inspection_item.create", "inspection_item:" + i.id, i.region_code, "", source,
                                               json_text(to_json(i)))));
    return true;
  });
  if (!done.ok()) return done.take_error();
  return i;
}

Result<std::vector<InspectionItem>> InspectionItemService::list(const auth::Principal& who) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto rows = (*r)->query(std::string("SELECT ") + kColumns + " FROM inspection_items ORDER BY created_at LIMIT 2000");
  if (!rows.ok()) return rows.take_error();
  std::vector<InspectionItem> out;
  for (const auto& row : *rows)
    if (visible(regions_, who, row.str(1))) out.push_back(from_row(row));
  return out;
}

Result<InspectionItem> InspectionItemService::get(const auth::Principal& who, const std::string& id) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto row = (*r)->query_one(std::string("SELECT ") + kColumns + " FROM inspection_items WHERE id = ?", {id});
  if (!row.ok() || !visible(regions_, who, row->str(1))) return Error{"not_found", "抽查事项不存在", ""};
  return from_row(*row);
}

}  // namespace anjian::enforcement
