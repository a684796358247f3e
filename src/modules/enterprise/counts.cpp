#include "modules/enterprise/counts.h"

#include "modules/enterprise/repo.h"

#include <boost/json.hpp>

#include <algorithm>
#include <mutex>
#include <vector>

namespace anjian::enterprise {
namespace json = boost::json;

EnterpriseCounts::Key EnterpriseCounts::key_of(const Enterprise& e) {
  Key k{e.region_code, e.industry, e.status, std::nullopt};
  if (e.licence_expires_on) k.expires = parse_date(*e.licence_expires_on);
  return k;
}

void EnterpriseCounts::add(const Key& k, std::int64_t n) {
  County& c = counties_[k.region_code];
  c.total += n;
  c.industry[k.industry] += n;
  c.status[k.status] += n;
  if (k.expires) {
    if ((c.expiry[*k.expires] += n) == 0) c.expiry.erase(*k.expires);
  } else {
    c.no_licence += n;
  }
}

void EnterpriseCounts::apply(std::int64_t generation, const Enterprise* before, const Enterprise* after) {
  std::unique_lock lock(mu_);
  if (!loaded_ || generation <= generation_ || ahead_.count(generation)) return;
  std::optional<Key> minus, plus;
  if (before) minus = key_of(*before);
  if (after) plus = key_of(*after);
  if (minus) add(*minus, -1);
  if (plus) add(*plus, 1);
  ahead_.emplace(generation, std::make_pair(std::move(minus), std::move(plus)));
  while (!ahead_.empty() && ahead_.begin()->first == generation_ + 1) {
    ahead_.erase(ahead_.begin());
    ++generation_;
  }
}

Status EnterpriseCounts::rebuild(db::Database& db) {
  auto r = db.read();
  if (!r.ok()) return r.take_error();
  auto tally = repo::tally(**r);
  if (!tally.ok()) return tally.take_error();
  const std::int64_t snapshot = tally->first;
  counties_.clear();
  for (const auto& row : tally->second) {
    Key k{row.region_code, row.industry, row.status, std::nullopt};
    if (row.expires_on) k.expires = parse_date(*row.expires_on);
    add(k, row.n);
  }
  // Writes counted here already but newer than the snapshot are counted again.
  for (auto it = ahead_.begin(); it != ahead_.end();) {
    if (it->first <= snapshot) {
      it = ahead_.erase(it);
      continue;
    }
    if (it->second.first) add(*it->second.first, -1);
    if (it->second.second) add(*it->second.second, 1);
    ++it;
  }
  generation_ = snapshot;
  while (!ahead_.empty() && ahead_.begin()->first == generation_ + 1) {
    ahead_.erase(ahead_.begin());
    ++generation_;
  }
  loaded_ = true;
  return {};
}

Result<json::object> EnterpriseCounts::summary(db::Database& db, const auth::Scope& scope, std::int64_t today,
                                               const EnterpriseOptions& options) {
  std::int64_t committed = 0;
  {
    auto r = db.read();
    if (!r.ok()) return r.take_error();
    auto g = repo::generation(**r);
    if (!g.ok()) return g.take_error();
    committed = *g;
  }
  std::shared_lock shared(mu_);
  if (!loaded_ || generation_ < committed) {
    shared.unlock();
    {
      std::unique_lock lock(mu_);
      if (!loaded_ || generation_ < committed) ANJIAN_TRY(rebuild(db));
    }
    shared.lock();
  }
  std::map<std::string, std::int64_t> industry, status;
  std::int64_t total = 0, none = 0, expired = 0, expiring = 0;
  const std::int64_t warn = today + options.licence_warning_days;
  for (const auto& [code, c] : counties_) {
    if (c.total == 0 || !scope.sees(code)) continue;
    total += c.total;
    none += c.no_licence;
    for (const auto& [k, n] : c.industry)
      if (n) industry[k] += n;
    for (const auto& [k, n] : c.status)
      if (n) status[k] += n;
    const auto first_valid = c.expiry.upper_bound(warn);
    for (auto it = c.expiry.begin(); it != first_valid; ++it) (it->first < today ? expired : expiring) += it->second;
  }
  // Most first, as the home page lists them.
  auto ranked = [](const std::map<std::string, std::int64_t>& m) {
    std::vector<std::pair<std::string, std::int64_t>> v(m.begin(), m.end());
    std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    json::object o;
    for (auto& [k, n] : v) o[k] = n;
    return o;
  };
  return json::object{{"by_industry", ranked(industry)},
                      {"by_status", ranked(status)},
                      {"total", total},
                      {"by_licence_state", json::object{{"valid", total - none - expired - expiring},
                                                        {"expiring", expiring},
                                                        {"expired", expired},
                                                        {"none", none}}}};
}

}  // namespace anjian::enterprise
