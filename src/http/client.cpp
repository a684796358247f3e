#include "http/client.h"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <sys/socket.h>
#include <sys/time.h>

namespace anjian::http {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

boost::json::value HttpResult::json() const {
  boost::json::error_code ec;
  auto v = boost::json::parse(body, ec);
  return ec ? boost::json::value(nullptr) : v;
}

boost::json::array HttpResult::items() const {
  auto v = json();
  if (!v.is_object() || !v.as_object().contains("items") || !v.at("items").is_array()) return {};
  return v.at("items").as_array();
}

std::string HttpResult::error_code() const {
  auto v = json();
  if (!v.is_object() || !v.as_object().contains("error")) return "";
  return std::string(v.at("error").at("code").as_string());
}

std::string HttpResult::error_field() const {
  auto v = json();
  if (!v.is_object() || !v.as_object().contains("error")) return "";
  auto& e = v.at("error").as_object();
  return e.contains("field") ? std::string(e.at("field").as_string()) : "";
}

std::string HttpResult::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

struct HttpClient::Impl {
  net::io_context ioc;
  std::unique_ptr<beast::tcp_stream> stream;
  std::unique_ptr<net::ssl::context> tls;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls_stream;
  beast::flat_buffer buffer;
  void reset() {
    stream.reset();
    tls_stream.reset();
  }
  bool open() const { return stream || tls_stream; }
  beast::tcp_stream& tcp() { return tls_stream ? beast::get_lowest_layer(*tls_stream) : *stream; }
  // Blocking calls ignore the stream's expiry: the connect runs asynchronously for at most
  // `timeout`, and the socket's own send and receive timeouts bound every later call.
  void connect(const net::ip::tcp::resolver::results_type& endpoints, std::chrono::milliseconds timeout) {
    beast::error_code result = net::error::timed_out;
    tcp().expires_after(timeout);
    tcp().async_connect(endpoints, [&](beast::error_code ec, const net::ip::tcp::endpoint&) { result = ec; });
    ioc.restart();
    ioc.run();
    tcp().expires_never();
    if (result) throw beast::system_error(result);
    timeval tv{static_cast<time_t>(timeout.count() / 1000), static_cast<suseconds_t>(timeout.count() % 1000 * 1000)};
    const int fd = tcp().socket().native_handle();
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  }
};

HttpClient::HttpClient(std::string host, unsigned short port)
    : impl_(std::make_unique<Impl>()), host_(std::move(host)), port_(port) {}

HttpClient HttpClient::tls(std::string host, unsigned short port, std::string ca_file) {
  HttpClient c(std::move(host), port);
  c.tls_ = true;
  c.ca_file_ = std::move(ca_file);
  return c;
}
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;
HttpClient::~HttpClient() = default;

HttpResult HttpClient::request(const std::string& method, const std::string& target, const std::string& body,
                               std::map<std::string, std::string> headers) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!impl_->open()) {
      net::ip::tcp::resolver resolver(impl_->ioc);
      const auto endpoints = resolver.resolve(host_, std::to_string(port_));
      if (tls_) {
        if (!impl_->tls) {
          impl_->tls = std::make_unique<net::ssl::context>(net::ssl::context::tls_client);
          impl_->tls->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 | net::ssl::context::no_sslv3 |
                                  net::ssl::context::no_tlsv1 | net::ssl::context::no_tlsv1_1);
          if (ca_file_.empty()) impl_->tls->set_default_verify_paths();
          else impl_->tls->load_verify_file(ca_file_);
          impl_->tls->set_verify_mode(net::ssl::verify_peer);
        }
        impl_->tls_stream = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(impl_->ioc, *impl_->tls);
        // SNI, and the certificate must name the host we asked for.
        if (!SSL_set_tlsext_host_name(impl_->tls_stream->native_handle(), host_.c_str()))
          throw std::runtime_error("TLS: cannot set the server name");
        impl_->tls_stream->set_verify_callback(net::ssl::host_name_verification(host_));
        impl_->connect(endpoints, std::chrono::milliseconds(timeout_ms_));
        impl_->tls_stream->handshake(net::ssl::stream_base::client);
      } else {
        impl_->stream = std::make_unique<beast::tcp_stream>(impl_->ioc);
        impl_->connect(endpoints, std::chrono::milliseconds(timeout_ms_));
      }
      impl_->buffer.clear();
    }
    bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
    req.set(bhttp::field::host, host_);
    if (!token_.empty() && !headers.count("Authorization")) req.set(bhttp::field::authorization, "Bearer " + token_);
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    beast::error_code ec;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(256 * 1024 * 1024);
    if (impl_->tls_stream) {
      bhttp::write(*impl_->tls_stream, req, ec);
      if (!ec) bhttp::read(*impl_->tls_stream, impl_->buffer, parser, ec);
    } else {
      bhttp::write(*impl_->stream, req, ec);
      if (!ec) bhttp::read(*impl_->stream, impl_->buffer, parser, ec);
    }
    if (ec) {
      // The server closed a kept-alive connection (after an error response): reconnect once.
      impl_->reset();
      if (attempt == 0) continue;
      throw std::runtime_error("HTTP " + method + " " + target + " failed: " + ec.message());
    }
    auto res = parser.release();
    HttpResult out;
    out.status = res.result_int();
    out.body = std::move(res.body());
    for (const auto& f : res) {
      std::string name(f.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.headers[name] = std::string(f.value());
    }
    if (!res.keep_alive()) impl_->reset();
    return out;
  }
  return {};
}

std::string url_encode(const std::string& s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
    else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace anjian::http
