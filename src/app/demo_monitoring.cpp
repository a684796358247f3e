#include "app/demo_monitoring.h"

#include <boost/json.hpp>

#include <cmath>

#include "modules/monitoring/gas_rules.h"
#include "modules/monitoring/point_service.h"

namespace anjian::app {
namespace json = boost::json;

namespace {
struct Stored {
  const char* name;
  const char* cas;
  double tonnes_min, tonnes_max;
  const char* category = nullptr;  // GB 18218 表2, for a substance not in 表1
};
// Substances a demo tank farm holds (names as in GB 18218 表1 or their common aliases).
const Stored kStored[] = {{"液氯", "7782-50-5", 5, 60},     {"液氨", "7664-41-7", 10, 120}, {"甲醇", "67-56-1", 100, 2000},
                          {"汽油", nullptr, 200, 3000},       {"苯", "71-43-2", 20, 200},     {"丙烯", "115-07-1", 10, 150, "W2"},
                          {"环氧乙烷", "75-21-8", 5, 40},     {"硫化氢", "7783-06-4", 1, 10}};

struct PointSpec {
  const char* code;
  const char* name;
  const char* indicator;
  const char* unit;
  double min, max;
  std::optional<double> high, high_high, power_off, restore;
};

// A tank farm's sensors; thresholds as a design institute would set them (GB/T 50493 for gas).
const PointSpec kTankFarm[] = {
    {"T1-LT", "1号储罐液位", "tank_level", "m", 0, 20, 15, 18, {}, {}},
    {"T1-TT", "1号储罐温度", "temperature", "℃", -20, 80, 40, 50, {}, {}},
    {"T1-PT", "1号储罐压力", "pressure", "MPa", 0, 2.5, 1.2, 1.5, {}, {}},
    {"T2-LT", "2号储罐液位", "tank_level", "m", 0, 20, 15, 18, {}, {}},
    {"GAS-01", "罐区可燃气体", "combustible_gas", "%LEL", 0, 100, 25, 50, {}, {}},
};
const PointSpec kUnit[] = {
    {"R1-TT", "反应釜温度", "temperature", "℃", 0, 300, 180, 200, {}, {}},
    {"R1-PT", "反应釜压力", "pressure", "MPa", 0, 4, 2.5, 3, {}, {}},
    {"R1-FT", "进料流量", "flow", "m³/h", 0, 50, 40, 45, {}, {}},
};
// 煤矿安全规程 第四百九十八条: 采煤工作面 报警 1.0 %, 断电 1.5 %, 复电 1.0 %; 采煤工作面回风巷
// 1.0 / 1.0 / 1.0; CO 24 ppm. The face's power is watched by a 馈电 sensor.
const PointSpec kMine[] = {
    {"KD0101", "8101采煤工作面馈电", "feed", "", 0, 1, {}, {}, {}, {}},
    {"MN0101", "8101采煤工作面甲烷", "methane", "%CH4", 0, 4, 1.0, {}, 1.5, 1.0},
    {"MN0102", "8101采煤工作面回风巷甲烷", "methane", "%CH4", 0, 4, 1.0, {}, 1.0, 1.0},
    {"CO0201", "8101采煤工作面一氧化碳", "carbon_monoxide", "ppm", 0, 500, 24, {}, {}, {}},
    {"FS0301", "主要进风巷风速", "wind_speed", "m/s", 0, 15, 8, {}, {}, {}},
};

// A toxic-gas detector for the first toxic substance a tank farm holds, set as GB/T 50493 asks:
// 一级 at most 100 % of the gas's OEL (GBZ 2.1), 二级 at most 200 %, in ppm rounded down.
std::optional<json::object> toxic_point(const std::vector<hazard::Substance>& substances, const std::string& uscc,
                                        const std::string& source_id) {
  for (const auto& s : substances) {
    const auto* limit = monitoring::gas::exposure_limit(s.name);
    if (!limit) continue;
    const double ppm = monitoring::gas::mg_m3_to_ppm(limit->oel(), limit->molar_mass);
    const double step = ppm >= 10 ? 1 : ppm >= 1 ? 0.1 : 0.01;
    const double first = std::floor(ppm / step) * step;
    json::object o{{"enterprise_uscc", uscc}, {"code", "TOX-01"}, {"name", "罐区" + limit->gas}, {"indicator", "toxic_gas"},
                   {"unit", "ppm"}, {"gas", limit->gas}, {"range", {{"min", 0}, {"max", std::ceil(first * 10)}}},
                   {"thresholds", {{"high", std::round(first / step) * step}, {"high_high", std::round(2 * first / step) * step}}},
                   {"period_s", 10}, {"hazard_source_id", source_id}};
    return o;
  }
  return std::nullopt;
}

// "yyyy-MM-dd HH:mm:ss" in Beijing time, as the coal-mine files write it.
std::string mine_time(Millis t) {
  const std::string iso = format_iso(t - t % 1000);
  return iso.substr(0, 10) + " " + iso.substr(11, 8);
}

// A CDSS file of the mine's records ("point;value;state") at time t, taken as the mine's system would send it.
Status send_cdss(App& app, const auth::Principal& system, const std::string& mine, Millis t, const std::vector<std::string>& records) {
  std::string body = mine + ";演示煤矿;" + mine_time(t) + "~";
  for (const auto& r : records) body += mine + r + ";" + mine_time(t) + "~";
  std::string stamp = mine_time(t);
  std::erase_if(stamp, [](char c) { return c == '-' || c == ' ' || c == ':'; });
  auto taken = app.coal_files().take(system, mine + "_CDSS_" + stamp + ".txt", body + "||", "demo");
  if (!taken.ok()) return taken.take_error();
  return {};
}

// What a regulator should find in the first two mines' records: a 超限未断电 two hours ago — the
// gas at 1.62 % with the system reporting 报警 but no 断电 for 20 s until the power was cut, gone
// up to the city at once — and a 标校 (calibration) of the face's sensor an hour ago.
Status demo_mine_history(App& app, const auth::Principal& system, const std::vector<std::string>& mines) {
  const Millis now = now_ms();
  if (!mines.empty()) {
    const Millis t = now - 2 * 3'600'000;
    ANJIAN_TRY(send_cdss(app, system, mines[0], t - 10'000, {"KD0101;1;0", "MN0101;0.42;0", "MN0102;0.38;0"}));
    ANJIAN_TRY(send_cdss(app, system, mines[0], t, {"KD0101;1;0", "MN0101;1.62;1", "MN0102;0.96;0"}));
    auto up = app.alarms_service().escalate(t + 5'000, monitoring::EscalationSettings{});
    if (!up.ok()) return up.take_error();
    ANJIAN_TRY(send_cdss(app, system, mines[0], t + 10'000, {"KD0101;1;1", "MN0101;1.71;1", "MN0102;1.02;1"}));
    ANJIAN_TRY(send_cdss(app, system, mines[0], t + 20'000, {"KD0101;0;0", "MN0101;1.55;3", "MN0102;0.99;2"}));
    ANJIAN_TRY(send_cdss(app, system, mines[0], t + 90'000, {"KD0101;1;0", "MN0101;0.61;0", "MN0102;0.52;0"}));
  }
  if (mines.size() > 1) {
    const Millis t = now - 3'600'000;
    ANJIAN_TRY(send_cdss(app, system, mines[1], t - 10'000, {"MN0101;0.31;0"}));
    for (int i = 0; i < 9; ++i) ANJIAN_TRY(send_cdss(app, system, mines[1], t + i * 10'000, {"MN0101;" + std::string(i < 2 ? "1.20" : "2.00") + ";16"}));
    ANJIAN_TRY(send_cdss(app, system, mines[1], t + 90'000, {"MN0101;0.33;0"}));
  }
  return {};
}

json::object point_json(const PointSpec& p, const std::string& uscc, const std::string& prefix, const std::string& source_id) {
  json::object thresholds;
  if (p.high) thresholds["high"] = *p.high;
  if (p.high_high) thresholds["high_high"] = *p.high_high;
  if (p.power_off) thresholds["power_off"] = *p.power_off;
  if (p.restore) thresholds["restore"] = *p.restore;
  json::object o{{"enterprise_uscc", uscc}, {"code", prefix + p.code}, {"name", p.name}, {"indicator", p.indicator},
                 {"unit", p.unit}, {"range", {{"min", p.min}, {"max", p.max}}}, {"thresholds", std::move(thresholds)},
                 {"period_s", 10}};
  if (!source_id.empty()) o["hazard_source_id"] = source_id;
  return o;
}
}  // namespace

Result<size_t> generate_demo_monitoring(App& app, const auth::Principal& system,
                                        const std::vector<enterprise::Enterprise>& enterprises, std::mt19937_64& rng) {
  size_t points = 0, chemical = 0, mines = 0;
  std::vector<std::string> mine_codes;
  std::uniform_real_distribution<double> u(0, 1);
  auto add_points = [&](const auto& specs, const std::string& uscc, const std::string& prefix, const std::string& source_id) -> Status {
    for (const auto& spec : specs) {
      auto p = app.points().create(system, point_json(spec, uscc, prefix, source_id), "demo");
      if (!p.ok()) return p.take_error();
      ++points;
    }
    return {};
  };
  for (size_t i = 0; i < enterprises.size(); ++i) {
    const auto& e = enterprises[i];
    if (e.status != "operating" && i != 0) continue;
    const bool producer = e.industry == "hazchem_production";
    const bool big_user = (e.industry == "hazchem_use" || e.industry == "hazchem_operation") && (e.scale == "large" || e.scale == "medium");
    // The first enterprise is the demo enterprise manager's: it is always watched.
    if (i == 0 || ((producer || big_user) && chemical < 100)) {
      ++chemical;
      json::array substances;
      for (int k = 0; k < 2; ++k) {
        const Stored& s = kStored[static_cast<size_t>(rng() % std::size(kStored))];
        json::object o{{"name", s.name}, {"quantity_t", std::round(s.tonnes_min + u(rng) * (s.tonnes_max - s.tonnes_min))}};
        if (s.cas) o["cas"] = s.cas;
        if (s.category) o["category"] = s.category;
        substances.push_back(std::move(o));
      }
      // People within 500 m: most plants sit in chemical parks, some near villages.
      const std::int64_t people = u(rng) < 0.6 ? static_cast<std::int64_t>(rng() % 30) : static_cast<std::int64_t>(30 + rng() % 300);
      json::object farm{{"enterprise_uscc", e.uscc}, {"code", "HS-01"}, {"name", "1号储罐区"}, {"kind", "tank_farm"},
                        {"people_exposed", people}, {"substances", std::move(substances)}};
      if (e.lon && e.lat) {
        farm["lon"] = *e.lon;
        farm["lat"] = *e.lat;
      }
      auto source = app.hazards().create(system, farm, "demo");
      if (!source.ok()) return source.take_error();
      // Graded as a regulator would: by GB 18218 from what it holds.
      auto graded = app.assessments().assess(system, source->id, "assessed", "demo");
      if (!graded.ok()) return graded.take_error();
      ANJIAN_TRY(add_points(kTankFarm, e.uscc, "", source->id));
      if (auto toxic = toxic_point(source->substances, e.uscc, source->id)) {
        auto p = app.points().create(system, *toxic, "demo");
        if (!p.ok()) return p.take_error();
        ++points;
      }
      if (producer) {
        json::object unit{{"enterprise_uscc", e.uscc}, {"code", "HS-02"}, {"name", "合成装置"}, {"kind", "production_unit"},
                          {"people_exposed", people},
                          {"substances", json::array{json::object{{"name", "甲醇"}, {"cas", "67-56-1"}, {"quantity_t", 80}}}}};
        auto u2 = app.hazards().create(system, unit, "demo");
        if (!u2.ok()) return u2.take_error();
        auto graded2 = app.assessments().assess(system, u2->id, "assessed", "demo");
        if (!graded2.ok()) return graded2.take_error();
        ANJIAN_TRY(add_points(kUnit, e.uscc, "", u2->id));
      }
    } else if (e.industry == "coal_mine" && mines < 30) {
      // Its code in the provincial coal-mine network: the county code and a serial.
      const std::string mine_code = e.region_code + std::to_string(100000 + mines++);
      auto linked = app.coal_files().link(system, e.uscc, mine_code, "demo");
      if (!linked.ok()) return linked.take_error();
      ANJIAN_TRY(add_points(kMine, e.uscc, mine_code, ""));
      // The face's methane sensor and the 馈电 sensor of the power it cuts.
      auto face = app.points().list(system.scope, monitoring::PointFilter{.enterprise_uscc = e.uscc, .code = mine_code + "MN0101"});
      if (!face.ok()) return face.take_error();
      if (!face->items.empty()) {
        auto linked_feed = app.points().update(system, face->items[0].id, face->items[0].version,
                                               json::object{{"feed_point", mine_code + "KD0101"}}, "demo");
        if (!linked_feed.ok()) return linked_feed.take_error();
      }
      mine_codes.push_back(mine_code);
    }
  }
  ANJIAN_TRY(demo_mine_history(app, system, mine_codes));
  return points;
}

Result<std::vector<std::string>> demo_silent_mines(App& app) {
  auto r = app.db().read();
  if (!r.ok()) return r.take_error();
  auto rows = (*r)->query("SELECT enterprise_uscc FROM coal_mines ORDER BY mine_code LIMIT 1 OFFSET 2");
  if (!rows.ok()) return rows.take_error();
  std::vector<std::string> out;
  for (const auto& row : *rows) out.push_back(row.str(0));
  return out;
}

}  // namespace anjian::app
