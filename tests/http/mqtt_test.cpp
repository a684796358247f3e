// The MQTT door against a real mosquitto on a free loopback port, on both backends: batches and
// single readings stored and alarmed through the one pipeline, a report back to the gateway, a
// malformed message counted without stopping the subscriber, and the broker's ACL keeping each
// enterprise's credentials to its own topic. And the acknowledgement: a message the broker was
// told is delivered (PUBACK) is committed, across kill -9 and a failing database.
#include <gtest/gtest.h>
#include <signal.h>

#include "db/database.h"
#include "ingest/mqtt_door.h"
#include "support/backends.h"
#include "support/mosquitto.h"
#include "support/process.h"
#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;

TEST(MqttTopic, NamesTheEnterprise) {
  EXPECT_EQ(ingest::enterprise_of_topic("anjian/91330106MA2H3K8L4A/readings"), "91330106MA2H3K8L4A");
  EXPECT_EQ(ingest::enterprise_of_topic("anjian/91330106MA2H3K8L4B/readings"), "");  // bad check character
  EXPECT_EQ(ingest::enterprise_of_topic("anjian/91330106ma2h3k8l4a/readings"), "");  // not as registered
  EXPECT_EQ(ingest::enterprise_of_topic("anjian//readings"), "");
  EXPECT_EQ(ingest::enterprise_of_topic("anjian/91330106MA2H3K8L4A/report"), "");
  EXPECT_EQ(ingest::enterprise_of_topic("other/91330106MA2H3K8L4A/readings"), "");
}

class MqttDoorTest : public ApiTest {};

TEST_P(MqttDoorTest, ReadingsArriveThroughTheBrokerAndOnlyFromTheirEnterprise) {
  const std::string xihu = w_->uscc["E_XIHU"], binjiang = w_->uscc["E_BINJIANG"];
  Mosquitto broker({{"anjian", "anjian-pw"}, {xihu, "xihu-pw"}, {binjiang, "binjiang-pw"}},
                   "user anjian\ntopic read anjian/+/readings\ntopic write anjian/+/report\n\n"
                   "pattern write anjian/%u/readings\npattern read anjian/%u/report\n");
  ASSERT_TRUE(broker.available()) << broker.why_unavailable();
  const std::string code = "MQ" + std::to_string(next_serial() % 10000000);
  auto point = w_->as("ent_mgr").post("/api/v1/monitoring/points",
      json::parse(R"({"enterprise_uscc":")" + xihu + R"(","code":")" + code +
                  R"(","name":"MQTT 液位","indicator":"tank_level","thresholds":{"high":15}})").as_object());
  ASSERT_EQ(point.status, 201u) << point.body;
  const std::string point_id(point.json().at("id").as_string());

  ingest::MqttDoor door(w_->app->pipeline(), {broker.url(), "anjian", "anjian-pw", "anjian-test-" + std::to_string(next_serial())});
  ASSERT_TRUE(door.start().ok());
  ASSERT_TRUE(eventually([&] { return door.connected(); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the subscription's SUBACK

  MqttClient gateway(broker.port(), xihu, "xihu-pw");
  ASSERT_TRUE(gateway.connected());
  gateway.subscribe("anjian/" + xihu + "/report");
  const Millis t = now_ms() - 60000;
  auto reading = [&](Millis ts, double v) {
    return R"({"point":")" + code + R"(","ts":)" + std::to_string(ts) + R"(,"value":)" + std::to_string(v) + "}";
  };
  const std::string topic = "anjian/" + xihu + "/readings";
  ASSERT_TRUE(gateway.publish(topic, R"({"readings":[)" + reading(t, 10) + "," + reading(t + 1000, 16) + "]}"));
  ASSERT_TRUE(gateway.publish(topic, "{broken"));
  ASSERT_TRUE(gateway.publish(topic, reading(t + 2000, 11)));  // one reading alone; the alarm recovers
  ASSERT_TRUE(gateway.publish(topic, R"({"readings":[{"point":"NOPE","ts":1,"value":1}]})"));
  // Another enterprise's credentials cannot publish on this topic: the broker drops it.
  MqttClient intruder(broker.port(), binjiang, "binjiang-pw");
  ASSERT_TRUE(intruder.connected());
  intruder.publish(topic, reading(t + 3000, 19));

  ASSERT_TRUE(eventually([&] { return door.counters().messages.load() >= 4; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the intruder's message, were it delivered
  EXPECT_EQ(door.counters().messages.load(), 4u);
  EXPECT_EQ(door.counters().malformed.load(), 1u);
  EXPECT_EQ(door.counters().readings.load(), 3u);
  EXPECT_EQ(door.counters().rejected.load(), 1u);

  auto db = w_->app->db().read();
  auto stored = w_->app->readings().raw(point_id, 0, now_ms(), 1000);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 3u);
  EXPECT_EQ((*stored)[1].value, 16);
  // The threshold alarm (its readings are a minute old: the background offline check may have
  // raised an offline alarm for the point besides).
  auto alarm = (*db)->query_one("SELECT level, state FROM alarms WHERE point_id = ? AND type = 'threshold'", {point_id});
  ASSERT_TRUE(alarm.ok());
  EXPECT_EQ(alarm->str(0), "high");
  EXPECT_EQ(alarm->str(1), "recovered");

  // The gateway was told what went wrong: the malformed message and the unknown point.
  ASSERT_TRUE(eventually([&] { return gateway.received().size() >= 2; }));
  std::string reports;
  for (const auto& [t, p] : gateway.received()) reports += p + "\n";
  EXPECT_NE(reports.find("invalid_json"), std::string::npos) << reports;
  EXPECT_NE(reports.find("unknown_point"), std::string::npos) << reports;
  EXPECT_NE(door.metrics().find("anjian_mqtt_messages_total{outcome=\"malformed\"} 1"), std::string::npos);
  door.stop();
}

INSTANTIATE_TEST_SUITE_P(Backends, MqttDoorTest, ::testing::Values("sqlite", "postgres"));

// The server as a separate process, so that it can be killed: a message it has received but not
// committed (the database is held by another writer) must still be with the broker after kill -9,
// and come again after the restart. And when storing fails, the door must not acknowledge either.
TEST(MqttDurability, AMessageIsAcknowledgedOnlyOnceCommitted) {
  const std::string uscc = uscc_for("330106", next_serial());
  Mosquitto broker({{"anjian", "anjian-pw"}, {uscc, "gw-pw"}},
                   "user anjian\ntopic read anjian/+/readings\ntopic write anjian/+/report\n\n"
                   "pattern write anjian/%u/readings\npattern read anjian/%u/report\n");
  ASSERT_TRUE(broker.available()) << broker.why_unavailable();
  const std::string dir = temp_dir();
  const std::map<std::string, std::string> env{{"ANJIAN_ADMIN_PASSWORD", "Admin#2026x"}, {"ANJIAN_DATA", dir},
                                               {"ANJIAN_ACCESS_LOG", "0"}, {"ANJIAN_ADMINS_NEED_SECOND_FACTOR", "0"}, {"ANJIAN_MQTT", broker.url()},
                                               {"ANJIAN_MQTT_USERNAME", "anjian"}, {"ANJIAN_MQTT_PASSWORD", "anjian-pw"}};
  auto metric = [](HttpClient& c, const std::string& name) -> long {
    auto m = c.get("/metrics");
    auto at = m.body.find("\n" + name + " ");
    return at == std::string::npos ? -1 : std::stol(m.body.substr(at + name.size() + 2));
  };
  const std::string accepted = R"(anjian_mqtt_readings_total{outcome="accepted"})";
  const std::string received = R"(anjian_mqtt_messages_total{outcome="received"})";
  const std::string failed = R"(anjian_mqtt_messages_total{outcome="failed"})";

  auto server = std::make_unique<Child>(std::vector<std::string>{ANJIAN_BINARY, "serve", "--listen", "127.0.0.1:0"}, env);
  const std::string line = server->wait_for_line("anjian listening");
  ASSERT_FALSE(line.empty());
  HttpClient admin(port_of(line));
  login_admin(admin, "Admin#2026x");
  ASSERT_EQ(admin.post("/api/v1/enterprises", json::object{{"uscc", uscc}, {"name", "消息确认测试化工有限公司"},
                                                           {"region_code", "330106"}, {"industry", "hazchem_use"}}).status, 201u);
  auto point = admin.post("/api/v1/monitoring/points", json::object{{"enterprise_uscc", uscc}, {"code", "P1"}, {"name", "液位"},
                                                                    {"indicator", "tank_level"}});
  ASSERT_EQ(point.status, 201u) << point.body;
  const std::string point_id(point.json().at("id").as_string());
  ASSERT_TRUE(eventually([&] { return metric(admin, "anjian_mqtt_connected") == 1; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the subscription's SUBACK

  MqttClient gateway(broker.port(), uscc, "gw-pw");
  ASSERT_TRUE(gateway.connected());
  const std::string topic = "anjian/" + uscc + "/readings";
  const Millis t0 = now_ms() - 60'000;
  auto reading = [&](int i) { return R"({"point":"P1","ts":)" + std::to_string(t0 + i * 1000) + R"(,"value":)" + std::to_string(i) + "}"; };
  auto stored = [&](HttpClient& c) -> size_t {
    auto r = c.get("/api/v1/monitoring/points/" + point_id + "/series?from=" + std::to_string(t0) + "&to=" + std::to_string(t0 + 60'000));
    return r.status == 200 ? r.json().at("items").as_array().size() : 0;
  };
  ASSERT_TRUE(gateway.publish(topic, reading(0)));
  ASSERT_TRUE(eventually([&] { return metric(admin, accepted) == 1; }));

  auto db = db::open_database("sqlite:" + dir + "/anjian.db");
  ASSERT_TRUE(db.ok());
  {
    // Another writer holds the database: the message arrives and waits for its commit; then the
    // server dies.
    auto w = (*db)->write();
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE(db::begin(**w).ok());
    ASSERT_TRUE(gateway.publish(topic, reading(1)));
    ASSERT_TRUE(eventually([&] { return metric(admin, received) == 2; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    server->signal(SIGKILL);
    server->wait();
    db::rollback(**w);
  }
  server = std::make_unique<Child>(std::vector<std::string>{ANJIAN_BINARY, "serve", "--listen", "127.0.0.1:0"}, env);
  const std::string again = server->wait_for_line("anjian listening");
  ASSERT_FALSE(again.empty());
  HttpClient admin2(port_of(again));
  login_admin(admin2, "Admin#2026x");
  ASSERT_TRUE(eventually([&] { return metric(admin2, accepted) == 1; })) << "the broker delivered the message again";
  EXPECT_EQ(stored(admin2), 2u);

  {
    // Held past the busy timeout: storing fails, so the door cuts its connection rather than
    // acknowledging; once the database is free the message comes again and is stored.
    auto w = (*db)->write();
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE(db::begin(**w).ok());
    ASSERT_TRUE(gateway.publish(topic, reading(2)));
    ASSERT_TRUE(eventually([&] { return metric(admin2, failed) >= 1; }, std::chrono::seconds(20)));
    db::rollback(**w);
  }
  ASSERT_TRUE(eventually([&] { return metric(admin2, accepted) == 2; }, std::chrono::seconds(20)));
  EXPECT_EQ(stored(admin2), 3u);
}
