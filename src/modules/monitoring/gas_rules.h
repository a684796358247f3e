#pragma once
// The settings a gas point must keep (DOMAIN.md §8): methane by sensor place after 煤矿安全规程
// 第四百九十八条 (data/coal/methane-thresholds.csv), CO in coal mines at 24 ppm, toxic gases
// against their occupational exposure limit (GBZ 2.1-2019, data/monitoring/occupational-exposure-
// limits.csv; GB/T 50493-2019: 一级 ≤ 100 % OEL, 二级 ≤ 200 % OEL), combustible gases at 25 / 50 %LEL.
//
// Pure: the tables are compiled into the binary. A finding that `refuses` is a setting looser than
// a mandatory rule (refused through the API; recorded as a finding when a mine's own file defines
// the point); the others are flagged for the regulator.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace anjian::monitoring::gas {

struct MethanePlace {
  int no = 0;
  std::string place;               // as 第四百九十八条 names it
  std::vector<std::string> match;  // words that recognise it in a location; empty: only when named
  double alarm = 0;                // 报警 ≥
  std::optional<double> power_off; // 断电 ≥ (none: the place has no power-off)
  std::optional<double> restore;   // 复电 <
  std::string area, source;        // 断电范围; where the row comes from
};
const std::vector<MethanePlace>& methane_places();
// The row of this exact place name, or nullptr.
const MethanePlace* methane_place(std::string_view place);
// The row a location names ("8101采煤工作面回风隅角" → 采煤工作面回风隅角): of the rows whose words it
// contains, the one whose word ends last (the place a location ends with is where the sensor is).
const MethanePlace* methane_place_in(std::string_view location);

// Coal-mine CO sensors: 报警 ≥ 24 ppm (0.0024 %, 煤矿安全规程 有害气体最高允许浓度; AQ 1029-2019).
inline constexpr double kCoalCoAlarmPpm = 24;

struct ExposureLimit {
  std::string gas, cas, formula;
  double molar_mass = 0;  // g/mol
  std::optional<double> mac, stel, twa;  // mg/m³
  std::vector<std::string> aliases;
  std::string note;
  // What an alarm setting is judged against: MAC, else PC-STEL, else PC-TWA (DOMAIN.md §8).
  double oel() const;
  std::string_view oel_kind() const;  // "MAC" | "PC-STEL" | "PC-TWA"
};
const std::vector<ExposureLimit>& exposure_limits();
// By name, alias, CAS number or formula; nullptr when not in the table.
const ExposureLimit* exposure_limit(std::string_view gas);

// Molar volume at 20 °C and 101.325 kPa (GBZ 2.1 refers its limits to these), L/mol.
inline constexpr double kMolarVolume = 22.414 * 293.15 / 273.15;
double ppm_to_mg_m3(double ppm, double molar_mass);
double mg_m3_to_ppm(double mg_m3, double molar_mass);

// A point's settings, as the rules read them.
struct Settings {
  std::string_view indicator, unit, place, gas;
  std::optional<double> high, high_high, power_off, restore;
  std::int64_t delay_s = 0;
};

struct Finding {
  std::string code;     // looser_than_rule | delay_not_allowed | above_oel | above_lel | gas_unknown | gas_not_in_table | unit_unknown
  std::string field;    // the setting it is about (thresholds.high, delay_s, …)
  std::string message;  // in Chinese, naming the rule
  bool refuses = false;
};
std::vector<Finding> findings(const Settings& s);

}  // namespace anjian::monitoring::gas
