#pragma once
// A client of the real-time stream (WebSocket /api/v1/stream) for the tests: connects with a
// token, reads messages with a timeout.
#include <chrono>
#include <string>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

namespace anjian::test {
class StreamClient {
 public:
  StreamClient(unsigned short port, const std::string& token) : ws_(ioc_) {
    boost::beast::get_lowest_layer(ws_).connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
    ws_.handshake("127.0.0.1", "/api/v1/stream?token=" + token);
  }
  void send(const std::string& text) { ws_.write(boost::asio::buffer(text)); }
  // Sends without waiting for anything (a flood); false once the server has closed.
  bool try_send(const std::string& text) {
    boost::beast::error_code ec;
    ws_.write(boost::asio::buffer(text), ec);
    return !ec;
  }
  // The close code the server sent (after next() returned "" because it closed).
  int close_code() const { return ws_.reason().code; }
  // Reads until the server closes (true) or `timeout` passes (false).
  bool closed_within(std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
      bool done = false, closed = false;
      buffer_.clear();
      ws_.async_read(buffer_, [&](boost::beast::error_code ec, size_t) {
        done = true;
        closed = static_cast<bool>(ec);
      });
      ioc_.restart();
      ioc_.run_for(std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now()));
      if (done && closed) return true;
      if (!done) {
        boost::beast::get_lowest_layer(ws_).cancel();
        ioc_.restart();
        ioc_.run_for(std::chrono::milliseconds(500));
        return false;
      }
    }
    return false;
  }
  // The next message that is not an alarm or a risk level change (alarms of the scope, raised by
  // other tests' points or the background offline check, and the background risk passes' level
  // changes may come at any time).
  std::string next_not_alarm(std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
      if (left.count() <= 0) return "";
      std::string m = next(left);
      if (m.empty() || (m.find("\"type\":\"alarm.") == std::string::npos && m.find("\"type\":\"risk.") == std::string::npos)) return m;
    }
  }
  // The first message that contains `needle`, or "" when none came within the timeout or the
  // server closed. Other messages of the scope (other tests' alarms, a burst of offline alarms from
  // the background check, risk level changes) are skipped, however many there are.
  std::string next_containing(const std::string& needle, std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
      if (left.count() <= 0 || ended_) return "";
      std::string m = next(left);
      if (m.find(needle) != std::string::npos) return m;
    }
  }
  // The next message, or "" when none came within the timeout.
  std::string next(std::chrono::milliseconds timeout) {
    std::string out;
    bool done = false;
    buffer_.clear();
    ws_.async_read(buffer_, [&](boost::beast::error_code ec, size_t) {
      done = true;
      if (!ec) out = boost::beast::buffers_to_string(buffer_.data());
      else ended_ = true;
    });
    ioc_.restart();
    ioc_.run_for(timeout);
    if (!done) {
      boost::beast::get_lowest_layer(ws_).cancel();
      ioc_.restart();
      ioc_.run_for(std::chrono::milliseconds(500));
    }
    return out;
  }

 private:
  boost::asio::io_context ioc_;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
  bool ended_ = false;  // the server closed the stream
};

}  // namespace anjian::test
