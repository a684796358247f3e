#include "http/server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/url/parse.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <csignal>
#include <deque>
#include <mutex>
#include <set>

#include "base/crypto.h"
#include "http/security_headers.h"
#include "http/service.h"

namespace anjian::http {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

class Connection;

// One WebSocket client of the stream: a bounded queue written in order on the connection's strand.
// The session it was opened with is re-checked every `recheck` and before each message the client
// sends (a logout, a revocation, a disabled user, a password change end it: close code 4001); the
// client's messages are limited in rate and their replies count against the same queue as events.
class StreamSession : public std::enable_shared_from_this<StreamSession> {
 public:
  static constexpr std::uint16_t kSessionEnded = 4001;
  StreamSession(beast::tcp_stream&& stream, StreamHub& hub, const ServerOptions& options, std::string token)
      : ws_(std::move(stream)), hub_(hub), options_(options), token_(std::move(token)), timer_(ws_.get_executor()),
        allowance_(static_cast<double>(options.stream_message_burst)) {}

  void start(bhttp::request<bhttp::string_body> req, std::shared_ptr<const auth::Principal> who) {
    ws_.set_option(beast::websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.set_option(beast::websocket::stream_base::decorator([](beast::websocket::response_type& res) {
      std::vector<std::pair<std::string, std::string>> headers;
      add_security_headers(headers, false);
      for (auto& [k, v] : headers) res.set(k, v);
    }));
    ws_.async_accept(req, [self = shared_from_this(), who](beast::error_code ec) {
      if (ec) return;
      std::weak_ptr<StreamSession> weak = self;
      self->id_ = self->hub_.add(
          who,
          [weak](std::shared_ptr<const std::string> text) {
            auto s = weak.lock();
            if (!s) return true;
            if (s->pending_.fetch_add(1) >= StreamHub::kMaxQueued) return false;
            net::post(s->ws_.get_executor(), [s, text] { s->enqueue(text); });
            return true;
          },
          [weak] {
            if (auto s = weak.lock()) net::post(s->ws_.get_executor(), [s] { s->close(); });
          });
      self->who_ = who;
      self->ws_.read_message_max(64 * 1024);
      self->last_message_ = std::chrono::steady_clock::now();
      self->read();
      self->recheck_later();
    });
  }

 private:
  void enqueue(std::shared_ptr<const std::string> text) {
    if (ending_ || closed_) return;
    queue_.push_back(std::move(text));
    if (queue_.size() == 1) write();
  }
  void write() {
    ws_.text(true);
    ws_.async_write(net::buffer(*queue_.front()), [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->close();
      self->queue_.pop_front();
      --self->pending_;
      if (!self->queue_.empty()) self->write();
      else if (self->ending_) self->send_close();  // the close frame waits for the write in flight
    });
  }
  // Clients send subscriptions ({"subscribe": …}); the answer goes through the same queue.
  void read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->close();
      const std::string text = beast::buffers_to_string(self->buffer_.data());
      self->buffer_.consume(self->buffer_.size());
      if (!self->session_stands()) return self->end(kSessionEnded, "会话已结束，请重新登录");
      // A token bucket: a burst, then one message a second; past it the client is cut off.
      const auto now = std::chrono::steady_clock::now();
      self->allowance_ = std::min(static_cast<double>(self->options_.stream_message_burst),
                                  self->allowance_ + std::chrono::duration<double>(now - self->last_message_).count());
      self->last_message_ = now;
      if (self->allowance_ < 1) return self->end(beast::websocket::close_code::policy_error, "消息过于频繁");
      self->allowance_ -= 1;
      // A reply is queued like an event: a client that sends without reading is dropped too.
      if (self->pending_.fetch_add(1) >= StreamHub::kMaxQueued) return self->close();
      auto reply = std::make_shared<const std::string>(self->hub_.handle_message(self->id_, self->who_, text));
      self->enqueue(std::move(reply));
      self->read();
    });
  }
  bool session_stands() const { return !options_.stream_session_stands || options_.stream_session_stands(token_); }
  void recheck_later() {
    timer_.expires_after(options_.stream_recheck);
    timer_.async_wait([weak = weak_from_this()](beast::error_code ec) {
      auto self = weak.lock();
      if (ec || !self || self->closed_) return;
      if (!self->session_stands()) return self->end(kSessionEnded, "会话已结束，请重新登录");
      self->recheck_later();
    });
  }
  // Closes with a code the client can act on (4001: log in again), then drops the connection. One
  // write at a time: the close frame goes after the write in flight, the rest of the queue is dropped.
  void end(std::uint16_t code, const char* why) {
    if (closed_ || ending_) return;
    ending_ = true;
    close_reason_ = beast::websocket::close_reason(static_cast<beast::websocket::close_code>(code), why);
    hub_.remove(id_);
    if (queue_.size() > 1) queue_.erase(queue_.begin() + 1, queue_.end());
    if (queue_.empty()) send_close();
  }
  void send_close() {
    ws_.async_close(close_reason_, [self = shared_from_this()](beast::error_code) { self->close(); });
  }
  void close() {
    if (closed_) return;
    closed_ = true;
    timer_.cancel();
    hub_.remove(id_);
    beast::error_code ec;
    beast::get_lowest_layer(ws_).socket().close(ec);
  }

  beast::websocket::stream<beast::tcp_stream> ws_;
  StreamHub& hub_;
  const ServerOptions& options_;
  std::string token_;
  net::steady_timer timer_;
  double allowance_;
  std::chrono::steady_clock::time_point last_message_;
  bool ending_ = false;
  beast::websocket::close_reason close_reason_;
  beast::flat_buffer buffer_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  std::atomic<size_t> pending_{0};
  std::uint64_t id_ = 0;
  std::shared_ptr<const auth::Principal> who_;
  bool closed_ = false;
};

struct Server::Impl {
  ServerOptions options;
  Handle handle;
  std::function<void(int)> on_connections;
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::vector<std::thread> threads;
  std::mutex mu;
  std::set<std::shared_ptr<Connection>> connections;
  std::atomic<bool> stopping{false};
  bool stopped = false;
  std::unique_ptr<net::thread_pool> slow;  // for options.slow_route

  void accept();
  void opened(const std::shared_ptr<Connection>& c);
  void closed(const std::shared_ptr<Connection>& c);
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, Server::Impl& server) : stream_(std::move(socket)), server_(server) {
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    remote_ = ec ? "" : ep.address().to_string();
  }

  void start() { net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); }); }

  // Called on shutdown: an idle connection closes now; a busy one after its response.
  void shut() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      self->close_after_response_ = true;
      if (self->idle_) self->close();
    });
  }

 private:
  void read() {
    idle_ = true;
    if (buffer_.size() == 0 && buffer_.capacity() > kMaxReadAhead) buffer_.shrink_to_fit();
    if (close_after_response_) return close();
    parser_.emplace();
    // Beast refuses a Content-Length over the limit while it parses the header: with a limit per
    // route, the header is read with the largest and the route's own is set once the target is known.
    parser_->body_limit(server_.options.body_limit_for ? std::max<std::uint64_t>(server_.options.body_limit, server_.options.max_body_limit)
                                                       : server_.options.body_limit);
    parser_->header_limit(static_cast<std::uint32_t>(server_.options.header_limit));
    stream_.expires_after(first_request_ ? server_.options.read_timeout : server_.options.idle_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = shared_from_this()](beast::error_code ec, size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec) return on_error(ec);
    idle_ = false;
    first_request_ = false;
    if (server_.options.body_limit_for) {
      const auto& h = parser_->get();
      const size_t limit = server_.options.body_limit_for(h.method_string(), h.target());
      parser_->body_limit(limit);  // a chunked body is counted as it arrives
      // An announced length is not checked again once the header is parsed: refuse it here.
      if (auto length = parser_->content_length(); length && *length > limit) return on_error(bhttp::error::body_limit);
    }
    // Room for the whole body (up to a cap) before reading it: with the buffer's default few
    // hundred bytes, a 60 KB batch of readings took ~100 receives and as many timer re-arms.
    if (auto length = parser_->content_length(); length && *length > buffer_.capacity() - buffer_.size())
      buffer_.reserve(buffer_.size() + static_cast<size_t>(std::min<std::uint64_t>(*length, kMaxReadAhead)));
    // The whole request, body included, must arrive within the read timeout.
    stream_.expires_after(server_.options.read_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec2, size_t) { self->on_read(ec2); });
  }

  void on_error(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == net::error::operation_aborted || ec == beast::error::timeout ||
        ec == net::error::eof || ec == net::error::connection_reset || ec == net::error::bad_descriptor)
      return close();
    // Bad request bytes: answer once with the API's error format, then close.
    Error e{"bad_request", "请求格式错误：" + ec.message(), ""};
    if (ec == bhttp::error::body_limit) e = {"too_large", "请求体超过大小上限", ""};
    if (ec == bhttp::error::header_limit) e = {"header_too_large", "请求头过大", ""};
    close_after_response_ = true;
    linger_ = true;
    Response res = Response::error(e);
    write(std::move(res), 11, false);
  }

  void on_read(beast::error_code ec) {
    if (ec) return on_error(ec);
    auto msg = parser_->release();
    if (beast::websocket::is_upgrade(msg) && server_.options.hub) return upgrade(std::move(msg));
    Request req;
    req.method = std::string(msg.method_string());
    req.target = std::string(msg.target());
    for (const auto& f : msg) {
      std::string name(f.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      req.headers.emplace_back(std::move(name), std::string(f.value()));
    }
    auto origin = client_origin(remote_, server_.options.trusted_proxies, req.header("x-real-ip"),
                                req.header("x-forwarded-for"), req.header("x-forwarded-proto"));
    req.remote = std::move(origin.address);
    tls_ = origin.tls;
    std::string_view rid = req.header("x-request-id");
    const bool rid_ok = !rid.empty() && rid.size() <= 64 &&
                        std::all_of(rid.begin(), rid.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; });
    req.request_id = rid_ok ? std::string(rid) : random_hex(8);
    req.body = std::move(msg.body());
    const bool keep_alive = msg.keep_alive();
    const unsigned version = msg.version();

    Response res;
    // Clients such as curl send UTF-8 (q=化工) and spaces unescaped: escape them before parsing.
    std::string target;
    for (unsigned char c : req.target) {
      if (c >= 0x80 || c == ' ') {
        static const char kHex[] = "0123456789ABCDEF";
        target += '%';
        target += kHex[c >> 4];
        target += kHex[c & 15];
      } else {
        target += static_cast<char>(c);
      }
    }
    auto url = boost::urls::parse_origin_form(target);
    if (!url) {
      res = Response::error({"bad_request", "请求地址格式错误", ""});
    } else {
      req.path = std::string(url->path());
      for (auto p : url->params()) req.query[std::string(p.key)] = std::string(p.value);
      if (server_.slow && server_.options.slow_route(req.method, req.path)) {
        // Handled on the slow pool; the answer is written back on this connection's strand.
        const bool head = req.method == "HEAD";
        net::post(*server_.slow, [self = shared_from_this(), req = std::move(req), version, keep_alive, head]() mutable {
          Response r = self->server_.handle(req);
          net::post(self->stream_.get_executor(), [self, r = std::move(r), version, keep_alive, head]() mutable {
            self->write(std::move(r), version, keep_alive && !self->server_.stopping.load(), head);
          });
        });
        return;
      }
      res = server_.handle(req);
    }
    write(std::move(res), version, keep_alive && !server_.stopping.load(), req.method == "HEAD");
  }

  // GET /api/v1/stream with a valid session becomes a stream connection; anything else is refused.
  void upgrade(bhttp::request<bhttp::string_body> msg) {
    Request req;
    req.method = "GET";
    req.target = std::string(msg.target());
    auto url = boost::urls::parse_origin_form(req.target);
    if (url) {
      req.path = std::string(url->path());
      for (auto p : url->params()) req.query[std::string(p.key)] = std::string(p.value);
    }
    for (const auto& f : msg) {
      std::string name(f.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      req.headers.emplace_back(std::move(name), std::string(f.value()));
    }
    ServerOptions::StreamIdentity id;
    if (url && req.path == "/api/v1/stream" && server_.options.stream_auth) id = server_.options.stream_auth(req);
    if (!id.who) {
      close_after_response_ = true;
      return write(Response::error({url && req.path == "/api/v1/stream" ? "unauthenticated" : "not_found",
                                    url && req.path == "/api/v1/stream" ? "未登录或会话已过期" : "接口不存在", ""}),
                   msg.version(), false);
    }
    stream_.expires_never();
    auto session = std::make_shared<StreamSession>(std::move(stream_), *server_.options.hub, server_.options, std::move(id.token));
    closed_ = true;  // the socket now belongs to the stream session
    server_.closed(shared_from_this());
    session->start(std::move(msg), std::move(id.who));
  }

  void write(Response res, unsigned version, bool keep_alive, bool head = false) {
    auto msg = std::make_shared<bhttp::response<bhttp::string_body>>(static_cast<bhttp::status>(res.status), version);
    msg->set(bhttp::field::server, "anjian");
    if (!res.content_type.empty() && res.status != 204 && res.status != 304)
      msg->set(bhttp::field::content_type, res.content_type);
    add_security_headers(res.headers, tls_);
    for (auto& [k, v] : res.headers) msg->insert(k, v);
    msg->keep_alive(keep_alive && !close_after_response_);
    const size_t size = res.body.size();
    if (!head) msg->body() = std::move(res.body);
    if (res.status != 204 && res.status != 304) msg->content_length(size);
    if (head) msg->body().clear();
    stream_.expires_after(server_.options.read_timeout);
    bhttp::async_write(stream_, *msg, [self = shared_from_this(), msg](beast::error_code ec, size_t) {
      if (!ec && self->linger_) return self->linger();
      if (ec || !msg->keep_alive()) return self->close();
      self->read();
    });
  }

  // After refusing a request whose body is still arriving (413), read and drop the rest for a
  // while before closing: closing with unread data would reset the connection, and the client
  // would never see the answer (nginx's lingering_close).
  void linger() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(std::chrono::seconds(5));
    discard_.resize(64 * 1024);
    drain();
  }
  void drain() {
    stream_.async_read_some(net::buffer(discard_), [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->close();
      self->drain();
    });
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
    server_.closed(shared_from_this());
  }

  static constexpr std::uint64_t kMaxReadAhead = 256 * 1024;
  beast::tcp_stream stream_;
  Server::Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string remote_;
  std::vector<char> discard_;
  bool tls_ = false;  // the request in hand came over HTTPS through the trusted proxy
  bool idle_ = true, first_request_ = true, close_after_response_ = false, closed_ = false, linger_ = false;
};

void Server::Impl::opened(const std::shared_ptr<Connection>& c) {
  size_t n;
  {
    std::lock_guard lock(mu);
    connections.insert(c);
    n = connections.size();
  }
  if (on_connections) on_connections(static_cast<int>(n));
}

void Server::Impl::closed(const std::shared_ptr<Connection>& c) {
  size_t n;
  {
    std::lock_guard lock(mu);
    connections.erase(c);
    n = connections.size();
  }
  if (on_connections) on_connections(static_cast<int>(n));
}

void Server::Impl::accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (!acceptor.is_open() || ec == net::error::operation_aborted) return;
      // Out of file descriptors and the like: keep accepting after a breath, never die.
      spdlog::warn("accept failed: {}", ec.message());
    } else {
      auto c = std::make_shared<Connection>(std::move(socket), *this);
      opened(c);
      if (stopping.load()) c->shut();
      c->start();
    }
    if (acceptor.is_open()) accept();
  });
}

Server::Server(ServerOptions options, Handle handle, std::function<void(int)> on_connections)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->handle = std::move(handle);
  impl_->on_connections = std::move(on_connections);
}

Server::~Server() { stop(); }

Result<std::uint16_t> Server::start() {
  Impl& s = *impl_;
  beast::error_code ec;
  auto address = net::ip::make_address(s.options.host, ec);
  if (ec) return Error{"invalid_config", "监听地址无效：" + s.options.host, "listen"};
  tcp::endpoint ep{address, s.options.port};
  s.acceptor.open(ep.protocol(), ec);
  if (!ec) s.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(ep, ec);
  if (!ec) s.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return Error{"listen_failed", "无法监听 " + s.options.host + ":" + std::to_string(s.options.port) + "：" + ec.message(), "listen"};
  const std::uint16_t port = s.acceptor.local_endpoint().port();
  s.accept();
  if (s.options.slow_route) s.slow = std::make_unique<net::thread_pool>(std::max<size_t>(1, s.options.slow_threads));
  size_t n = s.options.threads ? s.options.threads : std::max(2u, std::thread::hardware_concurrency()) * 2;
  for (size_t i = 0; i < n; ++i) s.threads.emplace_back([&s] { s.ioc.run(); });
  return port;
}

void Server::stop() {
  Impl& s = *impl_;
  {
    std::lock_guard lock(s.mu);
    if (s.stopped) return;
    s.stopped = true;
  }
  s.stopping = true;
  net::post(s.ioc, [&s] {
    beast::error_code ec;
    s.acceptor.close(ec);
  });
  std::vector<std::shared_ptr<Connection>> open;
  {
    std::lock_guard lock(s.mu);
    open.assign(s.connections.begin(), s.connections.end());
  }
  for (auto& c : open) c->shut();
  const auto deadline = std::chrono::steady_clock::now() + s.options.shutdown_grace;
  while (std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard lock(s.mu);
      if (s.connections.empty()) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  s.ioc.stop();
  for (auto& t : s.threads)
    if (t.joinable()) t.join();
  if (s.slow) s.slow->join();
  std::lock_guard lock(s.mu);
  s.connections.clear();
}

struct StopSignals::Impl {
  net::io_context ioc;
  net::signal_set signals{ioc, SIGINT, SIGTERM};
};

StopSignals::StopSignals() : impl_(std::make_unique<Impl>()) {}
StopSignals::~StopSignals() = default;

void StopSignals::wait() {
  impl_->signals.async_wait([](beast::error_code, int sig) { spdlog::info("signal {}: shutting down", sig); });
  impl_->ioc.run();
}

}  // namespace anjian::http
