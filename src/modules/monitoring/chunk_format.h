#pragma once
// The compressed chunk of one point's readings, as compaction stores them (ARCHITECTURE.md,
// Storage): timestamps as delta-of-delta, values as integer deltas when they are decimals of at
// most 6 places (what sensors send) or as XOR of the previous double otherwise, quality as runs —
// all as zigzag varints, then zstd. Regular sensors come to 1–3 bytes a reading.
//
// Pure: encode and decode only. decode() never trusts its input (chunks are read back from a
// database a person can edit): every length is checked, and a bad chunk is an error, not a crash.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/time.h"

namespace anjian::monitoring {

struct Sample {
  Millis ts = 0;
  double value = 0;
  int quality = 0;  // 0 good, 1 uncertain, 2 bad, 3 calibration (标校)
  bool operator==(const Sample&) const = default;
};

// REQUIRES: samples sorted by ts, not empty, at most kMaxChunk.
std::string encode_chunk(const std::vector<Sample>& samples);
// Errors: invalid_chunk.
Result<std::vector<Sample>> decode_chunk(std::string_view bytes);

inline constexpr size_t kMaxChunk = 1'000'000;

}  // namespace anjian::monitoring
