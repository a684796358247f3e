#include "http/stream_hub.h"
#include "base/json_text.h"

#include <boost/json.hpp>

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
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  unsubscribe_locked(id, it->second);
  entries_.erase(it);
}

void StreamHub::unsubscribe_locked(std::uint64_t id, Entry& e) {
  for (const auto& p : e.points) {
    auto f = followers_.find(p);
    if (f == followers_.end()) continue;
    f->second.erase(id);
    if (f->second.empty()) followers_.erase(f);
    --subscriptions_;
  }
  e.points.clear();
}

namespace {
std::string answer(const char* type, boost::json::object data) {
  return json_text(boost::json::object{{"type", type}, {"data", std::move(data)}});
}
std::string error_answer(const Error& e) {
  return answer("error", boost::json::object{{"code", e.code}, {"message", e.message}, {"field", e.field}});
}
}  // namespace

std::string StreamHub::handle_message(std::uint64_t id, const std::shared_ptr<const auth::Principal>& who, std::string_view text) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return error_answer({"invalid_json", "消息须为 JSON 对象", ""});
  const auto* sub = v.as_object().if_contains("subscribe");
  if (!sub || !sub->is_object() || v.as_object().size() != 1)
    return error_answer({"invalid_field", "只支持 {\"subscribe\": {...}}", "subscribe"});
  std::vector<std::string> points;
  if (!sub->as_object().empty()) {
    if (!resolve_) return error_answer({"unavailable", "不支持订阅读数", ""});
    auto resolved = resolve_(*who, sub->as_object());
    if (!resolved.ok()) return error_answer(resolved.error());
    points = std::move(*resolved);
    if (points.size() > kMaxSubscribed)
      return error_answer({"too_large", "一次最多订阅 " + std::to_string(kMaxSubscribed) + " 个测点", "subscribe"});
  }
  std::lock_guard lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return error_answer({"unavailable", "连接已关闭", ""});
  unsubscribe_locked(id, it->second);
  boost::json::array ids;
  for (const auto& p : points) {
    if (!followers_[p].insert(id).second) continue;
    it->second.points.push_back(p);
    ++subscriptions_;
    ids.push_back(boost::json::value(p));
  }
  return answer("subscribed", boost::json::object{{"points", std::move(ids)}});
}

bool StreamHub::follows(const std::string& point_id) const {
  std::lock_guard lock(mu_);
  return followers_.count(point_id) > 0;
}

void StreamHub::publish_reading(const std::string& point_id, const std::string& text) {
  auto shared = std::make_shared<const std::string>(text);
  std::vector<std::function<void()>> drops;
  {
    std::lock_guard lock(mu_);
    auto f = followers_.find(point_id);
    if (f == followers_.end()) return;
    for (std::uint64_t id : std::vector<std::uint64_t>(f->second.begin(), f->second.end())) {
      auto e = entries_.find(id);
      if (e == entries_.end() || e->second.send(shared)) continue;
      drops.push_back(std::move(e->second.drop));
      unsubscribe_locked(id, e->second);
      entries_.erase(e);
    }
  }
  for (auto& d : drops) d();
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
      unsubscribe_locked(it->first, it->second);
      it = entries_.erase(it);
    }
  }
  for (auto& d : drops) d();
}

}  // namespace anjian::http
