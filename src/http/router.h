#pragma once
// Routes: method + pattern ("/api/v1/enterprises/{uscc}") → handler, with what the route needs
// (a session, an action). The router's table is what docs/openapi.yaml is checked against.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "auth/roles.h"
#include "http/message.h"
#include "http/rate_limit.h"

namespace anjian::http {

using Handler = std::function<Response(Request&)>;

struct RouteOptions {
  bool public_route = false;               // no session needed (one is still read when sent)
  std::optional<auth::Action> permission;  // checked before the handler runs
  bool allowed_before_password_change = false;  // usable while the password must be changed
  bool allowed_before_second_factor = false;    // usable by an administrator still to enrol a second factor
  // Expensive: counted against the user's and the address's limit (http/rate_limit.h). A search
  // counts only when it searches (a non-empty q).
  std::optional<RateLimiter::Kind> limited;
};

struct Route {
  std::string method;
  std::string pattern;
  std::vector<std::string> segments;
  Handler handler;
  RouteOptions options;
};

class Router {
 public:
  void add(std::string method, std::string pattern, Handler handler, RouteOptions options = {});
  void get(std::string p, Handler h, RouteOptions o = {}) { add("GET", std::move(p), std::move(h), o); }
  void post(std::string p, Handler h, RouteOptions o = {}) { add("POST", std::move(p), std::move(h), o); }
  void patch(std::string p, Handler h, RouteOptions o = {}) { add("PATCH", std::move(p), std::move(h), o); }
  void put(std::string p, Handler h, RouteOptions o = {}) { add("PUT", std::move(p), std::move(h), o); }
  void del(std::string p, Handler h, RouteOptions o = {}) { add("DELETE", std::move(p), std::move(h), o); }

  struct Match {
    const Route* route = nullptr;
    bool path_matched = false;  // some route has this path, with another method (→ 405)
    std::unordered_map<std::string, std::string> params;
  };
  Match match(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace anjian::http
