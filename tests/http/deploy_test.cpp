// The installation of docs/DEPLOY.md, tried for real: Debian's nginx with deploy/nginx-anjian.conf
// (a certificate made here, free loopback ports) in front of `anjian serve`; login, an API call
// and the stream's WebSocket through it, HTTP sent to HTTPS, the client's address and HTTPS as
// anjian sees them. And `make install` puts the files where the unit and the site expect them.
#include <gtest/gtest.h>

#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/json.hpp>
#include <signal.h>
#include <sys/socket.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "support/process.h"
#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;
namespace net = boost::asio;
namespace beast = boost::beast;

namespace {

const std::string kSource = ANJIAN_SOURCE_DIR;

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
}


bool wait_for_port(unsigned short port) {
  for (int i = 0; i < 100; ++i) {
    net::io_context ioc;
    net::ip::tcp::socket s(ioc);
    boost::system::error_code ec;
    s.connect({net::ip::make_address("127.0.0.1"), port}, ec);
    if (!ec) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

}  // namespace

TEST(Deploy, NginxInFrontOfAnjianCarriesLoginApiAndTheStream) {
  ASSERT_TRUE(std::filesystem::exists("/usr/sbin/nginx")) << "scripts/install-deps installs nginx";
  const std::string dir = (std::filesystem::temp_directory_path() / ("anjian-deploy-" + std::to_string(next_serial()))).string();
  std::filesystem::create_directories(dir + "/data");
  std::filesystem::create_directories(dir + "/nginx/logs");
  // anjian trusts the proxy on loopback (deploy/anjian.toml's [http] trusted_proxies).
  std::ofstream(dir + "/anjian.toml") << "[http]\ntrusted_proxies = [\"127.0.0.1\"]\n";
  Child server({ANJIAN_BINARY, "serve", "--listen", "127.0.0.1:0"},
               {{"ANJIAN_ADMIN_PASSWORD", kPassword}, {"ANJIAN_DATA", dir + "/data"}, {"ANJIAN_ACCESS_LOG", "0"},
                {"ANJIAN_ADMINS_NEED_SECOND_FACTOR", "0"}, {"ANJIAN_CONFIG", dir + "/anjian.toml"},
                {"ANJIAN_WEB", kSource + "/web/dist"}});  // the console as built (ctest runs from build/)
  const std::string line = server.wait_for_line("anjian listening");
  ASSERT_FALSE(line.empty());
  const std::string upstream = line.substr(line.find("127.0.0.1:"), line.find_first_not_of("0123456789", line.find("127.0.0.1:") + 10) -
                                                                        line.find("127.0.0.1:"));
  // A certificate for 127.0.0.1, made here.
  auto cert = run({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir + "/key.pem", "-out", dir + "/cert.pem",
                   "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"});
  ASSERT_EQ(cert.exit_code, 0) << cert.err;
  // The site as shipped, on this test's ports and files.
  const unsigned short http_port = free_port(), https_port = free_port();
  std::string site = read_all(kSource + "/deploy/nginx-anjian.conf");
  ASSERT_FALSE(site.empty());
  replace_all(site, "server 127.0.0.1:8080;", "server " + upstream + ";");
  replace_all(site, "listen 80;", "listen 127.0.0.1:" + std::to_string(http_port) + ";");
  replace_all(site, "listen 443 ssl http2;", "listen 127.0.0.1:" + std::to_string(https_port) + " ssl http2;");
  replace_all(site, "listen [::]:80;\n", "");
  replace_all(site, "listen [::]:443 ssl http2;\n", "");
  replace_all(site, "/etc/ssl/anjian/anjian.crt", dir + "/cert.pem");
  replace_all(site, "/etc/ssl/anjian/anjian.key", dir + "/key.pem");
  replace_all(site, "/var/log/nginx/", dir + "/nginx/logs/");
  std::ofstream(dir + "/nginx/site.conf") << site;
  std::ofstream(dir + "/nginx/nginx.conf") << "worker_processes 1;\npid " << dir << "/nginx/nginx.pid;\nerror_log " << dir
                                           << "/nginx/logs/error.log warn;\n"
                                           << (geteuid() == 0 ? "user root root;\n" : "")
                                           << "events { worker_connections 64; }\nhttp {\n"
                                           << "  client_body_temp_path " << dir << "/nginx/body;\n  proxy_temp_path " << dir
                                           << "/nginx/proxy;\n  fastcgi_temp_path " << dir << "/nginx/fcgi;\n  uwsgi_temp_path " << dir
                                           << "/nginx/uwsgi;\n  scgi_temp_path " << dir << "/nginx/scgi;\n  access_log off;\n  include " << dir
                                           << "/nginx/site.conf;\n}\n";
  auto check = run({"/usr/sbin/nginx", "-t", "-p", dir + "/nginx", "-c", dir + "/nginx/nginx.conf"});
  ASSERT_EQ(check.exit_code, 0) << "the shipped site must pass nginx -t: " << check.err;
  Child nginx({"/usr/sbin/nginx", "-p", dir + "/nginx", "-c", dir + "/nginx/nginx.conf", "-g", "daemon off; master_process off;"});  // one process: stopped whole
  ASSERT_TRUE(wait_for_port(https_port)) << read_all(dir + "/nginx/logs/error.log");

  // HTTP goes to HTTPS.
  HttpClient plain(http_port);
  auto moved = plain.get("/enterprises");
  EXPECT_EQ(moved.status, 301u);
  EXPECT_TRUE(moved.header("location").starts_with("https://")) << moved.header("location");
  // Over TLS: the console, with HSTS (anjian knows it is HTTPS from the trusted proxy) and CSP.
  auto c = HttpClient::tls("127.0.0.1", https_port, dir + "/cert.pem");
  auto index = c.get("/");
  ASSERT_EQ(index.status, 200u) << index.body.substr(0, 200);
  EXPECT_NE(index.header("strict-transport-security").find("max-age="), std::string::npos);
  EXPECT_NE(index.header("content-security-policy").find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(index.header("server"), "nginx") << "server_tokens off: no version";
  // Login and an API call; anjian records the client's address that nginx passed.
  login_admin(c);
  auto me = c.get("/api/v1/auth/me");
  ASSERT_EQ(me.status, 200u);
  EXPECT_EQ(me.header("cache-control"), "no-store");
  const std::string token = c.token();
  auto listed = c.get("/api/v1/enterprises");
  EXPECT_EQ(listed.status, 200u) << listed.body;
  // The stream's WebSocket through nginx, opened with a one-time ticket.
  auto ticket = c.request("POST", "/api/v1/stream/ticket");
  ASSERT_EQ(ticket.status, 201u) << ticket.body;
  net::io_context ioc;
  net::ssl::context ctx(net::ssl::context::tls_client);
  ctx.load_verify_file(dir + "/cert.pem");
  ctx.set_verify_mode(net::ssl::verify_peer);
  beast::websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws(ioc, ctx);
  beast::get_lowest_layer(ws).connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), https_port));
  // Blocking reads give up after 10 s instead of hanging the test.
  timeval tv{10, 0};
  ::setsockopt(beast::get_lowest_layer(ws).socket().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ws.next_layer().handshake(net::ssl::stream_base::client);
  beast::websocket::response_type upgrade;
  beast::error_code ec;
  ws.handshake(upgrade, "127.0.0.1", "/api/v1/stream?ticket=" + std::string(ticket.json().at("ticket").as_string()), ec);
  ASSERT_FALSE(ec) << "WebSocket upgrade through nginx: " << ec.message() << " " << upgrade.result_int();
  // A message the server must answer (an error names what was wrong): a round trip through the proxy.
  ws.write(net::buffer(std::string("{not json")));
  beast::flat_buffer buffer;
  ws.read(buffer, ec);
  ASSERT_FALSE(ec) << "no answer through nginx: " << ec.message();
  EXPECT_NE(beast::buffers_to_string(buffer.data()).find("invalid_json"), std::string::npos) << beast::buffers_to_string(buffer.data());
  ws.close(beast::websocket::close_code::normal, ec);
  // nginx's access log holds paths without their query strings (the ticket, a searched name).
  (void)c.get("/api/v1/enterprises?q=" + std::string("%E5%BC%A0%E4%B8%89"));
  nginx.signal(SIGQUIT);  // graceful: the log is flushed
  nginx.wait();
  const std::string access = read_all(dir + "/nginx/logs/anjian.access.log");
  EXPECT_NE(access.find("/api/v1/enterprises"), std::string::npos) << access;
  EXPECT_EQ(access.find("ticket="), std::string::npos) << access;
  EXPECT_EQ(access.find("%E5%BC%A0"), std::string::npos) << access;
  EXPECT_EQ(access.find(token), std::string::npos);
  server.signal(SIGTERM);
  server.wait();
  std::filesystem::remove_all(dir);
}

TEST(Deploy, MakeInstallPutsEverythingInItsPlace) {
  const std::string dest = (std::filesystem::temp_directory_path() / ("anjian-install-" + std::to_string(next_serial()))).string();
  // -o web: the console as built (rebuilding it here would empty web/dist under tests running beside this one).
  auto r = run({"/usr/bin/make", "-C", kSource, "--no-print-directory", "-o", "web", "install", "DESTDIR=" + dest, "PREFIX=/usr/local"}, {},
               std::chrono::seconds(600));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  for (const char* f : {"/usr/local/bin/anjian", "/usr/local/share/anjian/web/index.html", "/etc/systemd/system/anjian.service",
                        "/etc/nginx/sites-available/anjian", "/etc/logrotate.d/anjian", "/etc/anjian/anjian.toml",
                        "/usr/local/share/doc/anjian/DEPLOY.md", "/usr/local/share/doc/anjian/SECURITY.md"})
    EXPECT_TRUE(std::filesystem::exists(dest + f)) << f;
  EXPECT_EQ(run({dest + "/usr/local/bin/anjian", "version"}).exit_code, 0);
  // The unit's paths are the installed ones, and it is hardened as DEPLOY.md says.
  const std::string unit = read_all(dest + "/etc/systemd/system/anjian.service");
  for (const char* d : {"ExecStart=/usr/local/bin/anjian serve", "Type=notify", "User=anjian", "ProtectSystem=strict",
                        "ReadWritePaths=/var/lib/anjian", "NoNewPrivileges=true", "Restart=on-failure"})
    EXPECT_NE(unit.find(d), std::string::npos) << d;
  // The settings file as shipped is read by anjian without complaint.
  auto cfg = run({dest + "/usr/local/bin/anjian", "migrate"}, {{"ANJIAN_CONFIG", dest + "/etc/anjian/anjian.toml"}, {"ANJIAN_DATA", dest + "/data"},
                                                             {"ANJIAN_KEYS_FILE", dest + "/data/keys"}});
  EXPECT_EQ(cfg.exit_code, 0) << cfg.out << cfg.err;
  std::filesystem::remove_all(dest);
}
