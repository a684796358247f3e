#pragma once
// What the monitoring module shares between nodes (issue 17), up, kept above as replicas: alarms
// (not readings), and — when [readings] share_rollups is on — the 1-minute rollups of the points
// of major hazard sources.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/time.h"
#include "exchange/registry.h"

namespace anjian::monitoring {

inline constexpr std::string_view kRollupType = "reading_rollup";
// A rollup's record id: the point and the minute it starts ("<point id>@<epoch ms>").
std::string rollup_record_id(const std::string& point_id, Millis minute);
std::optional<std::pair<std::string, Millis>> parse_rollup_record_id(std::string_view id);

// `keep_rollups_ms`: how long a parent keeps the rollups it received (the rollups' retention).
std::vector<exchange::SharedType> shared_types(Millis keep_rollups_ms);

}  // namespace anjian::monitoring
