// The server under a slow client and at shutdown, with a bare handler and short timeouts.
#include <gtest/gtest.h>

#include <boost/asio.hpp>

#include <atomic>
#include <future>
#include <thread>

#include "http/server.h"
#include "support/http_client.h"

using namespace anjian;
namespace net = boost::asio;

namespace {
http::Server::Handle slow_handler(std::atomic<int>& started) {
  return [&started](http::Request& req) {
    if (req.path == "/slow") {
      ++started;
      std::this_thread::sleep_for(std::chrono::milliseconds(700));
    }
    http::Response r;
    r.body = R"({"ok":true})";
    return r;
  };
}
}  // namespace

TEST(ServerLifecycle, ASlowClientIsCutOffAndOthersAreServed) {
  std::atomic<int> started{0};
  http::ServerOptions opt;
  opt.port = 0;
  opt.threads = 2;
  opt.read_timeout = std::chrono::seconds(1);
  http::Server server(opt, slow_handler(started));
  auto port = server.start();
  ASSERT_TRUE(port.ok());
  // Half a request line, then nothing: the server closes the connection after the read timeout.
  net::io_context ioc;
  net::ip::tcp::socket slow(ioc);
  slow.connect({net::ip::make_address("127.0.0.1"), *port});
  net::write(slow, net::buffer(std::string("GET /he")));
  test::HttpClient other(*port);
  EXPECT_EQ(other.get("/fast").status, 200u);  // served while the slow one dawdles
  const auto t0 = std::chrono::steady_clock::now();
  char buf[256];
  boost::system::error_code ec;
  slow.read_some(net::buffer(buf), ec);  // blocks until the server gives up on it
  const auto waited = std::chrono::steady_clock::now() - t0;
  EXPECT_TRUE(ec) << "the connection should be closed";
  EXPECT_LT(waited, std::chrono::seconds(5));
  server.stop();
}

TEST(ServerLifecycle, StopFinishesInFlightRequests) {
  std::atomic<int> started{0};
  http::ServerOptions opt;
  opt.port = 0;
  opt.threads = 2;
  http::Server server(opt, slow_handler(started));
  auto port = server.start();
  ASSERT_TRUE(port.ok());
  auto in_flight = std::async(std::launch::async, [&] {
    test::HttpClient c(*port);
    return c.get("/slow").status;
  });
  while (started.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const auto t0 = std::chrono::steady_clock::now();
  server.stop();  // must wait for /slow to answer, then return
  EXPECT_EQ(in_flight.get(), 200u);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  // After stop, nothing listens.
  net::io_context ioc;
  net::ip::tcp::socket s(ioc);
  boost::system::error_code ec;
  s.connect({net::ip::make_address("127.0.0.1"), *port}, ec);
  EXPECT_TRUE(ec);
}
