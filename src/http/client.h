#pragma once
// A small blocking HTTP/1.1 client: one keep-alive connection, plain or TLS. Used by the simulator
// (a sensor gateway's side of the HTTP door), by the exchange (a node pushing to its parent over
// HTTPS) and by the tests.
#include <boost/json.hpp>

#include <map>
#include <memory>
#include <string>
#include "base/json_text.h"

namespace anjian::http {

struct HttpResult {
  unsigned status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  boost::json::value json() const;             // null when the body is not JSON
  // The "items" array of a list response, by value (safe in a range-for over a temporary).
  boost::json::array items() const;
  // error.code of an API error body, or "".
  std::string error_code() const;
  std::string error_field() const;
  std::string header(const std::string& name) const;
};

class HttpClient {
 public:
  explicit HttpClient(unsigned short port) : HttpClient("127.0.0.1", port) {}
  HttpClient(std::string host, unsigned short port);
  // Over TLS (1.2 or 1.3), the server's certificate checked against the system's trusted
  // certificates, or only against `ca_file` when given, and against `host`.
  static HttpClient tls(std::string host, unsigned short port, std::string ca_file = {});
  // Each request's connect, write and read must finish within this (default 30 s).
  void set_timeout_ms(int ms) { timeout_ms_ = ms; }
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;
  ~HttpClient();
  void set_token(std::string token) { token_ = std::move(token); }
  const std::string& token() const { return token_; }
  // Throws std::runtime_error when the server cannot be reached (after one reconnect).
  HttpResult request(const std::string& method, const std::string& target, const std::string& body = "",
                     std::map<std::string, std::string> headers = {});
  HttpResult get(const std::string& target) { return request("GET", target); }
  HttpResult post(const std::string& target, const boost::json::value& body) {
    return request("POST", target, json_text(body), {{"Content-Type", "application/json"}});
  }
  HttpResult patch(const std::string& target, const boost::json::value& body, const std::string& if_match) {
    return request("PATCH", target, json_text(body), {{"Content-Type", "application/json"}, {"If-Match", if_match}});
  }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string host_;
  unsigned short port_;
  std::string token_;
  bool tls_ = false;
  std::string ca_file_;
  int timeout_ms_ = 30'000;
};

// Percent-encodes a query value.
std::string url_encode(const std::string& s);

}  // namespace anjian::http
