#include "app/demo_monitoring.h"

#include <boost/json.hpp>

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
    {"TOX-01", "罐区有毒气体", "toxic_gas", "ppm", 0, 100, 10, 20, {}, {}},
};
const PointSpec kUnit[] = {
    {"R1-TT", "反应釜温度", "temperature", "℃", 0, 300, 180, 200, {}, {}},
    {"R1-PT", "反应釜压力", "pressure", "MPa", 0, 4, 2.5, 3, {}, {}},
    {"R1-FT", "进料流量", "flow", "m³/h", 0, 50, 40, 45, {}, {}},
};
// 煤矿安全规程: 采煤工作面 报警 1.0 %, 断电 1.5 %, 复电 1.0 %; 回风巷 1.0 / 1.0 / 1.0; CO 24 ppm.
const PointSpec kMine[] = {
    {"MN0101", "8101采煤工作面甲烷", "methane", "%CH4", 0, 4, 1.0, {}, 1.5, 1.0},
    {"MN0102", "8101回风巷甲烷", "methane", "%CH4", 0, 4, 1.0, {}, 1.0, 1.0},
    {"CO0201", "8101采煤工作面一氧化碳", "carbon_monoxide", "ppm", 0, 500, 24, {}, {}, {}},
    {"FS0301", "主要进风巷风速", "wind_speed", "m/s", 0, 15, 8, {}, {}, {}},
};

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
    }
  }
  return points;
}

}  // namespace anjian::app
