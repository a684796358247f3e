#pragma once
// The real-time stream (WebSocket /api/v1/stream): server messages {"type", "data"} delivered to
// every connected user whose scope covers the record — and to no one else. A client that falls
// behind by more than kMaxQueued messages is dropped rather than slowing the publisher.
//
// A client may also subscribe to the readings of some points: it sends
// {"subscribe": {"points": [id, …]}} or {"subscribe": {"hazard_source_id": id}} (or {"subscribe": {}}
// to stop); the resolver (set by the app) turns that into the point ids the user may see, and each
// reading of those points is then pushed as {"type": "reading", …}.
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include <boost/json/object.hpp>

#include <atomic>
#include <set>
#include <vector>

#include "auth/principal.h"
#include "base/result.h"

namespace anjian::http {

class StreamHub {
 public:
  static constexpr size_t kMaxQueued = 1000;
  using Send = std::function<bool(std::shared_ptr<const std::string>)>;  // false: the client is too slow

  // Registers a connection; returns its id.
  std::uint64_t add(std::shared_ptr<const auth::Principal> who, Send send, std::function<void()> drop);
  void remove(std::uint64_t id);
  // Sends `text` to every connection whose scope sees (region_code, uscc). Thread-safe.
  void publish(const std::string& text, const std::string& region_code, const std::string& uscc);
  size_t connections() const;

  static constexpr size_t kMaxSubscribed = 500;  // points per connection
  // Turns a subscription request into the point ids the user may see. Errors: not_found, invalid_field.
  using Resolve = std::function<Result<std::vector<std::string>>(const auth::Principal&, const boost::json::object&)>;
  void set_resolver(Resolve fn) { resolve_ = std::move(fn); }
  // Handles a message a client sent; returns the answer to send it back.
  std::string handle_message(std::uint64_t id, const std::shared_ptr<const auth::Principal>& who, std::string_view text);
  // Whether any connection follows any point (a cheap check before preparing reading messages).
  bool wants_readings() const { return subscriptions_.load(std::memory_order_relaxed) > 0; }
  bool follows(const std::string& point_id) const;
  // Sends `text` to the connections following `point_id` (their scope was checked at subscription).
  void publish_reading(const std::string& point_id, const std::string& text);

 private:
  struct Entry {
    std::shared_ptr<const auth::Principal> who;
    Send send;
    std::function<void()> drop;
    std::vector<std::string> points;
  };
  void unsubscribe_locked(std::uint64_t id, Entry& e);
  mutable std::mutex mu_;
  std::uint64_t next_ = 1;
  std::unordered_map<std::uint64_t, Entry> entries_;
  std::unordered_map<std::string, std::set<std::uint64_t>> followers_;  // point id → connections
  std::atomic<size_t> subscriptions_{0};
  Resolve resolve_;
};

}  // namespace anjian::http
