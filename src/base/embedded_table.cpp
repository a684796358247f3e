#include "base/embedded_table.h"

#include <stdexcept>

#include "base/csv.h"
#include "base/embedded.h"

namespace anjian::embedded {

std::vector<std::vector<std::string>> csv_rows(std::string_view name, size_t columns) {
  const std::string_view text = file(name);
  if (text.empty()) throw std::runtime_error(std::string(name) + " is not compiled in");
  std::vector<std::vector<std::string>> out;
  auto records = parse_csv(text);
  for (size_t i = 1; i < records.size(); ++i) {
    if (records[i].fields.size() != columns) throw std::runtime_error(std::string(name) + ": a row has the wrong number of columns");
    out.push_back(std::move(records[i].fields));
  }
  return out;
}

}  // namespace anjian::embedded
