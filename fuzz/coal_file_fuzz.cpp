// libFuzzer: the coal-mine networking file parser (CDDY and CDSS, GB18030 or UTF-8) must answer
// every input with a file or an error, with every issue pointing at a record that exists.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "codes/coal_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The first byte picks the kind, the rest is the file.
  if (size == 0) return 0;
  const std::string_view kind = (data[0] & 1) ? "CDSS" : "CDDY";
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  auto file = anjian::codes::parse_coal_file(kind, bytes);
  if (file.ok()) {
    for (const auto& issue : file->issues)
      if (issue.record == 0 || issue.reason.empty()) std::abort();
  }
  (void)anjian::codes::parse_coal_file_name(bytes.substr(0, 64));
  return 0;
}
