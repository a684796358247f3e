#pragma once
// How an accident report travels and what follows it (DOMAIN.md §6): the levels its grade must
// reach, each hop's deadline (1 hour from the accident to the first regulator, 2 hours per level
// upward, 较大 and above also to the province within 1 hour), lateness, the 补报 window (30 days,
// 7 for road traffic and fire) and the 续报 frequency (once a day; twice for 重大 and 特别重大).
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "base/time.h"
#include "modules/accident/grade_rules.h"

namespace anjian::accident {

// The regulators' levels, lowest first.
enum class Level { county = 0, city = 1, province = 2, nation = 3 };
std::string_view to_string(Level l);    // county | city | province | nation
std::string_view level_label(Level l);  // 县级 | 市级 | 省级 | 国家
bool parse_level(std::string_view s, Level& out);

constexpr Millis kHour = 3'600'000;
constexpr Millis kFirstHopMs = kHour;       // from the accident to the regulator of the place
constexpr Millis kHopMs = 2 * kHour;        // each level upward
constexpr Millis kProvinceDirectMs = kHour; // 较大 and above: to the province straight away

// The grade that decides how far the report goes: 较大涉险 goes as far as a 较大 accident.
Grade reporting_grade(const Grading& g);
// The highest level that must receive it: 一般 → city, 较大 → province, 重大 and above → nation.
Level top_level(Grade reporting);
// A hop's deadline. `below`: when the level below received it (or, not yet, its deadline);
// none for the first hop.
Millis hop_due(Level level, bool first, Grade reporting, Millis occurred_at, std::optional<Millis> below);
// Late: received after its deadline, or not received and the deadline passed.
bool hop_late(Millis due_at, std::optional<Millis> received_at, Millis now);

// 补报 of casualties: accepted through this many days after the accident's date (day 30 yes, 31 no).
int supplement_days(bool fire_or_road_traffic);
// Whether a 补报 on `day` (days since 1970-01-01, Shanghai) is inside the window.
bool supplement_open(std::int64_t accident_day, std::int64_t day, bool fire_or_road_traffic);

// 续报 a day until the situation is stable.
int follow_ups_per_day(Grade reporting);
// The days (Shanghai) with fewer 续报 than required: from the day after the accident through the
// day before `today`, or through the day before it was declared stable. `follow_up_days` holds
// one entry per 续报 (its day).
std::vector<std::int64_t> missed_follow_up_days(Grade reporting, std::int64_t accident_day, std::optional<std::int64_t> stable_day,
                                                std::int64_t today, const std::vector<std::int64_t>& follow_up_days);

// Investigation (493号令 第十九条 on): 特别重大 by the State Council (the nation), 重大 / 较大 / 一般 by
// the province / city / county government. The report is due 60 days after the accident, once
// extendable by at most 60; the government answers (批复) within 15 days of it (特别重大: 30, once
// extendable by 30).
Level investigation_level(Grade g);
constexpr int kReportDays = 60, kMaxReportExtensionDays = 60;
int reply_days(Grade g);
int max_reply_extension_days(Grade g);  // 0: none

}  // namespace anjian::accident
