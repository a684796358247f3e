#include "http/service.h"

#include "http/static_files.h"
#include "base/json_text.h"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <chrono>

#include "base/crypto.h"
#include "base/time.h"

namespace anjian::http {

HttpService::HttpService(Router& router, ServiceHooks hooks, StaticFiles* files, Metrics& metrics, bool access_log)
    : router_(router), hooks_(std::move(hooks)), files_(files), metrics_(metrics), access_log_(access_log) {}

std::string_view bearer_token(const Request& req) {
  std::string_view auth = req.header("authorization");
  if (auth.size() > 7 && (auth.substr(0, 7) == "Bearer " || auth.substr(0, 7) == "bearer ")) return auth.substr(7);
  // A token in the URL ends up in logs and histories: only the stream takes one there (a browser's
  // WebSocket cannot send a header).
  if (req.path != "/api/v1/stream") return {};
  auto it = req.query.find("token");
  if (it != req.query.end()) return it->second;
  return {};
}

Response HttpService::dispatch(Request& req, std::string& route_name) {
  const bool api = req.path.starts_with("/api/") || req.path == "/healthz" || req.path == "/metrics";
  auto m = router_.match(req.method, req.path);
  if (!m.route) {
    if (!api && files_ && (req.method == "GET" || req.method == "HEAD")) {
      route_name = "static";
      if (auto r = files_->serve(req)) return std::move(*r);
    }
    route_name = "unmatched";
    if (m.path_matched) return Response::error({"method_not_allowed", "不支持的请求方法 " + req.method, ""});
    return Response::error(Error::not_found("接口不存在：" + req.path));
  }
  const Route& route = *m.route;
  route_name = route.pattern;
  req.params = std::move(m.params);

  std::string_view token = bearer_token(req);
  if (!token.empty() || !route.options.public_route) {
    auto who = hooks_.authenticate ? hooks_.authenticate(token) : Result<std::shared_ptr<const auth::Principal>>(
                                                                      Error{"unauthenticated", "未登录", ""});
    if (who.ok()) req.principal = std::move(who).value();
    else if (!route.options.public_route) return Response::error(who.error());
  }
  if (req.principal) {
    if (!route.options.allowed_before_password_change)
      if (auto s = auth::may_act(*req.principal, route.options.allowed_before_second_factor); !s.ok()) return Response::error(s.error());
    if (route.options.permission && !req.principal->can(*route.options.permission)) {
      if (hooks_.audit_denied) hooks_.audit_denied(req, auth::action_name(*route.options.permission));
      return Response::error(Error::forbidden());
    }
  }
  if (route.options.limited && hooks_.rate_limiter &&
      (*route.options.limited == RateLimiter::Kind::export_ || !req.query_param("q").value_or("").empty()))
    if (const int wait = hooks_.rate_limiter->take(*route.options.limited, req.principal ? req.principal->user_id : "", req.remote, now_ms()))
      return Response::error({"rate_limited", "请求过于频繁，请 " + std::to_string(wait) + " 秒后再试", ""})
          .with_header("Retry-After", std::to_string(wait));
  return route.handler(req);
}

namespace {
// Large answers of the API (the map's 280 KB of points, the risk levels of a province, lists,
// exports) are gzip-compressed when the client accepts it, as the console's files are. Level 1:
// most of the saving (JSON shrinks 6–10×) for a fraction of level 6's time.
void compress(const Request& req, Response& res) {
  constexpr size_t kWorthIt = 1400;  // below one TCP segment nothing is gained
  if (res.body.size() < kWorthIt || !req.path.starts_with("/api/")) return;
  const bool text = res.content_type.starts_with("application/json") || res.content_type.starts_with("text/");
  if (!text || req.header("accept-encoding").find("gzip") == std::string_view::npos) return;
  for (const auto& [name, value] : res.headers)
    if (name == "Content-Encoding") return;
  std::string packed = gzip(res.body, 1);
  if (packed.empty() || packed.size() >= res.body.size()) return;
  res.body = std::move(packed);
  res.headers.emplace_back("Content-Encoding", "gzip");
  res.headers.emplace_back("Vary", "Accept-Encoding");
}
}  // namespace

Response HttpService::handle(Request& req) noexcept {
  const auto start = std::chrono::steady_clock::now();
  std::string route_name = "unmatched";
  Response res;
  try {
    res = dispatch(req, route_name);
  } catch (const std::exception& e) {
    spdlog::error("request {} {} {} failed: {}", req.request_id, req.method, req.path, e.what());
    res = Response::error(Error::internal("服务器内部错误，请求编号 " + req.request_id));
  } catch (...) {
    spdlog::error("request {} {} {} failed with an unknown exception", req.request_id, req.method, req.path);
    res = Response::error(Error::internal("服务器内部错误，请求编号 " + req.request_id));
  }
  if (res.status >= 500 && res.error_code == "storage_error") {
    // The database's own words stay in the log; the client gets the request id to quote.
    spdlog::error("request {} storage error: {}", req.request_id, res.body);
    res = Response::error(Error::internal("服务器内部错误，请求编号 " + req.request_id));
  }
  res.headers.emplace_back("X-Request-Id", req.request_id);
  compress(req, res);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  metrics_.observe(req.method, route_name, res.status, seconds);
  // Machines' data (readings, hundreds of requests a second per node) is counted in /metrics, not
  // logged line by line: only its failures reach the access log.
  const bool machine_data = route_name == "/api/v1/monitoring/readings" && res.status < 300;
  if (access_log_ && !machine_data) {
    boost::json::object line{{"ts", format_iso(now_ms())}, {"request_id", req.request_id}, {"remote", req.remote},
                             {"method", req.method},      {"path", req.path},              {"route", route_name},
                             {"status", res.status},      {"ms", seconds * 1000},          {"bytes", res.body.size()}};
    if (req.principal) line["user"] = req.principal->username;
    if (!res.error_code.empty()) line["error"] = res.error_code;
    spdlog::get("access")->info(json_text(line));
  }
  return res;
}

}  // namespace anjian::http
