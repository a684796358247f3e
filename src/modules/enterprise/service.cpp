#include "modules/enterprise/service.h"
#include "base/json_text.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>

#include "base/geo_index.h"

#include "base/json_fields.h"
#include "base/crypto.h"
#include "codes/uscc.h"

namespace anjian::enterprise {
namespace json = boost::json;

namespace {
// China's extent (CGCS2000 / WGS-84 degrees), with a margin: a point outside is a typing error.
constexpr double kLonMin = 73.0, kLonMax = 135.5, kLatMin = 3.5, kLatMax = 54.0;

bool valid_phone(const std::string& p) {
  if (p.size() < 5 || p.size() > 20) return false;
  return std::all_of(p.begin(), p.end(), [](char c) { return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == ' '; });
}
std::vector<std::string_view> grades() { return {"1", "2", "3"}; }
}  // namespace

Service::Service(db::Database& db, const codes::RegionTable& regions, AuditSink& audit, EnterpriseOptions options)
    : db_(db), regions_(regions), audit_(audit), options_(options) {}

std::int64_t Service::today() const { return today_shanghai(now_ms()); }

json::object Service::to_json(const Enterprise& e, bool mask_personal) const {
  return enterprise::to_json(e, today(), options_, mask_personal);
}

void Service::register_section(ViewSection section) { sections_.push_back(std::move(section)); }

Status Service::apply_fields(Enterprise& e, const json::object& fields, bool creating) const {
  JsonFields f(fields);
  if (creating) {
    if (auto s = f.string("uscc", true, 40)) {
      auto u = codes::Uscc::parse(*s);
      if (!u.ok()) f.fail(u.take_error());
      else e.uscc = u->str();
    }
  } else if (f.has("uscc")) {
    auto s = f.string("uscc", false, 40);
    auto u = s ? codes::Uscc::parse(*s) : Result<codes::Uscc>(Error::invalid_field("uscc", "uscc 不可修改"));
    if (!u.ok() || u->str() != e.uscc) f.fail(Error::invalid_field("uscc", "统一社会信用代码不可修改"));
  }
  // Required text fields: present on create, never null afterwards.
  auto required_text = [&](const char* key, std::string& target, size_t max) {
    if (!creating && !f.has(key)) return;
    if (auto s = f.string(key, true, max)) target = *s;
  };
  auto optional_text = [&](const char* key, std::optional<std::string>& target, size_t max) {
    if (!f.has(key)) return;
    auto s = f.string(key, false, max);
    target = (s && !s->empty()) ? s : std::nullopt;
  };
  required_text("name", e.name, 100);
  optional_text("short_name", e.short_name, 50);
  if (creating || f.has("region_code")) {
    if (auto s = f.string("region_code", true, 6)) {
      const codes::Region* r = regions_.find(*s);
      if (!r || r->retired) f.fail({"unknown_region", "行政区划代码不存在：" + *s, "region_code"});
      else if (!regions_.is_enterprise_region(*s))
        f.fail({"invalid_region_level", "企业所在行政区划须为县级（或不设区的地级市）：" + *s + " " + r->name, "region_code"});
      else e.region_code = *s;
    }
  }
  optional_text("address", e.address, 200);
  // Optional fields: absent leaves them, null clears them (the accessors read null as absent).
  if (f.has("lon")) e.lon = f.number("lon", false, kLonMin, kLonMax);
  if (f.has("lat")) e.lat = f.number("lat", false, kLatMin, kLatMax);
  if (e.lon.has_value() != e.lat.has_value() && !f.failed())
    f.fail(Error::invalid_field(e.lon ? "lat" : "lon", "经度和纬度须同时填写"));
  if (creating || f.has("industry")) {
    if (auto s = f.one_of("industry", true, industries())) e.industry = *s;
  }
  optional_text("industry_code", e.industry_code, 5);
  if (e.industry_code && !valid_industry_code(*e.industry_code) && !f.failed())
    f.fail(Error::invalid_field("industry_code", "国民经济行业代码（GB/T 4754）格式错误：" + *e.industry_code));
  if (f.has("scale")) e.scale = f.one_of("scale", false, scales());
  if (f.has("employees")) e.employees = f.integer("employees", false, 0, 10'000'000);
  optional_text("legal_representative", e.legal_representative, 50);

  if (const json::object* sm = f.object("safety_manager", false)) {
    JsonFields g = f.child("safety_manager", *sm);
    if (g.has("name")) { auto s = g.string("name", false, 50); e.safety_manager_name = (s && !s->empty()) ? s : std::nullopt; }
    if (g.has("phone")) { auto s = g.string("phone", false, 20); e.safety_manager_phone = (s && !s->empty()) ? s : std::nullopt; }
    if (e.safety_manager_phone && !valid_phone(*e.safety_manager_phone) && !g.failed())
      g.fail(Error::invalid_field("safety_manager.phone", "电话号码格式错误"));
    f.absorb(g);
  } else if (f.is_null("safety_manager")) {
    e.safety_manager_name.reset();
    e.safety_manager_phone.reset();
  }

  if (const json::object* lic = f.object("licence", false)) {
    JsonFields g = f.child("licence", *lic);
    auto date_field = [&](const char* key, std::optional<std::string>& target) {
      if (!g.has(key)) return;
      auto s = g.string(key, false, 10);
      if (!s || s->empty()) { target.reset(); return; }
      if (!parse_date(*s)) g.fail(Error::invalid_field(g.path(key), g.path(key) + " 须为 YYYY-MM-DD 格式的日期"));
      else target = *s;
    };
    if (g.has("number")) { auto s = g.string("number", false, 100); e.licence_number = (s && !s->empty()) ? s : std::nullopt; }
    date_field("issued_on", e.licence_issued_on);
    date_field("expires_on", e.licence_expires_on);
    if (e.licence_issued_on && e.licence_expires_on && *e.licence_expires_on < *e.licence_issued_on && !g.failed())
      g.fail(Error::invalid_field("licence.expires_on", "有效期截止日期早于发证日期"));
    f.absorb(g);
  } else if (f.is_null("licence")) {
    e.licence_number.reset();
    e.licence_issued_on.reset();
    e.licence_expires_on.reset();
  }

  if (f.has("standardization_grade")) e.standardization_grade = f.one_of("standardization_grade", false, grades());
  if (f.has("status")) {
    if (auto s = f.one_of("status", true, statuses())) e.status = *s;
  }
  return f.finish();
}

Status Service::check_region(const auth::Principal& who, const std::string& region_code) const {
  if (!who.scope.sees(region_code, "")) return Error{"forbidden", "该行政区划不在您的管辖范围内", "region_code"};
  return {};
}

AuditEvent Service::event(const auth::Principal& who, std::string action, const Enterprise& e, std::string_view source,
                          std::string detail) const {
  return audit_event(who, std::move(action), "enterprise:" + e.uscc, e.region_code, e.uscc, source, std::move(detail));
}

Result<Enterprise> Service::create(const auth::Principal& who, const json::object& fields, std::string_view source) {
  if (who.org_kind == "enterprise") return Error::forbidden("企业用户不能新建企业");
  Enterprise e;
  ANJIAN_TRY(apply_fields(e, fields, true));
  ANJIAN_TRY(check_region(who, e.region_code));
  e.created_at = e.updated_at = now_ms();
  e.version = 1;
  json::object after = to_json(e, false);
  std::int64_t generation = 0;
  auto created = db::with_transaction(db_, [&](db::Connection& c) -> Result<Enterprise> {
    auto dup = repo::exists(c, e.uscc);
    if (!dup.ok()) return dup.take_error();
    if (*dup) return Error::conflict("统一社会信用代码已登记：" + e.uscc, "uscc");
    ANJIAN_TRY(repo::insert(c, e));
    ANJIAN_ASSIGN(generation, repo::bump_generation(c));
    json::object changes;
    for (const auto& kv : after) changes[kv.key()] = json::object{{"from", nullptr}, {"to", kv.value()}};
    changes.erase("version");
    changes.erase("created_at");
    changes.erase("updated_at");
    changes.erase("licence_state");
    ANJIAN_TRY(repo::add_history(c, {0, e.created_at, who.user_id, who.username, "create", json_text(changes), 1}, e.uscc));
    ANJIAN_TRY(audit_.record_in(c, event(who, "enterprise.create", e, source,
                                         json_text(json::object{{"after_sm3", sm3_hex(json_text(after))}}))));
    return e;
  });
  if (created.ok()) {
    counts_.apply(generation, nullptr, &*created);
    announce_changed(created->uscc);
  }
  return created;
}

Result<Enterprise> Service::update(const auth::Principal& who, const std::string& uscc, std::int64_t expected_version,
                                   const json::object& fields, std::string_view source,
                                   const std::function<Status(db::Connection&)>& also) {
  std::int64_t generation = 0;
  std::optional<Enterprise> before;
  auto updated = db::with_transaction(db_, [&](db::Connection& c) -> Result<Enterprise> {
    auto current = repo::get(c, who.scope, uscc);
    if (!current.ok()) return current.take_error();
    if (replica_guard_) ANJIAN_TRY(replica_guard_(uscc));
    before = *current;
    if (current->version != expected_version)
      return Error{"precondition_failed",
                   "记录已被他人修改（当前版本 " + std::to_string(current->version) + "），请刷新后重试", ""};
    Enterprise e = *current;
    ANJIAN_TRY(apply_fields(e, fields, false));
    // Moving a record out of one's own jurisdiction would make it vanish for its editor.
    if (e.region_code != current->region_code) ANJIAN_TRY(check_region(who, e.region_code));
    if (who.org_kind == "enterprise" && e.status != current->status)
      return Error{"forbidden", "企业用户不能修改经营状态", "status"};
    json::object before = to_json(*current, false);
    json::object after = to_json(e, false);
    json::object changes = diff(before, after);
    if (changes.empty()) {  // nothing changed: no new version
      if (also) ANJIAN_TRY(also(c));
      return *current;
    }
    e.version = current->version + 1;
    e.updated_at = now_ms();
    ANJIAN_TRY(repo::update(c, e, expected_version));
    ANJIAN_ASSIGN(generation, repo::bump_generation(c));
    if (e.region_code != current->region_code && moved_in_) ANJIAN_TRY(moved_in_(c, e.uscc, e.region_code));
    ANJIAN_TRY(repo::add_history(c, {0, e.updated_at, who.user_id, who.username,
                                     e.status == "closed" && current->status != "closed" ? "close" : "update",
                                     json_text(changes), e.version}, e.uscc));
    json::object detail{{"fields", json::array()}, {"before_sm3", sm3_hex(json_text(before))},
                        {"after_sm3", sm3_hex(json_text(after))}};
    for (const auto& kv : changes) detail["fields"].as_array().emplace_back(kv.key());
    ANJIAN_TRY(audit_.record_in(c, event(who, "enterprise.update", e, source, json_text(detail))));
    if (also) ANJIAN_TRY(also(c));
    return e;
  });
  if (updated.ok() && generation > 0) counts_.apply(generation, &*before, &*updated);
  if (updated.ok()) announce_changed(updated->uscc);
  return updated;
}

Result<Enterprise> Service::close(const auth::Principal& who, const std::string& uscc, std::int64_t expected_version,
                                  std::string_view source) {
  if (who.org_kind == "enterprise") return Error::forbidden("企业用户不能注销企业");
  return update(who, uscc, expected_version, json::object{{"status", "closed"}}, source);
}

Result<Enterprise> Service::get(const auth::Scope& scope, const std::string& uscc) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  return repo::get(**r, scope, uscc);
}

Result<ListPage> Service::list(const auth::Scope& scope, ListFilter filter) {
  if (filter.region_code) {
    if (!regions_.find(*filter.region_code))
      return Error{"unknown_region", "行政区划代码不存在：" + *filter.region_code, "region_code"};
    filter.region_range = regions_.subtree(*filter.region_code);
  }
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  return repo::list(**r, scope, filter, today(), options_);
}

Result<std::vector<HistoryEntry>> Service::history(const auth::Scope& scope, const std::string& uscc) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto e = repo::get(**r, scope, uscc);
  if (!e.ok()) return e.take_error();
  return repo::history(**r, e->uscc);
}

Result<json::object> Service::view(const auth::Principal& who, const std::string& uscc) {
  auto e = get(who.scope, uscc);
  if (!e.ok()) return e.take_error();
  json::object out;
  out["enterprise"] = to_json(*e, false);
  json::object sections;
  const auto state = licence_state(*e, today(), options_);
  sections["licence"] = json::object{{"number", e->licence_number ? json::value(*e->licence_number) : json::value(nullptr)},
                                     {"issued_on", e->licence_issued_on ? json::value(*e->licence_issued_on) : json::value(nullptr)},
                                     {"expires_on", e->licence_expires_on ? json::value(*e->licence_expires_on) : json::value(nullptr)},
                                     {"state", state}};
  auto hist = history(who.scope, uscc);
  if (!hist.ok()) return hist.take_error();
  json::array recent;
  for (size_t i = 0; i < hist->size() && i < 10; ++i) {
    const auto& h = (*hist)[i];
    recent.push_back(json::object{{"at", format_iso(h.at)}, {"username", h.username}, {"action", h.action},
                                  {"version", h.version}, {"changes", json::parse(h.changes)}});
  }
  sections["history"] = json::object{{"recent", std::move(recent)}, {"total", hist->size()}};
  for (const auto& s : sections_) {
    auto v = s.build(who, *e);
    if (!v.ok()) return v.take_error();
    sections[s.name] = std::move(v).value();
  }
  out["sections"] = std::move(sections);
  return out;
}

Result<std::map<std::string, std::string>> Service::names(const auth::Scope& scope, const std::vector<std::string>& usccs) {
  if (usccs.empty()) return std::map<std::string, std::string>{};
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  return repo::names(**r, scope, usccs);
}

Result<json::object> Service::summary(const auth::Scope& scope) {
  if (scope.kind() == auth::Scope::Kind::all || scope.kind() == auth::Scope::Kind::region)
    return counts_.summary(db_, scope, today(), options_);
  // An enterprise's own user: one record, counted from the database.
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  json::object out;
  for (const char* by : {"industry", "status"}) {
    auto counts = repo::count_by(**r, scope, by);
    if (!counts.ok()) return counts.take_error();
    json::object m;
    std::int64_t total = 0;
    for (const auto& [k, n] : *counts) {
      m[k] = n;
      total += n;
    }
    out[std::string("by_") + by] = std::move(m);
    out["total"] = total;
  }
  json::object licences;
  for (const char* state : {"valid", "expiring", "expired", "none"}) {
    ListFilter f;
    f.licence_state = state;
    f.page_size = 1;
    auto p = repo::list(**r, scope, f, today(), options_);
    if (!p.ok()) return p.take_error();
    licences[state] = p->total;
  }
  out["by_licence_state"] = std::move(licences);
  return out;
}

Result<std::vector<MapPoint>> Service::points(const auth::Scope& scope, const std::optional<std::string>& region_code) {
  std::optional<codes::CodeRange> range;
  if (region_code) {
    if (!regions_.find(*region_code)) return Error{"unknown_region", "行政区划代码不存在：" + *region_code, "region_code"};
    range = regions_.subtree(*region_code);
  }
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  return repo::points(**r, scope, range, kMaxMapPoints);
}

Result<std::vector<std::pair<MapPoint, double>>> Service::points_near(const auth::Scope& scope, double lon, double lat, double radius_m,
                                                                      size_t limit) {
  // A box around the circle (an index range on latitude), then the exact distance.
  const double dlat = radius_m / 111'320.0;
  const double dlon = radius_m / (111'320.0 * std::max(0.01, std::cos(lat * M_PI / 180.0)));
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto rows = repo::points(**r, scope, std::nullopt, kMaxMapPoints, GeoBox{lon - dlon, lon + dlon, lat - dlat, lat + dlat});
  if (!rows.ok()) return rows.take_error();
  std::vector<std::pair<MapPoint, double>> out;
  for (auto& p : *rows)
    if (const double d = great_circle_m(lon, lat, p.lon, p.lat); d <= radius_m) out.emplace_back(std::move(p), d);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  if (out.size() > limit) out.resize(limit);
  return out;
}

void Service::announce_changed(const std::string& uscc) const {
  if (bus_) bus_->publish({"enterprise.changed", json::object{{"enterprise_uscc", uscc}}});
}

void Service::announce_changed(const std::vector<std::string>& usccs) const {
  constexpr size_t kPerEvent = 5000;
  if (!bus_) return;
  for (size_t i = 0; i < usccs.size(); i += kPerEvent) {
    json::array list(usccs.begin() + static_cast<long>(i), usccs.begin() + static_cast<long>(std::min(usccs.size(), i + kPerEvent)));
    bus_->publish({"enterprise.changed", json::object{{"enterprise_usccs", std::move(list)}}});
  }
}

Status Service::insert_batch(db::Connection& tx, const auth::Principal& who, std::vector<Enterprise>& batch) {
  const Millis now = now_ms();
  for (Enterprise& e : batch) {
    e.created_at = e.updated_at = now;
    e.version = 1;
    ANJIAN_TRY(repo::insert(tx, e));
    ANJIAN_TRY(repo::add_history(tx, {0, now, who.user_id, who.username, "import", "{}", 1}, e.uscc));
  }
  // The caller commits: the counts learn of the batch from the generation, and count anew.
  if (auto g = repo::bump_generation(tx); !g.ok()) return g.take_error();
  return audit_.record_in(tx, audit_event(who, "enterprise.import", "enterprises", who.region_code, "", "",
                                          json_text(json::object{{"rows", batch.size()}})));
}

json::object diff(const json::object& before, const json::object& after) {
  json::object out;
  for (const auto& kv : after) {
    const std::string_view k = kv.key();
    if (k == "version" || k == "updated_at" || k == "created_at" || k == "licence_state") continue;
    auto it = before.find(k);
    const json::value& from = it == before.end() ? json::value(nullptr) : it->value();
    if (from != kv.value()) out[k] = json::object{{"from", from}, {"to", kv.value()}};
  }
  return out;
}

}  // namespace anjian::enterprise
