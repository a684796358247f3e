#include "http/client.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

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
  beast::flat_buffer buffer;
};

HttpClient::HttpClient(std::string host, unsigned short port)
    : impl_(std::make_unique<Impl>()), host_(std::move(host)), port_(port) {}
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;
HttpClient::~HttpClient() = default;

HttpResult HttpClient::request(const std::string& method, const std::string& target, const std::string& body,
                               std::map<std::string, std::string> headers) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!impl_->stream) {
      impl_->stream = std::make_unique<beast::tcp_stream>(impl_->ioc);
      net::ip::tcp::resolver resolver(impl_->ioc);
      impl_->stream->connect(resolver.resolve(host_, std::to_string(port_)));
      impl_->buffer.clear();
    }
    bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
    req.set(bhttp::field::host, host_);
    if (!token_.empty() && !headers.count("Authorization")) req.set(bhttp::field::authorization, "Bearer " + token_);
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    beast::error_code ec;
    bhttp::write(*impl_->stream, req, ec);
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(256 * 1024 * 1024);
    if (!ec) bhttp::read(*impl_->stream, impl_->buffer, parser, ec);
    if (ec) {
      // The server closed a kept-alive connection (after an error response): reconnect once.
      impl_->stream.reset();
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
    if (!res.keep_alive()) impl_->stream.reset();
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
