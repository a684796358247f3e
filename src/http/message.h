#pragma once
// The typed request and response that handlers see; no Beast type leaks past the server.
#include <boost/json/value.hpp>

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "auth/principal.h"
#include "base/error.h"
#include "base/result.h"

namespace anjian::http {

struct Request {
  std::string method;  // "GET", "POST", …
  std::string target;  // as sent: path and query
  std::string path;    // percent-decoded path without the query
  std::unordered_map<std::string, std::string> query;        // decoded; the last value wins
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string remote;      // client address
  std::string request_id;  // from X-Request-Id when sane, else generated
  std::unordered_map<std::string, std::string> params;  // path parameters of the matched route
  std::shared_ptr<const auth::Principal> principal;     // set for authenticated routes

  // The header's value, or "" when absent. REQUIRES: name in lower case.
  std::string_view header(std::string_view name) const;
  std::optional<std::string> query_param(const std::string& name) const;
  const std::string& param(const std::string& name) const { return params.at(name); }
  // REQUIRES: an authenticated route.
  const auth::Principal& who() const { return *principal; }
};

struct Response {
  unsigned status = 200;
  std::string body;
  std::string content_type = "application/json; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string error_code;  // set by error responses, for the access log and metrics

  static Response json(const boost::json::value& v, unsigned status = 200);
  static Response error(const Error& e);
  static Response no_content() { return Response{204, {}, {}, {}, {}}; }
  Response& with_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

// A Content-Disposition value (RFC 6266): `disposition` (inline | attachment) with the name as an
// ASCII fallback (other bytes, quotes and backslashes as '_') and in UTF-8 for today's browsers.
std::string content_disposition(std::string_view disposition, const std::string& name);

// The HTTP status of an error code (API.md's table); unknown codes of bad input are 400.
unsigned status_for(const std::string& code);

// A Result as a response: the value through `to_json` with `status`, or the error.
template <typename T, typename F>
Response respond(const Result<T>& r, F&& to_json, unsigned status = 200) {
  if (!r.ok()) return Response::error(r.error());
  return Response::json(to_json(r.value()), status);
}
inline Response respond(const Status& s) { return s.ok() ? Response::no_content() : Response::error(s.error()); }

}  // namespace anjian::http
