#pragma once
// The in-process event bus (ARCHITECTURE.md): a module announces what happened, after its commit;
// others react without the producer knowing them (a hazard source's substances change → the risk
// module re-grades it). Handlers run synchronously on the publisher's thread, in the order they
// subscribed; a handler's failure is its own to log, it never undoes the publisher's commit.
#include <boost/json/object.hpp>

#include <functional>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

namespace anjian {

struct Event {
  std::string topic;  // "hazard_source.changed", …
  boost::json::object data;
};

class EventBus {
 public:
  using Handler = std::function<void(const Event&)>;
  void subscribe(std::string topic, Handler handler) {
    std::unique_lock lock(mu_);
    handlers_.emplace_back(std::move(topic), std::move(handler));
  }
  void publish(const Event& e) const {
    std::vector<Handler> matching;  // called outside the lock: a handler may publish in turn
    {
      std::shared_lock lock(mu_);
      for (const auto& [topic, handler] : handlers_)
        if (topic == e.topic) matching.push_back(handler);
    }
    for (const auto& handler : matching) handler(e);
  }

 private:
  mutable std::shared_mutex mu_;
  std::vector<std::pair<std::string, Handler>> handlers_;
};

}  // namespace anjian
