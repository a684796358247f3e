#include "modules/accident/stats.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>

#include "http/params.h"
#include "modules/accident/grade_rules.h"
#include "modules/accident/kind_rules.h"
#include "modules/enterprise/model.h"

namespace anjian::accident {
namespace json = boost::json;
using db::Value;

void Figures::add(const Figures& f) {
  accidents += f.accidents;
  deaths += f.deaths;
  missing += f.missing;
  serious_injuries += f.serious_injuries;
  minor_injuries += f.minor_injuries;
  direct_loss_yuan += f.direct_loss_yuan;
}

std::optional<double> change(std::int64_t now, std::int64_t before) {
  if (before == 0) return std::nullopt;
  return static_cast<double>(now - before) / static_cast<double>(before);
}

std::optional<double> deaths_per_10k(std::int64_t deaths, std::optional<std::int64_t> enterprises) {
  if (!enterprises || *enterprises <= 0) return std::nullopt;
  return std::round(static_cast<double>(deaths) * 10'000.0 / static_cast<double>(*enterprises) * 100) / 100;
}

namespace {
// Which period an accident at `t` falls in: 0 this one, 1 the previous, 2 a year before, -1 none.
int which(const Stats& s, Millis t) {
  if (t >= s.period.start() && t < s.period.end()) return 0;
  if (t >= s.previous.start() && t < s.previous.end()) return 1;
  if (t >= s.year_before.start() && t < s.year_before.end()) return 2;
  return -1;
}
Figures& slot(StatsRow& row, int w) { return w == 0 ? row.now : w == 1 ? row.previous : row.year_before; }

std::int64_t enterprises_in(enterprise::Service& enterprises, const auth::Scope& scope, const std::optional<std::string>& industry) {
  auto s = enterprises.summary(scope);
  if (!s.ok()) return 0;
  if (!industry) return s->at("total").to_number<std::int64_t>();
  const auto& by = s->at("by_industry").as_object();
  auto it = by.find(*industry);
  return it == by.end() ? 0 : it->value().to_number<std::int64_t>();
}
}  // namespace

Result<StatsQuery> stats_query(const http::Request& req) {
  StatsQuery q;
  q.region_code = req.query_param("region_code");
  auto period = parse_period(req.query_param("period").value_or(std::to_string(month_shanghai(now_ms()) / 100)));
  if (!period.ok()) return period.take_error();
  q.period = *period;
  auto by = http::enum_param(req, "by", {"region", "industry", "kind", "grade", "month"});
  if (!by.ok()) return by.take_error();
  q.by = by->value_or("region");
  auto grade = http::enum_param(req, "grade", {"general", "larger", "major", "extraordinary"});
  if (!grade.ok()) return grade.take_error();
  q.grade = *grade;
  q.industry = req.query_param("industry");
  if (q.industry) {
    const auto& all = enterprise::industries();
    if (std::find(all.begin(), all.end(), *q.industry) == all.end()) return Error::invalid_field("industry", "未知的行业：" + *q.industry);
  }
  if (auto k = req.query_param("kind")) {
    auto kind = find_kind(*k);
    if (!kind) return Error::invalid_field("kind", "未知的事故类别：" + *k);
    q.kind = kind->code;
  }
  return q;
}

Result<Stats> StatsService::compute(const auth::Principal& who, const StatsQuery& q) {
  if (q.period.from == 0) return Error::invalid_field("period", "请选择统计期（年、季度或月）");
  Stats out;
  out.by = q.by;
  out.period = q.period;
  out.previous = q.period.previous();
  out.year_before = q.period.year_before();
  const bool enterprise_user = who.org_kind == "enterprise";
  const std::string root = q.region_code.value_or(who.region_code);
  if (!root.empty() && !regions_.find(root)) return Error::invalid_field("region_code", "行政区划不存在：" + root);
  if (!root.empty() && !who.scope.sees(root)) return Error{"not_found", "行政区划不在您的管辖范围内", "region_code"};
  if (root.empty() && who.scope.kind() != auth::Scope::Kind::all) return Error{"not_found", "行政区划不在您的管辖范围内", "region_code"};
  out.region_code = root;
  out.region_name = root.empty() ? "全国" : regions_.find(root)->name;

  std::vector<Value> params;
  std::string where = who.scope.sql("region_code", "enterprise_uscc", params);
  if (!root.empty()) where += " AND " + auth::Scope::region(regions_, root).sql("region_code", "enterprise_uscc", params);
  for (auto [column, value] : {std::pair{"industry", &q.industry}, std::pair{"kind", &q.kind}, std::pair{"grade", &q.grade}})
    if (*value) {
      where += std::string(" AND ") + column + " = ?";
      params.emplace_back(**value);
    }
  // The three periods' span (the year before is the earliest, this one the latest).
  where += " AND ((occurred_at >= ? AND occurred_at < ?) OR (occurred_at >= ? AND occurred_at < ?))";
  params.emplace_back(out.year_before.start());
  params.emplace_back(out.year_before.end());
  params.emplace_back(out.previous.start());
  params.emplace_back(q.period.end());

  // The child of `root` that holds a county.
  std::map<std::string, std::string> child_of;
  auto child = [&](const std::string& code) -> const std::string& {
    auto it = child_of.find(code);
    if (it != child_of.end()) return it->second;
    return child_of[code] = regions_.child_toward(root, code);
  };

  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto rows = (*r)->query("SELECT region_code, industry, kind, grade, occurred_at, deaths, missing, serious_injuries, minor_injuries, "
                          "direct_loss_yuan FROM accidents WHERE " + where,
                          params);
  if (!rows.ok()) return rows.take_error();
  std::map<std::string, StatsRow> groups;
  for (const auto& row : *rows) {
    const Millis t = row.i64(4);
    const int w = which(out, t);
    if (w < 0) continue;
    Figures f{1, row.i64(5), row.i64(6), row.i64(7), row.i64(8), row.i64(9)};
    slot(out.total, w).add(f);
    std::string key;
    if (q.by == "region") key = child(row.str(0));
    else if (q.by == "industry") key = row.str(1);
    else if (q.by == "kind") key = row.str(2);
    else if (q.by == "grade") key = row.str(3);
    else if (w == 0) key = std::to_string(month_shanghai(t));  // by month: this period's months
    else continue;
    slot(groups[key], w).add(f);
  }

  // Every child region, industry, kind and grade is a row, also with no accident (a zero is news).
  if (q.by == "region" && !enterprise_user) {
    for (const auto* c : regions_.children(root))
      if (!c->retired) groups[c->code];
  } else if (q.by == "kind") {
    for (const auto& k : accident_kinds()) groups[k.code];
  } else if (q.by == "grade") {
    for (auto g : {Grade::general, Grade::larger, Grade::major, Grade::extraordinary}) groups[std::string(to_string(g))];
  } else if (q.by == "month") {
    for (int m = q.period.from; m <= q.period.to; m = (m % 100 == 12) ? (m / 100 + 1) * 100 + 1 : m + 1) groups[std::to_string(m)];
  }

  const auto scope_of = [&](const std::string& code) { return code.empty() ? auth::Scope::all() : auth::Scope::region(regions_, code); };
  for (auto& [key, row] : groups) {
    row.key = key;
    if (q.by == "region") {
      const auto* reg = regions_.find(key);
      row.name = reg ? reg->name : key;
      if (!enterprise_user && reg) row.enterprises = enterprises_in(enterprises_, scope_of(key), q.industry);
    } else if (q.by == "industry") {
      row.name = std::string(enterprise::industry_label(key));
      if (!enterprise_user) row.enterprises = enterprises_in(enterprises_, scope_of(root), key);
    } else if (q.by == "kind") {
      const auto k = find_kind(key);
      row.name = k ? k->name : key;
    } else if (q.by == "grade") {
      Grade g = Grade::general;
      row.name = parse_grade(key, g) ? std::string(grade_label(g)) + "事故" : key;
    } else {
      const int m = std::stoi(key);
      row.name = period_label(m, m);
    }
    out.rows.push_back(std::move(row));
  }
  // Regions in code order; the others most accidents first.
  if (q.by != "region" && q.by != "month" && q.by != "grade")
    std::stable_sort(out.rows.begin(), out.rows.end(), [](const StatsRow& a, const StatsRow& b) { return a.now.accidents > b.now.accidents; });
  out.total.key = root;
  out.total.name = out.region_name;
  if (!enterprise_user) out.total.enterprises = enterprises_in(enterprises_, scope_of(root), q.industry);
  return out;
}

namespace {
json::object figures(const Figures& f) {
  return {{"accidents", f.accidents},       {"deaths", f.deaths},
          {"missing", f.missing},           {"serious_injuries", f.serious_injuries},
          {"minor_injuries", f.minor_injuries}, {"direct_loss_yuan", f.direct_loss_yuan}};
}
json::value ratio(std::optional<double> v) { return v ? json::value(std::round(*v * 10000) / 10000) : json::value(nullptr); }

json::object row_json(const StatsRow& r) {
  json::object o = figures(r.now);
  o["key"] = r.key;
  o["name"] = r.name;
  o["previous"] = figures(r.previous);
  o["year_before"] = figures(r.year_before);
  o["mom_accidents"] = ratio(change(r.now.accidents, r.previous.accidents));
  o["yoy_accidents"] = ratio(change(r.now.accidents, r.year_before.accidents));
  o["mom_deaths"] = ratio(change(r.now.deaths, r.previous.deaths));
  o["yoy_deaths"] = ratio(change(r.now.deaths, r.year_before.deaths));
  o["enterprises"] = r.enterprises ? json::value(*r.enterprises) : json::value(nullptr);
  o["deaths_per_10k_enterprises"] = ratio(deaths_per_10k(r.now.deaths, r.enterprises));
  return o;
}
json::object period_json(const Period& p) { return {{"from", p.from}, {"to", p.to}, {"label", p.label}}; }
}  // namespace

json::object to_json(const Stats& s) {
  json::array rows;
  for (const auto& r : s.rows) rows.push_back(row_json(r));
  return {{"region_code", s.region_code},
          {"region_name", s.region_name},
          {"by", s.by},
          {"period", period_json(s.period)},
          {"previous", period_json(s.previous)},
          {"year_before", period_json(s.year_before)},
          {"total", row_json(s.total)},
          {"rows", std::move(rows)}};
}

}  // namespace anjian::accident
