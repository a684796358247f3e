#pragma once
// Unified social credit code, GB 32100-2015 (DOMAIN.md §1).
#include <string>
#include <string_view>

#include "base/result.h"

namespace anjian::codes {

// An 18-character code whose check character is right. Only parse() makes one.
class Uscc {
 public:
  // Trims, upper-cases, checks alphabet, length and check character. Errors: invalid_uscc, whose
  // message names the expected check character when only that is wrong.
  static Result<Uscc> parse(std::string_view input);

  // The check character for 17 characters of the alphabet, or '\0' if any is outside it.
  static char check_char(std::string_view first17);

  // GB 11714 check of positions 9–17 (the organization code). Real codes satisfy it, but the
  // standard for USCC does not make it a reason to refuse: callers may only warn.
  bool organization_code_valid() const;

  const std::string& str() const { return code_; }
  // Positions 3–8: where the code was registered — never the enterprise's jurisdiction.
  std::string_view registration_region() const { return std::string_view(code_).substr(2, 6); }
  bool operator==(const Uscc&) const = default;

 private:
  explicit Uscc(std::string code) : code_(std::move(code)) {}
  std::string code_;
};

// The GB 11714 check character for an 8-character organization code body, or '\0'.
char organization_code_check(std::string_view first8);

}  // namespace anjian::codes
