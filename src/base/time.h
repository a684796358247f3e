#pragma once
// Instants are UTC milliseconds since the epoch; people see Asia/Shanghai (+08:00, no DST).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace anjian {

using Millis = std::int64_t;

Millis now_ms();

// "2026-11-29T08:30:00+08:00" (milliseconds shown only when not zero).
std::string format_iso(Millis t);

// What people read: "2026-11-30 18:58" (Asia/Shanghai).
std::string format_minute(Millis t);
// The date as official forms print it: "2026年11月30日" (Asia/Shanghai).
std::string format_chinese_date(Millis t);
// The same of a date (days since the epoch).
std::string chinese_date_of_day(std::int64_t days);

// Accepts ISO 8601 with an offset or 'Z' (fractional seconds allowed), or epoch milliseconds.
// Returns nullopt for anything else.
std::optional<Millis> parse_instant(std::string_view s);

// A calendar date "YYYY-MM-DD": validated, returns days since 1970-01-01.
std::optional<std::int64_t> parse_date(std::string_view s);
std::string format_date(std::int64_t days);

// Today's date in Asia/Shanghai, as days since the epoch.
std::int64_t today_shanghai(Millis now);
// The month of an instant in Asia/Shanghai as YYYYMM (202611).
int month_shanghai(Millis t);

}  // namespace anjian
