#include "modules/enforcement/draw_service.h"

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "base/crypto.h"
#include "base/json_fields.h"
#include "base/json_text.h"
#include "modules/enforcement/inspection_items.h"
#include "modules/enforcement/target_lists.h"
#include "modules/enterprise/model.h"

namespace anjian::enforcement {
namespace json = boost::json;
using db::Value;

namespace {
constexpr const char* kColumns =
    "id, name, region_code, org_id, plan_item_id, reason, created_by, created_at, record, "
    "(SELECT COUNT(*) FROM inspection_tasks t WHERE t.draw_id = draws.id)";
// The contract names the levels 重大 / 较大 / 一般 / 低 so; the risk model's word for 较大 is significant.
const std::vector<std::string_view> kLevels = {"major", "larger", "general", "low"};
// The yearly cap of inspections per enterprise and item when the item names none (DOMAIN.md §11:
// local practice, 2 a year).
constexpr std::int64_t kDefaultYearlyCap = 2;
std::string model_level(std::string_view contract) { return contract == "larger" ? "significant" : std::string(contract); }

Draw from_row(const db::Row& r) {
  Draw d;
  d.id = r.str(0);
  d.name = r.str(1);
  d.region_code = r.str(2);
  d.org_id = r.str(3);
  d.plan_item_id = r.str(4);
  d.reason = r.str(5);
  d.created_by = r.str(6);
  d.created_at = r.i64(7);
  boost::system::error_code ec;
  auto v = json::parse(r.str(8), ec);
  if (!ec && v.is_object())
    if (auto rec = record_from_json(v.as_object()); rec.ok()) d.record = std::move(*rec);
  d.tasks_issued = r.i64(9);
  return d;
}
}  // namespace

json::object to_json(const Draw& d) {
  json::array result;
  for (const auto& a : d.record.result) {
    auto name = d.names.find(a.enterprise_uscc);
    result.push_back(json::object{{"enterprise_uscc", a.enterprise_uscc},
                                  {"enterprise_name", name == d.names.end() ? json::value(nullptr) : json::value(name->second)},
                                  {"inspectors", json::array(a.inspectors.begin(), a.inspectors.end())}});
  }
  return {{"id", d.id},
          {"name", d.name},
          {"region_code", d.region_code},
          {"plan_item_id", d.plan_item_id.empty() ? json::value(nullptr) : json::value(d.plan_item_id)},
          {"reason", d.reason},
          {"algorithm", d.record.algorithm},
          {"seed", d.record.seed_hex},
          {"inputs_digest", d.record.inputs_digest},
          {"targets_digest", d.record.targets_digest},
          {"inspectors_digest", d.record.inspectors_digest},
          {"recusals_digest", d.record.recusals_digest},
          {"count", d.record.inputs.count},
          {"targets", d.record.inputs.targets.size()},
          {"per_target", d.record.inputs.per_target},
          {"result", std::move(result)},
          {"created_by", d.created_by},
          {"created_at", format_iso(d.created_at)},
          {"tasks_issued", d.tasks_issued}};
}

Result<std::vector<DrawTarget>> DrawService::targets_of(const auth::Principal& who, const json::object& spec,
                                                        const std::optional<json::object>& weights) {
  std::optional<std::map<std::string, std::string>> levels;  // uscc → the risk model's level
  auto level_map = [&]() -> Status {
    if (levels) return {};
    auto l = risk_.levels(who.scope, std::nullopt);
    if (!l.ok()) return l.take_error();
    levels.emplace();
    for (const auto& row : l->at("items").as_array())
      (*levels)[std::string(row.as_array()[0].as_string())] = std::string(row.as_array()[1].as_string());
    return {};
  };
  std::vector<std::string> usccs;
  JsonFields f(spec, "targets");
  if (auto list = f.strings("usccs", false, 200'000, 40)) {
    usccs = *list;
    ANJIAN_TRY(f.finish());
    auto seen = enterprises_.names(who.scope, usccs);
    if (!seen.ok()) return seen.take_error();
    for (const auto& u : usccs)
      if (!seen->count(u)) return Error::invalid_field("targets.usccs", "企业不存在或不在您的管辖范围内：" + u);
  } else if (const json::object* filter = f.object("filter", false)) {
    ANJIAN_TRY(f.finish());
    auto selected = select(who, *filter, "targets.filter");
    if (!selected.ok()) return selected.take_error();
    usccs = std::move(*selected);
  } else if (auto list_id = f.string("target_list_id", false, 64)) {
    ANJIAN_TRY(f.finish());
    if (!target_lists_) return Error::invalid_field("targets.target_list_id", "检查对象名录库不可用");
    auto snap = target_lists_->snapshot(who, *list_id, "draw");
    if (!snap.ok()) return snap.take_error();
    usccs = std::move(snap->usccs);
  } else {
    ANJIAN_TRY(f.finish());
    return Error::invalid_field("targets", "须给出 targets.usccs（企业名单）或 targets.filter（筛选条件）");
  }
  std::vector<DrawTarget> out;
  if (weights) ANJIAN_TRY(level_map());
  for (const auto& u : usccs) {
    std::uint32_t w = 1;
    if (weights) {
      auto it = levels->find(u);
      const std::string level = it == levels->end() ? "low" : it->second;
      for (auto key : kLevels)
        if (model_level(key) == level)
          if (const auto* v = weights->if_contains(key)) w = static_cast<std::uint32_t>(v->as_int64());
    }
    out.push_back({u, w});
  }
  return out;
}

Result<std::vector<std::string>> DrawService::select(const auth::Principal& who, const json::object& filter, const std::string& field) {
  JsonFields g(filter, field);
  enterprise::ListFilter lf;
  std::vector<std::string> usccs;
  lf.region_code = g.string("region_code", false, 6);
  std::vector<std::string_view> known(enterprise::industries().begin(), enterprise::industries().end());
  lf.industry = g.one_of("industry", false, known);
  const auto level = g.one_of("risk_level", false, kLevels);
  lf.licence_state = g.one_of("licence_state", false, {"valid", "expiring", "expired", "none"});
  const auto months = g.integer("not_inspected_months", false, 1, 120);
  ANJIAN_TRY(g.finish());
  if (lf.region_code && !regions_.find(*lf.region_code))
    return Error::invalid_field(field + ".region_code", "行政区划不存在：" + *lf.region_code);
  lf.status = "operating";
  lf.sort = "uscc";
  lf.page_size = 5000;
  for (lf.page = 1;; ++lf.page) {
    auto page = enterprises_.list(who.scope, lf);
    if (!page.ok()) return page.take_error();
    for (const auto& e : page->items) usccs.push_back(e.uscc);
    if (page->items.size() < static_cast<size_t>(lf.page_size)) break;
  }
  if (level) {
    auto l = risk_.levels(who.scope, std::nullopt);
    if (!l.ok()) return l.take_error();
    std::set<std::string> at_level;
    for (const auto& row : l->at("items").as_array())
      if (row.as_array()[1].as_string() == model_level(*level)) at_level.insert(std::string(row.as_array()[0].as_string()));
    std::erase_if(usccs, [&](const std::string& u) { return !at_level.count(u); });
  }
  // Not inspected in the last N months (30 days each): those with an inspection since are left out.
  if (months) {
    auto r = db_.read();
    if (!r.ok()) return r.take_error();
    auto recent = (*r)->query("SELECT DISTINCT enterprise_uscc FROM inspections WHERE ended_at >= ?", {now_ms() - *months * 30 * 86'400'000LL});
    if (!recent.ok()) return recent.take_error();
    std::set<std::string> inspected;
    for (const auto& row : *recent) inspected.insert(row.str(0));
    std::erase_if(usccs, [&](const std::string& u) { return inspected.count(u) > 0; });
  }
  if (usccs.empty()) return Error::invalid_field(field, "没有符合条件的检查对象");
  return usccs;
}

Result<Draw> DrawService::create(const auth::Principal& who, const json::object& fields, std::string_view source) {
  if (who.org_kind != "regulator") return Error::forbidden("只有监管部门可以组织双随机抽取");
  JsonFields f(fields);
  Draw d;
  d.name = f.string("name", true, 100).value_or("");
  const json::object* targets = f.object("targets", true);
  const auto count = f.integer("count", false, 1, 1'000'000);
  const auto proportion = f.number("proportion", false, 0, 1);
  std::optional<json::object> weights;
  if (const json::object* w = f.object("weights_by_risk_level", false)) {
    JsonFields g = f.child("weights_by_risk_level", *w);
    for (auto key : kLevels) (void)g.integer(key, false, 1, 1'000'000);
    f.absorb(g);
    weights = *w;
  }
  const auto inspectors = f.strings("inspectors", true, 5000, 64);
  const auto per_target = f.integer("per_target", true, 2, 20);
  std::vector<Recusal> recusals;
  f.objects("recusals", false, 50'000, [&](JsonFields& g, size_t) {
    recusals.push_back({g.string("inspector", true, 64).value_or(""), g.string("enterprise_uscc", true, 40).value_or(""),
                        g.string("reason", true, 200).value_or("")});
  });
  d.plan_item_id = f.string("plan_item_id", false, 64).value_or("");
  d.reason = f.string("reason", false, 500).value_or("");
  ANJIAN_TRY(f.finish());
  if (count.has_value() == (proportion.has_value() && *proportion > 0))
    return Error::invalid_field("count", "须给出 count（抽取数量）或 proportion（抽取比例，0 至 1），二者取一");
  auto list = targets_of(who, *targets, weights);
  if (!list.ok()) return list.take_error();
  // The inspectors: active users with the inspector role, in the caller's scope, not on leave or
  // transferred in the registry; the conflicts they declared are recusals of this draw too.
  auto on_duty = registry_.on_duty(who, *inspectors);
  if (!on_duty.ok()) return on_duty.take_error();
  for (const auto& i : *on_duty)
    for (const auto& c : i.conflicts) recusals.push_back({i.user_id, c.enterprise_uscc, "申报回避：" + c.reason});
  DrawInputs in;
  in.targets = std::move(*list);
  in.count = count ? static_cast<std::uint64_t>(*count)
                   : std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(*proportion * static_cast<double>(in.targets.size()))));
  in.inspectors = *inspectors;
  in.per_target = static_cast<std::uint32_t>(*per_target);
  in.recusals = std::move(recusals);
  // A plan item drawn again while its earlier draw's tasks are not issued is a redo: said why, and
  // both stay. Once a draw's tasks are issued it is final; a later draw for the item is its next
  // round (the yearly cap below applies).
  if (!d.plan_item_id.empty()) {
    auto r = db_.read();
    if (!r.ok()) return r.take_error();
    auto n = (*r)->query_one("SELECT COUNT(*) FROM draws d WHERE d.plan_item_id = ? AND NOT EXISTS "
                             "(SELECT 1 FROM inspection_tasks t WHERE t.draw_id = d.id)",
                             {d.plan_item_id});
    if (!n.ok()) return n.take_error();
    if (n->i64(0) > 0 && d.reason.empty())
      return Error::invalid_field("reason", "该计划事项已有未下达任务的抽取，再次抽取须说明理由（两次抽取都会留存）");
  }
  // The yearly cap of the plan item (DOMAIN.md §7: in principle not twice a year for the same
  // item; a setting per item, 2 by default): enterprises that reached it are left out.
  if (!d.plan_item_id.empty()) {
    auto r = db_.read();
    if (!r.ok()) return r.take_error();
    auto item = (*r)->query("SELECT i.cap_per_year, p.year, i.inspection_item_id FROM plan_items i JOIN plans p ON p.id = i.plan_id WHERE i.id = ?",
                            {d.plan_item_id});
    if (!item.ok()) return item.take_error();
    if (!item->empty()) {
      // The plan item's own cap, else its 抽查事项's (by the enterprise's risk level), else 2.
      std::optional<InspectionItem> listed;
      if (!(*item)[0].str(2).empty() && items_)
        if (auto it = items_->get(who, (*item)[0].str(2)); it.ok()) listed = std::move(*it);
      std::map<std::string, std::string> levels;  // uscc → contract level, only when caps differ by level
      if ((*item)[0].i64(0) == 0 && listed && !listed->caps_by_risk_level.empty()) {
        auto l = risk_.levels(who.scope, std::nullopt);
        if (!l.ok()) return l.take_error();
        for (const auto& row : l->at("items").as_array()) {
          const std::string level(row.as_array()[1].as_string());
          levels[std::string(row.as_array()[0].as_string())] = level == "significant" ? "larger" : level;
        }
      }
      auto cap_of = [&](const std::string& uscc) -> std::int64_t {
        if ((*item)[0].i64(0) > 0) return (*item)[0].i64(0);
        if (!listed) return kDefaultYearlyCap;
        auto it = levels.find(uscc);
        return InspectionItemService::cap_for(*listed, it == levels.end() ? "" : it->second);
      };
      const std::string year = std::to_string((*item)[0].i64(1));
      auto counts = (*r)->query("SELECT enterprise_uscc, COUNT(*) FROM inspection_tasks WHERE plan_item_id = ? AND state <> 'cancelled' "
                                "AND due_date >= ? AND due_date <= ? GROUP BY enterprise_uscc",
                                {d.plan_item_id, year + "-01-01", year + "-12-31"});
      if (!counts.ok()) return counts.take_error();
      std::set<std::string> full;
      for (const auto& row : *counts)
        if (row.i64(1) >= cap_of(row.str(0))) full.insert(row.str(0));
      // A cap of 0 for a level: never drawn for this item.
      if (!levels.empty())
        for (const auto& t : in.targets)
          if (cap_of(t.uscc) == 0) full.insert(t.uscc);
      std::erase_if(in.targets, [&](const DrawTarget& t) { return full.count(t.uscc) > 0; });
      if (in.targets.empty()) return Error::invalid_field("targets", "名录中的企业本年度该事项的检查次数均已达上限");
    }
  }
  auto record = draw(std::move(in), random_hex(32));  // 256 bits from the OS CSPRNG
  if (!record.ok()) return record.take_error();
  d.record = std::move(*record);
  d.id = new_id();
  d.region_code = who.region_code;
  d.org_id = who.org_id;
  d.created_by = who.username;
  d.created_at = now_ms();
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    ANJIAN_TRY(c.exec("INSERT INTO draws (id, name, region_code, org_id, plan_item_id, reason, algorithm, seed, inputs_digest, record, "
                      "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      {d.id, d.name, d.region_code, d.org_id, d.plan_item_id, d.reason, d.record.algorithm, d.record.seed_hex,
                       d.record.inputs_digest, json_text(to_json(d.record)), d.created_by, d.created_at}));
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "draw.create", "draw:" + d.id, d.region_code, "", source,
                                               json_text(json::object{{"name", d.name}, {"targets", d.record.inputs.targets.size()},
                                                                      {"drawn", d.record.result.size()}, {"seed", d.record.seed_hex},
                                                                      {"inputs_digest", d.record.inputs_digest}}))));
    return true;
  });
  if (!done.ok()) return done.take_error();
  std::vector<std::string> drawn;
  for (const auto& a : d.record.result) drawn.push_back(a.enterprise_uscc);
  if (auto names = enterprises_.names(who.scope, drawn); names.ok()) d.names = std::move(*names);
  return d;
}

Result<Draw> DrawService::get(const auth::Principal& who, const std::string& id) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto row = (*r)->query_one(std::string("SELECT ") + kColumns + " FROM draws WHERE id = ?", {id});
  if (!row.ok() && row.error().code != "not_found") return row.take_error();
  // A draw belongs to the region of the regulator that made it: seen there and above.
  if (!row.ok() || (who.org_kind != "regulator") || !(who.region_code.empty() || regions_.contains(who.region_code, row->str(2)) ||
                                                      row->str(2) == who.region_code))
    return Error{"not_found", "抽取记录不存在或不在您的管辖范围内", ""};
  Draw d = from_row(*row);
  std::vector<std::string> drawn;
  for (const auto& a : d.record.result) drawn.push_back(a.enterprise_uscc);
  if (auto names = enterprises_.names(who.scope, drawn); names.ok()) d.names = std::move(*names);
  return d;
}

Result<std::vector<Draw>> DrawService::list(const auth::Principal& who, std::int64_t limit) {
  if (who.org_kind != "regulator") return std::vector<Draw>{};
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  std::vector<Value> params;
  std::string where = "1=1";
  if (!who.region_code.empty()) where = auth::Scope::region(regions_, who.region_code).sql("region_code", "''", params);
  params.emplace_back(limit);
  auto rows = (*r)->query(std::string("SELECT ") + kColumns + " FROM draws WHERE " + where + " ORDER BY created_at DESC, id LIMIT ?", params);
  if (!rows.ok()) return rows.take_error();
  std::vector<Draw> out;
  for (const auto& row : *rows) out.push_back(from_row(row));
  return out;
}

}  // namespace anjian::enforcement
