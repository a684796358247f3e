#pragma once
// Accident statistics (事故统计, issue 16 §5): accidents, deaths, missing, injuries and direct loss
// in a period for a region (drilled down to its children), or by industry, GB 6441 kind, grade or
// month; each row beside the previous period (环比) and the same period a year before (同比); and
// deaths per 10,000 enterprises of the region or industry (the registry's count now). Accidents are
// counted by when they happened, where they happened.
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

#include "auth/principal.h"
#include "base/period.h"
#include "codes/regions.h"
#include "db/database.h"
#include "http/router.h"
#include "modules/enterprise/service.h"

namespace anjian::accident {

struct Figures {
  std::int64_t accidents = 0, deaths = 0, missing = 0, serious_injuries = 0, minor_injuries = 0, direct_loss_yuan = 0;
  void add(const Figures& f);
};

struct StatsRow {
  std::string key, name;
  Figures now, previous, year_before;
  std::optional<std::int64_t> enterprises;  // regions and industries: the registry's count
};

struct StatsQuery {
  std::optional<std::string> region_code, industry, kind, grade;
  Period period;
  std::string by = "region";  // region | industry | kind | grade | month
};

struct Stats {
  std::string region_code, region_name, by;
  Period period, previous, year_before;
  StatsRow total;
  std::vector<StatsRow> rows;
};

class StatsService {
 public:
  StatsService(db::Database& db, const codes::RegionTable& regions, enterprise::Service& enterprises)
      : db_(db), regions_(regions), enterprises_(enterprises) {}
  // Errors: invalid_field (an unknown region, a period of every month), not_found (a region outside
  // the scope).
  Result<Stats> compute(const auth::Principal& who, const StatsQuery& q);

 private:
  db::Database& db_;
  const codes::RegionTable& regions_;
  enterprise::Service& enterprises_;
};

// The query of GET /api/v1/accidents/stats (and its XLSX): region_code, period (default this
// year), by, industry, kind (a GB 6441 name or code), grade. Errors: invalid_field.
Result<StatsQuery> stats_query(const http::Request& req);

// (now − before) ÷ before; none when before is 0.
std::optional<double> change(std::int64_t now, std::int64_t before);
// deaths × 10,000 ÷ enterprises; none without enterprises.
std::optional<double> deaths_per_10k(std::int64_t deaths, std::optional<std::int64_t> enterprises);
boost::json::object to_json(const Stats& s);

}  // namespace anjian::accident
