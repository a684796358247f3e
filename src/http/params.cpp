#include "http/params.h"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>

#include "base/json_fields.h"

namespace anjian::http {
namespace {
std::optional<std::int64_t> to_int(std::string_view s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}
}  // namespace

Result<Paging> paging(const Request& req, std::int64_t default_size) {
  Paging p;
  p.page_size = default_size;
  if (auto v = req.query_param("page")) {
    auto n = to_int(*v);
    if (!n || *n < 1 || *n > 1'000'000) return Error::invalid_field("page", "page 须为 1 至 1000000 的整数");
    p.page = *n;
  }
  if (auto v = req.query_param("page_size")) {
    auto n = to_int(*v);
    if (!n || *n < 1 || *n > 500) return Error::invalid_field("page_size", "page_size 须为 1 至 500 的整数");
    p.page_size = *n;
  }
  return p;
}

Result<std::int64_t> if_match_version(const Request& req) {
  std::string_view v = req.header("if-match");
  if (v.empty()) return Error{"precondition_required", "修改记录须带 If-Match 请求头（记录的版本号）", ""};
  if (v.starts_with("W/")) v.remove_prefix(2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  auto n = to_int(v);
  if (!n || *n < 1) return Error::invalid_field("If-Match", "If-Match 须为记录的版本号");
  return *n;
}

Result<std::optional<Millis>> instant_param(const Request& req, const std::string& name) {
  auto v = req.query_param(name);
  if (!v) return std::optional<Millis>();
  auto t = parse_instant(*v);
  if (!t) return Error::invalid_field(name, name + " 须为 ISO 8601 时间（带时区）或毫秒时间戳");
  return std::optional<Millis>(*t);
}

Result<std::optional<std::string>> enum_param(const Request& req, const std::string& name,
                                              const std::vector<std::string_view>& allowed) {
  auto v = req.query_param(name);
  if (!v || v->empty()) return std::optional<std::string>();
  if (std::find(allowed.begin(), allowed.end(), *v) == allowed.end())
    return Error::invalid_field(name, name + " 的取值不正确：" + *v);
  return std::optional<std::string>(*v);
}

Result<boost::json::object> json_body(const Request& req) {
  // The body decides, not the label: curl -d sends JSON labelled as a form, and that is fine.
  if (req.header("content-type").starts_with("multipart/"))
    return Error{"unsupported_media_type", "请求体须为 application/json", ""};
  return parse_json_object(req.body);
}

Result<VersionedChange> versioned_change(const Request& req) {
  auto version = if_match_version(req);
  if (!version.ok()) return version.take_error();
  auto body = json_body(req);
  if (!body.ok()) return body.take_error();
  return VersionedChange{*version, std::move(*body)};
}

Result<std::string_view> upload_body(const Request& req) {
  std::string_view body = req.body;
  std::string_view ct = req.header("content-type");
  if (!ct.starts_with("multipart/form-data")) return body;
  auto b = ct.find("boundary=");
  if (b == std::string_view::npos) return Error{"invalid_field", "multipart 缺少 boundary", "file"};
  std::string boundary = "--" + std::string(ct.substr(b + 9));
  if (boundary.size() > 3 && boundary[2] == '"') boundary = "--" + boundary.substr(3, boundary.size() - 4);
  auto start = body.find(boundary);
  auto header_end = start == std::string_view::npos ? start : body.find("\r\n\r\n", start);
  auto end = header_end == std::string_view::npos ? header_end : body.find("\r\n" + boundary, header_end + 4);
  if (end == std::string_view::npos) return Error{"invalid_field", "multipart 请求体格式错误", "file"};
  return body.substr(header_end + 4, end - header_end - 4);
}

}  // namespace anjian::http
