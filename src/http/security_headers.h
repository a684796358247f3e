#pragma once
// What every answer carries for the browser's own defences (等保 level 3; API.md): the content
// policy the console is built to (no inline script, nothing from outside this server, never in a
// frame), no type sniffing, no referrer, and no caching of what was not meant to be cached.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace anjian::http {

// The console's Content-Security-Policy. Styles may be inline: the map and the charts position
// their elements with style attributes; scripts may not.
extern const std::string_view kContentSecurityPolicy;

// Adds the headers that are not there already. `tls`: the request reached us over HTTPS (through
// the trusted proxy), so browsers are told to keep to HTTPS (Strict-Transport-Security).
// An answer that set no Cache-Control gets `no-store` (API answers hold personal data; the
// console's files set their own).
void add_security_headers(std::vector<std::pair<std::string, std::string>>& headers, bool tls);

// The client's address and scheme behind a reverse proxy: when `peer` is one of `trusted`, the
// proxy's X-Real-IP (else the last X-Forwarded-For hop) and X-Forwarded-Proto are believed;
// from anyone else they are ignored (a client could name any address to escape its lockout).
struct ClientOrigin {
  std::string address;
  bool tls = false;
};
ClientOrigin client_origin(const std::string& peer, const std::vector<std::string>& trusted,
                           std::string_view real_ip, std::string_view forwarded_for, std::string_view forwarded_proto);

}  // namespace anjian::http
