// The headers every answer carries (issue 18's contract: nosniff and a Content-Security-Policy
// with frame-ancestors 'none' on every response, Cache-Control: no-store on the API's), on every
// class of route and on the answers the server makes before any route is found; the client's
// address and scheme believed only from the trusted proxy.
#include <gtest/gtest.h>

#include <boost/asio.hpp>

#include "http/security_headers.h"
#include "http/server.h"
#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;

namespace {
// Raw bytes to the server and the answer's header block (up to the blank line), lower-cased.
std::string raw_head(unsigned short port, const std::string& bytes) {
  namespace net = boost::asio;
  net::io_context ioc;
  net::ip::tcp::socket s(ioc);
  s.connect({net::ip::make_address("127.0.0.1"), port});
  net::write(s, net::buffer(bytes));
  std::string out;
  char buf[4096];
  boost::system::error_code ec;
  while (out.find("\r\n\r\n") == std::string::npos) {
    size_t n = s.read_some(net::buffer(buf), ec);
    if (ec) break;
    out.append(buf, n);
  }
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out.substr(0, out.find("\r\n\r\n"));
}

void expect_browser_defences(const HttpResult& r, const std::string& what) {
  EXPECT_EQ(r.header("x-content-type-options"), "nosniff") << what;
  const std::string csp = r.header("content-security-policy");
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << what << ": " << csp;
  EXPECT_NE(csp.find("script-src 'self';"), std::string::npos) << what << ": " << csp;
  EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos) << what;
  EXPECT_EQ(r.header("referrer-policy"), "no-referrer") << what;
  EXPECT_EQ(r.header("strict-transport-security"), "") << what << ": plain HTTP, nothing to pin";
}
}  // namespace

TEST(SecurityHeaders, EveryClassOfApiAnswerCarriesThemAndIsNeverStored) {
  auto& w = world("sqlite");
  auto anon = w.anonymous();
  auto user = w.as("xihu_insp");
  struct Case {
    std::string what;
    HttpResult r;
    unsigned status;
  };
  std::vector<Case> cases{
      {"health (public)", anon.get("/healthz"), 200u},
      {"a list with personal data", user.get("/api/v1/enterprises?limit=1"), 200u},
      {"not logged in", anon.get("/api/v1/enterprises"), 401u},
      {"forbidden", user.get("/api/v1/audit"), 403u},
      {"unknown route", user.get("/api/v1/no-such-thing"), 404u},
      {"wrong method", user.request("DELETE", "/healthz"), 405u},
      {"bad body", user.request("POST", "/api/v1/auth/login", "{not json", {{"Content-Type", "application/json"}}), 400u},
      {"the stream as a plain GET", user.get("/api/v1/stream"), 426u},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(c.r.status, c.status) << c.what << ": " << c.r.body;
    expect_browser_defences(c.r, c.what);
    EXPECT_EQ(c.r.header("cache-control"), "no-store") << c.what;
  }
}

TEST(SecurityHeaders, AnswersMadeBeforeAnyRouteCarryThemToo) {
  auto& w = world("sqlite");
  for (const auto& [what, bytes] : std::vector<std::pair<std::string, std::string>>{
           {"garbage", "GARBAGE\r\n\r\n"},
           {"header too large", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n"},
           {"body too large", "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\n"},
           {"stream refused", "GET /api/v1/stream?ticket=forged HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                              "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"}}) {
    const std::string head = raw_head(w.port, bytes);
    EXPECT_EQ(head.find("http/1.1 2"), std::string::npos) << what << ": " << head;
    EXPECT_NE(head.find("x-content-type-options: nosniff"), std::string::npos) << what << ": " << head;
    EXPECT_NE(head.find("frame-ancestors 'none'"), std::string::npos) << what;
    EXPECT_NE(head.find("cache-control: no-store"), std::string::npos) << what;
  }
}

TEST(SecurityHeaders, TheConsolesFilesKeepTheirCachingAndGetThePolicy) {
  // A server whose handler answers as the static files do (they set their own Cache-Control).
  http::ServerOptions opt;
  opt.port = 0;
  opt.threads = 1;
  http::Server server(opt, [](http::Request& req) {
    http::Response r;
    r.content_type = "text/html; charset=utf-8";
    r.body = "<!doctype html>";
    r.headers.emplace_back("Cache-Control", req.path.starts_with("/assets/") ? "public, max-age=31536000, immutable" : "no-cache");
    return r;
  });
  auto port = server.start();
  ASSERT_TRUE(port.ok());
  HttpClient c(*port);
  auto index = c.get("/");
  expect_browser_defences(index, "index.html");
  EXPECT_EQ(index.header("cache-control"), "no-cache");
  EXPECT_EQ(c.get("/assets/app-1.js").header("cache-control"), "public, max-age=31536000, immutable");
  server.stop();
}

TEST(SecurityHeaders, TheClientsAddressAndHttpsAreBelievedOnlyFromTheTrustedProxy) {
  using http::client_origin;
  const std::vector<std::string> trusted{"127.0.0.1"};
  auto via_proxy = client_origin("127.0.0.1", trusted, "10.1.2.3", "", "https");
  EXPECT_EQ(via_proxy.address, "10.1.2.3");
  EXPECT_TRUE(via_proxy.tls);
  // Without X-Real-IP: the hop the proxy appended (the last), not the ones the client wrote.
  EXPECT_EQ(client_origin("127.0.0.1", trusted, "", "6.6.6.6, 10.1.2.4", "http").address, "10.1.2.4");
  // Anyone else naming an address or HTTPS is not believed.
  auto direct = client_origin("10.9.9.9", trusted, "1.1.1.1", "1.1.1.1", "https");
  EXPECT_EQ(direct.address, "10.9.9.9");
  EXPECT_FALSE(direct.tls);
  EXPECT_EQ(client_origin("10.9.9.9", {}, "1.1.1.1", "", "").address, "10.9.9.9");
  // A hostile value from the proxy's header is not taken for an address.
  EXPECT_EQ(client_origin("127.0.0.1", trusted, "1.1.1.1\r\nX-Evil: 1", "", "").address, "127.0.0.1");
  EXPECT_EQ(client_origin("127.0.0.1", trusted, std::string(100, '1'), "", "").address, "127.0.0.1");

  // Over a real connection: the handler sees the proxy's client; HTTPS brings HSTS.
  http::ServerOptions opt;
  opt.port = 0;
  opt.threads = 1;
  opt.trusted_proxies = trusted;
  http::Server server(opt, [](http::Request& req) { return http::Response::json(json::object{{"remote", req.remote}}); });
  auto port = server.start();
  ASSERT_TRUE(port.ok());
  HttpClient c(*port);
  auto r = c.request("GET", "/", "", {{"X-Real-IP", "10.1.2.3"}, {"X-Forwarded-Proto", "https"}});
  EXPECT_EQ(r.json().at("remote").as_string(), "10.1.2.3");
  EXPECT_EQ(r.header("strict-transport-security"), "max-age=31536000");
  auto plain = c.get("/");
  EXPECT_EQ(plain.json().at("remote").as_string(), "127.0.0.1");
  EXPECT_EQ(plain.header("strict-transport-security"), "");
  server.stop();
}
