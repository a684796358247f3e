#pragma once
// Hidden-danger statistics (隐患排查治理统计): for a region (drilled down to its children, like the
// regional risk) or one enterprise, an industry and a period: found, rectified (closed), withdrawn,
// rectification rate (整改率 = rectified ÷ found, withdrawn ones not counted as found) per grade,
// and of those found in the period the ones still open, overdue and under 挂牌督办 now. A region's
// figures come from the tally and the index of open hidden dangers, never from a scan of the records.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "auth/principal.h"
#include "base/period.h"
#include "codes/regions.h"
#include "db/database.h"
#include "modules/enterprise/service.h"

namespace anjian::hidden_danger {

struct GradeFigures {
  std::int64_t found = 0, rectified = 0, withdrawn = 0, open = 0, overdue = 0, supervised = 0;
  // rectified ÷ (found − withdrawn); nullopt when nothing was found.
  std::optional<double> rate() const;
};

struct StatsRow {
  std::string key, name;  // a region code and name, an industry and its label, a grade
  GradeFigures general, major;
  GradeFigures total() const;
};

struct StatsQuery {
  std::optional<std::string> region_code, industry, enterprise_uscc;
  Period period;
  bool by_month = false;  // a region's month-by-month figures too (an enterprise's always)
};

struct Stats {
  std::string region_code, region_name;  // the region shown (its children are `by_region`)
  std::string enterprise_uscc, enterprise_name;  // when one enterprise was asked for
  Period period;
  StatsRow total;
  std::vector<StatsRow> by_region, by_industry;
  std::vector<std::pair<int, StatsRow>> by_month;  // YYYYMM (a region's when asked)
};

class StatsService {
 public:
  StatsService(db::Database& db, const codes::RegionTable& regions, enterprise::Service& enterprises)
      : db_(db), regions_(regions), enterprises_(enterprises) {}
  // Errors: invalid_field (an unknown region), not_found (a region or enterprise outside the scope).
  Result<Stats> compute(const auth::Principal& who, const StatsQuery& q);

 private:
  db::Database& db_;
  const codes::RegionTable& regions_;
  enterprise::Service& enterprises_;
};

boost::json::object to_json(const Stats& s);
boost::json::object to_json(const GradeFigures& g);

}  // namespace anjian::hidden_danger
