#include "modules/catalog/service.h"

#include <boost/json.hpp>

#include <algorithm>

#include "auth/api_keys.h"
#include "base/crypto.h"
#include "base/json_fields.h"
#include "base/json_text.h"
#include "base/text.h"
#include "modules/catalog/defaults.h"

namespace anjian::catalog {
namespace json = boost::json;
namespace {

constexpr const char* kEntryColumns =
    "code, record_type, category, name, provider, provider_code, summary, format, share_type, share_condition, share_basis, "
    "share_method, open, open_condition, update_cycle, related_codes, published_at, updated_at, updated_by";
constexpr const char* kGrantColumns =
    "g.id, g.entry_code, e.name, e.record_type, g.department_org, g.department_name, g.requested_by, g.purpose, g.fields, g.region_code, "
    "g.requested_at, g.status, g.conditions, g.reason, g.expires_on, g.decided_by, g.decided_at, g.key_prefix, g.key_issued_at, "
    "g.revoked_at, g.revoked_by, g.revoke_reason FROM catalog_requests g JOIN catalog_entries e ON e.code = g.entry_code";
constexpr std::int64_t kMaxPage = 500;  // the API's page limit

std::vector<std::string> strings_of(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& x : array_of_text(text))
    if (x.is_string()) out.emplace_back(x.as_string());
  return out;
}
json::array array_of(const std::vector<std::string>& xs) {
  json::array a;
  for (const auto& x : xs) a.emplace_back(x);
  return a;
}
std::string name_of(const auth::Principal& who) { return who.display_name.empty() ? who.username : who.display_name; }
bool is_department(const auth::Principal& who) { return who.org_kind == "regulator" && who.regulator_kind == "member_department"; }

// Only the granted fields of a record, in the entry's order, each enumeration with its Chinese
// name ("<field>_label") when the record carries one.
json::object only(const json::object& data, const std::vector<std::string>& fields) {
  json::object out;
  for (const auto& f : fields) {
    if (const auto* v = data.if_contains(f)) out[f] = *v;
    if (const auto* l = data.if_contains(f + "_label")) out[f + "_label"] = *l;
  }
  return out;
}

}  // namespace

std::string_view share_type_label(std::string_view type) {
  if (type == "unconditional") return "无条件共享";
  if (type == "none") return "不予共享";
  return "有条件共享";
}

std::string_view grant_state_label(std::string_view state) {
  if (state == "approved") return "已授权";
  if (state == "refused") return "未同意";
  if (state == "revoked") return "已撤销";
  if (state == "expired") return "已过期";
  return "待审核";
}

CatalogService::CatalogService(db::Database& db, const codes::RegionTable& regions, const exchange::ShareRegistry& registry,
                               exchange::Nodes& nodes, exchange::ExchangeService& exchange, notification::Notifier& notifier, AuditSink& audit)
    : db_(db), regions_(regions), registry_(registry), nodes_(nodes), exchange_(exchange), notifier_(notifier), audit_(audit) {}

Status CatalogService::sync() {
  if (synced_ == Synced::with_node) return {};
  auto me = nodes_.self();
  // Once made without a node, again only when the node appears (every read of the catalog, the
  // departments' reads included, passes here: no write transaction each time).
  if (synced_ == Synced::without_node && !me.ok()) return {};
  // A node not yet initialised (a single deployment) is the provider without a code; it is named
  // once it has one, and the codes made before stay (other systems hold them).
  const std::string provider = me.ok() ? me->name : "本平台", provider_code = me.ok() ? me->region_code : "";
  ANJIAN_TRY(db::with_transaction(db_, [&](db::Connection& c) -> Status {
    ANJIAN_ASSIGN(auto held, c.query("SELECT record_type FROM catalog_entries"));
    ANJIAN_ASSIGN(auto count, c.query("SELECT COUNT(*) FROM catalog_entries"));
    std::int64_t next = count[0].i64(0) + 1;
    for (const auto& t : registry_.all()) {
      if (t.region_column.empty()) continue;  // not served by area: not a catalog resource
      if (std::any_of(held.begin(), held.end(), [&](const db::Row& r) { return r.str(0) == t.type; })) continue;
      const auto d = defaults_for(t.type);
      std::string seq = std::to_string(next++);
      seq.insert(0, seq.size() < 5 ? 5 - seq.size() : 0, '0');
      const Millis now = now_ms();
      ANJIAN_TRY(c.exec(std::string("INSERT INTO catalog_entries (") + kEntryColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        {(provider_code.empty() ? std::string("AJ") : provider_code) + "-" + seq, t.type, std::string(d.category), t.label, provider,
                         provider_code, d.summary.empty() ? t.label : std::string(d.summary), std::string("JSON、CSV"), std::string(d.share_type),
                         std::string(d.share_condition), std::string(d.share_basis), std::string(d.share_method), std::int64_t(d.open ? 1 : 0),
                         std::string(d.open_condition), std::string(d.update_cycle), std::string("[]"), now, now, std::string("系统")}));
    }
    if (me.ok()) ANJIAN_TRY(c.exec("UPDATE catalog_entries SET provider = ?, provider_code = ? WHERE provider_code = ''", {provider, provider_code}));
    return {};
  }));
  synced_ = me.ok() ? Synced::with_node : Synced::without_node;
  return {};
}

Result<std::vector<Entry>> CatalogService::entries() {
  ANJIAN_TRY(sync());
  ANJIAN_ASSIGN(auto lease, db_.read());
  ANJIAN_ASSIGN(auto rows, lease->query(std::string("SELECT ") + kEntryColumns + " FROM catalog_entries ORDER BY code"));
  std::vector<Entry> out;
  for (const auto& r : rows) {
    Entry e;
    e.code = r.str(0);
    e.record_type = r.str(1);
    e.category = r.str(2);
    e.name = r.str(3);
    e.provider = r.str(4);
    e.provider_code = r.str(5);
    e.summary = r.str(6);
    e.format = r.str(7);
    e.share_type = r.str(8);
    e.share_condition = r.str(9);
    e.share_basis = r.str(10);
    e.share_method = r.str(11);
    e.open = r.i64(12) != 0;
    e.open_condition = r.str(13);
    e.update_cycle = r.str(14);
    e.related_codes = strings_of(r.str(15));
    e.published_at = r.i64(16);
    e.updated_at = r.i64(17);
    e.updated_by = r.str(18);
    if (const auto* t = registry_.find(e.record_type)) e.items = t->fields;
    out.push_back(std::move(e));
  }
  return out;
}

Result<Entry> CatalogService::entry(const std::string& code) {
  ANJIAN_ASSIGN(auto all, entries());
  for (auto& e : all)
    if (e.code == code) return std::move(e);
  return Error::not_found("目录中没有该信息资源：" + code);
}

Result<Entry> CatalogService::update_entry(const auth::Principal& who, const std::string& code, const json::object& body,
                                           std::string_view source) {
  if (is_department(who) || !who.can(auth::Action::org_manage)) return Error::forbidden("只有管理员可以修改资源目录");
  ANJIAN_ASSIGN(Entry e, entry(code));
  JsonFields f(body);
  if (auto v = f.string("category", false, 100)) e.category = *v;
  if (auto v = f.string("name", false, 100)) e.name = *v;
  if (auto v = f.string("summary", false, 1000)) e.summary = *v;
  if (auto v = f.one_of("share_type", false, {"unconditional", "conditional", "none"})) e.share_type = *v;
  if (auto v = f.string("share_condition", false, 500); v || f.is_null("share_condition")) e.share_condition = v.value_or("");
  if (auto v = f.string("share_basis", false, 500); v || f.is_null("share_basis")) e.share_basis = v.value_or("");
  if (auto v = f.string("share_method", false, 200)) e.share_method = *v;
  if (auto v = f.boolean("open", false)) e.open = *v;
  if (auto v = f.string("open_condition", false, 500); v || f.is_null("open_condition")) e.open_condition = v.value_or("");
  if (auto v = f.string("update_cycle", false, 50)) e.update_cycle = *v;
  if (auto v = f.strings("related_codes", false, 20, 50)) e.related_codes = *v;
  ANJIAN_TRY(f.finish());
  if (e.share_type == "none" && e.share_basis.empty())
    return Error::invalid_field("share_basis", "不予共享须注明法律、行政法规或党中央、国务院政策依据");
  if (e.share_type == "none" && e.open) return Error::invalid_field("open", "不予共享的资源不能向社会开放");
  ANJIAN_TRY(db::with_transaction(db_, [&](db::Connection& c) -> Status {
    ANJIAN_TRY(c.exec("UPDATE catalog_entries SET category = ?, name = ?, summary = ?, share_type = ?, share_condition = ?, share_basis = ?, "
                      "share_method = ?, open = ?, open_condition = ?, update_cycle = ?, related_codes = ?, updated_at = ?, updated_by = ? "
                      "WHERE code = ?",
                      {e.category, e.name, e.summary, e.share_type, e.share_condition, e.share_basis, e.share_method, std::int64_t(e.open ? 1 : 0),
                       e.open_condition, e.update_cycle, json_text(array_of(e.related_codes)), now_ms(), name_of(who), code}));
    return audit_.record_in(c, audit_event(who, "catalog.entry_updated", "catalog:" + code, who.region_code, "", source,
                                           json_text(json::object{{"share_type", e.share_type}, {"open", e.open}})));
  }));
  return entry(code);
}

Result<std::vector<Grant>> CatalogService::load(db::Connection& c, const std::string& where, const std::vector<db::Value>& params) {
  ANJIAN_ASSIGN(auto rows, c.query(std::string("SELECT ") + kGrantColumns + " WHERE " + where + " ORDER BY g.requested_at DESC, g.id", params));
  std::vector<Grant> out;
  for (const auto& r : rows) {
    Grant g;
    g.id = r.str(0);
    g.entry_code = r.str(1);
    g.entry_name = r.str(2);
    g.record_type = r.str(3);
    g.department_org = r.str(4);
    g.department_name = r.str(5);
    g.requested_by = r.str(6);
    g.purpose = r.str(7);
    g.fields = strings_of(r.str(8));
    g.region_code = r.str(9);
    g.requested_at = r.i64(10);
    g.status = r.str(11);
    g.conditions = r.str(12);
    g.reason = r.str(13);
    g.expires_on = r.opt_i64(14);
    g.decided_by = r.null(15) ? "" : r.str(15);
    g.decided_at = r.opt_i64(16);
    g.key_prefix = r.null(17) ? "" : r.str(17);
    g.key_issued_at = r.opt_i64(18);
    g.revoked_at = r.opt_i64(19);
    g.revoked_by = r.null(20) ? "" : r.str(20);
    g.revoke_reason = r.null(21) ? "" : r.str(21);
    out.push_back(std::move(g));
  }
  return out;
}

bool CatalogService::provider_admin(const auth::Principal& who, const std::string& region) const {
  return !is_department(who) && who.org_kind == "regulator" && who.can(auth::Action::org_manage) && who.scope.covers_region(regions_, region);
}

Result<Grant> CatalogService::visible(const auth::Principal& who, const std::string& id) {
  ANJIAN_ASSIGN(auto lease, db_.read());
  ANJIAN_ASSIGN(auto found, load(*lease, "g.id = ?", {id}));
  // Outside one's own org or jurisdiction a request does not exist.
  if (found.empty()) return Error::not_found("共享申请不存在或不在您的管辖范围内");
  const Grant& g = found.front();
  if (is_department(who) ? g.department_org != who.org_id : !who.scope.sees(g.region_code))
    return Error::not_found("共享申请不存在或不在您的管辖范围内");
  return g;
}

Result<Grant> CatalogService::grant(const auth::Principal& who, const std::string& id) { return visible(who, id); }

Result<std::vector<Grant>> CatalogService::grants(const auth::Principal& who, const std::optional<std::string>& state) {
  if (state && *state != "pending" && *state != "approved" && *state != "refused" && *state != "revoked" && *state != "expired")
    return Error::invalid_field("state", "状态只能是 pending、approved、refused、revoked 或 expired");
  std::vector<db::Value> params;
  std::string where;
  if (is_department(who)) {
    where = "g.department_org = ?";
    params.emplace_back(who.org_id);
  } else {
    where = who.scope.sql("g.region_code", "g.department_org", params);
  }
  ANJIAN_ASSIGN(auto lease, db_.read());
  ANJIAN_ASSIGN(auto all, load(*lease, where, params));
  if (!state) return all;
  const auto today = today_shanghai(now_ms());
  std::vector<Grant> out;
  for (auto& g : all)
    if (g.state(today) == *state) out.push_back(std::move(g));
  return out;
}

Result<Grant> CatalogService::request(const auth::Principal& who, const std::string& code, const json::object& body, std::string_view source) {
  if (!is_department(who)) return Error::forbidden("只有安委会成员单位（部门）可以申请共享；本级监管部门直接查看");
  ANJIAN_ASSIGN(const Entry e, entry(code));
  JsonFields f(body);
  const auto purpose = f.string("purpose", true, 500);
  auto fields = f.strings("fields", false, 60, 60);
  auto region = f.string("region_code", false, 6);
  ANJIAN_TRY(f.finish());
  if (e.share_type == "none")
    return Error{"not_shareable", "该资源不予共享" + (e.share_basis.empty() ? std::string() : "（依据：" + e.share_basis + "）"), ""};
  std::vector<std::string> wanted;
  if (fields && !fields->empty()) {
    for (const auto& x : *fields) {
      if (std::none_of(e.items.begin(), e.items.end(), [&](const exchange::SharedField& i) { return i.name == x; }))
        return Error::invalid_field("fields", "“" + x + "”不是该资源的信息项");
      if (std::find(wanted.begin(), wanted.end(), x) == wanted.end()) wanted.push_back(x);
    }
  } else {
    for (const auto& i : e.items) wanted.push_back(i.name);
  }
  const std::string area = region.value_or(who.region_code);
  if (!regions_.find(area)) return Error::invalid_field("region_code", "行政区划代码不存在：" + area);
  if (!regions_.contains(who.region_code, area) && area != who.region_code)
    return Error::invalid_field("region_code", "只能申请本单位所在地区范围内的数据");
  const bool at_once = e.share_type == "unconditional";
  const std::string id = new_id();
  const Millis now = now_ms();
  ANJIAN_TRY(db::with_transaction(db_, [&](db::Connection& c) -> Status {
    ANJIAN_ASSIGN(auto open, c.query("SELECT COUNT(*) FROM catalog_requests WHERE entry_code = ? AND department_org = ? AND "
                                     "(status = 'pending' OR (status = 'approved' AND (expires_on IS NULL OR expires_on >= ?)))",
                                     {code, who.org_id, today_shanghai(now)}));
    if (open[0].i64(0) > 0) return Error::conflict("本单位已有该资源的待审核申请或有效授权");
    ANJIAN_TRY(c.exec("INSERT INTO catalog_requests (id, entry_code, department_org, department_name, requested_by, purpose, fields, region_code, "
                      "requested_at, status, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      {id, code, who.org_id, who.org_name, name_of(who), *purpose, json_text(array_of(wanted)), area, now,
                       std::string(at_once ? "approved" : "pending"), at_once ? db::Value(std::string("系统（无条件共享）")) : db::Value(nullptr),
                       at_once ? db::Value(now) : db::Value(nullptr)}));
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "catalog.requested", "catalog_grant:" + id, area, "", source,
                                               json_text(json::object{{"entry", code}, {"fields", array_of(wanted)}}))));
    notification::Notification n;
    n.region_code = area;
    n.kind = "catalog.request";
    n.title = std::string(at_once ? "数据共享（无条件）：" : "数据共享申请待审核：") + e.name;
    n.body = who.org_name + " " + name_of(who) + "：" + *purpose;
    n.link = "/catalog";
    return notifier_.notify_in(c, std::move(n));
  }));
  return visible(who, id);
}

Result<Grant> CatalogService::decide(const auth::Principal& who, const std::string& id, const json::object& body, std::string_view source) {
  ANJIAN_ASSIGN(Grant g, visible(who, id));
  if (!provider_admin(who, g.region_code)) return Error::forbidden("只有提供方管理员可以审核共享申请");
  if (g.status != "pending") return Error::conflict("该申请已审核（" + std::string(grant_state_label(g.state(today_shanghai(now_ms())))) + "）");
  JsonFields f(body);
  const auto approve = f.boolean("approve", true);
  const auto conditions = f.string("conditions", false, 500);
  const auto reason = f.string("reason", false, 500);
  const auto expires = f.string("expires_on", false, 10);
  const auto fields = f.strings("fields", false, 60, 60);
  const auto region = f.string("region_code", false, 6);
  ANJIAN_TRY(f.finish());
  std::optional<std::int64_t> until;
  if (expires) {
    until = parse_date(*expires);
    if (!until) return Error::invalid_field("expires_on", "有效期须为日期，如 2027-12-31");
    if (*until < today_shanghai(now_ms())) return Error::invalid_field("expires_on", "有效期不能早于今天");
  }
  if (!*approve && (!reason || reason->empty())) return Error::invalid_field("reason", "不同意时请说明理由");
  // Approval may narrow what was asked, never widen it.
  if (fields)
    for (const auto& x : *fields)
      if (std::find(g.fields.begin(), g.fields.end(), x) == g.fields.end())
        return Error::invalid_field("fields", "只能在申请的信息项范围内授权：" + x);
  if (region && region != g.region_code && !regions_.contains(g.region_code, *region))
    return Error::invalid_field("region_code", "只能在申请的地区范围内授权");
  const std::string status = *approve ? "approved" : "refused";
  ANJIAN_TRY(db::with_transaction(db_, [&](db::Connection& c) -> Status {
    ANJIAN_ASSIGN(auto n, c.exec("UPDATE catalog_requests SET status = ?, conditions = ?, reason = ?, expires_on = ?, fields = ?, region_code = ?, "
                                 "decided_by = ?, decided_at = ? WHERE id = ? AND status = 'pending'",
                                 {status, conditions.value_or(""), reason.value_or(""), until ? db::Value(*until) : db::Value(nullptr),
                                  json_text(array_of(fields && !fields->empty() ? *fields : g.fields)), region.value_or(g.region_code),
                                  who.org_name + " " + name_of(who), now_ms(), id}));
    if (n == 0) return Error::conflict("该申请已审核");
    return audit_.record_in(c, audit_event(who, *approve ? "catalog.approved" : "catalog.refused", "catalog_grant:" + id, g.region_code, "",
                                           source, json_text(json::object{{"entry", g.entry_code}, {"department", g.department_name}})));
  }));
  return visible(who, id);
}

Result<std::pair<Grant, std::string>> CatalogService::issue_key(const auth::Principal& who, const std::string& id, std::string_view source) {
  ANJIAN_ASSIGN(Grant g, visible(who, id));
  if (!is_department(who)) return Error::forbidden("密钥只发给申请的部门");
  const auto state = g.state(today_shanghai(now_ms()));
  if (state != "approved") return Error::conflict("该申请当前不可使用（" + std::string(grant_state_label(state)) + "）");
  const auth::ApiSecret secret = auth::new_api_secret();
  ANJIAN_TRY(db::with_transaction(db_, [&](db::Connection& c) -> Status {
    ANJIAN_TRY(c.exec("UPDATE catalog_requests SET key_hash = ?, key_prefix = ?, key_issued_at = ? WHERE id = ?", {secret.hash, secret.prefix, now_ms(), id}));
    return audit_.record_in(c, audit_event(who, "catalog.key_issued", "catalog_grant:" + id, g.region_code, "", source,
                                           json_text(json::object{{"prefix", secret.prefix}})));
  }));
  ANJIAN_ASSIGN(g, visible(who, id));
  return std::pair<Grant, std::string>{std::move(g), secret.key};
}

Result<Grant> CatalogService::revoke(const auth::Principal& who, const std::string& id, const std::string& reason_text, std::string_view source) {
  ANJIAN_ASSIGN(Grant g, visible(who, id));
  if (!is_department(who) && !provider_admin(who, g.region_code)) return Error::forbidden("只有提供方管理员或申请部门可以撤销授权");
  if (g.status != "approved") return Error::conflict("只有已授权的申请可以撤销");
  const std::string reason(trim(reason_text));
  if (reason.empty()) return Error::invalid_field("reason", "请说明撤销理由");
  if (utf8_length(reason) > 500) return Error::invalid_field("reason", "撤销理由不能超过 500 字");
  ANJIAN_TRY(db::with_transaction(db_, [&](db::Connection& c) -> Status {
    ANJIAN_TRY(c.exec("UPDATE catalog_requests SET status = 'revoked', revoked_at = ?, revoked_by = ?, revoke_reason = ? WHERE id = ?",
                      {now_ms(), who.org_name + " " + name_of(who), reason, id}));
    return audit_.record_in(c, audit_event(who, "catalog.revoked", "catalog_grant:" + id, g.region_code, "", source,
                                           json_text(json::object{{"entry", g.entry_code}, {"reason", reason}})));
  }));
  return visible(who, id);
}

Result<std::vector<Usage>> CatalogService::usage(const auth::Principal& who, const std::string& id, std::int64_t limit) {
  if (auto g = visible(who, id); !g.ok()) return g.take_error();
  ANJIAN_ASSIGN(auto lease, db_.read());
  ANJIAN_ASSIGN(auto rows, lease->query("SELECT at, remote, query, records FROM catalog_usage WHERE grant_id = ? ORDER BY at DESC, id LIMIT ?", {id, limit}));
  std::vector<Usage> out;
  for (const auto& r : rows) out.push_back({r.i64(0), r.str(1), r.str(2), r.i64(3)});
  return out;
}

Result<CatalogService::DataPage> CatalogService::read(std::string_view key, const std::string& code, std::int64_t page, std::int64_t page_size,
                                                      const std::string& remote, const std::string& query) {
  const auto hash = auth::api_secret_hash(key);
  const Error refused{"unauthenticated", "共享密钥无效、已撤销或已过期", ""};
  if (!hash) return refused;
  DataPage out;
  {
    ANJIAN_ASSIGN(auto lease, db_.read());
    ANJIAN_ASSIGN(auto found, load(*lease, "g.key_hash = ?", {*hash}));
    if (found.empty() || found.front().state(today_shanghai(now_ms())) != "approved") return refused;
    out.grant = std::move(found.front());
  }
  if (out.grant.entry_code != code) return Error::forbidden("该密钥未获授权读取此资源");
  ANJIAN_ASSIGN(out.entry, entry(code));
  if (out.entry.share_type == "none") return Error{"not_shareable", "该资源已改为不予共享", ""};
  // A region retired from GB/T 2260 since the grant: nothing to read until the grant is renewed.
  if (!regions_.find(out.grant.region_code)) return Error::forbidden("授权的行政区划已停用，请重新申请");
  page_size = std::clamp<std::int64_t>(page_size, 1, kMaxPage);
  ANJIAN_ASSIGN(auto records, exchange_.shared_records(auth::Scope::region(regions_, out.grant.region_code), out.entry.record_type, page, page_size));
  out.total = records.total;
  for (const auto& r : records.items) out.items.push_back(only(r.data, out.grant.fields));
  ANJIAN_TRY(db::with_transaction(db_, [&](db::Connection& c) -> Status {
    auto n = c.exec("INSERT INTO catalog_usage (id, grant_id, at, remote, query, records) VALUES (?, ?, ?, ?, ?, ?)",
                    {new_id(), out.grant.id, now_ms(), remote, query.substr(0, 500), static_cast<std::int64_t>(out.items.size())});
    if (!n.ok()) return n.take_error();
    return {};
  }));
  return out;
}

Result<std::vector<json::object>> CatalogService::open_records(const Entry& e) {
  std::vector<std::string> fields;
  for (const auto& i : e.items)
    if (!i.personal) fields.push_back(i.name);
  std::vector<json::object> out;
  for (std::int64_t page = 1;; ++page) {
    ANJIAN_ASSIGN(auto records, exchange_.shared_records(auth::Scope::all(), e.record_type, page, kMaxPage));
    for (const auto& r : records.items) out.push_back(only(r.data, fields));
    if (records.items.size() < static_cast<size_t>(kMaxPage)) break;
  }
  return out;
}

}  // namespace anjian::catalog
