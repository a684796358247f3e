// The HTTP door of monitoring: readings with an API key, per-reading rejections, duplicates,
// alarms raised and recovered, their lifecycle, and jurisdiction — on both backends.
#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <set>
#include <chrono>
#include <thread>

#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;

class IngestApi : public ApiTest {
 protected:
  // A fresh point with thresholds high 15 / high_high 18 and range 0–20 in 西湖's enterprise, and a key.
  void SetUp() override {
    ApiTest::SetUp();
    if (!w_) return;
    code_ = "LT" + std::to_string(next_serial() % 10000000);
    auto m = w_->as("ent_mgr");
    auto p = m.post("/api/v1/monitoring/points",
                    json::parse(R"({"enterprise_uscc":")" + w_->uscc["E_XIHU"] + R"(","code":")" + code_ +
                                R"(","name":"1号储罐液位","indicator":"tank_level","unit":"m","range":{"min":0,"max":20},
                                   "thresholds":{"high":15,"high_high":18},"deadband":0.2})").as_object());
    ASSERT_EQ(p.status, 201u) << p.body;
    auto k = m.post("/api/v1/enterprises/" + w_->uscc["E_XIHU"] + "/api-keys", json::object{});
    ASSERT_EQ(k.status, 201u) << k.body;
    key_ = std::string(k.json().at("key").as_string());
    auto companion = m.post("/api/v1/monitoring/points",
                            json::object{{"enterprise_uscc", w_->uscc["E_XIHU"]}, {"code", code_ + "-KA"}, {"name", "储罐温度"},
                                         {"indicator", "temperature"}, {"unit", "℃"}});
    ASSERT_EQ(companion.status, 201u) << companion.body;
  }
  // A reading of another point of the enterprise, arriving now: its connection is alive.
  void keep_alive() {
    auto r = send(R"({"readings":[{"point":")" + code_ + R"(-KA","ts":)" + std::to_string(now_ms()) + R"(,"value":20}]})");
    ASSERT_EQ(r.status, 200u) << r.body;
  }
  HttpResult send(const std::string& body, const std::string& key = "") {
    HttpClient c(w_->port);
    return c.request("POST", "/api/v1/monitoring/readings", body,
                     {{"Authorization", "ApiKey " + (key.empty() ? key_ : key)}, {"Content-Type", "application/json"}});
  }
  std::string reading(Millis ts, double v, const std::string& extra = "") {
    return R"({"point":")" + code_ + R"(","ts":)" + std::to_string(ts) + R"(,"value":)" + std::to_string(v) + extra + "}";
  }
  std::string code_, key_;
};

TEST_P(IngestApi, BatchCountsRejectionsAndDuplicates) {
  const Millis t = now_ms() - 60000;
  const std::string body = R"({"readings":[)" + reading(t, 10) + "," + reading(t + 1000, 11) + "," +
                           R"({"point":"NOPE","ts":1,"value":1},)" + R"({"point":")" + code_ + R"(","ts":1,"value":"x"},)" +
                           reading(now_ms() + 3600000, 1) + "," + reading(t + 2000, 25) + "," +
                           R"({"point":")" + code_ + R"(","ts":"2026-11-29T08:30:00+08:00","value":12,"quality":"excellent"},)" +
                           reading(t, 10) + "]}";
  auto r = send(body);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto j = r.json();
  EXPECT_EQ(j.at("accepted").as_int64(), 3);  // two good, and 25 out of range: kept, flagged bad
  EXPECT_EQ(j.at("duplicates").as_int64(), 1);
  std::map<std::int64_t, std::string> rejected;
  for (const auto& x : j.at("rejected").as_array()) rejected[x.at("index").as_int64()] = std::string(x.at("code").as_string());
  EXPECT_EQ(rejected[2], "unknown_point");
  EXPECT_EQ(rejected[3], "not_a_number");
  EXPECT_EQ(rejected[4], "future_timestamp");
  EXPECT_EQ(rejected[6], "invalid_field");
  EXPECT_EQ(rejected.size(), 4u);
  // Sending the same batch again stores nothing twice.
  auto again = send(body);
  EXPECT_EQ(again.json().at("accepted").as_int64(), 0);
  EXPECT_EQ(again.json().at("duplicates").as_int64(), 4);
}

TEST_P(IngestApi, BadRequestsAndKeys) {
  EXPECT_EQ(send("{not json").error_code(), "invalid_json");
  EXPECT_EQ(send(R"({"readings":{}})").error_field(), "readings");
  EXPECT_EQ(send(R"({"readings":[],"x":1})").error_code(), "unknown_field");
  EXPECT_EQ(send(R"({"readings":[]})", "ajk_wrong").status, 401u);
  HttpClient c(w_->port);
  c.set_token(w_->login("xihu_insp"));  // a session is not a key
  EXPECT_EQ(c.request("POST", "/api/v1/monitoring/readings", R"({"readings":[]})").status, 401u);
  std::string big = R"({"readings":[)";
  for (int i = 0; i < 10001; ++i) big += (i ? "," : "") + reading(1000 + i, 1);
  EXPECT_EQ(send(big + "]}").error_code(), "too_large");
}

TEST_P(IngestApi, AlarmLifecycleAndScope) {
  const Millis t = now_ms() - 120000;
  auto r = send(R"({"readings":[)" + reading(t, 10) + "," + reading(t + 10000, 16) + "," + reading(t + 20000, 18.5) + "]}");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json().at("alarms_raised").as_int64(), 1);
  auto insp = w_->as("xihu_insp");
  auto list = insp.get("/api/v1/alarms?enterprise_uscc=" + w_->uscc["E_XIHU"] + "&state=raised");
  json::object alarm;
  for (const auto& a : list.items())  // (an offline alarm of the point may come from the background check)
    if (a.at("point").as_string() == code_ && a.at("type").as_string() == "threshold") alarm = a.as_object();
  ASSERT_FALSE(alarm.empty()) << list.body;
  EXPECT_EQ(alarm.at("type").as_string(), "threshold");
  EXPECT_EQ(alarm.at("level").as_string(), "high_high");  // raised high, then moved up
  const std::string id(alarm.at("id").as_string());
  // A second-level alarm may start a response at the enterprise; its command view shows the alarm.
  auto incident = insp.post("/api/v1/incidents", json::object{{"alarm_id", id}, {"lon", 120.13}, {"lat", 30.28}, {"drill", true}});
  ASSERT_EQ(incident.status, 201u) << incident.body;
  EXPECT_EQ(incident.json().at("source").as_string(), "alarm");
  EXPECT_EQ(incident.json().at("enterprise_uscc").as_string(), w_->uscc["E_XIHU"]);
  auto view = insp.get("/api/v1/incidents/" + std::string(incident.json().at("id").as_string()) + "/view");
  ASSERT_EQ(view.status, 200u) << view.body;
  EXPECT_NE(view.body.find(id), std::string::npos) << "the alarm in the view";
  EXPECT_EQ(w_->as("binjiang_insp").post("/api/v1/incidents", json::object{{"alarm_id", id}, {"lon", 120.1}, {"lat", 30.2}}).error_field(), "alarm_id");
  ASSERT_EQ(insp.post("/api/v1/incidents/" + std::string(incident.json().at("id").as_string()) + "/close", json::object{}).status, 200u);
  // Other counties do not see it; 杭州 does.
  EXPECT_EQ(w_->as("binjiang_insp").get("/api/v1/alarms/" + id).status, 404u);
  EXPECT_EQ(w_->as("hz_insp").get("/api/v1/alarms/" + id).status, 200u);
  for (const auto& a : w_->as("nb_insp").get("/api/v1/alarms?page_size=500").items())
    EXPECT_NE(a.at("enterprise_uscc").as_string(), w_->uscc["E_XIHU"]);
  // Outside the scope an alarm cannot be acknowledged or closed either: it does not exist there.
  auto outsider = w_->as("binjiang_insp");
  EXPECT_EQ(outsider.request("POST", "/api/v1/alarms/" + id + "/ack").status, 404u);
  EXPECT_EQ(outsider.post("/api/v1/alarms/" + id + "/close", json::object{{"cause", "x"}, {"measures", "y"}, {"person", "z"}}).status, 404u);
  // Bad filters are named.
  for (const std::string q : {"state=open", "type=smoke", "from=yesterday", "page_size=501"})
    EXPECT_EQ(insp.get("/api/v1/alarms?" + q).status, 400u) << q;
  EXPECT_EQ(insp.get("/api/v1/monitoring/points?indicator=smell").error_field(), "indicator");
  EXPECT_EQ(insp.get("/api/v1/monitoring/latest").status, 404u);
  // A live alarm cannot be closed; acknowledge, recover, then close with the disposal.
  const json::object disposal{{"cause", "进料阀未关"}, {"measures", "关阀并降液位"}, {"person", "王强"}};
  EXPECT_EQ(insp.post("/api/v1/alarms/" + id + "/close", disposal).error_code(), "invalid_state");
  auto ack = insp.request("POST", "/api/v1/alarms/" + id + "/ack");
  ASSERT_EQ(ack.status, 200u) << ack.body;
  EXPECT_EQ(ack.json().at("state").as_string(), "acknowledged");
  EXPECT_EQ(ack.json().at("acknowledged_by").as_string(), "xihu_insp");
  EXPECT_EQ(insp.request("POST", "/api/v1/alarms/" + id + "/ack").error_code(), "invalid_state");
  ASSERT_EQ(send(R"({"readings":[)" + reading(t + 30000, 12) + "]}").status, 200u);
  EXPECT_EQ(insp.get("/api/v1/alarms/" + id).json().at("state").as_string(), "recovered");
  EXPECT_EQ(insp.post("/api/v1/alarms/" + id + "/close", json::object{{"cause", "x"}}).error_field(), "measures");
  auto closed = insp.post("/api/v1/alarms/" + id + "/close", disposal);
  ASSERT_EQ(closed.status, 200u) << closed.body;
  EXPECT_EQ(closed.json().at("state").as_string(), "closed");
  EXPECT_EQ(closed.json().at("disposal").at("person").as_string(), "王强");
  EXPECT_TRUE(closed.json().at("unit").is_string());
  // The audit log says it in Chinese, with the enterprise's name and what was recorded; it is found
  // by the Chinese name of the action, whole or in part.
  auto admin = w_->as("auditadmin");
  for (const std::string query : {"关闭报警", "报警", "alarm.close"}) {
    auto log = admin.get("/api/v1/audit?action=" + url_encode(query) + "&uscc=" + w_->uscc["E_XIHU"] + "&page_size=500");
    ASSERT_EQ(log.status, 200u) << log.body;
    bool found = false;
    for (const auto& e : log.items()) {
      if (e.at("target").as_string() != "alarm:" + id || e.at("action").as_string() != "alarm.close") continue;
      found = true;
      EXPECT_EQ(e.at("action_name").as_string(), "关闭报警（处置）");
      EXPECT_FALSE(e.at("enterprise_name").as_string().empty());
      EXPECT_EQ(e.at("detail").at("disposal").at("person").as_string(), "王强") << e;
      EXPECT_FALSE(e.at("detail").at("point").as_string().empty()) << e;
    }
    EXPECT_TRUE(found) << query;
  }
  EXPECT_TRUE(admin.get("/api/v1/audit?action=" + url_encode("没有这种操作")).items().empty());
  // Every action this test world has recorded has its Chinese name.
  for (const auto& e : admin.get("/api/v1/audit?page_size=500").items())
    EXPECT_NE(e.at("action_name").as_string(), e.at("action").as_string()) << e.at("action");
  // 待处置 and the enterprise search.
  auto unhandled = insp.get("/api/v1/alarms?state=unhandled&page_size=500");
  ASSERT_EQ(unhandled.status, 200u);
  for (const auto& a : unhandled.items())
    EXPECT_TRUE(a.at("state") == "raised" || (a.at("state") == "recovered" && a.at("acknowledged_at").is_null())) << a;
  const std::string name(alarm.at("enterprise_name").as_string());
  auto by_name = insp.get("/api/v1/alarms?page_size=500&q=" + url_encode(name.substr(0, 6)));
  ASSERT_EQ(by_name.status, 200u);
  bool listed = false;
  for (const auto& a : by_name.items()) listed = listed || a.at("id").as_string() == id;
  EXPECT_TRUE(listed);
  EXPECT_TRUE(insp.get("/api/v1/alarms?q=" + url_encode("%_不存在的企业")).items().empty());
  EXPECT_EQ(insp.get("/api/v1/alarms?q=" + std::string(101, 'x')).error_field(), "q");
  // The latest value, from memory.
  auto latest = insp.get("/api/v1/monitoring/latest?enterprise_uscc=" + w_->uscc["E_XIHU"]);
  bool seen = false;
  for (const auto& p : latest.items())
    if (p.at("point").as_string() == code_) {
      seen = true;
      EXPECT_EQ(p.at("value").to_number<double>(), 12);
      EXPECT_EQ(p.at("level").as_string(), "none");
    }
  EXPECT_TRUE(seen);
  EXPECT_EQ(w_->as("binjiang_insp").get("/api/v1/monitoring/latest?enterprise_uscc=" + w_->uscc["E_XIHU"]).status, 404u);
}

TEST_P(IngestApi, SilentPointsGoOfflineAndComeBack) {
  // Offline is judged on arrival (the server's clock), not on the device's time: readings stamped
  // an hour ago (a gateway's clock behind) arrive now and keep the point online.
  const Millis t = now_ms() - 3'600'000;
  ASSERT_EQ(send(R"({"readings":[)" + reading(t, 10) + "]}").status, 200u);
  const Millis arrived = now_ms();
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  keep_alive();  // another point of the enterprise still sends: this is one point silent, not the connection
  auto& pipeline = w_->app->pipeline();
  ASSERT_TRUE(pipeline.check_offline(arrived + 29000 - 10).ok());
  auto insp = w_->as("xihu_insp");
  auto find = [&](const std::string& state) {
    for (const auto& a : insp.get("/api/v1/alarms?type=offline&page_size=500&enterprise_uscc=" + w_->uscc["E_XIHU"]).items())
      if (a.at("point").as_string() == code_ && a.at("state").as_string() == state) return std::string(a.at("id").as_string());
    return std::string();
  };
  EXPECT_EQ(find("raised"), "");
  // Three silent periods of 10 s after it arrived: offline, once.
  auto n = pipeline.check_offline(arrived + 30000);
  ASSERT_TRUE(n.ok());
  EXPECT_GE(*n, 1u);
  const std::string id = find("raised");
  EXPECT_NE(id, "");
  EXPECT_TRUE(pipeline.check_offline(arrived + 60000).ok());
  // The next reading ends it.
  ASSERT_EQ(send(R"({"readings":[)" + reading(t + 61000, 10) + "]}").status, 200u);
  EXPECT_EQ(insp.get("/api/v1/alarms/" + id).json().at("state").as_string(), "recovered");
  EXPECT_EQ(find("raised"), "");
}

TEST_P(IngestApi, AnAlarmKeepsItsPeakAndDuration) {
  const Millis t = now_ms() - 600'000;
  std::string body = R"({"readings":[)" + reading(t, 16) + "," + reading(t + 10'000, 17.5) + "," + reading(t + 20'000, 16.2) + "," +
                     reading(t + 30'000, 10) + "]}";
  ASSERT_EQ(send(body).status, 200u);
  bool found = false;
  for (const auto& a : w_->as("xihu_insp").get("/api/v1/alarms?type=threshold&page_size=500&enterprise_uscc=" + w_->uscc["E_XIHU"]).items())
    if (a.at("point").as_string() == code_) {
      found = true;
      EXPECT_EQ(a.at("value").to_number<double>(), 16) << "the value that raised it";
      EXPECT_EQ(a.at("peak_value").to_number<double>(), 17.5);
      EXPECT_EQ(a.at("peak_at").as_string(), format_iso(t + 10'000));
      EXPECT_EQ(a.at("duration_s").as_int64(), 30);
      EXPECT_FALSE(a.at("late").as_bool());
    }
  EXPECT_TRUE(found);
}

TEST_P(IngestApi, LateReadingsOverTheLimitAreRecordedAsAlarmsOfThePast) {
  const Millis t = now_ms() - 600'000;
  ASSERT_EQ(send(R"({"readings":[)" + reading(t, 10) + "]}").status, 200u);
  // A gateway back-fills what it could not send: an excursion above 15 inside it.
  std::string backfill = R"({"readings":[)";
  for (int i = 0; i < 6; ++i) backfill += (i ? "," : "") + reading(t - 300'000 + i * 10'000, i >= 2 && i <= 3 ? 16.5 + i : 12);
  auto r = send(backfill + "]}");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json().at("accepted").as_int64(), 6);
  std::vector<json::object> late;
  for (const auto& a : w_->as("xihu_insp").get("/api/v1/alarms?page_size=500&enterprise_uscc=" + w_->uscc["E_XIHU"]).items())
    if (a.at("point").as_string() == code_) late.push_back(a.as_object());
  ASSERT_EQ(late.size(), 1u);
  EXPECT_TRUE(late[0].at("late").as_bool());
  EXPECT_EQ(late[0].at("state").as_string(), "recovered") << "raised and recovered at the readings' times";
  EXPECT_EQ(late[0].at("level").as_string(), "high_high");  // 19.5 ≥ 18
  EXPECT_EQ(late[0].at("raised_at").as_string(), format_iso(t - 280'000));
  EXPECT_EQ(late[0].at("recovered_at").as_string(), format_iso(t - 260'000));
  EXPECT_EQ(late[0].at("peak_value").to_number<double>(), 19.5);
  EXPECT_TRUE(late[0].at("escalated_at").is_null());
  // The live state is as it was: the newest reading, 10, within limits.
  for (const auto& p : w_->as("xihu_insp").get("/api/v1/monitoring/latest?enterprise_uscc=" + w_->uscc["E_XIHU"]).items())
    if (p.at("point").as_string() == code_) {
      EXPECT_EQ(p.at("value").to_number<double>(), 10);
      EXPECT_EQ(p.at("level").as_string(), "none");
    }
  // Sent again, nothing is recorded twice.
  EXPECT_EQ(send(backfill + "]}").json().at("duplicates").as_int64(), 6);
  size_t n = 0;
  for (const auto& a : w_->as("xihu_insp").get("/api/v1/alarms?page_size=500&enterprise_uscc=" + w_->uscc["E_XIHU"]).items())
    n += a.at("point").as_string() == code_;
  EXPECT_EQ(n, 1u);
}

TEST_P(IngestApi, ConcurrentGatewaysAreCommittedTogetherAndCountedApart) {
  // Four senders at once (their batches share commits) with overlapping timestamps: each reading
  // is stored once, and each answer counts exactly its own batch. Rounds start together so that the
  // answers' counts are predictable; storage would be exact without (older readings are checked
  // against what is stored).
  const Millis t0 = now_ms() - 3'600'000;
  std::atomic<long> accepted{0}, duplicates{0};
  std::barrier round(4);
  std::vector<std::thread> senders;
  for (int s = 0; s < 4; ++s)
    senders.emplace_back([&, s] {
      for (int b = 0; b < 10; ++b) {
        round.arrive_and_wait();
        std::string body = R"({"readings":[)";
        // Sender s covers readings [s*50, s*50+100) of round b: half overlaps the next sender's.
        for (int i = 0; i < 100; ++i) body += (i ? "," : "") + reading(t0 + (b * 1000 + s * 50 + i) * 10, 5);
        auto r = send(body + "]}");
        EXPECT_EQ(r.status, 200u) << r.body;
        accepted += r.json().at("accepted").as_int64();
        duplicates += r.json().at("duplicates").as_int64();
        EXPECT_EQ(r.json().at("accepted").as_int64() + r.json().at("duplicates").as_int64(), 100);
      }
    });
  for (auto& t : senders) t.join();
  EXPECT_EQ(accepted.load(), 10 * 250);  // each round covers 250 distinct timestamps
  EXPECT_EQ(duplicates.load(), 10 * 150);
  auto db = w_->app->db().read();
  auto id = (*db)->query_one("SELECT id FROM monitoring_points WHERE code = ?", {code_});
  ASSERT_TRUE(id.ok());
  auto stored = w_->app->readings().stored_count(id->str(0));
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->first, 10u * 250) << "stored once each";
  EXPECT_EQ(stored->second, 10u * 250);
}

TEST_P(IngestApi, PointsChangingWhileReadingsFlowLoseNothing) {
  // Readings are matched to their points before they queue for a commit; a point edited or added
  // meanwhile (its enterprise's cache reloads) must neither lose nor double an acknowledged one.
  auto m = w_->as("ent_mgr");
  auto db = w_->app->db().read();
  auto id = (*db)->query_one("SELECT id FROM monitoring_points WHERE code = ?", {code_});
  ASSERT_TRUE(id.ok());
  const std::string point_id = id->str(0);
  std::atomic<bool> sending{true};
  std::thread editor([&] {
    for (int v = 1; sending; ++v) {
      auto e = m.patch("/api/v1/monitoring/points/" + point_id, json::object{{"name", "液位" + std::to_string(v)}},
                       "\"" + std::to_string(v) + "\"");
      EXPECT_EQ(e.status, 200u) << e.body;
      auto a = m.post("/api/v1/monitoring/points",
                      json::object{{"enterprise_uscc", w_->uscc["E_XIHU"]}, {"code", code_ + "-N" + std::to_string(v)},
                                   {"name", "新测点"}, {"indicator", "temperature"}});
      EXPECT_EQ(a.status, 201u) << a.body;
    }
  });
  const Millis t0 = now_ms() - 3'600'000;
  long accepted = 0;
  for (int b = 0; b < 30; ++b) {
    std::string body = R"({"readings":[)";
    for (int i = 0; i < 50; ++i) body += (i ? "," : "") + reading(t0 + (b * 50 + i) * 1000, 5);
    auto r = send(body + "]}");
    ASSERT_EQ(r.status, 200u) << r.body;
    accepted += r.json().at("accepted").as_int64();
  }
  sending = false;
  editor.join();
  EXPECT_EQ(accepted, 30 * 50);
  auto stored = w_->app->readings().stored_count(point_id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->first, 30u * 50);
  EXPECT_EQ(stored->second, 30u * 50);
}

INSTANTIATE_TEST_SUITE_P(Backends, IngestApi, ::testing::Values("sqlite", "postgres"));

class EscalationApi : public IngestApi {};

TEST_P(EscalationApi, UnacknowledgedTopLevelAlarmsGoUpOnce) {
  // This fixture's point has high 15 and high_high 18: only high_high is its highest level.
  const Millis t = now_ms() - 20 * 60'000;
  ASSERT_EQ(send(R"({"readings":[)" + reading(t, 16) + "]}").json().at("alarms_raised").as_int64(), 1);
  auto monitoring = w_->app.get();
  auto alarms_of = [&] {
    return w_->as("xihu_insp").get("/api/v1/alarms?enterprise_uscc=" + w_->uscc["E_XIHU"] + "&page_size=500").items();
  };
  // The point's threshold alarms (its readings are old: the background offline check may add an
  // offline alarm for it at any moment).
  auto mine = [&](const json::array& items) {
    std::vector<json::object> out;
    for (const auto& a : items)
      if (a.at("point").as_string() == code_ && a.at("type").as_string() == "threshold") out.push_back(a.as_object());
    return out;
  };
  // A high alarm (not the point's highest level) twenty minutes old: not escalated.
  ASSERT_TRUE(monitoring->alarms_service().escalate(now_ms(), monitoring::EscalationSettings{}).ok());
  ASSERT_EQ(mine(alarms_of()).size(), 1u);
  EXPECT_TRUE(mine(alarms_of())[0].at("escalated_at").is_null());
  // High-high, raised 15 minutes ago and not acknowledged: it goes to 杭州 (330100), once.
  ASSERT_EQ(send(R"({"readings":[)" + reading(t + 5 * 60'000, 18.5) + "]}").status, 200u);
  auto up = monitoring->alarms_service().escalate(now_ms(), monitoring::EscalationSettings{});
  ASSERT_TRUE(up.ok());
  auto after = mine(alarms_of());
  ASSERT_EQ(after.size(), 1u);  // the same alarm, its level raised to high_high
  EXPECT_EQ(after[0].at("level").as_string(), "high_high");
  EXPECT_FALSE(after[0].at("escalated_at").is_null());
  EXPECT_EQ(after[0].at("escalated_to").as_string(), "330100");
  // The city's regulators find it in their inbox (not the county, which had it live all along).
  auto notified = [&](const std::string& user) {
    int n = 0;
    for (const auto& x : w_->as(user).get("/api/v1/notifications?page_size=500").items())
      n += x.at("kind").as_string() == "alarm.escalated" && x.at("body").as_string().find(code_) != std::string::npos;
    return n;
  };
  EXPECT_EQ(notified("hz_insp"), 1);
  EXPECT_EQ(notified("xihu_insp"), 0);
  EXPECT_EQ(notified("zj_admin"), 0);
  auto again = monitoring->alarms_service().escalate(now_ms(), monitoring::EscalationSettings{});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(notified("hz_insp"), 1) << "notified once";
  EXPECT_EQ(mine(alarms_of())[0].at("version").as_int64(), after[0].at("version").as_int64()) << "escalated once only";
  // A fresh high-high alarm that is acknowledged in time never goes up.
  ASSERT_EQ(send(R"({"readings":[)" + reading(t + 6 * 60'000, 10) + "]}").status, 200u);  // recovers
  ASSERT_EQ(send(R"({"readings":[)" + reading(now_ms() - 60'000, 19) + "]}").json().at("alarms_raised").as_int64(), 1);
  for (const auto& a : mine(alarms_of())) {
    if (a.at("state").as_string() == "raised") {
      ASSERT_EQ(w_->as("xihu_duty").post("/api/v1/alarms/" + std::string(a.at("id").as_string()) + "/ack", json::object{}).status, 200u);
    }
  }
  ASSERT_TRUE(monitoring->alarms_service().escalate(now_ms() + 60 * 60'000, monitoring::EscalationSettings{}).ok());
  size_t escalated = 0;
  for (const auto& a : mine(alarms_of())) escalated += !a.at("escalated_at").is_null();
  EXPECT_EQ(escalated, 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, EscalationApi, ::testing::Values("sqlite", "postgres"));

class PointAlarmSettingsApi : public IngestApi {};

TEST_P(PointAlarmSettingsApi, RateStuckAndOfflineSettingsRaiseTheirAlarms) {
  auto m = w_->as("ent_mgr");
  auto p = m.get("/api/v1/monitoring/points?enterprise_uscc=" + w_->uscc["E_XIHU"] + "&page_size=500");
  std::string id, etag;
  for (const auto& x : p.items())
    if (x.at("code").as_string() == code_) id = std::string(x.at("id").as_string());
  ASSERT_FALSE(id.empty());
  // Out-of-range settings are named.
  EXPECT_EQ(m.patch("/api/v1/monitoring/points/" + id, json::object{{"offline_periods", 0}}, "\"1\"").error_field(), "offline_periods");
  EXPECT_EQ(m.patch("/api/v1/monitoring/points/" + id, json::object{{"rate_per_min", -1}}, "\"1\"").error_field(), "rate_per_min");
  EXPECT_EQ(m.patch("/api/v1/monitoring/points/" + id, json::object{{"stuck_s", "x"}}, "\"1\"").error_field(), "stuck_s");
  auto set = m.patch("/api/v1/monitoring/points/" + id, json::object{{"rate_per_min", 2}, {"stuck_s", 60}, {"offline_periods", 2}}, "\"1\"");
  ASSERT_EQ(set.status, 200u) << set.body;
  EXPECT_EQ(set.json().at("rate_per_min").to_number<double>(), 2);
  EXPECT_EQ(set.json().at("stuck_s").as_int64(), 60);
  EXPECT_EQ(set.json().at("offline_periods").as_int64(), 2);
  const Millis t = now_ms() - 10 * 60'000;
  // 10.0 for two minutes (stuck), then +5 in ten seconds (30 a minute, over the rate of 2).
  std::string body = R"({"readings":[)";
  for (int i = 0; i <= 12; ++i) body += (i ? "," : "") + reading(t + i * 10'000, 10);
  body += "," + reading(t + 130'000, 15.0) + "]}";
  auto r = send(body);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto kinds = [&] {
    std::set<std::string> out;
    for (const auto& a : w_->as("xihu_insp").get("/api/v1/alarms?enterprise_uscc=" + w_->uscc["E_XIHU"] + "&page_size=500").items()) {
      if (a.at("point").as_string() != code_) continue;
      const auto* reason = a.as_object().if_contains("reason");
      out.insert(std::string(a.at("type").as_string()) + (reason ? ":" + std::string(reason->as_string()) : ""));
    }
    return out;
  };
  auto seen = kinds();
  EXPECT_TRUE(seen.count("fault:stuck")) << r.body;
  EXPECT_TRUE(seen.count("rate")) << r.body;
  // Silent for two periods of 10 s after the readings arrived (their own times are ten minutes old): offline.
  const Millis arrived = now_ms();
  ASSERT_TRUE(w_->app->pipeline().check_offline(arrived).ok());
  EXPECT_FALSE(kinds().count("offline")) << "judged on arrival, not on the readings' times";
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  keep_alive();
  ASSERT_TRUE(w_->app->pipeline().check_offline(arrived + 20'000).ok());
  EXPECT_TRUE(kinds().count("offline"));
}

INSTANTIATE_TEST_SUITE_P(Backends, PointAlarmSettingsApi, ::testing::Values("sqlite", "postgres"));
