// libFuzzer: the readings batch parser (HTTP and MQTT doors) must answer every input with a batch
// or an error — no crash, no leak, no undefined behaviour — and never report more than it read.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "modules/monitoring/readings_format.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto batch = anjian::monitoring::parse_readings(std::string_view(reinterpret_cast<const char*>(data), size));
  if (batch.ok() && batch->readings.size() + batch->rejected.size() > anjian::monitoring::kMaxBatch) std::abort();
  return 0;
}
