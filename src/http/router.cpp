#include "http/router.h"

#include <stdexcept>

namespace anjian::http {
namespace {
// A path's segments as views of it (no allocation per segment: every request's path is split).
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') { ++i; continue; }
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}
bool is_param(const std::string& seg) { return seg.size() > 2 && seg.front() == '{' && seg.back() == '}'; }
}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler, RouteOptions options) {
  for (const auto& r : routes_)
    if (r.method == method && r.pattern == pattern) throw std::logic_error("duplicate route " + pattern);
  const auto views = split_path(pattern);
  Route r{std::move(method), pattern, std::vector<std::string>(views.begin(), views.end()), std::move(handler), options};
  routes_.push_back(std::move(r));
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
  Match m;
  // Every request is matched against every route (a few hundred): nothing is allocated for a
  // route until the winner is known.
  const auto segs = split_path(path);
  // Literal segments win over parameters: the route with the fewest parameters is taken.
  const Route* best = nullptr;
  int best_params = 1 << 30;
  for (const auto& r : routes_) {
    if (r.segments.size() != segs.size()) continue;
    int params = 0;
    bool ok = true;
    for (size_t i = 0; i < segs.size() && ok; ++i) {
      if (is_param(r.segments[i])) ++params;
      else ok = r.segments[i] == segs[i];
    }
    if (!ok) continue;
    if (r.method != method && !(method == "HEAD" && r.method == "GET")) {
      m.path_matched = true;
      continue;
    }
    if (params < best_params) {
      best = &r;
      best_params = params;
    }
  }
  m.route = best;
  if (best)
    for (size_t i = 0; i < segs.size(); ++i)
      if (is_param(best->segments[i])) m.params[best->segments[i].substr(1, best->segments[i].size() - 2)] = std::string(segs[i]);
  return m;
}

}  // namespace anjian::http
