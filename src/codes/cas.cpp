#include "codes/cas.h"

namespace anjian::codes {

bool valid_cas(std::string_view cas) {
  // 2–7 digits, '-', 2 digits, '-', 1 check digit = Σ (position from the right × digit) mod 10.
  auto first = cas.find('-');
  auto second = cas.rfind('-');
  if (first == std::string_view::npos || second != cas.size() - 2 || second - first != 3 || first < 2 || first > 7) return false;
  int sum = 0, weight = 1;
  for (size_t i = second; i-- > 0;) {
    if (i == first) continue;
    char c = cas[i];
    if (c < '0' || c > '9') return false;
    sum += weight++ * (c - '0');
  }
  char check = cas.back();
  return check >= '0' && check <= '9' && sum % 10 == check - '0';
}

}  // namespace anjian::codes
