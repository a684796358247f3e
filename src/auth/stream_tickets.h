#pragma once
// One-time tickets for opening the stream. A browser's WebSocket cannot send an Authorization
// header, and a session token in the URL ends up in proxies' logs and histories: the console asks
// for a ticket (authenticated, over a normal request) and opens the stream with `?ticket=`. A
// ticket is good once, for kLifetimeMs, on this process (nginx sends a client's stream and its
// ticket request to the same anjian: see deploy/).
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/time.h"

namespace anjian::auth {

class StreamTickets {
 public:
  static constexpr Millis kLifetimeMs = 30'000;
  static constexpr size_t kMaxOutstanding = 100'000;  // beyond it the oldest are dropped

  // A new ticket standing for `token` until now + kLifetimeMs.
  std::string issue(std::string token, Millis now);
  // The token a ticket stands for, once; nullopt when unknown, used or expired.
  std::optional<std::string> redeem(std::string_view ticket, Millis now);

 private:
  struct Entry {
    std::string token;
    Millis expires_at;
  };
  std::mutex mu_;
  std::unordered_map<std::string, Entry> tickets_;
};

}  // namespace anjian::auth
