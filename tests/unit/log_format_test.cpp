// The packed readings log: what a group commit writes comes back exactly, and damaged rows are
// refused without a crash.
#include <gtest/gtest.h>

#include <random>

#include "db/log_format.h"

using namespace anjian::db;

TEST(LogFormat, RoundTripsAGroup) {
  const std::string a = "01JD8X", b = "01JD8Y-很长的测点标识符也可以";
  std::vector<LogRow> rows = {{&a, 1'795'912'200'000, 15.7, 0}, {&b, 1'795'912'199'000, -3.25, 2},
                              {&a, 1'795'912'210'000, 1e300, 1}, {&b, 5, -0.0, 0}};
  auto back = decode_log_batch(encode_log_batch(rows));
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back->points.size(), 2u);
  ASSERT_EQ(back->entries.size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(back->points[back->entries[i].point], *rows[i].point_id);
    EXPECT_EQ(back->entries[i].sample.ts, rows[i].ts);
    EXPECT_EQ(back->entries[i].sample.value, rows[i].value);
    EXPECT_EQ(back->entries[i].sample.quality, rows[i].quality);
  }
  EXPECT_LE(encode_log_batch(std::vector<LogRow>(1000, rows[0])).size(), 1000u * 12 + 32) << "about 11 bytes a reading";
}

TEST(LogFormat, RefusesDamagedRows) {
  const std::string a = "P1";
  const std::string good = encode_log_batch({{&a, 1, 2, 0}, {&a, 2, 3, 0}});
  EXPECT_FALSE(decode_log_batch("").ok());
  EXPECT_FALSE(decode_log_batch("\x02" + good.substr(1)).ok());
  EXPECT_FALSE(decode_log_batch(good.substr(0, good.size() - 1)).ok());
  EXPECT_FALSE(decode_log_batch(good + "x").ok());
  std::mt19937 rng(5);
  for (int i = 0; i < 5000; ++i) {
    std::string junk = good;
    junk[1 + rng() % (junk.size() - 1)] = static_cast<char>(rng());
    (void)decode_log_batch(junk);  // must not crash or read outside the bytes
  }
}
