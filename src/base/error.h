#pragma once
// Errors as values: a stable snake_case code that travels unchanged to the API's JSON,
// a message a person reads (Chinese first), and the field it concerns, if any.
#include <optional>
#include <string>
#include <vector>

namespace anjian {

struct Error {
  std::string code;     // stable word clients switch on: "invalid_uscc", "not_found", …
  std::string message;  // human readable
  std::string field;    // the request field at fault, empty when none
  // invalid_transition: what this user may do now instead (the API's "allowed").
  std::optional<std::vector<std::string>> allowed;

  static Error invalid_field(std::string field, std::string message) {
    return {"invalid_field", std::move(message), std::move(field)};
  }
  static Error not_found(std::string message = "记录不存在或不在您的管辖范围内") {
    return {"not_found", std::move(message), {}};
  }
  static Error conflict(std::string message, std::string field = {}) {
    return {"conflict", std::move(message), std::move(field)};
  }
  static Error forbidden(std::string message = "没有执行此操作的权限") {
    return {"forbidden", std::move(message), {}};
  }
  static Error internal(std::string message) { return {"internal", std::move(message), {}}; }
  static Error invalid_transition(std::string message, std::vector<std::string> allowed) {
    return {"invalid_transition", std::move(message), {}, std::move(allowed)};
  }
};

}  // namespace anjian
