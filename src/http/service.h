#pragma once
// The request pipeline every request goes through, before and after its handler: request id,
// routing (API, health, metrics, then the console's files), authentication, permission, the
// handler with exceptions turned into 500s, metrics and the access log.
#include <functional>
#include <memory>

#include "http/message.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/static_files.h"

namespace anjian::http {

struct ServiceHooks {
  // Resolves "Authorization: Bearer TOKEN" (or ?token=). Errors: unauthenticated.
  std::function<Result<std::shared_ptr<const auth::Principal>>(std::string_view token)> authenticate;
  // Records a permission denial in the audit log.
  std::function<void(const Request&, std::string_view action)> audit_denied;
  // The limits of expensive requests (none when null).
  RateLimiter* rate_limiter = nullptr;
};

class HttpService {
 public:
  HttpService(Router& router, ServiceHooks hooks, StaticFiles* files, Metrics& metrics, bool access_log);
  // Never throws.
  Response handle(Request& req) noexcept;
  Metrics& metrics() { return metrics_; }

 private:
  Response dispatch(Request& req, std::string& route_name);
  Router& router_;
  ServiceHooks hooks_;
  StaticFiles* files_;
  Metrics& metrics_;
  bool access_log_;
};

// The bearer token of a request: the Authorization header, or ?token= on /api/v1/stream only
// (a browser's WebSocket cannot send a header; anywhere else a token in the URL would be logged).
std::string_view bearer_token(const Request& req);

}  // namespace anjian::http
