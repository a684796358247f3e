#include "modules/hidden_danger/stats.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "modules/enterprise/model.h"

namespace anjian::hidden_danger {
namespace json = boost::json;
using db::Value;

namespace {

GradeFigures& of(StatsRow& row, const std::string& grade) { return grade == "major" ? row.major : row.general; }

void add(GradeFigures& a, const GradeFigures& b) {
  a.found += b.found;
  a.rectified += b.rectified;
  a.withdrawn += b.withdrawn;
  a.open += b.open;
  a.overdue += b.overdue;
  a.supervised += b.supervised;
}

}  // namespace

std::optional<double> GradeFigures::rate() const {
  const std::int64_t counted = found - withdrawn;
  if (counted <= 0) return std::nullopt;
  return static_cast<double>(rectified) / static_cast<double>(counted);
}

GradeFigures StatsRow::total() const {
  GradeFigures t = general;
  add(t, major);
  return t;
}

Result<Stats> StatsService::compute(const auth::Principal& who, const StatsQuery& q) {
  Stats out;
  out.period = q.period;
  std::vector<Value> params;
  std::string where;
  std::string root;  // the region drilled into ('' for the country)
  std::optional<std::string> uscc = q.enterprise_uscc;
  if (who.org_kind == "enterprise" && !uscc) uscc = who.uscc;  // its own; another's is not found below
  if (uscc) {
    auto ent = enterprises_.get(who.scope, *uscc);
    if (!ent.ok()) return Error{"not_found", "企业不存在或不在您的管辖范围内", "enterprise_uscc"};
    where = "enterprise_uscc = ?";
    params.emplace_back(ent->uscc);
    out.enterprise_uscc = ent->uscc;
    out.enterprise_name = ent->name;
  } else {
    root = q.region_code.value_or(who.region_code);
    if (!root.empty() && !regions_.find(root)) return Error::invalid_field("region_code", "行政区划不存在：" + root);
    if (!root.empty() && !who.scope.sees(root)) return Error{"not_found", "行政区划不在您的管辖范围内", "region_code"};
    if (root.empty() && who.scope.kind() != auth::Scope::Kind::all) return Error{"not_found", "行政区划不在您的管辖范围内", "region_code"};
    where = root.empty() ? "1=1" : auth::Scope::region(regions_, root).sql("region_code", "enterprise_uscc", params);
    out.region_code = root;
    out.region_name = root.empty() ? "全国" : regions_.find(root)->name;
  }
  if (q.industry) {
    where += " AND industry = ?";
    params.emplace_back(*q.industry);
  }

  // The child of `root` that holds a county (memoised: a province has a few hundred counties).
  std::map<std::string, std::string> child_of;
  auto child = [&](const std::string& code) -> const std::string& {
    auto it = child_of.find(code);
    if (it != child_of.end()) return it->second;
    return child_of[code] = regions_.child_toward(root, code);
  };
  std::map<std::string, StatsRow> regions, industries;
  std::map<int, StatsRow> months;
  auto count = [&](const std::string& region, const std::string& industry, int month, const std::string& grade, const GradeFigures& g) {
    add(of(out.total, grade), g);
    if (!uscc) add(of(regions[child(region)], grade), g);
    add(of(industries[industry], grade), g);
    if (month) add(of(months[month], grade), g);
  };

  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  const Millis now = now_ms();
  if (uscc) {
    // One enterprise: its own records (an index on the enterprise).
    std::vector<Value> p = params;
    p.emplace_back(q.period.start());
    p.emplace_back(q.period.end());
    auto rows = (*r)->query("SELECT region_code, industry, found_at, grade, state, deadline, supervised FROM hidden_dangers WHERE " + where +
                                " AND found_at >= ? AND found_at < ?",
                            p);
    if (!rows.ok()) return rows.take_error();
    for (const auto& row : *rows) {
      const std::string state = row.str(4);
      const bool open = state != "closed" && state != "withdrawn";
      GradeFigures g;
      g.found = 1;
      g.rectified = state == "closed";
      g.withdrawn = state == "withdrawn";
      g.open = open;
      g.overdue = open && row.opt_i64(5) && *row.opt_i64(5) < now;
      g.supervised = open && row.i64(6) != 0;
      count(row.str(0), row.str(1), month_shanghai(row.i64(2)), row.str(3), g);
    }
  } else {
    std::vector<Value> p = params, pm = params;
    std::string months_where, years_where;
    if (q.period.from) {
      months_where = " AND month >= ? AND month <= ?";
      pm.emplace_back(std::int64_t{q.period.from});
      pm.emplace_back(std::int64_t{q.period.to});
      years_where = " AND year >= ? AND year <= ?";
      p.emplace_back(std::int64_t{q.period.from / 100});
      p.emplace_back(std::int64_t{q.period.to / 100});
    }
    // Whole years (or everything) from the yearly tally, a few thousand rows for a province; a
    // quarter or a month from the monthly one. Summed in SQL by county, industry and grade.
    const bool whole_years = !q.period.from || (q.period.from % 100 == 1 && q.period.to % 100 == 12);
    auto tally = whole_years
                     ? (*r)->query("SELECT region_code, industry, grade, SUM(found), SUM(closed), SUM(withdrawn), SUM(open), SUM(supervised) "
                                   "FROM hidden_danger_tally_year WHERE " + where + years_where + " GROUP BY region_code, industry, grade",
                                   p)
                     : (*r)->query("SELECT region_code, industry, grade, SUM(found), SUM(closed), SUM(withdrawn), SUM(open), SUM(supervised) "
                                   "FROM hidden_danger_tally WHERE " + where + months_where + " GROUP BY region_code, industry, grade",
                                   pm);
    if (!tally.ok()) return tally.take_error();
    for (const auto& row : *tally) {
      GradeFigures g;
      g.found = row.i64(3);
      g.rectified = row.i64(4);
      g.withdrawn = row.i64(5);
      g.open = row.i64(6);
      g.supervised = row.i64(7);
      count(row.str(0), row.str(1), 0, row.str(2), g);
    }
    // Month by month only when asked (a chart over time): it reads the monthly tally.
    auto by_month = q.by_month ? (*r)->query("SELECT month, grade, SUM(found), SUM(closed), SUM(withdrawn), SUM(open), SUM(supervised) "
                                             "FROM hidden_danger_tally WHERE " + where + months_where + " GROUP BY month, grade",
                                             pm)
                               : Result<db::Rows>(db::Rows{});
    if (!by_month.ok()) return by_month.take_error();
    for (const auto& row : *by_month) {
      GradeFigures g;
      g.found = row.i64(2);
      g.rectified = row.i64(3);
      g.withdrawn = row.i64(4);
      g.open = row.i64(5);
      g.supervised = row.i64(6);
      add(of(months[static_cast<int>(row.i64(0))], row.str(1)), g);
    }
    // Overdue now, of those found in the period: the open ones past their deadline, read from the
    // index of open ones by deadline (kept off the region index and the found_at one for a wide
    // range: planners cannot tell that the overdue are few).
    std::vector<Value> o{now};
    const bool wide = !root.empty() && root.ends_with("00"), sqlite = db_.dialect() == db::Dialect::sqlite;
    const char* region_column = !wide ? "region_code" : sqlite ? "+region_code" : "(region_code || '')";
    std::string overdue_where = root.empty() ? "1=1" : auth::Scope::region(regions_, root).sql(region_column, "enterprise_uscc", o);
    if (q.industry) {
      overdue_where += " AND industry = ?";
      o.emplace_back(*q.industry);
    }
    if (q.period.from) {
      // (+: on SQLite through the index of open ones by deadline, the overdue being few.)
      overdue_where += !wide ? " AND found_at >= ? AND found_at < ?"
                       : sqlite ? " AND +found_at >= ? AND +found_at < ?"
                                : " AND found_at + 0 >= ? AND found_at + 0 < ?";
      o.emplace_back(q.period.start());
      o.emplace_back(q.period.end());
    }
    auto overdue = (*r)->query("SELECT region_code, industry, grade, COUNT(*) FROM hidden_dangers WHERE state NOT IN ('closed', 'withdrawn') "
                               "AND deadline < ? AND " + overdue_where + " GROUP BY region_code, industry, grade",
                               o);
    if (!overdue.ok()) return overdue.take_error();
    for (const auto& row : *overdue) {
      GradeFigures g;
      g.overdue = row.i64(3);
      count(row.str(0), row.str(1), 0, row.str(2), g);
    }
    // Every child region appears, also those with nothing found (a blank is a figure too).
    for (const codes::Region* c : regions_.children(root))
      if (!c->retired) regions.try_emplace(c->code);
  }
  out.total.key = uscc ? *uscc : root;
  out.total.name = uscc ? out.enterprise_name : out.region_name;
  for (auto& [code, row] : regions) {
    row.key = code;
    const codes::Region* reg = regions_.find(code);
    row.name = reg ? reg->name : code;
    out.by_region.push_back(std::move(row));
  }
  for (auto& [industry, row] : industries) {
    row.key = industry;
    row.name = std::string(enterprise::industry_label(industry));
    out.by_industry.push_back(std::move(row));
  }
  for (auto& [month, row] : months) {
    row.key = std::to_string(month);
    row.name = period_label(month, month);
    out.by_month.emplace_back(month, std::move(row));
  }
  return out;
}

json::object to_json(const GradeFigures& g) {
  const auto rate = g.rate();
  return {{"found", g.found},     {"rectified", g.rectified}, {"withdrawn", g.withdrawn},
          {"open", g.open},       {"overdue", g.overdue},     {"supervised", g.supervised},
          {"rectification_rate", rate ? json::value(std::round(*rate * 10000) / 10000) : json::value(nullptr)}};
}

namespace {
json::object row_json(const StatsRow& r) {
  return {{"key", r.key}, {"name", r.name}, {"general", to_json(r.general)}, {"major", to_json(r.major)}, {"total", to_json(r.total())}};
}
}  // namespace

json::object to_json(const Stats& s) {
  json::array regions, industries, months;
  for (const auto& r : s.by_region) regions.push_back(row_json(r));
  for (const auto& r : s.by_industry) industries.push_back(row_json(r));
  for (const auto& [m, r] : s.by_month) months.push_back(row_json(r));
  json::object o{{"period", {{"label", s.period.label}, {"from", s.period.from ? json::value(s.period.from) : json::value(nullptr)},
                             {"to", s.period.to ? json::value(s.period.to) : json::value(nullptr)}}},
                 {"total", row_json(s.total)},
                 {"by_region", std::move(regions)},
                 {"by_industry", std::move(industries)},
                 {"by_month", std::move(months)}};
  if (!s.enterprise_uscc.empty()) {
    o["enterprise_uscc"] = s.enterprise_uscc;
    o["enterprise_name"] = s.enterprise_name;
  } else {
    o["region_code"] = s.region_code;
    o["region_name"] = s.region_name;
  }
  return o;
}

}  // namespace anjian::hidden_danger
