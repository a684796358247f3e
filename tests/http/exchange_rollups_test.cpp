// The 1-minute rollups of the points of major hazard sources between nodes (issue 17 §2: "alarms,
// not raw readings: 1-minute rollups of the points of major hazard sources, at most, by setting").
#include <gtest/gtest.h>

#include "modules/monitoring/readings_format.h"
#include "modules/monitoring/share.h"
#include "support/county_node.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;

namespace {

// A county enterprise with a major hazard source, one point on it and one beside it, readings of
// both an hour ago compacted into rollups.
struct Plant {
  std::string uscc, on_source, beside;  // point ids
  Millis minute = 0;                    // the first minute of readings
};

Plant plant_with_readings(County& county) {
  auto& c = *county.app;
  const auto admin = county_admin();
  Plant p;
  p.uscc = county.add_enterprise("330106", "西湖监测共享化工有限公司");
  auto source = c.hazards().create(admin, json::parse(R"({"enterprise_uscc":")" + p.uscc + R"(","code":"HS1","name":"液氨储罐区",
      "kind":"tank_farm","lon":120.1,"lat":30.2,"people_exposed":40,"substances":[{"name":"氨","cas":"7664-41-7","quantity_t":20}]})").as_object(), "test");
  EXPECT_TRUE(source.ok()) << source.error().message;
  auto point = [&](const char* code, const char* name, bool on_source) {
    json::object f{{"enterprise_uscc", p.uscc}, {"code", code}, {"name", name}, {"indicator", "tank_level"}, {"unit", "m"}};
    if (on_source && source.ok()) f["hazard_source_id"] = source->id;
    auto made = c.points().create(admin, f, "test");
    EXPECT_TRUE(made.ok()) << made.error().message;
    return made.ok() ? made->id : std::string();
  };
  p.on_source = point("LT-101", "1号液氨储罐液位", true);
  p.beside = point("LT-900", "办公楼水箱液位", false);
  p.minute = (now_ms() - 3'600'000) / 60'000 * 60'000;
  return p;
}

void send(County& county, const Plant& p, const std::string& body) {
  auto batch = monitoring::parse_readings(body);
  ASSERT_TRUE(batch.ok()) << batch.error().message;
  auto r = county.app->pipeline().ingest(p.uscc, std::move(*batch));
  ASSERT_TRUE(r.ok()) << r.error().message;
}

std::string reading(const char* code, Millis ts, double v) {
  return R"({"point":")" + std::string(code) + R"(","ts":)" + std::to_string(ts) + R"(,"value":)" + json::serialize(json::value(v)) + "}";
}

class ExchangeRollups : public ProvinceAndCounty {
 protected:
  void tweak_county(app::Config& c) override { c.readings.share_rollups = true; }
  json::array rollups(const std::string& user) {
    auto r = province_->as(user).get("/api/v1/exchange/records?type=reading_rollup&page_size=100");
    EXPECT_EQ(r.status, 200u) << r.body;
    return r.status == 200u ? r.items() : json::array{};
  }
};
class ExchangeWithoutRollups : public ProvinceAndCounty {};

const json::object* of_minute(const json::array& items, const std::string& minute_iso) {
  for (const auto& i : items)
    if (i.at("data").at("minute").as_string() == minute_iso) return &i.as_object();
  return nullptr;
}

}  // namespace

TEST_P(ExchangeRollups, TheMinutesOfAMajorHazardSourcesPointsTravelUpAndTheRestStayHome) {
  const Plant p = plant_with_readings(*county_);
  const Millis m = p.minute;
  send(*county_, p, R"({"readings":[)" + reading("LT-101", m + 5'000, 1.5) + "," + reading("LT-101", m + 25'000, 2.5) + "," +
                        reading("LT-101", m + 45'000, 3.5) + "," + reading("LT-101", m + 65'000, 4.0) + "," +
                        reading("LT-900", m + 5'000, 0.8) + "]}");
  ASSERT_TRUE(county_->app->readings().compact(now_ms()).ok());
  carry();
  EXPECT_EQ(take().refused_files, 0);

  auto items = rollups("hz_insp");
  ASSERT_EQ(items.size(), 2u) << "two minutes of the source's point, none of the point beside it: " << json::serialize(items);
  const auto* first = of_minute(items, format_iso(m));
  ASSERT_NE(first, nullptr) << json::serialize(items);
  const auto& d = first->at("data").as_object();
  EXPECT_EQ(d.at("point_code").as_string(), "LT-101");
  EXPECT_EQ(d.at("point_name").as_string(), "1号液氨储罐液位");
  EXPECT_EQ(d.at("enterprise_uscc").as_string(), p.uscc);
  EXPECT_EQ(d.at("count").as_int64(), 3);
  EXPECT_DOUBLE_EQ(d.at("min").to_number<double>(), 1.5);
  EXPECT_DOUBLE_EQ(d.at("max").to_number<double>(), 3.5);
  EXPECT_DOUBLE_EQ(d.at("avg").to_number<double>(), 2.5);
  EXPECT_DOUBLE_EQ(d.at("last").to_number<double>(), 3.5);
  EXPECT_EQ(first->at("owner_node").as_string(), "xihu");
  EXPECT_EQ(first->at("enterprise_name").as_string(), "西湖监测共享化工有限公司");
  EXPECT_TRUE(rollups("binjiang_insp").empty()) << "another county's regulator sees none of them";

  // A late reading merges into its minute there, and the minute travels again with its new figures.
  send(*county_, p, R"({"readings":[)" + reading("LT-101", m + 50'000, 9.0) + "]}");
  ASSERT_TRUE(county_->app->readings().compact(now_ms()).ok());
  carry();
  take();
  items = rollups("hz_insp");
  ASSERT_EQ(items.size(), 2u);
  first = of_minute(items, format_iso(m));
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->at("data").at("count").as_int64(), 4);
  EXPECT_DOUBLE_EQ(first->at("data").at("max").to_number<double>(), 9.0);

  // The province keeps them as long as the rollups' retention, then lets them go.
  auto& exchange = province_->app->exchange();
  auto kept = exchange.prune_replicas(now_ms());
  ASSERT_TRUE(kept.ok()) << kept.error().message;
  EXPECT_EQ(rollups("hz_insp").size(), 2u) << "nothing is past its time yet";
  auto gone = exchange.prune_replicas(now_ms() + province_->app->readings().settings().rollup_retention_ms + 60'000);
  ASSERT_TRUE(gone.ok()) << gone.error().message;
  EXPECT_GE(*gone, 2u);
  EXPECT_TRUE(rollups("hz_insp").empty());
  auto sources = province_->as("hz_insp").get("/api/v1/exchange/records?type=hazard_source");
  EXPECT_EQ(sources.items().size(), 1u) << "only the types with a keeping time go: " << sources.body;
}

TEST_P(ExchangeWithoutRollups, RollupsStayAtTheCountyUnlessTheSettingSendsThem) {
  const Plant p = plant_with_readings(*county_);
  send(*county_, p, R"({"readings":[)" + reading("LT-101", p.minute + 5'000, 1.5) + "]}");
  ASSERT_TRUE(county_->app->readings().compact(now_ms()).ok());
  carry();
  take();
  auto r = province_->as("hz_insp").get("/api/v1/exchange/records?type=reading_rollup");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_TRUE(r.items().empty()) << r.body;
  auto sources = province_->as("hz_insp").get("/api/v1/exchange/records?type=hazard_source");
  EXPECT_EQ(sources.items().size(), 1u) << "the rest travelled: " << sources.body;
}

// A received id is a sender's text: what is not "<point>@<minute>" names no rollup.
TEST(RollupRecordId, RoundTripsAndRefusesWhatIsNotOne) {
  const auto id = monitoring::rollup_record_id("a1b2@c3", 1'764'000'000'000);
  EXPECT_EQ(id, "a1b2@c3@1764000000000");
  auto back = monitoring::parse_rollup_record_id(id);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->first, "a1b2@c3") << "the minute is after the last @";
  EXPECT_EQ(back->second, 1'764'000'000'000);
  for (const char* bad : {"", "@", "@1764000000000", "p@", "p@17x", "p@1 ", "p@99999999999999999999", "p"})
    EXPECT_FALSE(monitoring::parse_rollup_record_id(bad).has_value()) << bad;
}

INSTANTIATE_TEST_SUITE_P(Backends, ExchangeRollups, ::testing::Values("sqlite", "postgres"));
INSTANTIATE_TEST_SUITE_P(Backends, ExchangeWithoutRollups, ::testing::Values("sqlite", "postgres"));
