// Enterprises between nodes (issue 17): a county's registry travels up to its city, province and
// the nation, which keep it as a read-only replica in their own registry — so that their lists,
// map, counts and risk include it (一张表) — with the county as its owner (一数一源).
#include <boost/json.hpp>

#include "base/time.h"
#include "modules/enterprise/replica_repo.h"
#include "modules/enterprise/share.h"

namespace anjian::enterprise {
namespace json = boost::json;

namespace {

// A received record checked as one typed here (a node's bug does not become bad data above).
Result<Enterprise> replica_of(Service& service, const exchange::Change& ch) {
  json::object fields = ch.data;
  auto instant = [&](const char* key) -> std::optional<Millis> {
    const auto* v = fields.if_contains(key);
    auto t = v && v->is_string() ? parse_instant(std::string(v->as_string())) : std::nullopt;
    fields.erase(key);
    return t;
  };
  const auto created = instant("created_at"), updated = instant("updated_at");
  Enterprise e;
  auto checked = service.apply_fields(e, fields, true);
  if (!checked.ok() || e.uscc != ch.id || e.region_code != ch.region_code || !created || !updated)
    return Error{"batch_invalid_record", "下级节点发来的企业记录不合格（" + ch.id + "）：" +
                                             (checked.ok() ? std::string("标识、区划或时间不一致") : checked.error().message), {}};
  e.created_at = *created;
  e.updated_at = *updated;
  e.version = ch.version;
  return e;
}

// Writes received records (and deletions) in one go; the counts learn of them from the generation,
// as after an import.
Result<std::vector<Event>> apply_replicas(Service& service, db::Connection& c, const std::vector<const exchange::Change*>& changes) {
  std::vector<Enterprise> put;
  json::array changed;
  for (const auto* ch : changes) {
    changed.emplace_back(ch->id);
    if (ch->deleted) {
      ANJIAN_TRY(repo::remove_replica(c, ch->id));
      continue;
    }
    ANJIAN_ASSIGN(auto e, replica_of(service, *ch));
    put.push_back(std::move(e));
  }
  ANJIAN_TRY(repo::put_replicas(c, put));
  auto g = repo::bump_generation(c);
  if (!g.ok()) return g.take_error();
  // One event for the batch: its subscribers read what they need of all of them at once.
  std::vector<Event> events;
  events.push_back({"enterprise.changed", json::object{{"enterprise_usccs", std::move(changed)}}});
  return events;
}

}  // namespace

exchange::SharedType shared_type(Service& service) {
  exchange::SharedType t;
  t.type = "enterprise";
  t.label = "企业基本信息";
  t.direction = exchange::Direction::up;
  t.lane = exchange::Lane::bulk;
  t.tables = {{"enterprises", "uscc"}};
  t.region_column = "region_code";
  t.fields = {
      {"uscc", "统一社会信用代码", "string", false},     {"name", "企业名称", "string", false},
      {"short_name", "简称", "string", false},            {"region_code", "所在行政区划代码", "string", false},
      {"address", "地址", "string", false},               {"lon", "经度", "number", false},
      {"lat", "纬度", "number", false},                   {"industry", "监管行业", "string", false},
      {"industry_code", "国民经济行业代码", "string", false}, {"scale", "企业规模", "string", false},
      {"employees", "从业人员数", "integer", false},      {"legal_representative", "法定代表人", "string", true},
      {"safety_manager", "安全管理人员（姓名、电话）", "json", true},
      {"licence", "安全生产许可证（编号、发证日期、有效期）", "json", false},
      {"standardization_grade", "安全生产标准化等级", "string", false}, {"status", "经营状态", "string", false},
      {"created_at", "登记时间", "date", false},          {"updated_at", "更新时间", "date", false},
  };
  t.read = [&service](db::Connection& c, const std::vector<std::string>& ids)
      -> Result<std::vector<std::pair<std::string, exchange::SharedType::Read>>> {
    ANJIAN_ASSIGN(auto rows, repo::by_usccs(c, ids));
    std::vector<std::pair<std::string, exchange::SharedType::Read>> out;
    for (const auto& e : rows) {
      json::object data = service.to_json(e, false);
      data.erase("licence_state");  // derived on reading, by the reader's today
      data.erase("version");        // the exchange's version travels beside the record
      out.push_back({e.uscc, {e.region_code, std::move(data)}});
    }
    return out;
  };
  t.apply = [&service](db::Connection& c, const exchange::Change& ch) -> Result<std::vector<Event>> {
    return apply_replicas(service, c, {&ch});
  };
  t.apply_many = [&service](db::Connection& c, const std::vector<const exchange::Change*>& changes) -> Result<std::vector<Event>> {
    return apply_replicas(service, c, changes);
  };
  // A correction accepted here is this node's own edit, by the user who accepted it.
  t.correct = [&service](const auth::Principal& who, const std::string& id, const json::object& fields, std::string_view source,
                         const std::function<Status(db::Connection&)>& decided) -> Status {
    ANJIAN_ASSIGN(auto current, service.get(who.scope, id));
    auto updated = service.update(who, id, current.version, fields, source, decided);
    if (!updated.ok()) return updated.take_error();
    return {};
  };
  t.fixed_fields = {"uscc", "region_code", "created_at", "updated_at"};
  return t;
}

}  // namespace anjian::enterprise
