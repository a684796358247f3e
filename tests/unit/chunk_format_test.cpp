// The compressed chunk of compaction: exact round trips of every kind of signal, the size that
// regular sensors come to, and hostile bytes refused without a crash.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "modules/monitoring/chunk_format.h"

using namespace anjian;
using namespace anjian::monitoring;

namespace {
std::vector<Sample> sensor(size_t n, double step, int decimals, unsigned seed = 1) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0, 0.05);
  std::vector<Sample> out;
  double v = 10;
  const double f = std::pow(10.0, decimals);
  for (size_t i = 0; i < n; ++i) {
    v += noise(rng) * step;
    out.push_back({1'795'912'200'000 + static_cast<Millis>(i) * 10'000, std::round(v * f) / f, 0});
  }
  return out;
}
}  // namespace

TEST(ChunkFormat, RoundTripsExactly) {
  std::vector<std::vector<Sample>> cases = {
      sensor(1, 1, 3),
      sensor(360, 1, 3),
      sensor(1000, 10, 0),
      sensor(500, 1, 6),
      {{1, 0.1, 0}, {2, 0.2, 0}, {3, 0.30000000000000004, 2}},        // not a short decimal: raw doubles
      {{-5, -1e300, 1}, {0, 5e-324, 1}, {1'000'000'000'000'000, 1.5, 0}},  // extremes of time and value
      {{100, 1, 0}, {100, 1, 0}, {250, -7.25, 2}, {251, 0, 1}},       // irregular, repeated
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    auto decoded = decode_chunk(encode_chunk(cases[i]));
    ASSERT_TRUE(decoded.ok()) << "case " << i;
    EXPECT_EQ(*decoded, cases[i]) << "case " << i;
  }
}

TEST(ChunkFormat, RegularSensorsTakeAtMostThreeBytesAReading) {
  // An hour of a 10-second sensor with three decimals, and a day of a 1-minute one.
  for (auto samples : {sensor(360, 1, 3), sensor(1440, 1, 3, 7), sensor(360, 0, 2)}) {
    const std::string bytes = encode_chunk(samples);
    const double per_reading = static_cast<double>(bytes.size()) / static_cast<double>(samples.size());
    EXPECT_LE(per_reading, 3.0) << samples.size() << " readings in " << bytes.size() << " bytes";
  }
}

TEST(ChunkFormat, RefusesDamagedChunks) {
  const std::string good = encode_chunk(sensor(100, 1, 3));
  EXPECT_EQ(decode_chunk("").error().code, "invalid_chunk");
  EXPECT_EQ(decode_chunk(std::string(1, '\x01')).error().code, "invalid_chunk");
  EXPECT_EQ(decode_chunk("\x02" + good.substr(1)).error().code, "invalid_chunk");  // unknown version
  EXPECT_FALSE(decode_chunk(good.substr(0, good.size() - 3)).ok());                // truncated
  std::string flipped = good;
  flipped[good.size() / 2] ^= 0x55;
  EXPECT_FALSE(decode_chunk(flipped).ok());
  std::mt19937 rng(3);
  for (int i = 0; i < 2000; ++i) {
    std::string junk(1 + rng() % 64, '\0');
    for (auto& c : junk) c = static_cast<char>(rng());
    junk[0] = '\x01';
    (void)decode_chunk(junk);  // must not crash (the fuzz target goes further)
  }
}
