#include "support/mosquitto.h"

#include <arpa/inet.h>
#include <mosquitto.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "support/backends.h"

namespace anjian::test {

Mosquitto::Mosquitto(const std::map<std::string, std::string>& users, const std::string& acl) {
  const char* broker = "/usr/sbin/mosquitto";
  if (access(broker, X_OK) != 0) {
    why_ = "mosquitto is not installed (scripts/install-deps installs it)";
    return;
  }
  dir_ = temp_dir();
  bool first = true;
  for (const auto& [user, password] : users) {
    std::vector<std::string> args = {"/usr/bin/mosquitto_passwd", "-b"};
    if (first) args.push_back("-c");
    args.insert(args.end(), {dir_ + "/passwd", user, password});
    first = false;
    if (run(args).exit_code != 0) { why_ = "mosquitto_passwd failed"; return; }
  }
  std::ofstream(dir_ + "/acl") << acl;
  const unsigned short port = free_port();
  {
    std::ofstream conf(dir_ + "/mosquitto.conf");
    conf << "listener " << port << " 127.0.0.1\n"
         << "allow_anonymous false\npassword_file " << dir_ << "/passwd\nacl_file " << dir_ << "/acl\n"
         << "persistence false\nlog_dest stderr\nlog_type error\nlog_type warning\nlog_type notice\n"
         << "max_queued_messages 100000\n";
    // As root the broker would switch to the `mosquitto` user, who cannot read our temporary folder.
    if (geteuid() == 0) conf << "user root\n";
  }
  child_ = std::make_unique<Child>(std::vector<std::string>{broker, "-c", dir_ + "/mosquitto.conf"});
  // Its log is block-buffered on a pipe: ready is when the port takes a connection.
  auto accepts = [port] {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    close(fd);
    return ok;
  };
  if (!eventually(accepts)) {
    why_ = "mosquitto did not start";
    return;
  }
  port_ = port;
}

Mosquitto::~Mosquitto() {
  child_.reset();
  if (!dir_.empty()) std::filesystem::remove_all(dir_);
}

MqttClient::MqttClient(unsigned short port, const std::string& username, const std::string& password) {
  mosquitto_lib_init();
  static std::atomic<int> n{0};
  m_ = mosquitto_new(("gateway-" + std::to_string(getpid()) + "-" + std::to_string(++n)).c_str(), true, this);
  mosquitto_username_pw_set(m_, username.c_str(), password.c_str());
  mosquitto_publish_callback_set(m_, [](struct mosquitto*, void* self, int mid) {
    auto* c = static_cast<MqttClient*>(self);
    std::lock_guard lock(c->mu_);
    c->acked_[mid] = true;
  });
  mosquitto_message_callback_set(m_, [](struct mosquitto*, void* self, const struct mosquitto_message* msg) {
    auto* c = static_cast<MqttClient*>(self);
    std::lock_guard lock(c->mu_);
    c->received_.emplace_back(msg->topic, std::string(static_cast<const char*>(msg->payload), static_cast<size_t>(msg->payloadlen)));
  });
  connected_ = mosquitto_connect(m_, "127.0.0.1", port, 30) == MOSQ_ERR_SUCCESS && mosquitto_loop_start(m_) == MOSQ_ERR_SUCCESS;
}

MqttClient::~MqttClient() {
  mosquitto_disconnect(m_);
  mosquitto_loop_stop(m_, false);
  mosquitto_destroy(m_);
}

bool MqttClient::publish(const std::string& topic, const std::string& payload) {
  int mid = 0;
  if (mosquitto_publish(m_, &mid, topic.c_str(), static_cast<int>(payload.size()), payload.data(), 1, false) != MOSQ_ERR_SUCCESS)
    return false;
  return eventually([&] {
    std::lock_guard lock(mu_);
    return acked_.count(mid) > 0;
  });
}

void MqttClient::subscribe(const std::string& topic) {
  mosquitto_subscribe(m_, nullptr, topic.c_str(), 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // SUBACK: no callback needed for a test
}

std::vector<std::pair<std::string, std::string>> MqttClient::received() {
  std::lock_guard lock(mu_);
  return received_;
}

}  // namespace anjian::test
