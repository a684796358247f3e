#include "base/json_text.h"

#include <boost/json/parse.hpp>

#include <charconv>
#include <cmath>

namespace anjian {
namespace json = boost::json;

namespace {

void append_double(std::string& out, double d) {
  if (!std::isfinite(d)) {
    out += "null";
    return;
  }
  char buf[400];
  const double a = std::fabs(d);
  const bool plain = a == 0 || (a >= 1e-6 && a < 1e16);
  auto r = plain ? std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed) : std::to_chars(buf, buf + sizeof buf, d);
  out.append(buf, r.ptr);
}

void append_string(std::string& out, std::string_view s) {
  static const char* hex = "0123456789abcdef";
  out += '"';
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 15];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

}  // namespace

void append_json_text(std::string& out, const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: out += "null"; break;
    case json::kind::bool_: out += v.get_bool() ? "true" : "false"; break;
    case json::kind::int64: out += std::to_string(v.get_int64()); break;
    case json::kind::uint64: out += std::to_string(v.get_uint64()); break;
    case json::kind::double_: append_double(out, v.get_double()); break;
    case json::kind::string: append_string(out, v.get_string()); break;
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& e : v.get_array()) {
        if (!first) out += ',';
        first = false;
        append_json_text(out, e);
      }
      out += ']';
      break;
    }
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& kv : v.get_object()) {
        if (!first) out += ',';
        first = false;
        append_string(out, kv.key());
        out += ':';
        append_json_text(out, kv.value());
      }
      out += '}';
      break;
    }
  }
}

std::string json_text(const json::value& v) {
  std::string out;
  append_json_text(out, v);
  return out;
}

std::string number_text(double d) {
  std::string out;
  append_double(out, d);
  return out;
}

double round_coordinate(double degrees) { return std::round(degrees * 1e6) / 1e6; }

boost::json::object object_of_text(std::string_view text) {
  if (text.empty()) return {};
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  return !ec && v.is_object() ? v.as_object() : boost::json::object{};
}

boost::json::array array_of_text(std::string_view text) {
  if (text.empty()) return {};
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  return !ec && v.is_array() ? v.as_array() : boost::json::array{};
}

std::optional<std::string> member_string(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}

std::optional<std::int64_t> member_int(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_int64()) return std::nullopt;
  return v->as_int64();
}

}  // namespace anjian
