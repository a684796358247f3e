#include "exchange/corrections.h"

#include <boost/json.hpp>

#include "base/crypto.h"
#include "base/json_text.h"
#include "base/text.h"

namespace anjian::exchange {
namespace json = boost::json;
namespace {

constexpr size_t kMaxText = 500;        // characters of a reason or a note
constexpr size_t kMaxFields = 30;       // fields in one request
constexpr size_t kMaxValueBytes = 2000;  // one proposed value, as JSON

const char* kColumns =
    "q.id, q.record_type, q.record_id, q.record_name, q.owner_node, q.region_code, q.requester_node, q.requester_node_name, "
    "q.requester_org, q.requested_by, q.reason, q.fields, q.current_values, q.requested_at, d.status, d.decided_by, d.decider_org, "
    "d.note, d.decided_at FROM exchange_correction_requests q LEFT JOIN exchange_correction_decisions d ON d.id = q.id";

std::string name_of(const auth::Principal& who) { return who.display_name.empty() ? who.username : who.display_name; }

std::string text_of(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

Error bad_record(const std::string& what) {
  return Error{"batch_invalid_record", "上级节点发来的" + what + "不合格", {}};
}

}  // namespace

std::string_view correction_status_label(std::string_view status) {
  if (status == "accepted") return "已接受";
  if (status == "rejected") return "已拒绝";
  return "待处理";
}

Corrections::Corrections(db::Database& db, const codes::RegionTable& regions, const ShareRegistry& registry, Nodes& nodes,
                         AuditSink& audit, NotifyFn notify)
    : db_(db), regions_(regions), registry_(registry), nodes_(nodes), audit_(audit), notify_(std::move(notify)) {}

SharedType Corrections::request_type() {
  SharedType t;
  t.type = "correction_request";
  t.label = "更正请求";
  t.direction = Direction::down;
  t.lane = Lane::bulk;
  t.tables = {{"exchange_correction_requests", "id"}};
  t.fields = {{"record_type", "数据类型", "string", false},   {"record_id", "记录标识", "string", false},
              {"record_name", "记录名称", "string", false},   {"owner_node", "所有节点", "string", false},
              {"requester_node", "提出节点", "string", false}, {"requester_org", "提出单位", "string", false},
              {"requested_by", "提出人", "string", true},      {"reason", "更正理由", "string", false},
              {"fields", "建议更正的字段和值", "json", false}, {"current_values", "更正前的值", "json", false},
              {"requested_at", "提出时间", "date", false}};
  t.read = [](db::Connection& c, const std::vector<std::string>& ids) -> Result<std::vector<std::pair<std::string, SharedType::Read>>> {
    std::vector<db::Value> params(ids.begin(), ids.end());
    ANJIAN_ASSIGN(auto rows, c.query("SELECT id, record_type, record_id, record_name, owner_node, region_code, requester_node, "
                                     "requester_node_name, requester_org, requested_by, reason, fields, current_values, requested_at "
                                     "FROM exchange_correction_requests WHERE id IN (" + db::placeholders(ids.size()) + ")",
                                     params));
    std::vector<std::pair<std::string, SharedType::Read>> out;
    for (const auto& r : rows)
      out.push_back({r.str(0),
                     {r.str(5), json::object{{"record_type", r.str(1)}, {"record_id", r.str(2)}, {"record_name", r.str(3)},
                                             {"owner_node", r.str(4)}, {"requester_node", r.str(6)}, {"requester_node_name", r.str(7)},
                                             {"requester_org", r.str(8)}, {"requested_by", r.str(9)}, {"reason", r.str(10)},
                                             {"fields", object_of_text(r.str(11))}, {"current_values", object_of_text(r.str(12))},
                                             {"requested_at", r.i64(13)}}}});
    return out;
  };
  // Held where it passes (a city sees what its province asks of its counties) and, at the owner,
  // waiting for a decision. A request is never changed after it is made.
  t.apply = [this](db::Connection& c, const Change& ch) -> Result<std::vector<Event>> {
    if (ch.deleted) return std::vector<Event>{};
    const auto& d = ch.data;
    const auto* fields = d.if_contains("fields");
    const auto* current = d.if_contains("current_values");
    const auto* at = d.if_contains("requested_at");
    const std::string record_type = text_of(d, "record_type"), record_id = text_of(d, "record_id"), owner = text_of(d, "owner_node");
    if (record_type.empty() || record_id.empty() || owner.empty() || !fields || !fields->is_object() || fields->as_object().empty() ||
        !current || !current->is_object() || !at || !at->is_int64() || !regions_.find(ch.region_code))
      return bad_record("更正请求（" + ch.id + "）");
    ANJIAN_TRY(c.exec("INSERT INTO exchange_correction_requests (id, record_type, record_id, record_name, owner_node, region_code, "
                      "requester_node, requester_node_name, requester_org, requested_by, reason, fields, current_values, requested_at) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                      {ch.id, record_type, record_id, text_of(d, "record_name"), owner, ch.region_code, text_of(d, "requester_node"),
                       text_of(d, "requester_node_name"), text_of(d, "requester_org"), text_of(d, "requested_by"), text_of(d, "reason"),
                       json_text(*fields), json_text(*current), at->as_int64()}));
    auto me = nodes_.self();
    if (me.ok() && owner == me->node_id && notify_)
      ANJIAN_TRY(notify_(c, "上级请求更正：" + text_of(d, "record_name"),
                         text_of(d, "requester_node_name") + " " + text_of(d, "requested_by") + "：" + text_of(d, "reason"),
                         record_type == "enterprise" ? record_id : std::string()));
    return std::vector<Event>{};
  };
  return t;
}

SharedType Corrections::decision_type() {
  SharedType t;
  t.type = "correction_decision";
  t.label = "更正请求处理结果";
  t.direction = Direction::up;
  t.lane = Lane::bulk;
  t.tables = {{"exchange_correction_decisions", "id"}};
  t.fields = {{"status", "处理结果", "string", false}, {"decided_by", "处理人", "string", true},
              {"decider_org", "处理单位", "string", false}, {"note", "处理意见", "string", false},
              {"decided_at", "处理时间", "date", false}};
  t.read = [](db::Connection& c, const std::vector<std::string>& ids) -> Result<std::vector<std::pair<std::string, SharedType::Read>>> {
    std::vector<db::Value> params(ids.begin(), ids.end());
    ANJIAN_ASSIGN(auto rows, c.query("SELECT id, region_code, status, decided_by, decider_org, note, decided_at FROM exchange_correction_decisions "
                                     "WHERE id IN (" + db::placeholders(ids.size()) + ")",
                                     params));
    std::vector<std::pair<std::string, SharedType::Read>> out;
    for (const auto& r : rows)
      out.push_back({r.str(0), {r.str(1), json::object{{"status", r.str(2)}, {"decided_by", r.str(3)}, {"decider_org", r.str(4)},
                                                       {"note", r.str(5)}, {"decided_at", r.i64(6)}}}});
    return out;
  };
  t.apply = [this](db::Connection& c, const Change& ch) -> Result<std::vector<Event>> {
    if (ch.deleted) return std::vector<Event>{};
    const auto& d = ch.data;
    const std::string status = text_of(d, "status");
    const auto* at = d.if_contains("decided_at");
    if ((status != "accepted" && status != "rejected") || !at || !at->is_int64()) return bad_record("更正处理结果（" + ch.id + "）");
    ANJIAN_TRY(c.exec("INSERT INTO exchange_correction_decisions (id, region_code, status, decided_by, decider_org, note, decided_at) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                      {ch.id, ch.region_code, status, text_of(d, "decided_by"), text_of(d, "decider_org"), text_of(d, "note"), at->as_int64()}));
    auto me = nodes_.self();
    if (!me.ok() || !notify_) return std::vector<Event>{};
    ANJIAN_ASSIGN(auto asked, c.query("SELECT record_type, record_id, record_name FROM exchange_correction_requests WHERE id = ? AND requester_node = ?",
                                      {ch.id, me->node_id}));
    if (!asked.empty())
      ANJIAN_TRY(notify_(c, std::string("更正请求") + std::string(correction_status_label(status)) + "：" + asked[0].str(2),
                         text_of(d, "decider_org") + " " + text_of(d, "decided_by") + (text_of(d, "note").empty() ? "" : "：" + text_of(d, "note")),
                         asked[0].str(0) == "enterprise" ? asked[0].str(1) : std::string()));
    return std::vector<Event>{};
  };
  return t;
}

Result<std::vector<Correction>> Corrections::load(db::Connection& c, const std::string& where, std::vector<db::Value> params) {
  ANJIAN_ASSIGN(auto rows, c.query(std::string("SELECT ") + kColumns + " WHERE " + where, params));
  std::vector<Correction> out;
  for (const auto& r : rows) {
    Correction x;
    x.id = r.str(0);
    x.record_type = r.str(1);
    x.record_id = r.str(2);
    x.record_name = r.str(3);
    x.owner_node = r.str(4);
    x.region_code = r.str(5);
    x.requester_node = r.str(6);
    x.requester_node_name = r.str(7);
    x.requester_org = r.str(8);
    x.requested_by = r.str(9);
    x.reason = r.str(10);
    const auto* type = registry_.find(x.record_type);
    const json::object current = object_of_text(r.str(12));
    for (const auto& [k, v] : object_of_text(r.str(11))) {
      std::string label(k);
      if (type)
        for (const auto& f : type->fields)
          if (f.name == k) label = f.label;
      const auto* was = current.if_contains(k);
      x.changes.push_back({std::string(k), label, was ? *was : json::value(nullptr), v});
    }
    x.requested_at = r.i64(13);
    if (!r.null(14)) {
      x.status = r.str(14);
      x.decided_by = r.str(15);
      x.decider_org = r.str(16);
      x.note = r.str(17);
      x.decided_at = r.i64(18);
    }
    out.push_back(std::move(x));
  }
  return out;
}

Result<Correction> Corrections::get(const auth::Scope& scope, const std::string& id) {
  ANJIAN_ASSIGN(auto lease, db_.read());
  std::vector<db::Value> params{id};
  const std::string where = "q.id = ? AND " + scope.sql("q.region_code", "q.record_id", params);
  ANJIAN_ASSIGN(auto found, load(*lease, where, params));
  if (found.empty()) return Error::not_found("更正请求不存在或不在您的管辖范围内");
  return found.front();
}

Result<Corrections::Page> Corrections::list(const auth::Scope& scope, const Filter& filter, std::int64_t page, std::int64_t page_size) {
  const Box box = filter.box;
  const auto& status = filter.status;
  ANJIAN_ASSIGN(const NodeInfo me, nodes_.self());
  std::vector<db::Value> params;
  std::string where = scope.sql("q.region_code", "q.record_id", params);
  if (box == Box::incoming) {
    where += " AND q.owner_node = ?";
    params.emplace_back(me.node_id);
  } else if (box == Box::outgoing) {
    where += " AND q.requester_node = ?";
    params.emplace_back(me.node_id);
  }
  if (status) {
    if (*status == "pending") {
      where += " AND d.id IS NULL";
    } else if (*status == "accepted" || *status == "rejected") {
      where += " AND d.status = ?";
      params.emplace_back(*status);
    } else {
      return Error::invalid_field("status", "状态只能是 pending、accepted 或 rejected");
    }
  }
  if (filter.record_type) {
    where += " AND q.record_type = ?";
    params.emplace_back(*filter.record_type);
  }
  if (filter.record_id) {
    where += " AND q.record_id = ?";
    params.emplace_back(*filter.record_id);
  }
  ANJIAN_ASSIGN(auto lease, db_.read());
  ANJIAN_ASSIGN(auto count, lease->query("SELECT COUNT(*) FROM exchange_correction_requests q LEFT JOIN exchange_correction_decisions d "
                                         "ON d.id = q.id WHERE " + where, params));
  params.emplace_back(page_size);
  params.emplace_back((page - 1) * page_size);
  Page out;
  out.total = count[0].i64(0);
  ANJIAN_ASSIGN(out.items, load(*lease, where + " ORDER BY q.requested_at DESC, q.id LIMIT ? OFFSET ?", params));
  return out;
}

Result<Correction> Corrections::request(const auth::Principal& who, const std::string& record_type, const std::string& record_id,
                                        const std::string& reason_text, const json::object& fields, std::string_view source) {
  if (who.org_kind != "regulator") return Error::forbidden("只有监管部门可以提出更正请求");
  const auto* t = registry_.find(record_type);
  if (!t || !t->correct) return Error::invalid_field("record_type", "该类数据不接受更正请求：" + record_type);
  const std::string reason(trim(reason_text));
  if (reason.empty()) return Error::invalid_field("reason", "请说明更正理由");
  if (utf8_length(reason) > kMaxText) return Error::invalid_field("reason", "更正理由不能超过 500 字");
  if (fields.empty()) return Error::invalid_field("fields", "请至少提出一项更正");
  if (fields.size() > kMaxFields) return Error::invalid_field("fields", "一次最多提出 30 项更正");
  ANJIAN_ASSIGN(const NodeInfo me, nodes_.self());

  ANJIAN_ASSIGN(auto lease, db_.read());
  ANJIAN_ASSIGN(auto held, lease->query("SELECT owner_node, region_code, data FROM exchange_records WHERE record_type = ? AND record_id = ? AND deleted = 0",
                                        {record_type, record_id}));
  if (held.empty() || !who.scope.sees(held[0].str(1), record_type == "enterprise" ? record_id : std::string())) {
    // The node's own record: edited here, not asked for — but only said to those who see it.
    if (t->read) {
      ANJIAN_ASSIGN(auto local, t->read(*lease, {record_id}));
      if (!local.empty() && who.scope.sees(local.front().second.region_code, record_type == "enterprise" ? record_id : std::string()))
        return Error{"not_replica", "该记录由本级录入和维护，请直接修改，无需提出更正请求", ""};
    }
    return Error::not_found();
  }
  const std::string owner = held[0].str(0), region = held[0].str(1);
  const json::object data = object_of_text(held[0].str(2));
  json::object proposed, current;
  for (const auto& [key, value] : fields) {
    const std::string k(key);
    bool known = false;
    for (const auto& f : t->fields) known = known || f.name == k;
    for (const auto& f : t->fixed_fields) known = known && f != k;
    if (!known) return Error::invalid_field("fields." + k, "“" + k + "”不是可以更正的字段");
    if (json_text(value).size() > kMaxValueBytes) return Error::invalid_field("fields." + k, "建议的值过长");
    const auto* was = data.if_contains(k);
    if (was && *was == value) continue;
    if (!was && value.is_null()) continue;
    proposed[k] = value;
    current[k] = was ? *was : json::value(nullptr);
  }
  if (proposed.empty()) return Error::invalid_field("fields", "建议的值与现有记录相同，无需更正");

  const std::string id = me.node_id + "-" + new_id();
  const std::string name = text_of(data, "name").empty() ? record_id : text_of(data, "name");
  const Millis now = now_ms();
  ANJIAN_TRY(db::with_transaction(db_, [&](db::Connection& c) -> Status {
    ANJIAN_TRY(c.exec("INSERT INTO exchange_correction_requests (id, record_type, record_id, record_name, owner_node, region_code, "
                      "requester_node, requester_node_name, requester_org, requested_by, reason, fields, current_values, requested_at) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      {id, record_type, record_id, name, owner, region, me.node_id, me.name, who.org_name, name_of(who), reason,
                       json_text(proposed), json_text(current), now}));
    json::array keys;
    for (const auto& [k, v] : proposed) keys.emplace_back(k);
    return audit_.record_in(c, audit_event(who, "exchange.correction_requested", "correction:" + id, region,
                                           record_type == "enterprise" ? record_id : std::string(), source,
                                           json_text(json::object{{"record_type", record_type}, {"record_id", record_id}, {"fields", keys}})));
  }));
  return get(who.scope, id);
}

Result<Correction> Corrections::decide(const auth::Principal& who, const std::string& id, bool accept, const std::string& note_text,
                                       std::string_view source) {
  std::lock_guard lock(decide_mu_);
  ANJIAN_ASSIGN(const Correction x, get(who.scope, id));
  ANJIAN_ASSIGN(const NodeInfo me, nodes_.self());
  if (x.owner_node != me.node_id) return Error::forbidden("该记录不由本节点维护，更正请求由其所有节点处理");
  if (x.status != "pending") return Error::conflict("该更正请求已处理（" + std::string(correction_status_label(x.status)) + "）");
  const std::string note(trim(note_text));
  if (!accept && note.empty()) return Error::invalid_field("note", "拒绝时请说明理由");
  if (utf8_length(note) > kMaxText) return Error::invalid_field("note", "处理意见不能超过 500 字");
  const std::string status = accept ? "accepted" : "rejected";
  auto decided = [&](db::Connection& c) -> Status {
    ANJIAN_TRY(c.exec("INSERT INTO exchange_correction_decisions (id, region_code, status, decided_by, decider_org, note, decided_at) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?)",
                      {id, x.region_code, status, name_of(who), who.org_name, note, now_ms()}));
    return audit_.record_in(c, audit_event(who, accept ? "exchange.correction_accepted" : "exchange.correction_rejected", "correction:" + id,
                                           x.region_code, x.record_type == "enterprise" ? x.record_id : std::string(), source,
                                           json_text(json::object{{"record_type", x.record_type}, {"record_id", x.record_id}, {"note", note}})));
  };
  if (accept) {
    const auto* t = registry_.find(x.record_type);
    if (!t || !t->correct) return Error::invalid_field("record_type", "该类数据不接受更正请求：" + x.record_type);
    json::object fields;
    for (const auto& ch : x.changes) fields[ch.field] = ch.proposed;
    // The module's own rules decide whether the values are acceptable (its errors reach the user);
    // the decision commits with the edit, so a crash between them cannot leave an edit whose
    // request still waits (and would be applied a second time).
    ANJIAN_TRY(t->correct(who, x.record_id, fields, source, decided));
  } else {
    ANJIAN_TRY(db::with_transaction(db_, decided));
  }
  return get(who.scope, id);
}

}  // namespace anjian::exchange
