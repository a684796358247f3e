#include "modules/monitoring/gas_rules.h"

#include <charconv>
#include <cmath>
#include <stdexcept>

#include "base/csv.h"
#include "base/embedded_table.h"
#include "base/json_text.h"
#include "base/text.h"

namespace anjian::monitoring::gas {

namespace {
std::optional<double> number(const std::string& s) {
  if (s.empty()) return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) throw std::runtime_error("bad number in a gas table: " + s);
  return v;
}


std::string pct(double v) { return number_text(v) + " %"; }
}  // namespace

const std::vector<MethanePlace>& methane_places() {
  static const std::vector<MethanePlace> table = [] {
    std::vector<MethanePlace> out;
    for (auto& f : embedded::csv_rows("coal/methane-thresholds.csv", 8))
      out.push_back({std::stoi(f[0]), f[1], split_list(f[2], '|'), *number(f[3]), number(f[4]), number(f[5]), f[6], f[7]});
    return out;
  }();
  return table;
}

const MethanePlace* methane_place(std::string_view place) {
  for (const auto& p : methane_places())
    if (p.place == place) return &p;
  return nullptr;
}

const MethanePlace* methane_place_in(std::string_view location) {
  const MethanePlace* best = nullptr;
  size_t best_end = 0, best_len = 0;
  for (const auto& p : methane_places())
    for (const auto& w : p.match)
      for (size_t at = location.find(w); at != std::string_view::npos; at = location.find(w, at + 1)) {
        const size_t end = at + w.size();
        if (!best || end > best_end || (end == best_end && w.size() > best_len)) {
          best = &p;
          best_end = end;
          best_len = w.size();
        }
      }
  return best;
}

double ExposureLimit::oel() const { return mac ? *mac : stel ? *stel : *twa; }
std::string_view ExposureLimit::oel_kind() const { return mac ? "MAC" : stel ? "PC-STEL" : "PC-TWA"; }

const std::vector<ExposureLimit>& exposure_limits() {
  static const std::vector<ExposureLimit> table = [] {
    std::vector<ExposureLimit> out;
    for (auto& f : embedded::csv_rows("monitoring/occupational-exposure-limits.csv", 9)) {
      ExposureLimit l{f[0], f[1], f[2], *number(f[3]), number(f[4]), number(f[5]), number(f[6]), split_list(f[7], '|'), f[8]};
      if (!l.mac && !l.stel && !l.twa) throw std::runtime_error("occupational-exposure-limits.csv: " + l.gas + " has no limit");
      out.push_back(std::move(l));
    }
    return out;
  }();
  return table;
}

const ExposureLimit* exposure_limit(std::string_view gas) {
  for (const auto& l : exposure_limits()) {
    if (l.gas == gas || l.cas == gas || l.formula == gas) return &l;
    for (const auto& a : l.aliases)
      if (a == gas) return &l;
  }
  return nullptr;
}

double ppm_to_mg_m3(double ppm, double molar_mass) { return ppm * molar_mass / kMolarVolume; }
double mg_m3_to_ppm(double mg_m3, double molar_mass) { return mg_m3 * kMolarVolume / molar_mass; }

std::vector<Finding> findings(const Settings& s) {
  std::vector<Finding> out;
  const bool methane = s.indicator == "methane", co = s.indicator == "carbon_monoxide";
  if ((methane || co) && s.delay_s > 0)
    out.push_back({"delay_not_allowed", "delay_s",
                   "甲烷、一氧化碳测点不得设置报警延时：超限须立即报警、断电（煤矿安全规程第四百九十八条；AQ 6201-2019 断电时间不大于 2 s）",
                   true});
  if (methane && !s.place.empty()) {
    if (const MethanePlace* row = methane_place(s.place)) {
      const std::string rule = "《煤矿安全规程》第四百九十八条「" + row->place + "」";
      auto looser = [&](std::string field, std::string what) {
        out.push_back({"looser_than_rule", std::move(field), std::move(what), true});
      };
      if (!s.high || *s.high > row->alarm)
        looser("thresholds.high", (s.high ? "报警值 " + pct(*s.high) + " 宽于" : "未设报警值，") + rule + "报警 ≥" + pct(row->alarm));
      if (row->power_off && (!s.power_off || *s.power_off > *row->power_off))
        looser("thresholds.power_off",
               (s.power_off ? "断电值 " + pct(*s.power_off) + " 宽于" : "未设断电值，") + rule + "断电 ≥" + pct(*row->power_off));
      // Without its own restore value a point restores below its power-off value.
      const std::optional<double> restore = s.restore ? s.restore : s.power_off;
      if (row->restore && restore && *restore > *row->restore)
        looser("thresholds.restore", "复电值 " + pct(*restore) + " 宽于" + rule + "复电 <" + pct(*row->restore));
    }
  }
  if (co && (s.unit == "ppm" || s.unit.empty()) && (!s.high || *s.high > kCoalCoAlarmPpm))
    out.push_back({"looser_than_rule", "thresholds.high",
                   (s.high ? "报警值 " + number_text(*s.high) + " ppm 宽于" : std::string("未设报警值，")) +
                       "煤矿一氧化碳报警 ≥24 ppm（煤矿安全规程 有害气体最高允许浓度 0.0024 %；AQ 1029-2019）",
                   true});
  if (s.indicator == "toxic_gas") {
    const ExposureLimit* l = s.gas.empty() ? nullptr : exposure_limit(s.gas);
    if (s.gas.empty()) {
      out.push_back({"gas_unknown", "gas", "有毒气体测点未指明所测气体，无法按职业接触限值（GBZ 2.1）核对报警值", false});
    } else if (!l) {
      out.push_back({"gas_not_in_table", "gas", "气体「" + std::string(s.gas) + "」不在职业接触限值表中，报警值未核对", false});
    } else {
      const bool ppm = s.unit == "ppm", mg = s.unit == "mg/m³" || s.unit == "mg/m3";
      if (!ppm && !mg) {
        out.push_back({"unit_unknown", "unit", "有毒气体测点单位须为 ppm 或 mg/m³，才能按职业接触限值核对报警值", false});
      } else {
        const std::string oel = l->gas + " " + std::string(l->oel_kind()) + " " + number_text(l->oel()) + " mg/m³（GBZ 2.1-2019）";
        auto check = [&](const std::optional<double>& v, double times, const char* field, const char* level) {
          if (!v) return;
          const double in_mg = ppm ? ppm_to_mg_m3(*v, l->molar_mass) : *v;
          if (in_mg <= l->oel() * times * (1 + 1e-9)) return;
          const std::string as_mg = ppm ? number_text(*v) + " ppm（" + number_text(std::round(in_mg * 100) / 100) + " mg/m³）"
                                        : number_text(*v) + " mg/m³";
          out.push_back({"above_oel", field,
                         std::string(level) + "报警值 " + as_mg + " 高于 " + number_text(times * 100) + " % 职业接触限值：" + oel +
                             "（GB/T 50493-2019）",
                         false});
        };
        check(s.high, 1, "thresholds.high", "一级");
        check(s.high_high, 2, "thresholds.high_high", "二级");
      }
    }
  }
  if (s.indicator == "combustible_gas" && s.unit == "%LEL") {
    if (s.high && *s.high > 25)
      out.push_back({"above_lel", "thresholds.high", "一级报警值 " + number_text(*s.high) + " %LEL 高于 25 %LEL（GB/T 50493-2019）", false});
    if (s.high_high && *s.high_high > 50)
      out.push_back({"above_lel", "thresholds.high_high", "二级报警值 " + number_text(*s.high_high) + " %LEL 高于 50 %LEL（GB/T 50493-2019）", false});
  }
  return out;
}

}  // namespace anjian::monitoring::gas
