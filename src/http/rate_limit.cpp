#include "http/rate_limit.h"

#include <algorithm>
#include <cmath>

namespace anjian::http {

double RateLimiter::available_locked(const std::string& key, double capacity, Millis now) {
  auto [it, fresh] = buckets_.try_emplace(key, Bucket{capacity, now});
  Bucket& b = it->second;
  if (!fresh) b.tokens = std::min(capacity, b.tokens + static_cast<double>(now - b.at) * capacity / 60'000.0);
  b.at = now;
  return b.tokens;
}

int RateLimiter::take(Kind kind, const std::string& user, const std::string& address, Millis now) {
  const int per_minute = kind == Kind::search ? limits_.search_per_minute : limits_.export_per_minute;
  if (per_minute <= 0) return 0;  // 0: no limit
  const std::string prefix = kind == Kind::search ? "s\n" : "e\n";
  const double user_capacity = per_minute, address_capacity = 4.0 * per_minute;
  std::lock_guard lock(mu_);
  // Full buckets are forgotten now and then (the map must not grow with every address ever seen).
  if (now - pruned_at_ > 600'000) {
    pruned_at_ = now;
    for (auto it = buckets_.begin(); it != buckets_.end();)
      it = now - it->second.at > 120'000 ? buckets_.erase(it) : std::next(it);
  }
  const std::string user_key = prefix + "u\n" + user, address_key = prefix + "a\n" + address;
  const double u = user.empty() ? user_capacity : available_locked(user_key, user_capacity, now);
  const double a = available_locked(address_key, address_capacity, now);
  if (u < 1.0 || a < 1.0) {
    // The wait until both have a token again.
    const double need = std::max(u < 1.0 ? (1.0 - u) * 60.0 / user_capacity : 0.0, a < 1.0 ? (1.0 - a) * 60.0 / address_capacity : 0.0);
    return std::max(1, static_cast<int>(std::ceil(need)));
  }
  if (!user.empty()) buckets_[user_key].tokens -= 1.0;
  buckets_[address_key].tokens -= 1.0;
  return 0;
}

}  // namespace anjian::http
