// The R-tree's nearest and within-radius answers equal a brute-force scan of great-circle
// distances on random data, also after points move and go.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "base/geo_index.h"

using namespace anjian;

namespace {
struct P {
  std::string id;
  double lon, lat;
  bool team;
};
std::vector<GeoIndex::Hit> brute(const std::vector<P>& all, double lon, double lat, size_t k, double radius, bool teams_only) {
  std::vector<GeoIndex::Hit> out;
  for (const auto& p : all) {
    if (teams_only && !p.team) continue;
    const double d = great_circle_m(lon, lat, p.lon, p.lat);
    if (radius > 0 && d > radius) continue;
    out.push_back({p.id, d});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.distance_m < b.distance_m; });
  if (out.size() > k) out.resize(k);
  return out;
}
}  // namespace

TEST(GeoIndex, GreatCircleDistances) {
  EXPECT_NEAR(great_circle_m(120.0, 30.0, 120.0, 31.0), 111'195, 10) << "a degree of latitude";
  EXPECT_NEAR(great_circle_m(116.397, 39.909, 121.473, 31.230), 1'067'000, 3'000) << "北京 to 上海";
  EXPECT_EQ(great_circle_m(120, 30, 120, 30), 0);
  EXPECT_NEAR(great_circle_m(179.9, 0, -179.9, 0), 22'239, 10) << "across ±180°";
}

TEST(GeoIndex, NearestAndWithinRadiusEqualABruteForceScan) {
  std::mt19937 rng(20261201);
  std::uniform_real_distribution<double> lon(73, 135), lat(18, 54), pick(0, 1);
  std::vector<P> all;
  GeoIndex index;
  for (int i = 0; i < 20'000; ++i) {
    all.push_back({"r" + std::to_string(i), lon(rng), lat(rng), pick(rng) < 0.3});
    index.put(all.back().id, all.back().lon, all.back().lat);
  }
  // Some move and some go: the index follows.
  for (int i = 0; i < 2'000; ++i) {
    auto& p = all[static_cast<size_t>(i * 7)];
    p.lon = lon(rng);
    p.lat = lat(rng);
    index.put(p.id, p.lon, p.lat);
  }
  std::set<std::string> gone;
  for (int i = 0; i < 500; ++i) {
    gone.insert(all[static_cast<size_t>(i * 11 + 3)].id);
    index.remove(all[static_cast<size_t>(i * 11 + 3)].id);
  }
  std::vector<P> kept;
  for (const auto& p : all)
    if (!gone.count(p.id)) kept.push_back(p);
  ASSERT_EQ(index.size(), kept.size());
  std::map<std::string, bool> team;
  for (const auto& p : kept) team[p.id] = p.team;
  for (int q = 0; q < 300; ++q) {
    const double x = lon(rng), y = lat(rng);
    const size_t k = 1 + static_cast<size_t>(q % 20);
    const double radius = q % 3 == 0 ? 0 : 20'000 + 10'000.0 * (q % 30);
    const bool teams_only = q % 2 == 0;
    const auto want = brute(kept, x, y, k, radius, teams_only);
    const auto got = index.nearest(x, y, k, radius, teams_only ? std::function<bool(const std::string&)>([&](const std::string& id) { return team[id]; })
                                                                : std::function<bool(const std::string&)>());
    ASSERT_EQ(got.size(), want.size()) << "query " << q;
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].id, want[i].id) << "query " << q << " rank " << i;
      EXPECT_NEAR(got[i].distance_m, want[i].distance_m, 1e-6);
    }
  }
}

TEST(GeoIndex, NothingAskedNothingFound) {
  GeoIndex index;
  EXPECT_TRUE(index.nearest(120, 30, 5).empty());
  index.put("a", 120, 30);
  EXPECT_TRUE(index.nearest(120, 30, 0).empty());
  EXPECT_EQ(index.nearest(121, 30, 5, 1'000).size(), 0u) << "96 km away, 1 km asked";
  EXPECT_EQ(index.nearest(121, 30, 5, 100'000).size(), 1u);
  index.remove("a");
  index.remove("a");
  EXPECT_EQ(index.size(), 0u);
}
