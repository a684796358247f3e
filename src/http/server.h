#pragma once
// The HTTP/1.1 server (Boost.Beast on Asio): keep-alive, a pool of threads on one io_context with
// a strand per connection, body and header limits, read timeouts, graceful shutdown.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "base/result.h"
#include "http/message.h"
#include "http/stream_hub.h"

namespace anjian::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;                         // 0: any free port (tests)
  size_t threads = 0;                                // 0: 2 × cores, as handlers block on the database
  size_t body_limit = 16 * 1024 * 1024;              // larger bodies get 413
  // A larger limit for some requests (file imports), decided from the method and target.
  std::function<size_t(std::string_view method, std::string_view target)> body_limit_for;
  size_t max_body_limit = 0;  // the largest body_limit_for may answer (the header is read with it)
  size_t header_limit = 16 * 1024;                   // larger headers get 431
  std::chrono::seconds read_timeout{15};             // a request must arrive whole within this
  std::chrono::seconds idle_timeout{60};             // keep-alive connections idle longer are closed
  std::chrono::seconds shutdown_grace{10};           // in-flight requests may finish within this
  // The WebSocket stream at /api/v1/stream: the hub, and who a connection is (token as ?token= or
  // Authorization header); nullptr refuses the upgrade with 401.
  StreamHub* hub = nullptr;
  // Who opens a stream, and the session token it stands on (re-checked while the stream lasts).
  struct StreamIdentity {
    std::shared_ptr<const auth::Principal> who;
    std::string token;
  };
  std::function<StreamIdentity(const Request&)> stream_auth;
  // Whether the session a stream was opened with still stands (asked every stream_recheck and on
  // every message the client sends): when it does not, the stream is closed with code 4001.
  std::function<bool(const std::string& token)> stream_session_stands;
  std::chrono::seconds stream_recheck{30};
  // Requests whose handler computes for long (password hashing: Argon2, tens of milliseconds) run
  // on their own threads, so that the I/O threads go on serving everyone else.
  std::function<bool(std::string_view method, std::string_view path)> slow_route;
  size_t slow_threads = 2;
  // Messages a client may send: a burst of this many, then one a second (more closes with 1008).
  size_t stream_message_burst = 20;
  // Reverse proxies (nginx on this machine) whose X-Real-IP / X-Forwarded-For name the client and
  // whose X-Forwarded-Proto says HTTPS; from any other peer those headers are ignored.
  std::vector<std::string> trusted_proxies;
};

class Server {
 public:
  using Handle = std::function<Response(Request&)>;
  Server(ServerOptions options, Handle handle, std::function<void(int)> on_connections = nullptr);
  ~Server();

  // Binds and starts the threads. Returns the bound port.
  Result<std::uint16_t> start();
  // Stops accepting, lets in-flight requests finish (up to shutdown_grace), closes idle connections
  // and joins the threads. Safe to call more than once, from any thread but the server's own.
  void stop();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// SIGINT and SIGTERM, caught from construction on: one that arrives before wait() is kept, not
// lost. Construct it before announcing readiness — a supervisor may stop us the moment it reads that.
class StopSignals {
 public:
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;
  // Blocks until one of them has arrived.
  void wait();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace anjian::http
