// The settings gas points must keep (DOMAIN.md §8): the 第四百九十八条 methane table by place, CO
// in coal mines, toxic gases against their OEL (GBZ 2.1, ppm ↔ mg/m³ at 20 °C), combustible gas by %LEL.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "modules/monitoring/gas_rules.h"

using namespace anjian::monitoring::gas;

namespace {
std::set<std::string> codes(const std::vector<Finding>& f, bool refusing_only = false) {
  std::set<std::string> out;
  for (const auto& x : f)
    if (!refusing_only || x.refuses) out.insert(x.code + "@" + x.field);
  return out;
}
Settings methane(std::string_view place, std::optional<double> alarm, std::optional<double> off, std::optional<double> restore) {
  Settings s;
  s.indicator = "methane";
  s.unit = "%CH4";
  s.place = place;
  s.high = alarm;
  s.power_off = off;
  s.restore = restore;
  return s;
}
}  // namespace

TEST(MethaneTable, RebuiltFromArticle498WithASourcePerRow) {
  const auto& rows = methane_places();
  EXPECT_GE(rows.size(), 24u);
  std::set<std::string> places;
  for (const auto& r : rows) {
    EXPECT_TRUE(places.insert(r.place).second) << "one row per place: " << r.place;
    EXPECT_NE(r.source.find("第四百九十八条"), std::string::npos) << r.place;
    EXPECT_EQ(r.place.find("专用排瓦斯巷"), std::string::npos) << "removed in 2016: " << r.place;
    EXPECT_EQ(r.place.find("上隅角"), std::string::npos) << "now 回风隅角: " << r.place;
    if (r.power_off) {
      EXPECT_GE(*r.power_off, r.alarm) << r.place;
      ASSERT_TRUE(r.restore) << r.place;
      EXPECT_LE(*r.restore, *r.power_off) << r.place;
    }
  }
  // DOMAIN.md §8's defaults by place.
  auto row = [](const char* p) { return methane_place(p); };
  ASSERT_TRUE(row("采煤工作面回风隅角"));
  EXPECT_EQ(row("采煤工作面回风隅角")->alarm, 1.0);
  EXPECT_EQ(*row("采煤工作面回风隅角")->power_off, 1.5);
  EXPECT_EQ(*row("采煤工作面回风隅角")->restore, 1.0);
  EXPECT_EQ(*row("采煤工作面回风巷")->power_off, 1.0);
  EXPECT_EQ(*row("煤巷、半煤岩巷和有瓦斯涌出岩巷的掘进工作面")->power_off, 1.5);
  EXPECT_EQ(*row("煤巷、半煤岩巷和有瓦斯涌出岩巷的掘进工作面回风流中")->power_off, 1.0);
  EXPECT_EQ(row("一翼回风巷及总回风巷")->alarm, 0.75);
  EXPECT_FALSE(row("一翼回风巷及总回风巷")->power_off);
  EXPECT_EQ(*row("采区回风巷")->power_off, 1.0);
  EXPECT_EQ(row("井下煤仓")->alarm, 1.5);
  EXPECT_EQ(*row("井下煤仓")->restore, 1.5);
}

TEST(MethaneTable, PlacesAreRecognisedByWhereTheLocationEnds) {
  auto in = [](const char* location) {
    const MethanePlace* p = methane_place_in(location);
    return p ? p->place : std::string("-");
  };
  EXPECT_EQ(in("8101采煤工作面回风隅角"), "采煤工作面回风隅角");
  EXPECT_EQ(in("8101工作面上隅角"), "采煤工作面回风隅角");  // the older word still names it
  EXPECT_EQ(in("8101采煤工作面"), "低瓦斯、高瓦斯矿井的采煤工作面");
  EXPECT_EQ(in("8101采煤工作面回风巷"), "采煤工作面回风巷");
  EXPECT_EQ(in("3102掘进工作面"), "煤巷、半煤岩巷和有瓦斯涌出岩巷的掘进工作面");
  EXPECT_EQ(in("3102掘进工作面回风流"), "煤巷、半煤岩巷和有瓦斯涌出岩巷的掘进工作面回风流中");
  EXPECT_EQ(in("北翼总回风巷"), "一翼回风巷及总回风巷");
  EXPECT_EQ(in("二采区回风巷"), "采区回风巷");
  EXPECT_EQ(in("2号煤仓"), "井下煤仓");
  EXPECT_EQ(in("主要进风巷风速"), "-");
  EXPECT_EQ(in(""), "-");
}

TEST(GasRules, MethaneStricterPassesLooserIsRefusedNamingTheRow) {
  const char* corner = "采煤工作面回风隅角";
  EXPECT_TRUE(findings(methane(corner, 1.0, 1.5, 1.0)).empty());
  EXPECT_TRUE(findings(methane(corner, 0.8, 1.2, 0.8)).empty()) << "stricter is allowed";
  EXPECT_EQ(codes(findings(methane(corner, 1.01, 1.5, 1.0))), (std::set<std::string>{"looser_than_rule@thresholds.high"}));
  EXPECT_EQ(codes(findings(methane(corner, 1.0, 1.6, 1.0))), (std::set<std::string>{"looser_than_rule@thresholds.power_off"}));
  EXPECT_EQ(codes(findings(methane(corner, 1.0, 1.5, 1.2))), (std::set<std::string>{"looser_than_rule@thresholds.restore"}));
  // Without a restore value the point restores below its power-off value (1.5 > 1.0): looser.
  EXPECT_EQ(codes(findings(methane(corner, 1.0, 1.5, std::nullopt))), (std::set<std::string>{"looser_than_rule@thresholds.restore"}));
  EXPECT_EQ(codes(findings(methane(corner, std::nullopt, std::nullopt, std::nullopt))),
            (std::set<std::string>{"looser_than_rule@thresholds.high", "looser_than_rule@thresholds.power_off"}));
  auto f = findings(methane(corner, 1.2, 1.5, 1.0));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_TRUE(f[0].refuses);
  EXPECT_NE(f[0].message.find("第四百九十八条"), std::string::npos) << f[0].message;
  EXPECT_NE(f[0].message.find("采煤工作面回风隅角"), std::string::npos) << f[0].message;
  EXPECT_NE(f[0].message.find("1.2 %"), std::string::npos) << f[0].message;
  // A place with no power-off asks only for its alarm.
  EXPECT_TRUE(findings(methane("一翼回风巷及总回风巷", 0.75, std::nullopt, std::nullopt)).empty());
  EXPECT_FALSE(findings(methane("一翼回风巷及总回风巷", 0.8, std::nullopt, std::nullopt)).empty());
  // No place known: nothing to judge against.
  EXPECT_TRUE(findings(methane("", 3.0, 4.0, 3.0)).empty());
}

TEST(GasRules, MethaneAndCoTakeNoDelayAndCoAlarmsAt24ppm) {
  Settings s = methane("", 1.0, 1.5, 1.0);
  s.delay_s = 5;
  EXPECT_EQ(codes(findings(s), true), (std::set<std::string>{"delay_not_allowed@delay_s"}));
  Settings co;
  co.indicator = "carbon_monoxide";
  co.unit = "ppm";
  co.high = 24;
  EXPECT_TRUE(findings(co).empty());
  co.high = 24.5;
  EXPECT_EQ(codes(findings(co), true), (std::set<std::string>{"looser_than_rule@thresholds.high"}));
  co.high = 20;
  co.delay_s = 1;
  EXPECT_EQ(codes(findings(co), true), (std::set<std::string>{"delay_not_allowed@delay_s"}));
  Settings temperature;
  temperature.indicator = "temperature";
  temperature.delay_s = 30;
  EXPECT_TRUE(findings(temperature).empty()) << "a delay is fine elsewhere";
}

TEST(GasRules, PpmAndMilligramsPerCubicMetreAt20Degrees) {
  EXPECT_NEAR(kMolarVolume, 24.055, 0.001);
  // 硫化氢 MAC 10 mg/m³ ≈ 7.06 ppm; 一氧化碳 PC-STEL 30 mg/m³ ≈ 25.8 ppm; 氨 PC-STEL 30 mg/m³ ≈ 42.4 ppm.
  const auto* h2s = exposure_limit("H2S");
  ASSERT_TRUE(h2s);
  EXPECT_EQ(h2s->gas, "硫化氢");
  EXPECT_EQ(h2s->oel_kind(), "MAC");
  EXPECT_EQ(h2s->oel(), 10);
  EXPECT_NEAR(mg_m3_to_ppm(10, h2s->molar_mass), 7.06, 0.01);
  EXPECT_NEAR(ppm_to_mg_m3(mg_m3_to_ppm(10, h2s->molar_mass), h2s->molar_mass), 10, 1e-9);
  const auto* co = exposure_limit("630-08-0");
  ASSERT_TRUE(co);
  EXPECT_EQ(co->oel_kind(), "PC-STEL");
  EXPECT_NEAR(mg_m3_to_ppm(co->oel(), co->molar_mass), 25.76, 0.01);
  const auto* nh3 = exposure_limit("液氨");
  ASSERT_TRUE(nh3);
  EXPECT_EQ(nh3->oel(), 30) << "PC-STEL before PC-TWA (DOMAIN.md §8)";
  EXPECT_NEAR(mg_m3_to_ppm(30, nh3->molar_mass), 42.37, 0.01);
  EXPECT_EQ(exposure_limit("氯气")->oel(), 1);
  EXPECT_EQ(exposure_limit("环氧乙烷")->oel_kind(), "PC-TWA");
  EXPECT_EQ(exposure_limit("氦"), nullptr);
  // The toxic gases of GB 18218 表3 and the common ones are all there.
  for (const char* g : {"一氧化碳", "二氧化硫", "氨", "环氧乙烷", "氯化氢", "溴甲烷", "氯", "硫化氢", "氟化氢", "二氧化氮", "氰化氢",
                        "碳酰氯", "磷化氢", "异氰酸甲酯"})
    EXPECT_TRUE(exposure_limit(g)) << g;
}

TEST(GasRules, ToxicSettingsAreFlaggedAbove100And200PercentOel) {
  Settings s;
  s.indicator = "toxic_gas";
  s.unit = "ppm";
  s.gas = "硫化氢";
  s.high = 7;        // 9.9 mg/m³ ≤ 10
  s.high_high = 14;  // 19.8 mg/m³ ≤ 20
  EXPECT_TRUE(findings(s).empty());
  s.high = 7.1;  // 10.03 mg/m³
  EXPECT_EQ(codes(findings(s)), (std::set<std::string>{"above_oel@thresholds.high"}));
  s.high = 10;
  s.high_high = 20;  // the demo's old 10/20 ppm, whatever the gas: both above
  auto f = findings(s);
  EXPECT_EQ(codes(f), (std::set<std::string>{"above_oel@thresholds.high", "above_oel@thresholds.high_high"}));
  for (const auto& x : f) EXPECT_FALSE(x.refuses) << "flagged, not refused";
  EXPECT_NE(f[0].message.find("MAC 10 mg/m³"), std::string::npos) << f[0].message;
  s.unit = "mg/m³";
  s.high = 10;
  s.high_high = 20;
  EXPECT_TRUE(findings(s).empty()) << "in mg/m³ the same numbers are exactly 100 % and 200 %";
  s.gas = "";
  EXPECT_EQ(codes(findings(s)), (std::set<std::string>{"gas_unknown@gas"}));
  s.gas = "某种气体";
  EXPECT_EQ(codes(findings(s)), (std::set<std::string>{"gas_not_in_table@gas"}));
  s.gas = "氯";
  s.unit = "%";
  EXPECT_EQ(codes(findings(s)), (std::set<std::string>{"unit_unknown@unit"}));
}

TEST(GasRules, CombustibleGasBy25And50PercentLel) {
  Settings s;
  s.indicator = "combustible_gas";
  s.unit = "%LEL";
  s.high = 25;
  s.high_high = 50;
  EXPECT_TRUE(findings(s).empty());
  s.high = 26;
  s.high_high = 51;
  EXPECT_EQ(codes(findings(s)), (std::set<std::string>{"above_lel@thresholds.high", "above_lel@thresholds.high_high"}));
}
