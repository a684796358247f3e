#pragma once
// Reading the common parts of a request: paging, If-Match versions, instants in query strings.
#include <cstdint>
#include <optional>
#include <string>

#include "base/result.h"
#include "base/time.h"
#include "http/message.h"

namespace anjian::http {

struct Paging {
  std::int64_t page = 1, page_size = 20;
};

// ?page=1&page_size=20 (page_size ≤ 500). Errors: invalid_field naming the parameter.
Result<Paging> paging(const Request& req, std::int64_t default_size = 20);
// If-Match: "3" (or W/"3" or 3). Errors: precondition_required when absent, invalid_field when not a version.
Result<std::int64_t> if_match_version(const Request& req);
// An optional instant parameter: ISO 8601 with offset or epoch milliseconds.
Result<std::optional<Millis>> instant_param(const Request& req, const std::string& name);
// An optional enumerated parameter.
Result<std::optional<std::string>> enum_param(const Request& req, const std::string& name,
                                              const std::vector<std::string_view>& allowed);
// The ETag of a version.
inline std::string etag(std::int64_t version) { return "\"" + std::to_string(version) + "\""; }
// The JSON body as an object, or invalid_json; unsupported_media_type for multipart bodies.
Result<boost::json::object> json_body(const Request& req);
// The bytes of an uploaded file: the body itself, or the first part of a multipart/form-data body
// (a browser form). Errors: invalid_field (field "file") for a malformed multipart body.
Result<std::string_view> upload_body(const Request& req);
// A change to a versioned record (PATCH): If-Match's version and the JSON body, or the first error.
struct VersionedChange {
  std::int64_t version;
  boost::json::object body;
};
Result<VersionedChange> versioned_change(const Request& req);

}  // namespace anjian::http
