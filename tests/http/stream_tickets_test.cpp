// One-time stream tickets: good once, for thirty seconds, never guessable from another.
#include <gtest/gtest.h>

#include <set>

#include "auth/stream_tickets.h"

using anjian::auth::StreamTickets;

TEST(StreamTickets, GoodOnceAndOnlyWithinTheirLifetime) {
  StreamTickets t;
  const auto a = t.issue("token-a", 1000);
  EXPECT_EQ(t.redeem(a, 1000 + StreamTickets::kLifetimeMs - 1), "token-a");
  EXPECT_EQ(t.redeem(a, 1001), std::nullopt) << "used";
  const auto b = t.issue("token-b", 1000);
  EXPECT_EQ(t.redeem(b, 1000 + StreamTickets::kLifetimeMs), std::nullopt) << "expired";
  EXPECT_EQ(t.redeem("", 1000), std::nullopt);
  EXPECT_EQ(t.redeem("forged", 1000), std::nullopt);
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(t.issue("x", 2000));
  EXPECT_EQ(seen.size(), 1000u);
}
