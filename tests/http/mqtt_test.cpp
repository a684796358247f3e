// The MQTT door against a real mosquitto on a free loopback port, on both backends: batches and
// single readings stored and alarmed through the one pipeline, a report back to the gateway, a
// malformed message counted without stopping the subscriber, and the broker's ACL keeping each
// enterprise's credentials to its own topic.
#include <gtest/gtest.h>

#include "ingest/mqtt_door.h"
#include "support/mosquitto.h"
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
  auto alarm = (*db)->query_one("SELECT level, state FROM alarms WHERE point_id = ?", {point_id});
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
