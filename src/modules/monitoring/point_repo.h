#pragma once
// The one mapping between monitoring_points rows and Point, shared by the point service and the
// ingestion pipeline.
#include "db/database.h"
#include "modules/monitoring/point.h"

namespace anjian::monitoring {

// The columns of a point, qualified with the alias `p`, in the order point_from_row reads them.
inline constexpr const char* kPointColumns =
    "p.id, p.enterprise_uscc, p.hazard_source_id, p.code, p.name, p.indicator, p.unit, p.range_min, p.range_max, "
    "p.period_s, p.high, p.high_high, p.low, p.low_low, p.power_off, p.restore, p.deadband, p.delay_s, p.active, "
    "p.version, p.created_at, p.updated_at, p.rate_per_min, p.stuck_s, p.offline_periods, p.place, "
    "p.gas, p.feed_point, p.findings";

Point point_from_row(const db::Row& r);

}  // namespace anjian::monitoring
