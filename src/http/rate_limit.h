#pragma once
// Limits on the expensive requests — searches and exports — per user and per client address
// (等保: a resource one account or one machine cannot exhaust for everyone). Token buckets: a
// user may make `per_minute` of a kind in a burst and then one every 60/per_minute seconds; an
// address four times as many (an office behind one NAT). Over the limit: 429 with Retry-After.
#include <mutex>
#include <string>
#include <unordered_map>

#include "base/time.h"

namespace anjian::http {

struct RateLimits {
  int search_per_minute = 120;
  int export_per_minute = 20;
};

class RateLimiter {
 public:
  explicit RateLimiter(RateLimits limits) : limits_(limits) {}
  enum class Kind { search, export_ };
  // Takes one request of `kind` for `user` (may be empty) from `address`; 0 when allowed, else
  // the seconds to wait.
  int take(Kind kind, const std::string& user, const std::string& address, Millis now);

 private:
  struct Bucket {
    double tokens = 0;
    Millis at = 0;
  };
  // REQUIRES: mu_ held. Whether `key` has a token at `now` (taking it when `take`).
  double available_locked(const std::string& key, double capacity, Millis now);
  RateLimits limits_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
  Millis pruned_at_ = 0;
};

}  // namespace anjian::http
