#include "auth/stream_tickets.h"

#include <algorithm>

#include "base/crypto.h"

namespace anjian::auth {

std::string StreamTickets::issue(std::string token, Millis now) {
  std::string ticket = random_token(24);
  std::lock_guard lock(mu_);
  std::erase_if(tickets_, [now](const auto& t) { return t.second.expires_at <= now; });
  if (tickets_.size() >= kMaxOutstanding) {
    auto oldest = std::min_element(tickets_.begin(), tickets_.end(),
                                   [](const auto& a, const auto& b) { return a.second.expires_at < b.second.expires_at; });
    tickets_.erase(oldest);
  }
  tickets_.emplace(ticket, Entry{std::move(token), now + kLifetimeMs});
  return ticket;
}

std::optional<std::string> StreamTickets::redeem(std::string_view ticket, Millis now) {
  std::lock_guard lock(mu_);
  auto it = tickets_.find(std::string(ticket));
  if (it == tickets_.end()) return std::nullopt;
  Entry e = std::move(it->second);
  tickets_.erase(it);
  if (e.expires_at <= now) return std::nullopt;
  return std::move(e.token);
}

}  // namespace anjian::auth
