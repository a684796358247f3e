#include "ingest/mqtt_door.h"
#include "base/json_text.h"

#include <mosquitto.h>
#include <sys/socket.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <mutex>

#include "codes/uscc.h"

namespace anjian::ingest {
namespace json = boost::json;
using monitoring::parse_readings;

namespace {
constexpr const char* kTopic = "anjian/+/readings";
std::once_flag lib_init;

// "tcp://host:port" (or mqtt://) → host, port.
std::optional<std::pair<std::string, int>> parse_url(const std::string& url) {
  std::string_view rest(url);
  for (std::string_view scheme : {"tcp://", "mqtt://"})
    if (rest.starts_with(scheme)) rest.remove_prefix(scheme.size());
  auto colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  int port = 0;
  for (char c : rest.substr(colon + 1)) {
    if (c < '0' || c > '9' || port > 65535) return std::nullopt;
    port = port * 10 + (c - '0');
  }
  if (port <= 0 || port > 65535) return std::nullopt;
  return std::make_pair(std::string(rest.substr(0, colon)), port);
}
}  // namespace

std::string enterprise_of_topic(std::string_view topic) {
  constexpr std::string_view prefix = "anjian/", suffix = "/readings";
  if (!topic.starts_with(prefix) || !topic.ends_with(suffix) || topic.size() <= prefix.size() + suffix.size()) return "";
  std::string uscc(topic.substr(prefix.size(), topic.size() - prefix.size() - suffix.size()));
  return codes::Uscc::parse(uscc).ok() && codes::Uscc::parse(uscc)->str() == uscc ? uscc : "";
}

MqttDoor::MqttDoor(monitoring::Pipeline& pipeline, MqttOptions options) : pipeline_(pipeline), options_(std::move(options)) {}

MqttDoor::~MqttDoor() { stop(); }

Status MqttDoor::start() {
  auto where = parse_url(options_.url);
  if (!where) return Error{"invalid_config", "MQTT 地址须为 tcp://HOST:PORT：" + options_.url, "mqtt"};
  std::call_once(lib_init, [] { mosquitto_lib_init(); });
  // clean_session = false: the broker keeps our subscription and queues QoS 1 messages while we are away.
  mosq_ = mosquitto_new(options_.client_id.c_str(), false, this);
  if (!mosq_) return Error{"internal", "无法创建 MQTT 客户端", "mqtt"};
  if (!options_.username.empty())
    mosquitto_username_pw_set(mosq_, options_.username.c_str(), options_.password.empty() ? nullptr : options_.password.c_str());
  mosquitto_connect_callback_set(mosq_, &MqttDoor::on_connect);
  mosquitto_disconnect_callback_set(mosq_, &MqttDoor::on_disconnect);
  mosquitto_message_callback_set(mosq_, &MqttDoor::on_message);
  mosquitto_reconnect_delay_set(mosq_, 1, 30, true);
  mosquitto_max_inflight_messages_set(mosq_, 100);
  // Asynchronous: a broker that is down now is retried by the loop, anjian starts anyway.
  int rc = mosquitto_connect_async(mosq_, where->first.c_str(), where->second, 30);
  if (rc != MOSQ_ERR_SUCCESS) spdlog::warn("mqtt: connecting to {} failed ({}), will retry", options_.url, mosquitto_strerror(rc));
  rc = mosquitto_loop_start(mosq_);
  if (rc != MOSQ_ERR_SUCCESS) return Error{"internal", std::string("MQTT 线程无法启动：") + mosquitto_strerror(rc), "mqtt"};
  spdlog::info("mqtt: subscribing to {} on {}", kTopic, options_.url);
  return {};
}

void MqttDoor::stop() {
  if (!mosq_) return;
  mosquitto_disconnect(mosq_);
  mosquitto_loop_stop(mosq_, false);
  mosquitto_destroy(mosq_);
  mosq_ = nullptr;
  connected_ = false;
}

void MqttDoor::on_connect(struct mosquitto* m, void* self, int rc) {
  auto* door = static_cast<MqttDoor*>(self);
  if (rc != 0) {
    spdlog::error("mqtt: broker refused the connection: {}", mosquitto_connack_string(rc));
    return;
  }
  door->connected_ = true;
  int s = mosquitto_subscribe(m, nullptr, kTopic, 1);
  if (s != MOSQ_ERR_SUCCESS) spdlog::error("mqtt: subscribing failed: {}", mosquitto_strerror(s));
}

void MqttDoor::on_disconnect(struct mosquitto*, void* self, int rc) {
  static_cast<MqttDoor*>(self)->connected_ = false;
  if (rc != 0) spdlog::warn("mqtt: connection lost ({}), reconnecting", mosquitto_strerror(rc));
}

void MqttDoor::on_message(struct mosquitto*, void* self, const struct mosquitto_message* msg) {
  auto* door = static_cast<MqttDoor*>(self);
  std::string_view payload(static_cast<const char*>(msg->payload), msg->payloadlen > 0 ? static_cast<size_t>(msg->payloadlen) : 0);
  door->handle(msg->topic ? msg->topic : "", payload);
}

void MqttDoor::handle(const std::string& topic, std::string_view payload) {
  ++counters_.messages;
  const std::string uscc = enterprise_of_topic(topic);
  auto report_back = [&](const json::object& report) {
    if (uscc.empty()) return;
    const std::string text = json_text(report);
    const std::string to = "anjian/" + uscc + "/report";
    mosquitto_publish(mosq_, nullptr, to.c_str(), static_cast<int>(text.size()), text.data(), 0, false);
  };
  if (uscc.empty()) {
    ++counters_.malformed;
    spdlog::warn("mqtt: message on {} ignored: the topic must be anjian/{{统一社会信用代码}}/readings", topic);
    return;
  }
  auto batch = parse_readings(payload);
  if (!batch.ok()) {
    ++counters_.malformed;
    spdlog::warn("mqtt: malformed message on {} ({} bytes): {}", topic, payload.size(), batch.error().message);
    report_back(json::object{{"error", json::object{{"code", batch.error().code}, {"message", batch.error().message}}}});
    return;
  }
  // The PUBACK: libmosquitto queues it and its network thread — this one, blocked here — sends it
  // only after this callback returns, so a message is acknowledged after its commit and sync,
  // never before; a crash before then leaves it with the broker, which delivers it again.
  auto report = pipeline_.ingest(uscc, std::move(*batch));
  if (!report.ok()) {
    ++counters_.failed;
    spdlog::error("mqtt: readings on {} not stored, left with the broker: {}", topic, report.error().message);
    report_back(json::object{{"error", json::object{{"code", report.error().code}, {"message", report.error().message}}}});
    // Not stored, so not acknowledged: the connection is cut before the queued PUBACK goes out,
    // and the broker delivers the message again when we are back (persistent session).
    if (int fd = mosquitto_socket(mosq_); fd >= 0) ::shutdown(fd, SHUT_RDWR);
    return;
  }
  counters_.readings += report->accepted;
  counters_.rejected += report->rejected.size();
  if (!report->rejected.empty()) {
    json::array rejected;
    for (const auto& x : report->rejected) rejected.push_back(json::object{{"index", x.index}, {"code", x.code}, {"message", x.message}});
    spdlog::warn("mqtt: {} reading(s) on {} refused, first: {}", report->rejected.size(), topic, report->rejected.front().message);
    report_back(json::object{{"accepted", report->accepted}, {"duplicates", report->duplicates}, {"rejected", std::move(rejected)}});
  }
}

std::string MqttDoor::metrics() const {
  std::string out = "# TYPE anjian_mqtt_messages_total counter\n";
  out += "anjian_mqtt_messages_total{outcome=\"received\"} " + std::to_string(counters_.messages.load()) + "\n";
  out += "anjian_mqtt_messages_total{outcome=\"malformed\"} " + std::to_string(counters_.malformed.load()) + "\n";
  out += "anjian_mqtt_messages_total{outcome=\"failed\"} " + std::to_string(counters_.failed.load()) + "\n";
  out += "# TYPE anjian_mqtt_readings_total counter\n";
  out += "anjian_mqtt_readings_total{outcome=\"accepted\"} " + std::to_string(counters_.readings.load()) + "\n";
  out += "anjian_mqtt_readings_total{outcome=\"rejected\"} " + std::to_string(counters_.rejected.load()) + "\n";
  out += "# TYPE anjian_mqtt_connected gauge\nanjian_mqtt_connected " + std::string(connected_ ? "1" : "0") + "\n";
  return out;
}

}  // namespace anjian::ingest
