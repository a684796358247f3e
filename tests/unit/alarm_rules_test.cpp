// The alarm rules against the scenarios of tests/data/alarm_cases.txt.
#include <gtest/gtest.h>

#include <fstream>
#include <optional>
#include <sstream>

#include "modules/monitoring/alarm_rules.h"

using namespace anjian;
using namespace anjian::monitoring;

namespace {
std::string trim(std::string s) {
  s.erase(0, s.find_first_not_of(' '));
  s.erase(s.find_last_not_of(' ') + 1);
  return s;
}
std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string part; std::getline(ss, part, sep);)
    if (!trim(part).empty()) out.push_back(trim(part));
  return out;
}
PointConfig config_from(const std::string& text) {
  PointConfig c;
  for (const auto& kv : split(text, ' ')) {
    if (kv == "-") continue;
    auto eq = kv.find('=');
    const std::string k = kv.substr(0, eq);
    const double v = std::stod(kv.substr(eq + 1));
    if (k == "high") c.high = v;
    else if (k == "high_high") c.high_high = v;
    else if (k == "low") c.low = v;
    else if (k == "low_low") c.low_low = v;
    else if (k == "deadband") c.deadband = v;
    else if (k == "delay") c.delay_ms = static_cast<Millis>(v * 1000);
    else if (k == "period") c.period_ms = static_cast<Millis>(v * 1000);
    else if (k == "offline_periods") c.offline_periods = static_cast<int>(v);
    else if (k == "range_min") c.range_min = v;
    else if (k == "range_max") c.range_max = v;
    else if (k == "stuck") c.stuck_ms = static_cast<Millis>(v * 1000);
    else if (k == "rate") c.rate_per_min = v;
    else if (k == "power_off") c.power_off = v;
    else if (k == "restore") c.restore = v;
    else ADD_FAILURE() << "unknown config key " << k;
  }
  return c;
}
std::string describe(const AlarmChange& ch) {
  static const char* kinds[] = {"raised", "recovered", "level_changed"};
  std::string s = std::to_string(ch.at / 1000) + ":" + kinds[static_cast<int>(ch.kind)] + ":" + std::string(to_string(ch.type));
  if (ch.type == AlarmType::threshold) s += ":" + std::string(to_string(ch.level));
  if (ch.type == AlarmType::fault) s += ":" + ch.reason;
  return s;
}
}  // namespace

TEST(AlarmRules, ScenariosFromDataFile) {
  std::ifstream in(ANJIAN_TEST_DATA "/alarm_cases.txt");
  ASSERT_TRUE(in);
  int scenarios = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    auto parts = split(line, '|');
    ASSERT_EQ(parts.size(), 4u) << line;
    SCOPED_TRACE(parts[0]);
    const PointConfig c = config_from(parts[1]);
    PointState state;
    std::vector<std::string> got;
    for (const auto& r : split(parts[2], ' ')) {
      if (r.starts_with("offline@")) {
        if (auto ch = check_offline(c, state, static_cast<Millis>(std::stod(r.substr(8)) * 1000))) got.push_back(describe(*ch));
        continue;
      }
      if (r.starts_with("since@")) {  // a point never seen is watched from here (its creation, or the start)
        state.last_arrival = static_cast<Millis>(std::stod(r.substr(6)) * 1000);
        continue;
      }
      // t:value[:flag…][@arrival] — flags: bad, cal (quality), s=N (coal state bits), feed=0|1
      std::string token = r;
      std::optional<Millis> arrival;
      if (auto at = token.find('@'); at != std::string::npos) {
        arrival = static_cast<Millis>(std::stod(token.substr(at + 1)) * 1000);
        token.resize(at);
      }
      auto f = split(token, ':');
      Input in{static_cast<Millis>(std::stod(f[0]) * 1000), std::stod(f[1])};
      for (size_t k = 2; k < f.size(); ++k) {
        if (f[k] == "bad") in.quality = Quality::bad;
        else if (f[k] == "cal") in.quality = Quality::calibration;
        else if (f[k].starts_with("s=")) in.reported = static_cast<unsigned>(std::stoul(f[k].substr(2)));
        else if (f[k].starts_with("feed=")) in.feed_powered = f[k] == "feed=1";
        else ADD_FAILURE() << "unknown reading flag " << f[k];
      }
      for (const auto& ch : evaluate(c, state, in, arrival.value_or(in.ts))) got.push_back(describe(ch));
    }
    const auto expected = parts[3] == "-" ? std::vector<std::string>{} : split(parts[3], ' ');
    EXPECT_EQ(got, expected);
    ++scenarios;
  }
  EXPECT_GE(scenarios, 20);
}

TEST(AlarmRules, LevelOfIgnoresHysteresis) {
  PointConfig c;
  c.high = 15;
  c.high_high = 18;
  c.low = 1;
  EXPECT_EQ(level_of(c, 18), Level::high_high);
  EXPECT_EQ(level_of(c, 17.9), Level::high);
  EXPECT_EQ(level_of(c, 1), Level::low);
  EXPECT_EQ(level_of(c, 1.01), Level::none);
}

TEST(AlarmRules, LateReadingsShowTheirExcursions) {
  PointConfig c;
  c.high = 1.0;
  c.power_off = 1.5;
  c.restore = 1.0;
  c.range_max = 4;
  auto at = [](double s) { return static_cast<Millis>(s * 1000); };
  std::vector<Input> late = {{at(0), 0.5}, {at(10), 1.2}, {at(20), 1.7}, {at(30), 1.2}, {at(40), 0.4},
                             {at(50), 3.0, Quality::calibration}, {at(60), 1.1}};
  auto x = excursions(c, late);
  ASSERT_EQ(x.size(), 3u);
  EXPECT_EQ(x[0].type, AlarmType::threshold);
  EXPECT_EQ(x[0].from, at(10));
  EXPECT_EQ(x[0].to, at(40));
  EXPECT_EQ(x[0].peak, 1.7);
  EXPECT_EQ(x[0].peak_at, at(20));
  EXPECT_EQ(x[1].type, AlarmType::power_off);
  EXPECT_EQ(x[1].from, at(20));
  EXPECT_EQ(x[1].to, at(40)) << "复电 only below the restore value";
  // The calibration reading is no excursion; the last one runs to the end of the readings.
  EXPECT_EQ(x[2].type, AlarmType::threshold);
  EXPECT_EQ(x[2].from, at(60));
  EXPECT_EQ(x[2].to, at(60));
  // Over the sensor's range counts as at or above the power-off value.
  auto over = excursions(c, {{at(0), 4.5, Quality::bad}, {at(10), 0.2}});
  ASSERT_EQ(over.size(), 1u);
  EXPECT_EQ(over[0].type, AlarmType::power_off);
  EXPECT_TRUE(excursions(c, {}).empty());
}
