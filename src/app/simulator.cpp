#include "app/simulator.h"
#include "base/json_text.h"

#include <mosquitto.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <vector>

#include "base/time.h"
#include "http/client.h"

namespace anjian::app {
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

namespace {

// One simulated sensor: its thresholds shape the signal so that alarms happen now and then.
struct Sensor {
  std::string code, indicator;
  std::optional<double> high, high_high, low, range_min, range_max;
  double value = 0, base = 0, amplitude = 0, period_s = 600, phase = 0;
  Millis excursion_until = 0, silent_until = 0, last_ts = 0;
};

struct Gateway {
  std::string uscc, key, key_id;
  std::vector<Sensor> sensors;
};

std::optional<double> num(const json::value& v, std::string_view a, std::string_view b = {}) {
  const json::value* x = v.as_object().if_contains(a);
  if (x && !b.empty()) x = x->is_object() ? x->as_object().if_contains(b) : nullptr;
  if (!x || !x->is_number()) return std::nullopt;
  return x->to_number<double>();
}

// A signal per kind of sensor: where it rests and how far it swings.
void shape(Sensor& s, std::mt19937& rng) {
  std::uniform_real_distribution<double> u(0, 1);
  const double hi = s.high.value_or(s.range_max.value_or(100) * 0.75);
  s.phase = u(rng) * 6.283;
  s.period_s = 300 + u(rng) * 900;
  if (s.indicator == "tank_level") {
    // Tanks fill and drain; about one in eight overfills past its high level at the top.
    s.base = hi * 0.55;
    s.amplitude = hi * (u(rng) < 0.125 ? 0.5 : 0.35);
  } else if (s.indicator == "combustible_gas" || s.indicator == "toxic_gas" || s.indicator == "methane" ||
             s.indicator == "carbon_monoxide" || s.indicator == "dust") {
    s.base = hi * 0.1;
    s.amplitude = hi * 0.05;
  } else if (s.indicator == "oxygen") {
    s.base = 20.9;
    s.amplitude = 0.1;
  } else if (s.indicator == "switch") {
    s.base = 1;
    s.amplitude = 0;
  } else {
    s.base = hi * 0.6;
    s.amplitude = hi * 0.15;
  }
}

double next_value(Sensor& s, Millis now, std::mt19937& rng) {
  std::normal_distribution<double> noise(0, 1);
  std::uniform_real_distribution<double> u(0, 1);
  const double t = static_cast<double>(now) / 1000.0;
  double v = s.base + s.amplitude * std::sin(6.283 * t / s.period_s + s.phase);
  const bool gas = s.indicator == "combustible_gas" || s.indicator == "toxic_gas" || s.indicator == "methane" ||
                   s.indicator == "carbon_monoxide";
  // A leak now and then: past the alarm threshold for half a minute.
  if (gas && s.high && s.excursion_until == 0 && u(rng) < 0.002) s.excursion_until = now + 30'000;
  if (s.excursion_until > now) v = *s.high * (1.05 + 0.1 * u(rng));
  else if (s.excursion_until != 0) s.excursion_until = 0;
  if (s.indicator == "switch") return u(rng) < 0.01 ? 0 : 1;
  v += noise(rng) * std::max(0.002, std::abs(s.amplitude) * 0.02);
  if (s.range_min) v = std::max(v, *s.range_min);
  if (s.range_max) v = std::min(v, *s.range_max);
  return std::round(v * 1000) / 1000;
}

std::pair<std::string, unsigned short> host_port(std::string url, const char* scheme, unsigned short fallback) {
  if (url.starts_with(scheme)) url = url.substr(std::string_view(scheme).size());
  if (auto slash = url.find('/'); slash != std::string::npos) url.resize(slash);
  auto colon = url.rfind(':');
  if (colon == std::string::npos) return {url, fallback};
  return {url.substr(0, colon), static_cast<unsigned short>(std::stoi(url.substr(colon + 1)))};
}

class Sender {
 public:
  virtual ~Sender() = default;
  virtual void send(const Gateway& g, const std::string& body, SimulateStats& stats) = 0;
};

class HttpSender final : public Sender {
 public:
  HttpSender(std::string host, unsigned short port) : client_(std::move(host), port) {}
  void send(const Gateway& g, const std::string& body, SimulateStats& stats) override {
    ++stats.requests;
    try {
      auto r = client_.request("POST", "/api/v1/monitoring/readings", body,
                               {{"Authorization", "ApiKey " + g.key}, {"Content-Type", "application/json"}});
      if (r.status != 200) { ++stats.failures; return; }
      auto j = r.json();
      stats.accepted += static_cast<unsigned long>(j.at("accepted").to_number<double>());
      stats.duplicates += static_cast<unsigned long>(j.at("duplicates").to_number<double>());
      stats.rejected += j.at("rejected").as_array().size();
      stats.alarms_raised += static_cast<unsigned long>(j.at("alarms_raised").to_number<double>());
    } catch (const std::exception&) {
      ++stats.failures;
    }
  }

 private:
  http::HttpClient client_;
};

class MqttSender final : public Sender {
 public:
  MqttSender(std::string host, unsigned short port, std::string password)
      : host_(std::move(host)), port_(port), password_(std::move(password)) {
    mosquitto_lib_init();
  }
  ~MqttSender() override {
    for (auto& [uscc, m] : clients_) {
      mosquitto_disconnect(m);
      mosquitto_loop_stop(m, false);
      mosquitto_destroy(m);
    }
  }
  void send(const Gateway& g, const std::string& body, SimulateStats& stats) override {
    ++stats.requests;
    auto& m = clients_[g.uscc];
    if (!m) {
      // One connection per gateway: the broker's ACL keeps each to its own topic.
      m = mosquitto_new(("anjian-sim-" + g.uscc).c_str(), true, nullptr);
      mosquitto_username_pw_set(m, g.uscc.c_str(), password_.empty() ? nullptr : password_.c_str());
      if (mosquitto_connect(m, host_.c_str(), port_, 30) != MOSQ_ERR_SUCCESS || mosquitto_loop_start(m) != MOSQ_ERR_SUCCESS) {
        ++stats.failures;
        return;
      }
    }
    const std::string topic = "anjian/" + g.uscc + "/readings";
    if (mosquitto_publish(m, nullptr, topic.c_str(), static_cast<int>(body.size()), body.data(), 1, false) != MOSQ_ERR_SUCCESS)
      ++stats.failures;
  }

 private:
  std::string host_;
  unsigned short port_;
  std::string password_;
  std::map<std::string, struct mosquitto*> clients_;
};

// Finds (and when asked, defines) the points and takes a key per enterprise.
Result<std::vector<Gateway>> prepare(const SimulateOptions& o, http::HttpClient& admin, std::mt19937& rng) {
  if (o.username.empty()) return Error{"invalid_argument", "请用 --user 指定一个能看到企业的监管用户（系统管理员看不到业务数据）", "user"};
  auto login = admin.post("/api/v1/auth/login", json::object{{"username", o.username}, {"password", o.password}});
  if (login.status != 200) return Error{"unauthenticated", "模拟器登录失败：" + login.body, ""};
  admin.set_token(std::string(login.json().at("token").as_string()));
  std::map<std::string, Gateway> by_enterprise;
  for (int page = 1;; ++page) {
    auto r = admin.get("/api/v1/monitoring/points?page_size=500&page=" + std::to_string(page));
    if (r.status != 200) return Error{"unavailable", "读取测点失败：" + r.body, ""};
    auto items = r.items();
    for (const auto& p : items) {
      if (!p.at("active").as_bool()) continue;
      Sensor s;
      s.code = std::string(p.at("code").as_string());
      s.indicator = std::string(p.at("indicator").as_string());
      s.high = num(p, "thresholds", "high");
      s.high_high = num(p, "thresholds", "high_high");
      s.low = num(p, "thresholds", "low");
      s.range_min = num(p, "range", "min");
      s.range_max = num(p, "range", "max");
      Gateway& g = by_enterprise[std::string(p.at("enterprise_uscc").as_string())];
      g.uscc = std::string(p.at("enterprise_uscc").as_string());
      g.sensors.push_back(std::move(s));
    }
    if (items.size() < 500) break;
  }
  if (o.points_per_enterprise > 0) {
    // Enterprises to equip: those with points first, then operating ones from the registry.
    for (int page = 1; o.enterprises > by_enterprise.size(); ++page) {
      auto r = admin.get("/api/v1/enterprises?status=operating&page_size=500&page=" + std::to_string(page));
      auto items = r.items();
      for (const auto& e : items) {
        if (by_enterprise.size() >= o.enterprises) break;
        std::string uscc(e.at("uscc").as_string());
        by_enterprise[uscc].uscc = uscc;
      }
      if (items.size() < 500) break;
    }
    for (auto& [uscc, g] : by_enterprise) {
      for (size_t i = g.sensors.size(); i < o.points_per_enterprise; ++i) {
        char code[32];
        std::snprintf(code, sizeof code, "SIM-LT%04zu", i + 1);
        auto made = admin.post("/api/v1/monitoring/points",
                               json::object{{"enterprise_uscc", uscc}, {"code", code}, {"name", "模拟储罐液位" + std::to_string(i + 1)},
                                            {"indicator", "tank_level"}, {"unit", "m"}, {"range", {{"min", 0}, {"max", 20}}},
                                            {"thresholds", {{"high", 15}, {"high_high", 18}}}, {"deadband", 0.2}});
        if (made.status != 201 && made.status != 409) return Error{"unavailable", "定义测点失败：" + made.body, ""};
        Sensor s;
        s.code = code;
        s.indicator = "tank_level";
        s.high = 15;
        s.high_high = 18;
        s.range_min = 0;
        s.range_max = 20;
        g.sensors.push_back(std::move(s));
      }
    }
  }
  std::vector<Gateway> out;
  for (auto& [uscc, g] : by_enterprise) {
    if (o.enterprises && out.size() >= o.enterprises) break;
    if (o.silent_enterprises.count(uscc)) continue;
    if (g.sensors.empty()) continue;
    if (o.points_per_enterprise && g.sensors.size() > o.points_per_enterprise) g.sensors.resize(o.points_per_enterprise);
    // A simulator killed before it could revoke its keys left them: revoked now, so that keys named
    // 模拟网关 never pile up in the enterprise's list.
    auto old = admin.get("/api/v1/enterprises/" + uscc + "/api-keys");
    if (old.status == 200)
      for (const auto& k : old.items())
        if (k.at("name") == "模拟网关" && k.at("revoked_at").is_null())
          admin.request("DELETE", "/api/v1/enterprises/" + uscc + "/api-keys/" + std::string(k.at("id").as_string()));
    auto k = admin.post("/api/v1/enterprises/" + uscc + "/api-keys", json::object{{"name", "模拟网关"}});
    if (k.status != 201) return Error{"unavailable", "创建接口密钥失败：" + k.body, ""};
    g.key = std::string(k.json().at("key").as_string());
    g.key_id = std::string(k.json().at("id").as_string());
    for (auto& s : g.sensors) shape(s, rng);
    out.push_back(std::move(g));
  }
  return out;
}
}  // namespace

Result<SimulateStats> simulate(const SimulateOptions& o, const std::atomic<bool>& stop,
                               const std::function<void(const SimulateStats&)>& progress) {
  if (o.rate <= 0) return Error{"invalid_config", "--rate 须大于 0", "rate"};
  auto [host, port] = host_port(o.target, "http://", 80);
  std::mt19937 rng(o.seed);
  http::HttpClient admin(host, port);
  Result<std::vector<Gateway>> gateways = Error{"unavailable", "", ""};
  try {
    gateways = prepare(o, admin, rng);
  } catch (const std::exception& e) {
    return Error{"unavailable", std::string("无法连接 ") + o.target + "：" + e.what(), "target"};
  }
  if (!gateways.ok()) return gateways.take_error();
  SimulateStats total;
  total.enterprises = gateways->size();
  for (const auto& g : *gateways) total.points += g.sensors.size();
  if (total.points == 0) return Error{"invalid_config", "没有可模拟的测点（用 --points-per-enterprise 定义）", ""};
  spdlog::info("simulate: {} points of {} enterprises at {} readings/s → {}", total.points, total.enterprises, o.rate,
               o.mqtt.empty() ? o.target : o.mqtt);

  // The schedule: every point reports once per round; a round lasts points / rate seconds, and
  // each tick (0.1 s, or less at high rates) sends the readings that fall due, batched per enterprise.
  struct Job { const Gateway* g; std::string body; size_t readings; };
  std::mutex mu;
  std::condition_variable cv;
  std::deque<Job> queue;
  bool closing = false;
  SimulateStats live = total;  // under mu
  auto add = [](SimulateStats& into, const SimulateStats& d) {
    into.sent += d.sent; into.accepted += d.accepted; into.rejected += d.rejected; into.duplicates += d.duplicates;
    into.alarms_raised += d.alarms_raised; into.requests += d.requests; into.failures += d.failures;
  };
  std::vector<std::thread> workers;
  for (unsigned w = 0; w < std::max(1u, o.connections); ++w)
    workers.emplace_back([&] {
      std::unique_ptr<Sender> sender;
      if (o.mqtt.empty()) sender = std::make_unique<HttpSender>(host, port);
      else {
        auto [mh, mp] = host_port(o.mqtt, "tcp://", 1883);
        sender = std::make_unique<MqttSender>(mh, mp, o.mqtt_password);
      }
      for (;;) {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return closing || !queue.empty(); });
        if (queue.empty()) return;
        Job job = std::move(queue.front());
        queue.pop_front();
        lock.unlock();
        cv.notify_all();
        SimulateStats d;
        d.sent = job.readings;
        sender->send(*job.g, job.body, d);
        std::lock_guard done(mu);
        add(live, d);
      }
    });

  struct Slot { const Gateway* g; Sensor* s; };
  std::vector<Slot> slots;
  for (auto& g : *gateways)
    for (auto& s : g.sensors) slots.push_back({&g, &s});
  std::shuffle(slots.begin(), slots.end(), rng);
  std::uniform_real_distribution<double> u(0, 1);
  const auto start = Clock::now();
  auto last_report = start;
  double due = 0;  // readings owed since the start
  size_t next = 0;
  const Millis tick_ms = o.rate >= 10000 ? 20 : 100;
  while (!stop) {
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    if (o.duration_s > 0 && elapsed >= o.duration_s) break;
    const size_t n = static_cast<size_t>(o.rate * elapsed - due);
    due += static_cast<double>(n);
    std::map<const Gateway*, std::string> bodies;
    std::map<const Gateway*, size_t> counts;
    const Millis now = now_ms();
    for (size_t i = 0; i < n; ++i) {
      Slot& slot = slots[next];
      next = (next + 1) % slots.size();
      Sensor& s = *slot.s;
      if (s.silent_until > now) continue;
      // Now and then a point falls silent for a few minutes (its offline alarm follows).
      if (o.silent_share > 0 && u(rng) < o.silent_share / 200.0) {
        s.silent_until = now + 120'000 + static_cast<Millis>(u(rng) * 180'000);
        continue;
      }
      // A sensor samples at its own instants: spread over the tick, never twice at one millisecond.
      const Millis ts = std::max(now - tick_ms + static_cast<Millis>((i + 1) * tick_ms / n), s.last_ts + 1);
      s.last_ts = ts;
      std::string& body = bodies[slot.g];
      body += body.empty() ? "{\"readings\":[" : ",";
      body += "{\"point\":\"" + s.code + "\",\"ts\":" + std::to_string(ts) + ",\"value\":" + json_text(json::value(next_value(s, ts, rng))) + "}";
      if (++counts[slot.g] >= 1000) {  // a batch is at most 1,000 readings
        std::lock_guard lock(mu);
        queue.push_back({slot.g, body + "]}", counts[slot.g]});
        body.clear();
        counts[slot.g] = 0;
      }
    }
    {
      std::unique_lock lock(mu);
      for (auto& [g, body] : bodies)
        if (!body.empty()) queue.push_back({g, body + "]}", counts[g]});
      cv.notify_all();
      // Back-pressure: a server slower than the rate is not flooded with a growing queue.
      cv.wait_for(lock, std::chrono::seconds(5), [&] { return queue.size() < 64 || stop.load(); });
    }
    if (progress && Clock::now() - last_report > std::chrono::seconds(5)) {
      last_report = Clock::now();
      SimulateStats s;
      {
        std::lock_guard lock(mu);
        s = live;
      }
      s.seconds = std::chrono::duration<double>(Clock::now() - start).count();
      progress(s);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(tick_ms));
  }
  {
    std::lock_guard lock(mu);
    closing = true;
  }
  cv.notify_all();
  for (auto& t : workers) t.join();
  total = live;
  total.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  // The keys were the simulator's: revoke them (best effort).
  try {
    for (const auto& g : *gateways) admin.request("DELETE", "/api/v1/enterprises/" + g.uscc + "/api-keys/" + g.key_id);
  } catch (const std::exception&) {
  }
  return total;
}

}  // namespace anjian::app
