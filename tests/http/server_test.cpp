// The HTTP server itself: health, metrics, errors of the pipeline, static files, the OpenAPI file.
#include <gtest/gtest.h>

#include <boost/asio.hpp>

#include <filesystem>
#include <future>
#include <fstream>
#include <regex>
#include <set>
#include <thread>

#include "http/server.h"
#include "http/static_files.h"
#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;

namespace {
World& sqlite_world() { return world("sqlite"); }

// Raw bytes to the server, and what comes back before it closes (or the timeout).
std::string raw_exchange(unsigned short port, const std::string& bytes, int wait_ms = 3000) {
  namespace net = boost::asio;
  net::io_context ioc;
  net::ip::tcp::socket s(ioc);
  s.connect({net::ip::make_address("127.0.0.1"), port});
  net::write(s, net::buffer(bytes));
  std::string out;
  char buf[4096];
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
  s.non_blocking(true);
  while (std::chrono::steady_clock::now() < deadline) {
    boost::system::error_code ec;
    size_t n = s.read_some(net::buffer(buf), ec);
    if (ec == net::error::would_block) { std::this_thread::sleep_for(std::chrono::milliseconds(10)); continue; }
    if (ec) break;
    out.append(buf, n);
  }
  return out;
}
}  // namespace

TEST(Server, HealthAndMetrics) {
  auto& w = sqlite_world();
  auto c = w.anonymous();
  auto h = c.get("/healthz");
  EXPECT_EQ(h.status, 200u);
  EXPECT_EQ(h.body, R"({"status":"ok"})");
  auto admin = w.as("nation_admin");
  (void)admin.get("/api/v1/enterprises");
  auto m = c.get("/metrics");  // loopback: no login needed
  ASSERT_EQ(m.status, 200u);
  EXPECT_NE(m.body.find("anjian_http_requests_total{method=\"GET\",route=\"/api/v1/enterprises\",status=\"200\"}"), std::string::npos);
  EXPECT_NE(m.body.find("anjian_http_request_duration_seconds_bucket"), std::string::npos);
  EXPECT_NE(m.body.find("anjian_http_open_connections"), std::string::npos);
  EXPECT_NE(m.body.find("anjian_db_connections{pool=\"read\""), std::string::npos);
  // Through a proxy on this machine every client comes from loopback: a forwarded request is not
  // the local monitoring agent, and needs an administrator.
  for (const char* header : {"X-Forwarded-For", "X-Real-IP", "Forwarded"}) {
    auto proxied = c.request("GET", "/metrics", "", {{header, "203.0.113.7"}});
    EXPECT_EQ(proxied.status, 401u) << header;
  }
  // …the 系统管理员 (system_manage); a unit's administrator sees business, not the system's figures.
  EXPECT_EQ(admin.request("GET", "/metrics", "", {{"X-Forwarded-For", "203.0.113.7"}}).status, 403u);
  auto sys_proxied = w.as("admin").request("GET", "/metrics", "", {{"X-Forwarded-For", "203.0.113.7"}});
  EXPECT_EQ(sys_proxied.status, 200u);
}

TEST(Server, UnknownRoutesMethodsAndRequestIds) {
  auto& w = sqlite_world();
  auto c = w.as("nation_admin");
  auto nf = c.get("/api/v1/no-such-thing");
  EXPECT_EQ(nf.status, 404u);
  EXPECT_EQ(nf.error_code(), "not_found");
  auto m = c.request("PUT", "/api/v1/enterprises");
  EXPECT_EQ(m.status, 405u);
  EXPECT_EQ(m.error_code(), "method_not_allowed");
  EXPECT_EQ(c.request("GET", "/healthz", "", {{"X-Request-Id", "trace-123"}}).header("x-request-id"), "trace-123");
  EXPECT_EQ(c.request("GET", "/healthz", "", {{"X-Request-Id", "bad id<script>"}}).header("x-request-id").size(), 16u);
}

TEST(Server, ASlowHandlerRunsOffTheIoThreads) {
  // One I/O thread. A slow request (a password hash) must not hold it: the fast request is answered
  // while the slow one is still in its handler, which waits for exactly that (no timing involved).
  std::promise<void> entered, released;
  auto entered_f = entered.get_future();
  auto released_f = released.get_future().share();
  http::ServerOptions opt;
  opt.host = "127.0.0.1";
  opt.port = 0;
  opt.threads = 1;
  opt.slow_route = [](std::string_view, std::string_view path) { return path == "/slow"; };
  http::Server server(opt, [&](http::Request& req) {
    if (req.path != "/slow") return http::Response::json(boost::json::object{{"fast", true}});
    entered.set_value();
    const bool ok = released_f.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
    return http::Response::json(boost::json::object{{"released", ok}});
  });
  auto port = server.start();
  ASSERT_TRUE(port.ok());
  std::string slow_body;
  std::thread slow([&] { slow_body = HttpClient(*port).get("/slow").body; });
  ASSERT_EQ(entered_f.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  auto fast = HttpClient(*port).get("/fast");
  EXPECT_EQ(fast.status, 200u);
  released.set_value();
  slow.join();
  EXPECT_EQ(slow_body, R"({"released":true})") << "the slow handler held the only I/O thread";
  server.stop();
}

TEST(Server, AThrowingHandlerIs500AndTheServerGoesOn) {
  auto& w = sqlite_world();
  static bool added = false;
  if (!added) {
    w.app->router().get("/api/v1/test/throw", [](http::Request&) -> http::Response { throw std::runtime_error("boom"); },
                        {.public_route = true});
    added = true;
  }
  auto c = w.anonymous();
  auto r = c.request("GET", "/api/v1/test/throw", "", {{"X-Request-Id", "req-boom"}});
  EXPECT_EQ(r.status, 500u);
  EXPECT_EQ(r.error_code(), "internal");
  EXPECT_NE(r.body.find("req-boom"), std::string::npos);
  EXPECT_EQ(r.json().at("error").at("message").as_string(), "服务器内部错误，请求编号 req-boom");  // the exception text stays in the log
  EXPECT_EQ(c.get("/healthz").status, 200u);
}

TEST(Server, MalformedRequestBytesGetAnErrorAndTheConnectionCloses) {
  auto& w = sqlite_world();
  auto out = raw_exchange(w.port, "GARBAGE\r\n\r\n");
  EXPECT_NE(out.find("400"), std::string::npos) << out;
  EXPECT_NE(out.find("bad_request"), std::string::npos);
  auto big_header = raw_exchange(w.port, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n");
  EXPECT_NE(big_header.find("431"), std::string::npos) << big_header.substr(0, 200);
  auto bad_target = raw_exchange(w.port, "GET /api/v1/enterprises?q=%zz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_NE(bad_target.find("400"), std::string::npos);
  EXPECT_EQ(w.anonymous().get("/healthz").status, 200u);
}

TEST(Server, KeepAliveServesManyRequestsOnOneConnection) {
  auto& w = sqlite_world();
  std::string pipeline;
  for (int i = 0; i < 20; ++i) pipeline += "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  auto out = raw_exchange(w.port, pipeline, 1500);
  size_t n = 0;
  for (size_t pos = 0; (pos = out.find("HTTP/1.1 200", pos)) != std::string::npos; ++pos) ++n;
  EXPECT_EQ(n, 20u);
}

TEST(StaticFiles, ServesTheConsoleWithCachingGzipAndSpaFallback) {
  const std::string dir = temp_dir();
  std::filesystem::create_directories(dir + "/assets");
  std::ofstream(dir + "/index.html") << "<!doctype html><title>安监</title>" << std::string(2000, ' ');
  std::ofstream(dir + "/assets/app-abc123.js") << "console.log('x');" << std::string(2000, ' ');
  std::ofstream(dir + "/../secret.txt") << "secret";
  http::StaticFiles files(dir);
  ASSERT_TRUE(files.enabled());
  http::Request req;
  req.method = "GET";
  req.path = "/assets/app-abc123.js";
  auto js = files.serve(req);
  ASSERT_TRUE(js);
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  std::map<std::string, std::string> h(js->headers.begin(), js->headers.end());
  EXPECT_EQ(h["Cache-Control"], "public, max-age=31536000, immutable");
  EXPECT_EQ(js->body.substr(0, 17), "console.log('x');");
  req.headers = {{"accept-encoding", "gzip, br"}};
  auto gz = files.serve(req);
  std::map<std::string, std::string> gh(gz->headers.begin(), gz->headers.end());
  EXPECT_EQ(gh["Content-Encoding"], "gzip");
  EXPECT_LT(gz->body.size(), js->body.size());
  req.headers = {{"if-none-match", h["ETag"]}};
  EXPECT_EQ(files.serve(req)->status, 304u);
  // Client routes fall back to index.html, with no caching.
  req.headers.clear();
  req.path = "/enterprises/91330106MA2H3K8L4A";
  auto spa = files.serve(req);
  EXPECT_EQ(spa->content_type, "text/html; charset=utf-8");
  std::map<std::string, std::string> sh(spa->headers.begin(), spa->headers.end());
  EXPECT_EQ(sh["Cache-Control"], "no-cache");
  // Nothing outside the folder, however the path is spelt.
  for (const std::string evil : {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt"}) {
    req.path = evil;
    auto r = files.serve(req);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body.find("secret"), std::string::npos) << evil;
  }
  std::filesystem::remove_all(dir);
  std::filesystem::remove(dir + "/../secret.txt");
}

TEST(OpenApi, DocumentsExactlyTheRoutesOfTheRouter) {
  std::ifstream in(ANJIAN_SOURCE_DIR "/docs/openapi.yaml");
  ASSERT_TRUE(in) << "docs/openapi.yaml is missing";
  std::set<std::string> documented;
  std::string line, path;
  // Paths are keys at two spaces of indent; methods at four.
  std::regex path_re(R"(^  (/[^:]*):\s*$)"), method_re(R"(^    (get|post|put|patch|delete):\s*$)");
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_match(line, m, path_re)) path = m[1];
    else if (std::regex_match(line, m, method_re)) {
      std::string method = m[1];
      for (auto& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      documented.insert(method + " " + path);
    }
  }
  std::set<std::string> routed;
  for (const auto& r : sqlite_world().app->router().routes())
    if (!r.pattern.starts_with("/api/v1/test/")) routed.insert(r.method + " " + r.pattern);
  for (const auto& r : routed) EXPECT_TRUE(documented.count(r)) << "not in docs/openapi.yaml: " << r;
  for (const auto& d : documented) EXPECT_TRUE(routed.count(d)) << "documented but not routed: " << d;
}

TEST(Regions, TreeAndPathOverHttp) {
  auto c = sqlite_world().as("xihu_insp");
  auto provinces = c.get("/api/v1/regions");
  ASSERT_EQ(provinces.status, 200u);
  EXPECT_EQ(provinces.json().at("items").as_array().size(), 31u);
  auto bj = c.get("/api/v1/regions?parent=110000").json().at("items").as_array();
  ASSERT_FALSE(bj.empty());
  EXPECT_EQ(bj[0].at("level").as_string(), "county");  // no city level in a municipality
  auto path = c.get("/api/v1/regions/330106").json();
  EXPECT_EQ(path.at("path").as_array().size(), 3u);
  EXPECT_EQ(path.at("path").at(1).at("name").as_string(), "杭州市");
  auto dg = c.get("/api/v1/regions/441900").json();
  EXPECT_TRUE(dg.at("enterprise_region").as_bool());
  EXPECT_EQ(c.get("/api/v1/regions/110100").status, 404u);  // 市辖区 is not a region
  EXPECT_EQ(c.get("/api/v1/regions?parent=999999").status, 404u);
  EXPECT_EQ(sqlite_world().anonymous().get("/api/v1/regions").status, 401u);
}
