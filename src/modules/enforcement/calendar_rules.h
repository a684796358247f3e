#pragma once
// Working days in mainland China (工作日): Monday to Friday, except the public holidays the State
// Council announces each year, plus the weekend days it makes working days (调休). The
// announcements are data (data/calendar/cn-holidays.csv, with their sources); a year not in the
// data is counted by weekdays alone, and covered() says so. Used for the 20 working days within
// which 双随机 results are published (DOMAIN.md §7) and other legal deadlines.
#include <cstdint>
#include <string>

namespace anjian::enforcement {

// Days since 1970-01-01 (as base/time's parse_date gives them).
bool working_day(std::int64_t day);
// The date `n` working days after `day` (`day` itself not counted). REQUIRES: n >= 0.
std::int64_t add_working_days(std::int64_t day, int n);
// Working days in (from, to]: how many have passed since `from` by `to`.
int working_days_between(std::int64_t from, std::int64_t to);
// Whether the holiday data covers the year (else weekends alone decide).
bool calendar_covers(int year);
// What the data says of a day: "" (nothing), or the holiday's name with 放假 / 调休上班.
std::string calendar_note(std::int64_t day);

}  // namespace anjian::enforcement
