#include "auth/password.h"

#include <argon2.h>

#include <stdexcept>

#include "base/crypto.h"
#include "base/text.h"

namespace anjian::auth {
namespace {
// OWASP's Argon2id minimum (m = 19 MiB, t = 2, p = 1): about 20 ms here, cheap for a login and
// costly for guessing.
constexpr uint32_t kTime = 2, kMemoryKiB = 19456, kLanes = 1, kHashLen = 32, kSaltLen = 16;
}  // namespace

std::string hash_password(std::string_view password) {
  std::string salt = random_hex(kSaltLen / 2);  // 16 ASCII bytes of salt
  size_t len = argon2_encodedlen(kTime, kMemoryKiB, kLanes, kSaltLen, kHashLen, Argon2_id);
  std::string encoded(len, '\0');
  int rc = argon2id_hash_encoded(kTime, kMemoryKiB, kLanes, password.data(), password.size(),
                                 salt.data(), salt.size(), kHashLen, encoded.data(), encoded.size());
  if (rc != ARGON2_OK) throw std::runtime_error(argon2_error_message(rc));
  encoded.resize(encoded.find('\0'));
  return encoded;
}

bool verify_password(std::string_view encoded, std::string_view password) {
  std::string e(encoded);
  return argon2id_verify(e.c_str(), password.data(), password.size()) == ARGON2_OK;
}

void burn_verification_time() {
  static const std::string dummy = hash_password("anjian-dummy-password");
  (void)verify_password(dummy, "not-the-password");
}

Status check_password_policy(std::string_view password, std::string_view username) {
  if (!is_valid_utf8(password) || utf8_length(password) < 8)
    return Error{"weak_password", "密码至少 8 个字符", "password"};
  if (password.size() > 256) return Error{"weak_password", "密码不能超过 256 个字节", "password"};
  int upper = 0, lower = 0, digit = 0, other = 0;
  for (unsigned char c : password) {
    if (c >= 'A' && c <= 'Z') upper = 1;
    else if (c >= 'a' && c <= 'z') lower = 1;
    else if (c >= '0' && c <= '9') digit = 1;
    else other = 1;
  }
  if (upper + lower + digit + other < 3)
    return Error{"weak_password", "密码须包含大写字母、小写字母、数字、符号中的至少三类", "password"};
  // admin / Admin@123: a default account must not keep a password made of its own name.
  if (username.size() >= 3) {
    std::string lower(password);
    for (auto& c : lower)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (lower.find(username) != std::string::npos) return Error{"weak_password", "密码不能包含用户名", "password"};
  }
  return {};
}

}  // namespace anjian::auth
