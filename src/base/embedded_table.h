#pragma once
// A reference table compiled into the binary (data/NAME, CSV with a header row), as rows of text.
#include <string>
#include <string_view>
#include <vector>

namespace anjian::embedded {
// The rows after the header. Throws std::runtime_error when NAME is not embedded or a row has not
// `columns` fields: the tables are checked by the unit tests, so a bad row is a bug in the build.
std::vector<std::vector<std::string>> csv_rows(std::string_view name, size_t columns);
}  // namespace anjian::embedded
