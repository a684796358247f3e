#pragma once
// A real mosquitto broker for the MQTT tests: started on a free loopback port with its own
// password file and ACL in a temporary folder, stopped (and the folder removed) with the object.
// And a small publishing client, as a sensor gateway would be.
#include <atomic>
#include <chrono>
#include <thread>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "support/process.h"

struct mosquitto;

namespace anjian::test {

class Mosquitto {
 public:
  // users: name → password. acl: the ACL file's text.
  Mosquitto(const std::map<std::string, std::string>& users, const std::string& acl);
  ~Mosquitto();
  bool available() const { return port_ != 0; }
  unsigned short port() const { return port_; }
  std::string url() const { return "tcp://127.0.0.1:" + std::to_string(port_); }
  std::string why_unavailable() const { return why_; }

 private:
  std::string dir_, why_;
  unsigned short port_ = 0;
  std::unique_ptr<Child> child_;
};

// A connected MQTT client (QoS 1 publishes wait for the broker's PUBACK).
class MqttClient {
 public:
  MqttClient(unsigned short port, const std::string& username, const std::string& password);
  ~MqttClient();
  bool connected() const { return connected_; }
  // Publishes at QoS 1 and waits for the PUBACK. Returns false on timeout.
  bool publish(const std::string& topic, const std::string& payload);
  void subscribe(const std::string& topic);
  // Messages received so far (topic, payload).
  std::vector<std::pair<std::string, std::string>> received();

 private:
  struct mosquitto* m_ = nullptr;
  bool connected_ = false;
  std::mutex mu_;
  std::vector<std::pair<std::string, std::string>> received_;
  std::map<int, bool> acked_;
};

// Waits up to `timeout` for `done()` to hold.
template <typename F>
bool eventually(F&& done, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

}  // namespace anjian::test
