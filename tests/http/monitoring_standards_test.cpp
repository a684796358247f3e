// Monitoring by the standards (DOMAIN.md §8, §8a), end to end on both backends: a coal system's
// state bits as alarms, 超限未断电 with and without a 馈电 point, 标校 stored and never alarmed,
// over-range methane, settings looser than 第四百九十八条 refused through the API and recorded from
// a mine's file, OEL flags, the mine's upload interval, 联网中断 holding point alarms, a restart
// restoring states, escalation by duration, late 超限, and an alarm's peak.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "modules/monitoring/alarm_service.h"
#include "modules/monitoring/pipeline.h"
#include "support/backends.h"
#include "support/coal_mine.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;

namespace {
// A mine's definitions: a methane point at the working face, one at the return corner whose
// settings are looser than the rule (1.2 / 2.0 / 1.5 against 1.0 / 1.5 / 1.0), and a 馈电 sensor.
std::string cddy(const std::string& mine) {
  return mine + ";同煤某某煤矿;2026-11-29 08:00:00~" + mine + "MN0101;01;0001;8101采煤工作面;%CH4;0;4;1.0;;1.5;1.0;8101工作面及回风巷~" +
         mine + "MN0102;01;0001;8101采煤工作面回风隅角;%CH4;0;4;1.2;;2.0;1.5;8101工作面及回风巷~" + mine +
         "KD0101;01;1002;8101工作面馈电;;;;;;;;~||";
}
}  // namespace

class MineStandards : public CoalFilesApi {
 protected:
  void SetUp() override {
    CoalFilesApi::SetUp();
    if (!w_) return;
    auto defs = upload(mine_ + "_CDDY_20261129080000.txt", cddy(mine_), key_);
    ASSERT_EQ(defs.status, 200u) << defs.body;
    defs_ = defs.json().as_object();
  }
  // A CDSS file of these records ("point;value;state" at time t).
  HttpResult values(Millis t, const std::vector<std::string>& records) {
    std::string body = mine_ + ";同煤某某煤矿;" + local(t) + "~";
    for (const auto& r : records) body += mine_ + r + ";" + local(t) + "~";
    return upload(mine_ + "_CDSS_20261129083000.txt", body + "||", key_);
  }
  json::array alarms(const std::string& extra = "") {
    return w_->as("xihu_insp").get("/api/v1/alarms?page_size=500&enterprise_uscc=" + uscc_ + extra).items();
  }
  // type → state of this mine's alarms of one point ("" for the mine itself).
  std::multiset<std::string> open_of(const std::string& point) {
    std::multiset<std::string> out;
    for (const auto& a : alarms())
      if (a.at("point").as_string() == (point.empty() ? "" : mine_ + point) && a.at("recovered_at").is_null())
        out.insert(std::string(a.at("type").as_string()));
    return out;
  }
  json::object point(const std::string& code) {
    for (const auto& p : w_->as("xihu_insp").get("/api/v1/monitoring/points?page_size=100&enterprise_uscc=" + uscc_).items())
      if (p.at("code").as_string() == mine_ + code) return p.as_object();
    return {};
  }
  json::object defs_;
};

TEST_P(MineStandards, DefinitionsLooserThanTheRuleAreKeptAsFindings) {
  EXPECT_EQ(defs_.at("points_created").as_int64(), 3);
  // The looser corner point is defined (the mine's file says so) and the report warns, by record.
  std::set<std::int64_t> warned;
  for (const auto& w : defs_.at("warnings").as_array()) warned.insert(w.at("record").as_int64());
  EXPECT_EQ(warned, (std::set<std::int64_t>{3})) << json_text(defs_);
  auto corner = point("MN0102");
  EXPECT_EQ(corner.at("place").as_string(), "采煤工作面回风隅角");
  std::set<std::string> fields;
  for (const auto& f : corner.at("findings").as_array()) {
    EXPECT_EQ(f.at("code").as_string(), "looser_than_rule");
    EXPECT_NE(std::string(f.at("message").as_string()).find("第四百九十八条"), std::string::npos);
    fields.insert(std::string(f.at("field").as_string()));
  }
  EXPECT_EQ(fields, (std::set<std::string>{"thresholds.high", "thresholds.power_off", "thresholds.restore"}));
  auto face = point("MN0101");
  EXPECT_EQ(face.at("place").as_string(), "低瓦斯、高瓦斯矿井的采煤工作面");
  EXPECT_TRUE(face.at("findings").as_array().empty());
  EXPECT_EQ(point("KD0101").at("indicator").as_string(), "feed");
  // The regulator's list of points with findings holds the corner only.
  auto flagged = w_->as("xihu_insp").get("/api/v1/monitoring/points?with_findings=true&enterprise_uscc=" + uscc_);
  ASSERT_EQ(flagged.status, 200u);
  ASSERT_EQ(flagged.items().size(), 1u);
  EXPECT_EQ(flagged.items()[0].at("code").as_string(), mine_ + "MN0102");
  // Points a mine's file defines take its upload interval as their period (30 s unless set).
  EXPECT_EQ(face.at("period_s").as_int64(), 30);
  auto admin = w_->as("zj_admin");
  EXPECT_EQ(admin.request("PUT", "/api/v1/enterprises/" + uscc_ + "/coal-mine", R"({"mine_code":")" + mine_ + R"(","upload_interval_s":2})")
                .error_field(), "upload_interval_s");
  auto set = admin.request("PUT", "/api/v1/enterprises/" + uscc_ + "/coal-mine", R"({"mine_code":")" + mine_ + R"(","upload_interval_s":60})");
  ASSERT_EQ(set.status, 200u) << set.body;
  EXPECT_EQ(set.json().at("upload_interval_s").as_int64(), 60);
  ASSERT_EQ(upload(mine_ + "_CDDY_20261129090000.txt", cddy(mine_), key_).status, 200u);
  EXPECT_EQ(point("MN0101").at("period_s").as_int64(), 60);
  // Through the API the same looser setting is refused, naming the rule.
  auto m = w_->as("zj_admin");
  auto refused = m.patch("/api/v1/monitoring/points/" + std::string(face.at("id").as_string()),
                         json::object{{"thresholds", json::object{{"power_off", 1.6}}}}, "\"" + std::to_string(point("MN0101").at("version").as_int64()) + "\"");
  EXPECT_EQ(refused.error_field(), "thresholds.power_off") << refused.body;
  EXPECT_NE(refused.body.find("第四百九十八条"), std::string::npos);
}

TEST_P(MineStandards, StateBitsAreAlarmsAndUncutPowerIsTheMostSerious) {
  const Millis t = now_ms() - 120'000;
  // 1.6 % at the face, the system reports 报警 but no 断电: 超限未断电.
  auto r = values(t, {"MN0101;1.6;1"});
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(open_of("MN0101"), (std::multiset<std::string>{"no_power_off", "power_off", "reported_alarm", "threshold"}));
  // It goes up at once, whoever acknowledged it; the others wait for their time.
  auto& service = w_->app->alarms_service();
  ASSERT_TRUE(service.escalate(now_ms(), monitoring::EscalationSettings{}).ok());
  for (const auto& a : alarms())
    if (a.at("point").as_string() == mine_ + "MN0101" && a.at("recovered_at").is_null()) {
      EXPECT_EQ(!a.at("escalated_at").is_null(), a.at("type").as_string() == "no_power_off") << a;
    }
  // Higher, and now cut (断电 bit): 超限未断电 ends, the system's 断电 is its own alarm, and the
  // alarms open keep when the power was cut.
  ASSERT_EQ(values(t + 10'000, {"MN0101;1.8;3"}).status, 200u);
  EXPECT_EQ(open_of("MN0101"), (std::multiset<std::string>{"power_off", "reported_alarm", "reported_power_off", "threshold"}));
  // Back to 0.5 % with no bits: everything recovers; the threshold alarm kept its peak and the
  // times of 断电 and 复电.
  ASSERT_EQ(values(t + 20'000, {"MN0101;0.5;0"}).status, 200u);
  EXPECT_TRUE(open_of("MN0101").empty());
  bool checked = false;
  for (const auto& a : alarms("&type=threshold"))
    if (a.at("point").as_string() == mine_ + "MN0101") {
      checked = true;
      EXPECT_EQ(a.at("peak_value").to_number<double>(), 1.8);
      EXPECT_EQ(a.at("peak_at").as_string(), format_iso(t + 10'000 - (t + 10'000) % 1000));
      EXPECT_EQ(a.at("power_off_at").as_string(), format_iso(t + 10'000 - (t + 10'000) % 1000));
      EXPECT_EQ(a.at("power_restored_at").as_string(), format_iso(t + 20'000 - (t + 20'000) % 1000));
      EXPECT_EQ(a.at("duration_s").as_int64(), 20);
    }
  EXPECT_TRUE(checked);
  // 馈电异常 (bit 4) of the feed sensor.
  ASSERT_EQ(values(t + 30'000, {"KD0101;1;4"}).status, 200u);
  EXPECT_EQ(open_of("KD0101"), (std::multiset<std::string>{"feed_abnormal"}));
}

TEST_P(MineStandards, ALinkedFeedPointDecidesWhetherThePowerIsOff) {
  auto face = point("MN0101");
  auto set = w_->as("zj_admin").patch("/api/v1/monitoring/points/" + std::string(face.at("id").as_string()),
                                      json::object{{"feed_point", mine_ + "KD0101"}}, "\"" + std::to_string(face.at("version").as_int64()) + "\"");
  ASSERT_EQ(set.status, 200u) << set.body;
  EXPECT_EQ(w_->as("zj_admin").patch("/api/v1/monitoring/points/" + std::string(face.at("id").as_string()),
                                     json::object{{"feed_point", mine_ + "MN0102"}}, "\"" + std::to_string(face.at("version").as_int64() + 1) + "\"")
                .error_field(), "feed_point") << "only a 馈电 sensor";
  const Millis t = now_ms() - 120'000;
  // The feed shows no power: the power is off, though the record lacks the 断电 bit.
  ASSERT_EQ(values(t, {"KD0101;0;0", "MN0101;1.6;0"}).status, 200u);
  EXPECT_EQ(open_of("MN0101"), (std::multiset<std::string>{"power_off", "threshold"}));
  // Power back on while the gas is still there: 超限未断电.
  ASSERT_EQ(values(t + 10'000, {"KD0101;1;0", "MN0101;1.7;0"}).status, 200u);
  EXPECT_EQ(open_of("MN0101"), (std::multiset<std::string>{"no_power_off", "power_off", "threshold"}));
}

TEST_P(MineStandards, CalibrationIsStoredAndMarkedNeverAlarmed) {
  const Millis t = now_ms() - 120'000;
  ASSERT_EQ(values(t, {"MN0101;0.3;0"}).status, 200u);
  // 标校 gas: 2.0 % on the sensor for a minute.
  for (int i = 1; i <= 6; ++i) {
    auto r = values(t + i * 10'000, {"MN0101;2.0;16"});
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json().at("alarms_raised").as_int64(), 0);
  }
  ASSERT_EQ(values(t + 70'000, {"MN0101;0.3;0"}).status, 200u);
  EXPECT_TRUE(alarms().empty()) << json_text(alarms());
  const std::string id(point("MN0101").at("id").as_string());
  const std::string span = "&from=" + std::to_string(t - 1000) + "&to=" + std::to_string(t + 80'000);
  auto all = w_->as("xihu_insp").get("/api/v1/monitoring/points/" + id + "/series?step=0" + span);
  ASSERT_EQ(all.status, 200u) << all.body;
  const json::value series = all.json();
  size_t marked = 0;
  for (const auto& x : series.at("items").as_array()) marked += x.as_array()[2].as_string() == "calibration";
  EXPECT_EQ(marked, 6u);
  auto without = w_->as("xihu_insp").get("/api/v1/monitoring/points/" + id + "/series?step=0&calibration=exclude" + span);
  EXPECT_EQ(without.json().at("items").as_array().size(), 2u);
  EXPECT_EQ(w_->as("xihu_insp").get("/api/v1/monitoring/points/" + id + "/series?calibration=maybe").error_field(), "calibration");
}

TEST_P(MineStandards, AboveTheSensorsRangeIsAFaultAndAPowerOff) {
  const Millis t = now_ms() - 120'000;
  ASSERT_EQ(values(t, {"MN0101;4.6;0"}).status, 200u);  // range 0–4
  EXPECT_EQ(open_of("MN0101"), (std::multiset<std::string>{"fault", "no_power_off", "power_off"}));
  ASSERT_EQ(values(t + 10'000, {"MN0101;4.6;2"}).status, 200u);
  EXPECT_EQ(open_of("MN0101"), (std::multiset<std::string>{"fault", "power_off", "reported_power_off"}));
}

TEST_P(MineStandards, ASilentMineIsOneNetworkAlarmAndARestartRaisesNoDuplicate) {
  // A pipeline of this test's own over the same database (the server's watches every enterprise;
  // this one only the mine it is given), with a clock the test moves.
  monitoring::Pipeline pipeline(w_->app->db());
  auto send = [&](Millis ts, std::vector<std::pair<std::string, double>> readings) {
    monitoring::ReadingBatch batch;
    for (auto& [code, v] : readings) batch.readings.push_back({mine_ + code, ts, v, monitoring::Quality::good, 0, std::nullopt});
    auto r = pipeline.ingest(uscc_, std::move(batch));
    ASSERT_TRUE(r.ok()) << r.error().message;
  };
  const Millis t = now_ms();
  send(t - 1000, {{"MN0101", 0.3}, {"MN0102", 0.2}, {"KD0101", 1}});
  // Three periods of 30 s with nothing from the mine: one 联网中断 for it, none per point.
  auto n = pipeline.check_offline(t + 95'000);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1u);
  auto network = alarms("&type=network_down");
  ASSERT_EQ(network.size(), 1u);
  EXPECT_EQ(network[0].at("silent_points").as_int64(), 3);
  EXPECT_EQ(network[0].at("point").as_string(), "");
  EXPECT_EQ(network[0].at("enterprise_name").as_string(), "西湖某某煤矿" + mine_);
  EXPECT_TRUE(alarms("&type=offline").empty());
  EXPECT_TRUE(pipeline.check_offline(t + 200'000).ok());
  EXPECT_EQ(alarms().size(), 1u) << "raised once";
  // It goes up when it lasts: 30 minutes by default.
  auto& service = w_->app->alarms_service();
  ASSERT_TRUE(service.escalate(t + 95'000 + 29 * 60'000, monitoring::EscalationSettings{}).ok());
  EXPECT_TRUE(alarms("&type=network_down")[0].at("escalated_at").is_null());
  ASSERT_TRUE(service.escalate(t + 95'000 + 30 * 60'000, monitoring::EscalationSettings{}).ok());
  EXPECT_FALSE(alarms("&type=network_down")[0].at("escalated_at").is_null());

  // A restart: a new pipeline finds the 联网中断 open and holds the points under it.
  monitoring::Pipeline restarted(w_->app->db());
  ASSERT_TRUE(restarted.latest(uscc_).ok());  // loads the mine, its open alarms with it
  EXPECT_EQ(*restarted.check_offline(t + 300'000), 0u);
  monitoring::ReadingBatch one;
  one.readings.push_back({mine_ + "MN0101", t + 1000, 0.3, monitoring::Quality::good, 0, std::nullopt});
  ASSERT_TRUE(restarted.ingest(uscc_, std::move(one)).ok());
  const Millis back = now_ms();
  // The mine is heard again: the same alarm recovers; the other points get a fresh period.
  network = alarms("&type=network_down");
  ASSERT_EQ(network.size(), 1u);
  EXPECT_EQ(network[0].at("state").as_string(), "recovered");
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  monitoring::ReadingBatch two;
  two.readings.push_back({mine_ + "MN0101", t + 2000, 0.3, monitoring::Quality::good, 0, std::nullopt});
  ASSERT_TRUE(restarted.ingest(uscc_, std::move(two)).ok());
  EXPECT_EQ(*restarted.check_offline(back + 80'000), 0u);
  ASSERT_TRUE(restarted.check_offline(back + 90'010).ok());
  std::set<std::string> silent;
  for (const auto& a : alarms("&type=offline")) silent.insert(std::string(a.at("point").as_string()));
  EXPECT_EQ(silent, (std::set<std::string>{mine_ + "MN0102", mine_ + "KD0101"})) << "silent on their own now";
}

TEST_P(MineStandards, ARestartRestoresOfflineAndFaultStates) {
  monitoring::Pipeline before(w_->app->db());
  const Millis t = now_ms();
  auto batch = [&](Millis ts, std::vector<std::pair<std::string, double>> readings) {
    monitoring::ReadingBatch b;
    for (auto& [code, v] : readings) b.readings.push_back({mine_ + code, ts, v, monitoring::Quality::good, 0, std::nullopt});
    return b;
  };
  // MN0102 above its range (a fault, and at or above its power-off value); MN0101 silent while
  // the others keep sending: MN0101 alone goes offline.
  ASSERT_TRUE(before.ingest(uscc_, batch(t - 1000, {{"MN0101", 0.3}, {"MN0102", 9}, {"KD0101", 1}})).ok());
  const Millis first = now_ms();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_TRUE(before.ingest(uscc_, batch(t, {{"KD0101", 1}, {"MN0102", 9}})).ok());
  ASSERT_TRUE(before.check_offline(first + 90'010).ok());
  auto offline = alarms("&type=offline");
  ASSERT_EQ(offline.size(), 1u) << json_text(alarms());
  EXPECT_EQ(offline[0].at("point").as_string(), mine_ + "MN0101");
  EXPECT_EQ(open_of("MN0102"), (std::multiset<std::string>{"fault", "power_off"}));
  // After a restart: no second offline or fault alarm; each recovers into the same record.
  monitoring::Pipeline after(w_->app->db());
  ASSERT_TRUE(after.ingest(uscc_, batch(t + 1000, {{"MN0102", 9}})).ok());
  EXPECT_EQ(*after.check_offline(now_ms() + 1000), 0u);
  EXPECT_EQ(open_of("MN0102"), (std::multiset<std::string>{"fault", "power_off"}));
  EXPECT_EQ(open_of("MN0101"), (std::multiset<std::string>{"offline"}));
  ASSERT_TRUE(after.ingest(uscc_, batch(t + 2000, {{"MN0101", 0.3}, {"MN0102", 0.2}})).ok());
  EXPECT_TRUE(open_of("MN0101").empty());
  EXPECT_TRUE(open_of("MN0102").empty());
  EXPECT_EQ(alarms("&type=offline").size(), 1u);
  EXPECT_EQ(alarms("&type=fault").size(), 1u);
  EXPECT_EQ(alarms("&type=power_off").size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, MineStandards, ::testing::Values("sqlite", "postgres"));

class PointSettingsByTheRules : public ApiTest {};

TEST_P(PointSettingsByTheRules, TheApiRefusesLooserMethaneAndDelaysAndFlagsToxicSettings) {
  auto m = w_->as("ent_mgr");
  const std::string uscc = w_->uscc["E_XIHU"];
  const std::string serial = std::to_string(next_serial() % 1000000);
  auto point = [&](json::object extra) {
    json::object p{{"enterprise_uscc", uscc}, {"code", "G" + serial + std::to_string(extra.size())}, {"indicator", "methane"},
                   {"unit", "%CH4"}};
    for (auto& kv : extra) p[kv.key()] = kv.value();
    return m.post("/api/v1/monitoring/points", p);
  };
  // 回风隅角 (recognised in the name): 报警 1.2 is looser than ≥ 1.0.
  auto looser = point({{"name", "8101采煤工作面回风隅角甲烷"}, {"thresholds", json::object{{"high", 1.2}, {"power_off", 1.5}, {"restore", 1.0}}}});
  EXPECT_EQ(looser.error_field(), "thresholds.high") << looser.body;
  EXPECT_NE(looser.body.find("回风隅角"), std::string::npos);
  // Named explicitly, a place must be one of the table's.
  EXPECT_EQ(point({{"name", "甲烷"}, {"place", "上隅角"}}).error_field(), "place");
  // Methane takes no delay.
  auto delayed = point({{"name", "8101采煤工作面甲烷"}, {"delay_s", 5}, {"thresholds", json::object{{"high", 1.0}, {"power_off", 1.5}, {"restore", 1.0}}}});
  EXPECT_EQ(delayed.error_field(), "delay_s") << delayed.body;
  // As the rule says: created, its place recognised.
  auto ok = point({{"name", "8101采煤工作面回风隅角甲烷"}, {"thresholds", json::object{{"high", 1.0}, {"power_off", 1.5}, {"restore", 1.0}}}});
  ASSERT_EQ(ok.status, 201u) << ok.body;
  EXPECT_EQ(ok.json().at("place").as_string(), "采煤工作面回风隅角");
  EXPECT_TRUE(ok.json().at("findings").as_array().empty());
  // A toxic point names its gas (written any way the table knows it); 10 / 20 ppm of H₂S is above
  // 100 % / 200 % of its MAC (10 mg/m³ ≈ 7.06 ppm): created, and flagged.
  auto h2s = m.post("/api/v1/monitoring/points",
                    json::object{{"enterprise_uscc", uscc}, {"code", "TOX" + serial}, {"name", "罐区硫化氢"}, {"indicator", "toxic_gas"},
                                 {"unit", "ppm"}, {"gas", "H2S"}, {"thresholds", json::object{{"high", 10}, {"high_high", 20}}}});
  ASSERT_EQ(h2s.status, 201u) << h2s.body;
  EXPECT_EQ(h2s.json().at("gas").as_string(), "硫化氢");
  std::set<std::string> flagged;
  const json::value created = h2s.json();
  for (const auto& f : created.at("findings").as_array()) flagged.insert(std::string(f.at("field").as_string()));
  EXPECT_EQ(flagged, (std::set<std::string>{"thresholds.high", "thresholds.high_high"}));
  auto fixed = m.patch("/api/v1/monitoring/points/" + std::string(h2s.json().at("id").as_string()),
                       json::object{{"thresholds", json::object{{"high", 5}, {"high_high", 10}}}}, "\"1\"");
  ASSERT_EQ(fixed.status, 200u) << fixed.body;
  EXPECT_TRUE(fixed.json().at("findings").as_array().empty());
  // Bad filters are named; the tables need a session.
  EXPECT_EQ(m.get("/api/v1/monitoring/points?with_findings=maybe").error_field(), "with_findings");
  EXPECT_EQ(w_->anonymous().get("/api/v1/monitoring/methane-places").status, 401u);
  EXPECT_EQ(w_->anonymous().get("/api/v1/monitoring/exposure-limits").status, 401u);
  // The tables are there for the forms.
  auto places = m.get("/api/v1/monitoring/methane-places");
  ASSERT_EQ(places.status, 200u);
  EXPECT_GE(places.items().size(), 24u);
  auto limits = m.get("/api/v1/monitoring/exposure-limits");
  ASSERT_EQ(limits.status, 200u);
  bool h2s_listed = false;
  for (const auto& l : limits.items())
    if (l.at("gas").as_string() == "硫化氢") {
      h2s_listed = true;
      EXPECT_EQ(l.at("oel_kind").as_string(), "MAC");
      EXPECT_NEAR(l.at("oel_ppm").to_number<double>(), 7.06, 0.01);
    }
  EXPECT_TRUE(h2s_listed);
}

TEST_P(PointSettingsByTheRules, SevereConditionsEscalateByHowLongTheyLast) {
  // Alarms written as the pipeline writes them, at times a fake clock sets.
  const Millis t = now_ms();
  const std::string uscc = w_->uscc["E_XIHU"];
  std::string power_off, reported;
  {
    auto w = w_->app->db().write();
    ASSERT_TRUE(w.ok());
    auto point = (*w)->query_one("SELECT id, code FROM monitoring_points WHERE enterprise_uscc = ? LIMIT 1", {uscc});
    ASSERT_TRUE(point.ok());
    auto add = [&](const std::string& type, Millis raised, const std::string& state) {
      const std::string id = "esc" + std::to_string(next_serial());
      auto r = (*w)->exec("INSERT INTO alarms (id, enterprise_uscc, point_id, point_code, type, level, reason, state, value, raised_at, "
                          "version, acknowledged_at) VALUES (?, ?, ?, ?, ?, 'none', '', ?, 1.6, ?, 1, ?)",
                          {id, uscc, point->str(0), point->str(1), type, state, raised,
                           state == "acknowledged" ? db::Value(raised + 1000) : db::Value(nullptr)});
      EXPECT_TRUE(r.ok());
      return id;
    };
    power_off = add("power_off", t, "acknowledged");
    reported = add("reported_power_off", t, "raised");
  }
  monitoring::EscalationSettings settings;
  settings.power_off_ms = 10 * 60'000;
  auto& service = w_->app->alarms_service();
  auto escalated = [&](const std::string& id) {
    return !w_->as("xihu_insp").get("/api/v1/alarms/" + id).json().at("escalated_at").is_null();
  };
  ASSERT_TRUE(service.escalate(t + 9 * 60'000, settings).ok());
  EXPECT_FALSE(escalated(power_off));
  EXPECT_FALSE(escalated(reported));
  // Ten minutes on: acknowledged or not, a 断电 that goes on goes up.
  ASSERT_TRUE(service.escalate(t + 10 * 60'000, settings).ok());
  EXPECT_TRUE(escalated(power_off));
  EXPECT_TRUE(escalated(reported));
}

INSTANTIATE_TEST_SUITE_P(Backends, PointSettingsByTheRules, ::testing::Values("sqlite", "postgres"));
