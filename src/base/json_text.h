#pragma once
// JSON as text, the one place the program writes it. Numbers are written as people write them
// (48, 4.8, 89.88, 120.223553): Boost.JSON 1.81's serializer writes doubles as 4.8E1 and
// 8.9881365E1, which every API answer, the stream, exports and the logs would then carry.
// Doubles take the shortest text that reads back to the same double (std::to_chars), in plain
// decimal notation between 1e-6 and 1e16, else in exponent form; NaN and infinities are null.
#include <boost/json/value.hpp>

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace anjian {

std::string json_text(const boost::json::value& v);
// Appends the text of `v` to `out`.
void append_json_text(std::string& out, const boost::json::value& v);
// A double as json_text writes it (for CSV and other text formats that show numbers).
std::string number_text(double d);
// What the program stored with json_text, read back: the object or array, or an empty one when
// the text is empty or not of that kind (a column written by an older version).
boost::json::object object_of_text(std::string_view text);
boost::json::array array_of_text(std::string_view text);
// A member exactly as stored (no trimming, no conversion): nothing when absent or of another type.
// For files the program wrote itself; requests are read with JsonFields.
std::optional<std::string> member_string(const boost::json::object& o, std::string_view key);
std::optional<std::int64_t> member_int(const boost::json::object& o, std::string_view key);
// Longitude or latitude kept to 6 decimals (about 0.1 m): what is stored and shown.
double round_coordinate(double degrees);

}  // namespace anjian
