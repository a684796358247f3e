// libFuzzer: a packed readings-log row read back from the database must decode to entries whose
// point indexes are inside the dictionary and qualities among the four (good, uncertain, bad,
// calibration), or be refused — never crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "db/log_format.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto batch = anjian::db::decode_log_batch(std::string_view(reinterpret_cast<const char*>(data), size));
  if (batch.ok())
    for (const auto& e : batch->entries)
      if (e.point >= batch->points.size() || e.sample.quality < 0 || e.sample.quality > 3) std::abort();  // 3: 标校
  return 0;
}
