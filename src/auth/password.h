#pragma once
// Passwords: Argon2id with a per-user random salt (encoded in the hash string), and the policy of
// 等保 level 3 (GB/T 22239-2019): at least 8 characters of at least 3 kinds.
#include <string>
#include <string_view>

#include "base/result.h"

namespace anjian::auth {

// Returns an encoded "$argon2id$v=19$m=…" string.
std::string hash_password(std::string_view password);
bool verify_password(std::string_view encoded, std::string_view password);
// Spends the time of a verification, for unknown user names (no timing oracle).
void burn_verification_time();
// Error weak_password naming what is missing (field "password").
Status check_password_policy(std::string_view password, std::string_view username = {});

}  // namespace anjian::auth
