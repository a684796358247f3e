#include "base/time.h"

#include <chrono>
#include <cstdio>

namespace anjian {
namespace {
constexpr Millis kShanghaiOffsetMs = 8LL * 3600 * 1000;
constexpr Millis kDayMs = 86400LL * 1000;

// Howard Hinnant's civil-date algorithms (public domain), exact for the proleptic Gregorian calendar.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t yy = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(yy + (m <= 2));
}

bool is_leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
unsigned days_in_month(std::int64_t y, unsigned m) {
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

bool digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}
}  // namespace

Millis now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string format_iso(Millis t) {
  const Millis local = t + kShanghaiOffsetMs;
  std::int64_t days = local / kDayMs;
  Millis rem = local % kDayMs;
  if (rem < 0) { rem += kDayMs; --days; }
  int y; unsigned m, d;
  civil_from_days(days, y, m, d);
  const int hh = static_cast<int>(rem / 3600000), mi = static_cast<int>(rem / 60000 % 60),
            ss = static_cast<int>(rem / 1000 % 60), ms = static_cast<int>(rem % 1000);
  char buf[48];
  if (ms != 0)
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03d+08:00", y, m, d, hh, mi, ss, ms);
  else
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d+08:00", y, m, d, hh, mi, ss);
  return buf;
}

std::optional<std::int64_t> parse_date(std::string_view s) {
  int y, m, d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (!digits(s, 0, 4, y) || !digits(s, 5, 2, m) || !digits(s, 8, 2, d)) return std::nullopt;
  if (m < 1 || m > 12 || d < 1 || static_cast<unsigned>(d) > days_in_month(y, static_cast<unsigned>(m)))
    return std::nullopt;
  return days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

std::string format_date(std::int64_t days) {
  int y; unsigned m, d;
  civil_from_days(days, y, m, d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
  return buf;
}

std::int64_t today_shanghai(Millis now) {
  const Millis local = now + kShanghaiOffsetMs;
  return local >= 0 ? local / kDayMs : (local - kDayMs + 1) / kDayMs;
}

int month_shanghai(Millis t) {
  const std::string d = format_date(today_shanghai(t));  // YYYY-MM-DD
  return std::stoi(d.substr(0, 4)) * 100 + std::stoi(d.substr(5, 2));
}

std::optional<Millis> parse_instant(std::string_view s) {
  if (s.empty() || s.size() > 40) return std::nullopt;
  bool all_digits = true;
  for (size_t i = (s[0] == '-' ? 1 : 0); i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') all_digits = false;
  if (all_digits && s != "-") {
    if (s.size() > 16) return std::nullopt;  // beyond year 318857: not a plausible instant
    Millis v = 0;
    bool neg = s[0] == '-';
    for (size_t i = neg ? 1 : 0; i < s.size(); ++i) v = v * 10 + (s[i] - '0');
    return neg ? -v : v;
  }
  if (s.size() < 20) return std::nullopt;
  auto day = parse_date(s.substr(0, 10));
  if (!day || (s[10] != 'T' && s[10] != ' ')) return std::nullopt;
  int hh, mi, ss;
  if (!digits(s, 11, 2, hh) || s[13] != ':' || !digits(s, 14, 2, mi) || s[16] != ':' ||
      !digits(s, 17, 2, ss) || hh > 23 || mi > 59 || ss > 59)
    return std::nullopt;
  size_t pos = 19;
  int ms = 0;
  if (pos < s.size() && s[pos] == '.') {
    size_t start = ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    const size_t n = pos - start;
    if (n == 0 || n > 9) return std::nullopt;
    for (size_t i = 0; i < 3; ++i) ms = ms * 10 + (i < n ? s[start + i] - '0' : 0);
  }
  Millis offset = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == s.size()) {
    offset = 0;
  } else if (pos + 6 == s.size() && (s[pos] == '+' || s[pos] == '-') && s[pos + 3] == ':') {
    int oh, om;
    if (!digits(s, pos + 1, 2, oh) || !digits(s, pos + 4, 2, om) || oh > 23 || om > 59)
      return std::nullopt;
    offset = (oh * 60 + om) * 60000LL * (s[pos] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  return *day * kDayMs + ((hh * 60 + mi) * 60 + ss) * 1000LL + ms - offset;
}

std::string format_minute(Millis t) { return format_iso(t).substr(0, 16).replace(10, 1, " "); }

std::string format_chinese_date(Millis t) { return chinese_date_of_day(today_shanghai(t)); }

std::string chinese_date_of_day(std::int64_t days) {
  const std::string d = format_date(days);
  return d.substr(0, 4) + "年" + std::to_string(std::stoi(d.substr(5, 2))) + "月" + std::to_string(std::stoi(d.substr(8, 2))) + "日";
}

}  // namespace anjian
