#include "http/message.h"

#include "http/client.h"
#include "base/json_text.h"

#include <boost/json.hpp>

namespace anjian::http {

std::string_view Request::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (k == name) return v;
  return {};
}

std::optional<std::string> Request::query_param(const std::string& name) const {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

Response Response::json(const boost::json::value& v, unsigned status) {
  Response r;
  r.status = status;
  r.body = json_text(v);
  return r;
}

Response Response::error(const Error& e) {
  boost::json::object err{{"code", e.code}, {"message", e.message}};
  if (!e.field.empty()) err["field"] = e.field;
  if (e.allowed) err["allowed"] = boost::json::array(e.allowed->begin(), e.allowed->end());
  Response r = json(boost::json::object{{"error", std::move(err)}}, status_for(e.code));
  r.error_code = e.code;
  return r;
}

std::string content_disposition(std::string_view disposition, const std::string& name) {
  std::string ascii;
  for (char c : name) {
    const bool plain = static_cast<unsigned char>(c) < 0x80 && c != '"' && c != '\\' && c >= 0x20;
    if (plain) ascii += c;
    else if (ascii.empty() || ascii.back() != '_') ascii += '_';  // 风险清单 → one '_', not twelve
  }
  return std::string(disposition) + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + url_encode(name);
}

unsigned status_for(const std::string& code) {
  static const std::vector<std::pair<std::string_view, unsigned>> table = {
      {"unauthenticated", 401}, {"forbidden", 403}, {"not_found", 404}, {"method_not_allowed", 405},
      {"conflict", 409}, {"invalid_transition", 409}, {"statement_period", 409}, {"supplement_window_closed", 409}, {"replica_read_only", 409}, {"not_replica", 409}, {"precondition_failed", 412}, {"precondition_required", 428}, {"too_large", 413}, {"file_too_large", 413},
      {"unsupported_media_type", 415}, {"rate_limited", 429}, {"locked", 429}, {"internal", 500},
      {"storage_error", 500}, {"integrity_error", 500}, {"unavailable", 503}, {"header_too_large", 431}, {"request_timeout", 408},
      {"password_change_required", 403}, {"second_factor_required", 403}, {"invalid_code", 401}, {"upgrade_required", 426},
  };
  for (const auto& [c, s] : table)
    if (c == code) return s;
  return 400;
}

}  // namespace anjian::http
