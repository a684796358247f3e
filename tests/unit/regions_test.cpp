#include <gtest/gtest.h>

#include <fstream>

#include "base/csv.h"
#include "base/embedded.h"
#include "codes/regions.h"

using namespace anjian::codes;

namespace {
const RegionTable& table() {
  static RegionTable t = [] {
    auto r = RegionTable::from_csv(anjian::embedded::file("regions/gbt2260.csv"));
    EXPECT_TRUE(r.ok());
    return std::move(r).value();
  }();
  return t;
}
}  // namespace

TEST(Regions, ShipsTheWholeCountry) {
  EXPECT_EQ(table().children("").size(), 31u);  // 31 provinces of the mainland
  EXPECT_GT(table().size(), 3000u);
}

TEST(Regions, EdgeCasesFromDomainFile) {
  std::ifstream in(ANJIAN_TEST_DATA "/region_cases.csv");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  auto rows = anjian::parse_csv(text);
  ASSERT_GT(rows.size(), 10u);
  for (size_t i = 1; i < rows.size(); ++i) {
    const auto& f = rows[i].fields;
    SCOPED_TRACE(f[0] + " " + f[5]);
    const Region* r = table().find(f[0]);
    ASSERT_EQ(r != nullptr, f[1] == "1");
    EXPECT_EQ(table().is_enterprise_region(f[0]), f[4] == "1");
    if (!r) continue;
    EXPECT_EQ(to_string(r->level), f[2]);
    EXPECT_EQ(r->parent, f[3]);
  }
}

TEST(Regions, PathSkipsContainers) {
  auto p = table().path("110105");
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0]->code, "110000");
  auto q = table().path("330106");
  ASSERT_EQ(q.size(), 3u);
  EXPECT_EQ(q[1]->code, "330100");
}

TEST(Regions, ChildTowardACountyIsTheRowItIsCountedIn) {
  EXPECT_EQ(table().child_toward("330000", "330106"), "330100") << "a province's rows are its cities";
  EXPECT_EQ(table().child_toward("330100", "330106"), "330106");
  EXPECT_EQ(table().child_toward("", "330106"), "330000") << "the country's rows are provinces";
  EXPECT_EQ(table().child_toward("110000", "110105"), "110105") << "a municipality's districts directly";
  EXPECT_EQ(table().child_toward("320000", "330106"), "330106") << "not below: itself";
}

TEST(Regions, SubtreeRangesNestByPrefix) {
  EXPECT_TRUE(table().contains("330000", "330106"));
  EXPECT_TRUE(table().contains("330100", "330106"));
  EXPECT_FALSE(table().contains("330100", "330200"));
  EXPECT_FALSE(table().contains("330106", "330108"));
  EXPECT_TRUE(table().contains("441900", "441900"));
  EXPECT_TRUE(table().contains("420000", "429004"));
  EXPECT_FALSE(table().contains("330000", "340100"));
  EXPECT_FALSE(table().contains("999999", "330106"));
  auto r = table().subtree("330100");
  EXPECT_EQ(r.lo, "3301");
  EXPECT_EQ(r.hi, "3302");
}
