#include "http/router.h"

#include <stdexcept>

namespace anjian::http {
namespace {
std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') { ++i; continue; }
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.emplace_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}
bool is_param(const std::string& seg) { return seg.size() > 2 && seg.front() == '{' && seg.back() == '}'; }
}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler, RouteOptions options) {
  for (const auto& r : routes_)
    if (r.method == method && r.pattern == pattern) throw std::logic_error("duplicate route " + pattern);
  Route r{std::move(method), pattern, split_path(pattern), std::move(handler), options};
  routes_.push_back(std::move(r));
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
  Match m;
  auto segs = split_path(path);
  // Literal segments win over parameters: try routes with fewer parameters first.
  const Route* best = nullptr;
  int best_params = 1 << 30;
  std::unordered_map<std::string, std::string> best_values;
  for (const auto& r : routes_) {
    if (r.segments.size() != segs.size()) continue;
    std::unordered_map<std::string, std::string> values;
    int params = 0;
    bool ok = true;
    for (size_t i = 0; i < segs.size() && ok; ++i) {
      if (is_param(r.segments[i])) {
        values[r.segments[i].substr(1, r.segments[i].size() - 2)] = segs[i];
        ++params;
      } else {
        ok = r.segments[i] == segs[i];
      }
    }
    if (!ok) continue;
    if (r.method != method && !(method == "HEAD" && r.method == "GET")) {
      m.path_matched = true;
      continue;
    }
    if (params < best_params) {
      best = &r;
      best_params = params;
      best_values = std::move(values);
    }
  }
  m.route = best;
  m.params = std::move(best_values);
  return m;
}

}  // namespace anjian::http
