#include "http/stream_hub.h"

#include <vector>

namespace anjian::http {

std::uint64_t StreamHub::add(std::shared_ptr<const auth::Principal> who, Send send, std::function<void()> drop) {
  std::lock_guard lock(mu_);
  const auto id = next_++;
  entries_[id] = {std::move(who), std::move(send), std::move(drop)};
  return id;
}

void StreamHub::remove(std::uint64_t id) {
  std::lock_guard lock(mu_);
  entries_.erase(id);
}

size_t StreamHub::connections() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

void StreamHub::publish(const std::string& text, const std::string& region_code, const std::string& uscc) {
  auto shared = std::make_shared<const std::string>(text);
  std::vector<std::function<void()>> drops;
  {
    std::lock_guard lock(mu_);
    for (auto it = entries_.begin(); it != entries_.end();) {
      if (!it->second.who->scope.sees(region_code, uscc)) { ++it; continue; }
      if (it->second.send(shared)) { ++it; continue; }
      drops.push_back(std::move(it->second.drop));
      it = entries_.erase(it);
    }
  }
  for (auto& d : drops) d();
}

}  // namespace anjian::http
