// libFuzzer: the compressed chunk of compaction. Inputs starting with 'E' are read as samples to
// encode (every 17 bytes: ts, value, quality) and must decode to exactly those samples; any other
// input is decoded as a chunk read back from the database and must give samples or an error.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "modules/monitoring/chunk_format.h"

using namespace anjian::monitoring;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 0 && data[0] == 'E') {
    std::vector<Sample> samples;
    for (size_t at = 1; at + 17 <= size; at += 17) {
      Sample s;
      std::memcpy(&s.ts, data + at, 8);
      std::memcpy(&s.value, data + at + 8, 8);
      s.quality = data[at + 16] % 4;  // good, uncertain, bad, calibration
      if (std::isnan(s.value)) continue;  // NaN never reaches storage (the batch parser refuses it)
      samples.push_back(s);
    }
    if (samples.empty()) return 0;
    std::stable_sort(samples.begin(), samples.end(), [](const Sample& a, const Sample& b) { return a.ts < b.ts; });
    auto back = decode_chunk(encode_chunk(samples));
    if (!back.ok() || back->size() != samples.size()) std::abort();
    for (size_t i = 0; i < samples.size(); ++i)
      if ((*back)[i].ts != samples[i].ts || (*back)[i].quality != samples[i].quality ||
          std::memcmp(&(*back)[i].value, &samples[i].value, 8) != 0)
        std::abort();
    return 0;
  }
  (void)decode_chunk(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
