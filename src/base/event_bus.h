#pragma once
// The in-process event bus (ARCHITECTURE.md): a module announces what happened, after its commit;
// others react without the producer knowing them (a hazard source's substances change → the risk
// module re-grades it). Handlers run synchronously on the publisher's thread, in the order they
// subscribed; a handler's failure is its own to log, it never undoes the publisher's commit.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>

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

// The enterprises an event is about: its "enterprise_uscc", or the "enterprise_usccs" of an event
// about many at once (a batch received from a county, an import: one event, not a million).
inline std::vector<std::string> enterprises_of(const Event& e) {
  std::vector<std::string> out;
  if (const auto* u = e.data.if_contains("enterprise_uscc"); u && u->is_string()) out.emplace_back(u->get_string());
  if (const auto* list = e.data.if_contains("enterprise_usccs"); list && list->is_array())
    for (const auto& u : list->get_array())
      if (u.is_string()) out.emplace_back(u.get_string());
  return out;
}

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
