#pragma once
// The MQTT door: anjian subscribes to `anjian/+/readings` on a broker (mosquitto) at QoS 1 with a
// persistent session, so that readings published while anjian is down are delivered when it is
// back. The topic names the enterprise; the broker's credentials and ACL decide who may publish on
// it (an enterprise's MQTT user name is its USCC and the ACL `pattern write anjian/%u/readings`
// keeps it to its own topic: docs/MQTT.md).
//
// Each message (one reading or a batch, the HTTP door's JSON) goes through the same pipeline; its
// report goes back on `anjian/{uscc}/report` so that a gateway sees what was refused. A malformed
// message is logged with its topic and counted, and never stops the subscriber.
#include <atomic>
#include <memory>
#include <string>

#include "base/result.h"
#include "modules/monitoring/pipeline.h"

struct mosquitto;
struct mosquitto_message;

namespace anjian::ingest {

struct MqttOptions {
  std::string url;  // tcp://HOST:PORT
  std::string username, password;
  std::string client_id = "anjian";  // the persistent session's name: one per anjian node
};

struct MqttCounters {
  std::atomic<unsigned long> messages{0}, malformed{0}, readings{0}, rejected{0}, failed{0};
};

class MqttDoor {
 public:
  MqttDoor(monitoring::Pipeline& pipeline, MqttOptions options);
  ~MqttDoor();
  MqttDoor(const MqttDoor&) = delete;
  MqttDoor& operator=(const MqttDoor&) = delete;

  // Connects (and keeps reconnecting) in a thread of its own. Errors: invalid_config (bad URL).
  Status start();
  void stop();
  bool connected() const { return connected_; }
  const MqttCounters& counters() const { return counters_; }
  // Prometheus lines for /metrics.
  std::string metrics() const;

 private:
  static void on_connect(struct mosquitto* m, void* self, int rc);
  static void on_disconnect(struct mosquitto* m, void* self, int rc);
  static void on_message(struct mosquitto* m, void* self, const struct mosquitto_message* msg);
  void handle(const std::string& topic, std::string_view payload);

  monitoring::Pipeline& pipeline_;
  MqttOptions options_;
  struct mosquitto* mosq_ = nullptr;
  std::atomic<bool> connected_{false};
  MqttCounters counters_;
};

// "anjian/{uscc}/readings" → uscc, or "" for any other topic.
std::string enterprise_of_topic(std::string_view topic);

}  // namespace anjian::ingest
