#include "modules/risk/enterprise_risk.h"
#include "base/json_text.h"

#include <boost/json.hpp>

#include <map>

#include "base/crypto.h"

namespace anjian::risk {
namespace json = boost::json;
using db::Value;

namespace {
constexpr size_t kBatch = 500;
constexpr Millis kDay = 86'400'000;
}  // namespace

void EnterpriseRiskService::mark(const std::string& uscc) {
  std::lock_guard lock(marked_mu_);
  marked_.insert(uscc);
}

Result<size_t> EnterpriseRiskService::recompute_marked(Millis now) {
  // Serialised with any pass in progress, so that a caller returns only after the marks it made
  // (taken by whichever pass) are stored.
  std::lock_guard serial(recompute_mu_);
  std::vector<std::string> usccs;
  {
    std::lock_guard lock(marked_mu_);
    usccs.assign(marked_.begin(), marked_.end());
    marked_.clear();
  }
  if (usccs.empty()) return size_t{0};
  return recompute_locked(usccs, now, "facts_changed");
}

Result<std::map<std::string, EnterpriseRiskService::Subject>> EnterpriseRiskService::subjects(
    db::Connection& c, const std::vector<std::string>& usccs, Millis now) {
  std::vector<Value> in(usccs.begin(), usccs.end());
  const std::string list = "(" + db::placeholders(usccs.size()) + ")";
  std::map<std::string, Subject> subjects;
  const std::int64_t today = today_shanghai(now);
  auto ents = c.query("SELECT e.uscc, e.industry, e.licence_expires_on, e.standardization_grade, e.region_code, e.name, r.level, r.score "
                      "FROM enterprises e LEFT JOIN enterprise_risk r ON r.uscc = e.uscc WHERE e.uscc IN " + list, in);
  if (!ents.ok()) return ents.take_error();
  std::map<std::string, EnterpriseFacts*> by;
  for (const auto& r : *ents) {
    Subject& s = subjects[r.str(0)];
    EnterpriseFacts& f = s.facts;
    by[r.str(0)] = &f;
    f.industry = r.str(1);
    f.industry_label = std::string(enterprise::industry_label(f.industry));
    enterprise::Enterprise e;
    e.licence_expires_on = r.opt_str(2);
    f.licence_state = enterprise::licence_state(e, today, {});
    f.standardization_grade = r.opt_str(3);
    s.region = r.str(4);
    s.name = r.str(5);
    if (auto level = r.opt_str(6)) {
      s.level = level_from(*level);
      s.score = r.f64(7);
    }
  }
  auto sources = c.query("SELECT enterprise_uscc, grade FROM hazard_sources WHERE active = 1 AND grade IS NOT NULL AND enterprise_uscc IN " + list, in);
  if (!sources.ok()) return sources.take_error();
  for (const auto& r : *sources)
    if (auto it = by.find(r.str(0)); it != by.end()) it->second->hazard_source_grades.push_back(static_cast<int>(r.i64(1)));
  auto points = c.query("SELECT enterprise_uscc, level, COUNT(*) FROM risk_points WHERE active = 1 AND enterprise_uscc IN " + list +
                            " GROUP BY enterprise_uscc, level", in);
  if (!points.ok()) return points.take_error();
  for (const auto& r : *points)
    if (auto it = by.find(r.str(0)); it != by.end())
      if (auto l = level_from(r.str(1))) it->second->risk_points_by_level[static_cast<size_t>(*l)] = static_cast<int>(r.i64(2));
  auto open = c.query("SELECT enterprise_uscc, CASE WHEN type = 'threshold' THEN level ELSE type END, COUNT(*) FROM alarms "
                      "WHERE state IN ('raised', 'acknowledged') AND enterprise_uscc IN " + list + " GROUP BY 1, 2", in);
  if (!open.ok()) return open.take_error();
  for (const auto& r : *open)
    if (auto it = by.find(r.str(0)); it != by.end()) it->second->open_alarms[r.str(1)] = static_cast<int>(r.i64(2));
  // Hidden dangers not rectified (closed or withdrawn), by grade, and those past their deadline.
  std::vector<Value> hd_params{now};
  hd_params.insert(hd_params.end(), in.begin(), in.end());
  auto dangers = c.query("SELECT enterprise_uscc, grade, COUNT(*), SUM(CASE WHEN deadline < ? THEN 1 ELSE 0 END) FROM hidden_dangers "
                         "WHERE state NOT IN ('closed', 'withdrawn') AND enterprise_uscc IN " + list + " GROUP BY enterprise_uscc, grade",
                         hd_params);
  if (!dangers.ok()) return dangers.take_error();
  for (const auto& r : *dangers)
    if (auto it = by.find(r.str(0)); it != by.end()) {
      (r.str(1) == "major" ? it->second->open_hidden_dangers_major : it->second->open_hidden_dangers_general) = static_cast<int>(r.i64(2));
      it->second->overdue_rectifications += static_cast<int>(r.i64(3));
    }
  std::vector<Value> recent_params{now - 7 * kDay, now - 30 * kDay};
  recent_params.insert(recent_params.end(), in.begin(), in.end());
  auto recent = c.query("SELECT enterprise_uscc, SUM(CASE WHEN raised_at >= ? THEN 1 ELSE 0 END), COUNT(*) FROM alarms "
                        "WHERE raised_at >= ? AND enterprise_uscc IN " + list + " GROUP BY enterprise_uscc", recent_params);
  if (!recent.ok()) return recent.take_error();
  for (const auto& r : *recent)
    if (auto it = by.find(r.str(0)); it != by.end()) {
      it->second->alarms_7d = static_cast<int>(r.i64(1));
      it->second->alarms_30d = static_cast<int>(r.i64(2));
    }
  // Enforcement in the last 12 months (DOMAIN.md §4): violations found by inspectors (the hidden
  // dangers their inspections recorded) and penalty decisions.
  std::vector<Value> year_params{now - 365 * kDay};
  year_params.insert(year_params.end(), in.begin(), in.end());
  auto violations = c.query("SELECT enterprise_uscc, COUNT(*) FROM hidden_dangers WHERE found_by = 'inspection' AND found_at >= ? "
                            "AND state <> 'withdrawn' AND enterprise_uscc IN " + list + " GROUP BY enterprise_uscc", year_params);
  if (!violations.ok()) return violations.take_error();
  for (const auto& r : *violations)
    if (auto it = by.find(r.str(0)); it != by.end()) it->second->violations_12m = static_cast<int>(r.i64(1));
  auto penalties = c.query("SELECT enterprise_uscc, COUNT(*) FROM enforcement_documents WHERE kind IN ('penalty_decision_unit', "
                           "'penalty_decision_person') AND issued_at >= ? AND enterprise_uscc IN " + list + " GROUP BY enterprise_uscc",
                           year_params);
  if (!penalties.ok()) return penalties.take_error();
  for (const auto& r : *penalties)
    if (auto it = by.find(r.str(0)); it != by.end()) it->second->penalties_12m = static_cast<int>(r.i64(1));
  // Accidents (DOMAIN.md §4): by grade in the last 3 years, and whether one killed in the last year
  // (the 红 override).
  std::vector<Value> accident_params{now - 365 * kDay, now - 3 * 365 * kDay};
  accident_params.insert(accident_params.end(), in.begin(), in.end());
  auto accidents = c.query("SELECT enterprise_uscc, grade, COUNT(*), SUM(CASE WHEN occurred_at >= ? AND deaths > 0 THEN 1 ELSE 0 END) "
                           "FROM accidents WHERE occurred_at >= ? AND enterprise_uscc IN " + list + " GROUP BY enterprise_uscc, grade",
                           accident_params);
  if (!accidents.ok()) return accidents.take_error();
  for (const auto& r : *accidents)
    if (auto it = by.find(r.str(0)); it != by.end()) {
      it->second->accidents_3y[r.str(1)] += static_cast<int>(r.i64(2));
      if (r.i64(3) > 0) it->second->fatal_accident_1y = true;
    }
  return subjects;
}

Result<size_t> EnterpriseRiskService::recompute(const std::vector<std::string>& usccs, Millis now, std::string_view reason) {
  std::lock_guard serial(recompute_mu_);
  return recompute_locked(usccs, now, reason);
}

Result<size_t> EnterpriseRiskService::recompute_locked(const std::vector<std::string>& usccs, Millis now, std::string_view reason) {
  size_t done = 0;
  for (size_t start = 0; start < usccs.size(); start += kBatch) {
    std::vector<std::string> part(usccs.begin() + static_cast<std::ptrdiff_t>(start),
                                  usccs.begin() + static_cast<std::ptrdiff_t>(std::min(usccs.size(), start + kBatch)));
    auto w = db_.write();
    if (!w.ok()) return w.take_error();
    db::Connection& c = **w;
    auto subjects_of = subjects(c, part, now);
    if (!subjects_of.ok()) return subjects_of.take_error();
    struct Moved { std::string region; std::optional<RiskLevel> old_level; double old_score; EnterpriseScore now; };
    std::vector<Moved> moved;
    std::vector<LevelChange> changes;
    ANJIAN_TRY(db::begin(c));
    auto fail = [&](Error e) -> Result<size_t> {
      db::rollback(c);
      return e;
    };
    for (const auto& [uscc, k] : *subjects_of) {
      EnterpriseScore s = model_.score(k.facts);
      auto up = c.exec("INSERT INTO enterprise_risk (uscc, score, level, model_version, override, breakdown, computed_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (uscc) DO UPDATE SET score = excluded.score, level = excluded.level, "
                       "model_version = excluded.model_version, override = excluded.override, breakdown = excluded.breakdown, "
                       "computed_at = excluded.computed_at",
                       {uscc, s.score, std::string(to_string(s.level)), s.model_version, s.override_reason,
                        json_text(to_json(s).at("breakdown")), now});
      if (!up.ok()) return fail(up.take_error());
      moved.push_back({k.region, k.level, k.score, s});
      if (k.level != s.level) {
        auto h = c.exec("INSERT INTO enterprise_risk_history (id, uscc, at, score, level, previous_level, model_version, reason) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        {new_id(), uscc, now, s.score, std::string(to_string(s.level)),
                         k.level ? Value(std::string(to_string(*k.level))) : Value(nullptr), s.model_version, std::string(reason)});
        if (!h.ok()) return fail(h.take_error());
        if (k.level) {
          changes.push_back({uscc, k.region, k.name, s, k.level});
          if (record_) {
            if (auto kept = record_(c, changes.back()); !kept.ok()) return fail(kept.error());
          }
        }
      }
      ++done;
    }
    ANJIAN_TRY(db::commit(c));
    {
      std::lock_guard lock(regions_mu_);
      for (const auto& m : moved) {
        auto& h = by_region_[m.region];
        if (m.old_level) h.add(m.old_score, *m.old_level, -1);
        h.add(m.now.score, m.now.level);
      }
    }
    if (announce_)
      for (const auto& ch : changes) announce_(ch);
  }
  return done;
}

Result<size_t> EnterpriseRiskService::recompute_all(Millis now, std::string_view reason) {
  size_t done = 0;
  std::string after;
  for (;;) {
    std::vector<std::string> usccs;
    {
      auto r = db_.read();
      if (!r.ok()) return r.take_error();
      auto rows = (*r)->query("SELECT uscc FROM enterprises WHERE uscc > ? ORDER BY uscc LIMIT ?", {after, std::int64_t{kBatch}});
      if (!rows.ok()) return rows.take_error();
      for (const auto& row : *rows) usccs.push_back(row.str(0));
    }
    if (usccs.empty()) return done;
    after = usccs.back();
    auto n = recompute(usccs, now, reason);
    if (!n.ok()) return n.take_error();
    done += *n;
  }
}

Result<bool> EnterpriseRiskService::stale_model() {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto row = (*r)->query_one("SELECT (SELECT COUNT(*) FROM enterprises), (SELECT COUNT(*) FROM enterprise_risk), "
                             "(SELECT COUNT(*) FROM enterprise_risk WHERE model_version <> ?)",
                             {model_.version()});
  if (!row.ok()) return row.take_error();
  return row->i64(0) != row->i64(1) || row->i64(2) > 0;
}

Result<json::object> EnterpriseRiskService::get(const auth::Scope& scope, const std::string& uscc) {
  auto e = enterprises_.get(scope, uscc);  // the scope check: outside it, the enterprise does not exist
  if (!e.ok()) return e.take_error();
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto row = (*r)->query_one("SELECT score, level, model_version, override, breakdown, computed_at FROM enterprise_risk WHERE uscc = ?",
                             {e->uscc});
  if (!row.ok()) return row.error().code == "not_found" ? Error{"not_found", "该企业的风险尚未计算", ""} : row.take_error();
  const RiskLevel level = level_from(row->str(1)).value_or(RiskLevel::low);
  boost::system::error_code ec;
  json::value breakdown = json::parse(row->str(4), ec);
  json::object out{{"enterprise_uscc", e->uscc}, {"score", row->f64(0)}, {"level", to_string(level)}, {"colour", colour(level)},
                   {"level_name", chinese(level)}, {"model_version", row->str(2)},
                   {"override", row->str(3).empty() ? json::value(nullptr) : json::value(row->str(3))},
                   {"breakdown", ec ? json::value(json::array{}) : breakdown}, {"computed_at", format_iso(row->i64(5))}};
  auto history = (*r)->query("SELECT at, score, level, previous_level, model_version, reason FROM enterprise_risk_history "
                             "WHERE uscc = ? ORDER BY at DESC, id DESC LIMIT 100", {e->uscc});
  if (!history.ok()) return history.take_error();
  json::array items;
  for (const auto& h : *history)
    items.push_back(json::object{{"at", format_iso(h.i64(0))}, {"score", h.f64(1)}, {"level", h.str(2)},
                                 {"previous_level", h.opt_str(3) ? json::value(*h.opt_str(3)) : json::value(nullptr)},
                                 {"model_version", h.str(4)}, {"reason", h.str(5)}});
  out["history"] = std::move(items);
  return out;
}

Status EnterpriseRiskService::load_regions() {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto rows = (*r)->query("SELECT e.region_code, r.score, r.level FROM enterprise_risk r JOIN enterprises e ON e.uscc = r.uscc");
  if (!rows.ok()) return rows.take_error();
  std::map<std::string, RegionHistogram> fresh;
  for (const auto& row : *rows) fresh[row.str(0)].add(row.f64(1), level_from(row.str(2)).value_or(RiskLevel::low));
  std::lock_guard lock(regions_mu_);
  by_region_ = std::move(fresh);
  return {};
}

std::optional<codes::CodeRange> EnterpriseRiskService::range_of(const std::string& code) const {
  if (code == kNation) return codes::CodeRange{"0", ":"};  // every six-digit code
  if (!regions_.find(code)) return std::nullopt;
  return regions_.subtree(code);
}

bool EnterpriseRiskService::visible(const auth::Scope& scope, const std::string& code) const {
  // 全国 is covered only by a scope of everything: a regional scope covers codes of the table.
  return range_of(code) && scope.covers_region(regions_, code);
}

RegionHistogram EnterpriseRiskService::histogram_of(const std::string& code) const {
  RegionHistogram h;
  const auto range = *range_of(code);
  for (auto it = by_region_.lower_bound(range.lo); it != by_region_.end() && it->first < range.hi; ++it) h.merge(it->second);
  return h;
}

json::object EnterpriseRiskService::summary(const std::string& code, const RegionHistogram& h) const {
  const codes::Region* region = regions_.find(code);
  const double score = h.score();
  const RiskLevel level = model_.cutoffs().level(score);
  json::object distribution;
  for (RiskLevel l : {RiskLevel::major, RiskLevel::significant, RiskLevel::general, RiskLevel::low}) distribution[to_string(l)] = h.count(l);
  return {{"code", code}, {"name", region ? region->name : code == kNation ? "全国" : ""}, {"score", score}, {"level", to_string(level)},
          {"colour", colour(level)}, {"level_name", chinese(level)}, {"enterprises", h.enterprises()},
          {"distribution", std::move(distribution)}};
}

Result<json::object> EnterpriseRiskService::region(const auth::Scope& scope, const std::string& code, bool trend) {
  if (!visible(scope, code)) return Error{"not_found", "区划不存在或不在您的管辖范围内", ""};
  json::object out;
  {
    std::lock_guard lock(regions_mu_);
    out = summary(code, histogram_of(code));
  }
  if (!trend) return out;
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto rows = (*r)->query("SELECT week_start, score, level, enterprises, distribution FROM region_risk_weekly WHERE region_code = ? "
                          "ORDER BY week_start DESC LIMIT 12", {code});
  if (!rows.ok()) return rows.take_error();
  json::array weeks;
  for (size_t i = rows->size(); i-- > 0;) {
    const auto& w = (*rows)[i];
    boost::system::error_code ec;
    json::value d = json::parse(w.str(4), ec);
    weeks.push_back(json::object{{"week_start", format_iso(w.i64(0)).substr(0, 10)}, {"score", w.f64(1)}, {"level", w.str(2)},
                                 {"enterprises", w.i64(3)}, {"distribution", ec ? json::value(json::object{}) : d}});
  }
  out["trend"] = std::move(weeks);
  return out;
}

Result<json::array> EnterpriseRiskService::children(const auth::Scope& scope, const std::string& code) {
  if (!visible(scope, code)) return Error{"not_found", "区划不存在或不在您的管辖范围内", ""};
  json::array out;
  std::lock_guard lock(regions_mu_);
  for (const codes::Region* child : regions_.children(code == kNation ? "" : code)) out.push_back(summary(child->code, histogram_of(child->code)));
  return out;
}

Result<json::object> EnterpriseRiskService::ranked(const auth::Scope& scope, const std::string& code, std::int64_t limit) {
  if (!visible(scope, code)) return Error{"not_found", "区划不存在或不在您的管辖范围内", ""};
  const auto range = *range_of(code);
  std::vector<Value> params{range.lo, range.hi};
  const std::string in_scope = scope.sql("e.region_code", "e.uscc", params);
  params.emplace_back(limit);
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto rows = (*r)->query("SELECT r.uscc, e.name, e.region_code, r.score, r.level, r.override, r.breakdown FROM enterprise_risk r "
                          "JOIN enterprises e ON e.uscc = r.uscc WHERE e.region_code >= ? AND e.region_code < ? AND " + in_scope +
                          " ORDER BY CASE r.level WHEN 'major' THEN 0 WHEN 'significant' THEN 1 WHEN 'general' THEN 2 ELSE 3 END, "
                          "r.score DESC, r.uscc LIMIT ?", params);
  if (!rows.ok()) return rows.take_error();
  json::array items;
  for (const auto& row : *rows) {
    const RiskLevel level = level_from(row.str(4)).value_or(RiskLevel::low);
    std::vector<Contribution> breakdown;
    boost::system::error_code ec;
    json::value b = json::parse(row.str(6), ec);
    if (!ec && b.is_array())
      for (const auto& x : b.as_array())
        if (const auto* o = x.if_object(); o && o->contains("points") && o->contains("detail") && o->at("detail").is_string())
          breakdown.push_back({"", "", std::string(o->at("detail").as_string()), o->at("points").to_number<double>()});
    const std::string reason = main_reason(row.str(5), breakdown);
    items.push_back(json::object{{"enterprise_uscc", row.str(0)}, {"enterprise_name", row.str(1)}, {"region_code", row.str(2)},
                                 {"score", row.f64(3)}, {"level", to_string(level)}, {"colour", colour(level)}, {"reason", reason}});
  }
  return json::object{{"region_code", code}, {"items", std::move(items)}};
}

Result<json::object> EnterpriseRiskService::levels(const auth::Scope& scope, const std::optional<std::string>& region_code) {
  std::vector<Value> params;
  std::string where = scope.sql("e.region_code", "e.uscc", params);
  if (region_code) {
    if (!regions_.find(*region_code)) return Error{"unknown_region", "行政区划代码不存在：" + *region_code, "region_code"};
    const auto range = regions_.subtree(*region_code);
    where += " AND e.region_code >= ? AND e.region_code < ?";
    params.emplace_back(range.lo);
    params.emplace_back(range.hi);
  }
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto rows = (*r)->query("SELECT r.uscc, r.level, r.score FROM enterprise_risk r JOIN enterprises e ON e.uscc = r.uscc WHERE " + where +
                              " ORDER BY r.uscc",
                          params);
  if (!rows.ok()) return rows.take_error();
  json::array items;
  items.reserve(rows->size());
  for (const auto& row : *rows) items.push_back(json::array{json::string(row.str(0)), json::string(row.str(1)), row.f64(2)});
  const size_t total = items.size();
  return json::object{{"columns", json::array{"uscc", "level", "score"}}, {"items", std::move(items)}, {"total", total}};
}

Status EnterpriseRiskService::snapshot_week(Millis now) {
  // Monday 00:00 Asia/Shanghai of this week, as epoch milliseconds.
  const std::int64_t today = today_shanghai(now);          // days since 1970-01-01 (a Thursday)
  const std::int64_t monday = today - ((today + 3) % 7);
  const Millis week_start = monday * 86'400'000 - 8 * 3'600'000;
  std::vector<std::pair<std::string, json::object>> rows;
  {
    std::lock_guard lock(regions_mu_);
    std::set<std::string> codes;
    for (const auto& [code, h] : by_region_)
      for (const codes::Region* r : regions_.path(code)) codes.insert(r->code);
    if (!by_region_.empty()) codes.insert(std::string(kNation));
    for (const auto& code : codes) rows.emplace_back(code, summary(code, histogram_of(code)));
  }
  auto w = db_.write();
  if (!w.ok()) return w.take_error();
  db::Connection& c = **w;
  ANJIAN_TRY(db::begin(c));
  for (const auto& [code, s] : rows) {
    auto up = c.exec("INSERT INTO region_risk_weekly (region_code, week_start, score, level, enterprises, distribution) "
                     "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (region_code, week_start) DO UPDATE SET score = excluded.score, "
                     "level = excluded.level, enterprises = excluded.enterprises, distribution = excluded.distribution",
                     {code, week_start, s.at("score").as_double(), std::string(s.at("level").as_string()),
                      s.at("enterprises").as_int64(), json_text(s.at("distribution"))});
    if (!up.ok()) {
      db::rollback(c);
      return up.take_error();
    }
  }
  return db::commit(c);
}

}  // namespace anjian::risk
