#pragma once
// The real-time stream (WebSocket /api/v1/stream): server messages {"type", "data"} delivered to
// every connected user whose scope covers the record — and to no one else. A client that falls
// behind by more than kMaxQueued messages is dropped rather than slowing the publisher.
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "auth/principal.h"

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

 private:
  struct Entry {
    std::shared_ptr<const auth::Principal> who;
    Send send;
    std::function<void()> drop;
  };
  mutable std::mutex mu_;
  std::uint64_t next_ = 1;
  std::unordered_map<std::uint64_t, Entry> entries_;
};

}  // namespace anjian::http
