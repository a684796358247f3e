#include "http/security_headers.h"

#include <algorithm>
#include <cctype>

#include "base/text.h"

namespace anjian::http {

const std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

namespace {
bool has(const std::vector<std::pair<std::string, std::string>>& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(), [&](const auto& h) { return h.first == name; });
}
}  // namespace

void add_security_headers(std::vector<std::pair<std::string, std::string>>& headers, bool tls) {
  auto add = [&](std::string_view name, std::string_view value) {
    if (!has(headers, name)) headers.emplace_back(name, value);
  };
  add("Content-Security-Policy", kContentSecurityPolicy);
  add("X-Content-Type-Options", "nosniff");
  add("X-Frame-Options", "DENY");  // frame-ancestors for browsers that predate it
  add("Referrer-Policy", "no-referrer");
  add("Cache-Control", "no-store");
  if (tls) add("Strict-Transport-Security", "max-age=31536000");
}

ClientOrigin client_origin(const std::string& peer, const std::vector<std::string>& trusted,
                           std::string_view real_ip, std::string_view forwarded_for, std::string_view forwarded_proto) {
  if (std::find(trusted.begin(), trusted.end(), peer) == trusted.end()) return {peer, false};
  std::string address(trim(real_ip));
  if (address.empty() && !forwarded_for.empty()) {
    // The proxy appends the address it saw last: earlier hops are the client's to invent.
    auto hops = split_list(forwarded_for, ',');
    if (!hops.empty()) address = std::string(trim(hops.back()));
  }
  const bool plausible = !address.empty() && address.size() <= 45 &&
                         std::all_of(address.begin(), address.end(), [](char c) {
                           return std::isxdigit(static_cast<unsigned char>(c)) || c == '.' || c == ':';
                         });
  return {plausible ? address : peer, trim(forwarded_proto) == "https"};
}

}  // namespace anjian::http
