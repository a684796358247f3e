// Rescue resources (issue 16 §3) on both backends: registered with their kind's fields, the
// nearest of a kind to a place in distance order with a travel time, a moved resource found at
// its new place at once (the index follows the commit), one out of service left out, and the
// jurisdiction kept: a county finds only its own.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "base/geo_index.h"
#include "base/text.h"
#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;

class ResourceApi : public ApiTest {
 protected:
  // A team of `kind` near 杭州 at (lon, lat), registered by `user` in `region`.
  std::string team(const std::string& user, const std::string& region, const std::string& name, double lon, double lat, const std::string& kind) {
    auto r = w_->as(user).post("/api/v1/emergency/resources", json::object{{"kind", "rescue_team"}, {"name", name}, {"region_code", region},
                                                                          {"lon", lon}, {"lat", lat}, {"team_kind", kind}, {"members", 30},
                                                                          {"contact", {{"name", "张队长"}, {"phone", "13700000000"}}}});
    EXPECT_EQ(r.status, 201u) << r.body;
    return std::string(r.json().at("id").as_string());
  }
  std::vector<std::string> nearest(const std::string& user, const std::string& query) {
    auto r = w_->as(user).get("/api/v1/emergency/resources/nearest?" + query);
    EXPECT_EQ(r.status, 200u) << r.body;
    std::vector<std::string> names;
    for (const auto& i : r.items()) names.emplace_back(i.at("name").as_string());
    return names;
  }
};

TEST_P(ResourceApi, TheNearestOfAKindInDistanceOrderWithinTheScope) {
  // Far out east (no other test's resources there): three hazchem teams and a fire team of 西湖,
  // one hazchem team of 滨江.
  const std::string tag = std::to_string(next_serial());
  const double lon = 121.90, lat = 29.00;
  team("xihu_insp", "330106", "危化一队" + tag, lon + 0.01, lat, "hazchem");
  team("xihu_insp", "330106", "危化二队" + tag, lon + 0.03, lat, "hazchem");
  const std::string third = team("xihu_insp", "330106", "危化三队" + tag, lon + 0.20, lat, "hazchem");
  team("xihu_insp", "330106", "消防一队" + tag, lon + 0.005, lat, "fire");
  team("binjiang_insp", "330108", "滨江危化队" + tag, lon + 0.02, lat, "hazchem");
  const std::string at = "lon=" + std::to_string(lon) + "&lat=" + std::to_string(lat);
  auto r = w_->as("zj_admin").get("/api/v1/emergency/resources/nearest?" + at + "&k=3&kind=rescue_team&team_kind=hazchem");
  ASSERT_EQ(r.status, 200u) << r.body;
  const json::array items = r.items();
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].at("name").as_string(), "危化一队" + tag);
  EXPECT_EQ(items[1].at("name").as_string(), "滨江危化队" + tag) << "the province sees both counties'";
  EXPECT_EQ(items[2].at("name").as_string(), "危化二队" + tag);
  const double d0 = items[0].at("distance_m").to_number<double>();
  EXPECT_NEAR(d0, 973, 5) << "0.01° of longitude at 29°N";
  EXPECT_NEAR(items[0].at("eta_min").to_number<double>(), d0 * 1.3 / (50'000.0 / 60), 0.1) << "distance × 1.3 ÷ 50 km/h";
  // A county finds its own only; the kinds keep apart.
  EXPECT_EQ(nearest("xihu_insp", at + "&k=3&kind=rescue_team&team_kind=hazchem"),
            (std::vector<std::string>{"危化一队" + tag, "危化二队" + tag, "危化三队" + tag}));
  EXPECT_EQ(nearest("binjiang_insp", at + "&k=1&kind=rescue_team&team_kind=hazchem"), (std::vector<std::string>{"滨江危化队" + tag}));
  EXPECT_EQ(nearest("xihu_insp", at + "&k=1&kind=rescue_team"), (std::vector<std::string>{"消防一队" + tag}));
  EXPECT_EQ(nearest("xihu_insp", at + "&k=10&kind=rescue_team&team_kind=hazchem&radius_m=5000").size(), 2u) << "within 5 km";
  // Moved next to the point, it is the nearest at once; out of service, it is not offered.
  auto moved = w_->as("xihu_insp").request("PUT", "/api/v1/emergency/resources/" + third, json_text(json::object{{"lon", lon + 0.001}, {"lat", lat}}),
                                           {{"Content-Type", "application/json"}, {"If-Match", "\"1\""}});
  ASSERT_EQ(moved.status, 200u) << moved.body;
  EXPECT_EQ(nearest("xihu_insp", at + "&k=1&kind=rescue_team&team_kind=hazchem"), (std::vector<std::string>{"危化三队" + tag}));
  auto stale = w_->as("xihu_insp").request("PUT", "/api/v1/emergency/resources/" + third, json_text(json::object{{"status", "unavailable"}}),
                                           {{"Content-Type", "application/json"}, {"If-Match", "\"1\""}});
  EXPECT_EQ(stale.status, 412u);
  ASSERT_EQ(w_->as("xihu_insp").request("PUT", "/api/v1/emergency/resources/" + third, json_text(json::object{{"status", "unavailable"}}),
                                        {{"Content-Type", "application/json"}, {"If-Match", "\"2\""}}).status, 200u);
  EXPECT_EQ(nearest("xihu_insp", at + "&k=1&kind=rescue_team&team_kind=hazchem"), (std::vector<std::string>{"危化一队" + tag}));
  EXPECT_EQ(w_->as("binjiang_insp").get("/api/v1/emergency/resources/" + third).status, 404u);
  for (const auto& r : w_->as("binjiang_insp").get("/api/v1/emergency/resources?kind=rescue_team").items())
    EXPECT_EQ(r.at("region_code").as_string(), "330108") << "滨江 lists its own";
  EXPECT_EQ(w_->as("binjiang_insp").get("/api/v1/emergency/resources?kind=tank").error_field(), "kind");
  EXPECT_EQ(w_->as("binjiang_insp").request("PUT", "/api/v1/emergency/resources/" + third, json_text(json::object{{"status", "available"}}),
                                            {{"Content-Type", "application/json"}, {"If-Match", "\"3\""}}).status, 404u);
}

TEST_P(ResourceApi, BadResourcesAndQueriesNameTheirField) {
  auto post = [&](json::object extra) {
    json::object b{{"kind", "hospital"}, {"name", "西湖区人民医院"}, {"region_code", "330106"}, {"lon", 120.1}, {"lat", 30.2}, {"beds", 300},
                   {"contact", {{"name", "医务科"}, {"phone", "0571-00000000"}}}};
    for (auto& kv : extra) b[kv.key()] = kv.value();
    return w_->as("xihu_insp").post("/api/v1/emergency/resources", b);
  };
  auto made = post({});
  ASSERT_EQ(made.status, 201u) << made.body;
  EXPECT_EQ(made.json().at("kind_label").as_string(), "医疗机构");
  EXPECT_EQ(post({{"kind", "spaceship"}}).error_field(), "kind");
  EXPECT_EQ(post({{"lon", 200}}).error_field(), "lon");
  EXPECT_EQ(post({{"lat", "北纬30度"}}).error_field(), "lat");
  EXPECT_EQ(post({{"beds", -1}}).error_field(), "beds");
  EXPECT_EQ(post({{"region_code", "999999"}}).error_field(), "region_code");
  EXPECT_EQ(post({{"team_kind", "hazchem"}}).error_code(), "unknown_field") << "a hospital is not a team";
  EXPECT_EQ(post({{"contact", {{"name", "医务科"}}}}).error_field(), "contact.phone");
  EXPECT_EQ(post({{"region_code", "330108"}}).status, 404u) << "滨江 is not 西湖's";
  EXPECT_EQ(w_->as("ent_mgr").post("/api/v1/emergency/resources", json::object{{"kind", "expert"}}).status, 403u);
  auto q = [&](const std::string& query) { return w_->as("xihu_insp").get("/api/v1/emergency/resources/nearest?" + query); };
  EXPECT_EQ(q("lat=30").error_field(), "lon");
  EXPECT_EQ(q("lon=190&lat=30").error_field(), "lon");
  EXPECT_EQ(q("lon=120&lat=abc").error_field(), "lat");
  EXPECT_EQ(q("lon=120&lat=30&k=0").error_field(), "k");
  EXPECT_EQ(q("lon=120&lat=30&k=1.5").error_field(), "k");
  EXPECT_EQ(q("lon=120&lat=30&k=100000").error_field(), "k");
  EXPECT_EQ(q("lon=120&lat=30&kind=tank").error_field(), "kind");
  EXPECT_EQ(q("lon=120&lat=30&radius_m=-5").error_field(), "radius_m");
  EXPECT_EQ(w_->anonymous().get("/api/v1/emergency/resources/nearest?lon=120&lat=30").status, 401u);
}

TEST_P(ResourceApi, ARegisterIsImportedRowByRowInGb18030) {
  const std::string tag = std::to_string(next_serial());
  const std::string csv =
      "资源类别,名称,行政区划代码,经度,纬度,联系人,联系电话,队伍类型,人数,床位数,储备物资,备注\n"
      "救援队伍,西湖危化救援队" + tag + ",330106,120.10,30.27,张队,0571-86000001,危化,35,,,常驻\n"
      "医院,西湖第二医院" + tag + ",330106,120.12,30.26,李院长,0571-86000002,,,800,,\n"
      "物资储备库,西湖物资库" + tag + ",330106,120.11,30.25,王库管,0571-86000003,,,,防化服:200:套；吸附棉:5:吨,\n"
      "救援队伍,西湖危化救援队" + tag + ",330106,120.10,30.27,张队,0571-86000001,危化,35,,,重复\n"
      "飞船,太空站" + tag + ",330106,120.1,30.2,x,1,,,,,\n"
      "救援队伍,滨江队" + tag + ",330108,120.2,30.2,x,1,消防,10,,,\n"
      "救援队伍,坐标错" + tag + ",330106,东经120度,30.2,x,1,消防,10,,,\n"
      "物资储备库,物资错" + tag + ",330106,120.1,30.2,x,1,,,,防化服两百套,\n";
  auto c = w_->as("xihu_insp");
  auto dry = c.request("POST", "/api/v1/emergency/resources/import?dry_run=true", utf8_to_gb18030(csv));
  ASSERT_EQ(dry.status, 200u) << dry.body;
  EXPECT_EQ(dry.json().at("valid").to_number<std::int64_t>(), 3);
  EXPECT_EQ(dry.json().at("imported").to_number<std::int64_t>(), 0);
  EXPECT_EQ(dry.json().at("ignored_columns").at(0).as_string(), "备注");
  std::map<std::int64_t, std::string> issues;
  const json::value dj = dry.json();
  for (const auto& i : dj.at("errors").as_array()) issues[i.at("line").to_number<std::int64_t>()] = std::string(i.at("column").as_string());
  EXPECT_EQ(issues.at(5), "名称") << "the same team twice";
  EXPECT_EQ(issues.at(6), "资源类别");
  EXPECT_NE(dry.body.find("无法识别的资源类别：飞船"), std::string::npos) << "in words people use";
  EXPECT_EQ(issues.at(7), "行政区划代码") << "滨江 is not 西湖's";
  EXPECT_EQ(issues.at(8), "经度");
  EXPECT_EQ(issues.at(9), "储备物资");
  auto real = c.request("POST", "/api/v1/emergency/resources/import", utf8_to_gb18030(csv));
  ASSERT_EQ(real.status, 200u) << real.body;
  EXPECT_EQ(real.json().at("imported").to_number<std::int64_t>(), 3);
  // In the index at once, with the kind's fields.
  auto near = c.get("/api/v1/emergency/resources/nearest?lon=120.10&lat=30.27&k=1&kind=rescue_team&team_kind=hazchem");
  EXPECT_EQ(near.items().at(0).at("name").as_string(), "西湖危化救援队" + tag);
  EXPECT_EQ(near.items().at(0).at("details").at("members").to_number<std::int64_t>(), 35);
  auto depot = c.get("/api/v1/emergency/resources/nearest?lon=120.11&lat=30.25&k=1&kind=depot");
  EXPECT_EQ(depot.items().at(0).at("details").at("materials").at(1).at("unit").as_string(), "吨");
  // Again: every row is already there.
  auto again = c.request("POST", "/api/v1/emergency/resources/import", utf8_to_gb18030(csv));
  EXPECT_EQ(again.json().at("imported").to_number<std::int64_t>(), 0);
  // Whole-file refusals and who may import.
  EXPECT_EQ(c.request("POST", "/api/v1/emergency/resources/import", "名称,经度\nx,1\n").error_code(), "invalid_header");
  EXPECT_EQ(c.request("POST", "/api/v1/emergency/resources/import", std::string("\xff\xfe\x00\x01garbage", 11)).status, 400u);
  EXPECT_EQ(w_->as("ent_mgr").request("POST", "/api/v1/emergency/resources/import", csv).status, 403u);
}

// The R-tree, a brute-force scan of great-circle distances and PostGIS (on PostgreSQL, where the
// package is installed: scripts/install-deps installs it) give the same nearest on random data.
TEST_P(ResourceApi, TheIndexABruteForceScanAndPostgisAgree) {
  auto& resources = w_->app->resources();
  const auth::Principal who = auth::system_principal("geo-test");
  std::mt19937 rng(20261201);
  std::uniform_real_distribution<double> dlon(75.0, 76.0), dlat(40.0, 41.0);  // 新疆: no other test's resources
  const std::string tag = std::to_string(next_serial());
  std::vector<std::pair<std::string, std::pair<double, double>>> made;
  for (int i = 0; i < 400; ++i) {
    const double lon = dlon(rng), lat = dlat(rng);
    auto r = resources.create(who, json::object{{"kind", "rescue_team"}, {"name", "随机队" + tag + "-" + std::to_string(i)}, {"region_code", "653101"},
                                                {"lon", lon}, {"lat", lat}, {"team_kind", i % 2 ? "fire" : "mine"},
                                                {"contact", {{"name", "x"}, {"phone", "1"}}}},
                              "test");
    ASSERT_TRUE(r.ok()) << r.error().message;
    made.push_back({r->id, {r->lon, r->lat}});
  }
  if (GetParam() == "postgres") {
    EXPECT_TRUE(resources.postgis()) << "PostGIS is installed by scripts/install-deps";
  }
  for (int q = 0; q < 25; ++q) {
    emergency::NearestQuery query;
    query.lon = dlon(rng);
    query.lat = dlat(rng);
    query.k = 7;
    query.kind = "rescue_team";
    if (q % 3 == 0) query.team_kind = "fire";
    if (q % 4 == 0) query.radius_m = 30'000;
    // Brute force over what this test made (the region holds nothing else).
    std::vector<std::pair<double, std::string>> all;
    for (size_t i = 0; i < made.size(); ++i) {
      if (query.team_kind && i % 2 == 0) continue;
      const double d = great_circle_m(query.lon, query.lat, made[i].second.first, made[i].second.second);
      if (query.radius_m == 0 || d <= query.radius_m) all.push_back({d, made[i].first});
    }
    std::sort(all.begin(), all.end());
    all.resize(std::min<size_t>(all.size(), query.k));
    auto tree = resources.nearest(who, query);
    ASSERT_TRUE(tree.ok());
    ASSERT_EQ(tree->size(), all.size()) << "query " << q;
    for (size_t i = 0; i < all.size(); ++i) {
      EXPECT_EQ((*tree)[i].resource.id, all[i].second) << "query " << q << " rank " << i;
      EXPECT_NEAR((*tree)[i].distance_m, all[i].first, 1.0);
    }
    if (!resources.postgis()) continue;
    auto sql = resources.nearest_in_database(who, query);
    ASSERT_TRUE(sql.ok()) << sql.error().message;
    ASSERT_EQ(sql->size(), all.size()) << "query " << q;
    for (size_t i = 0; i < all.size(); ++i) {
      EXPECT_EQ((*sql)[i].resource.id, all[i].second) << "PostGIS, query " << q << " rank " << i;
      EXPECT_NEAR((*sql)[i].distance_m, all[i].first, 1.0) << "the same sphere";
    }
  }
  if (GetParam() == "sqlite") {
    EXPECT_EQ(resources.nearest_in_database(who, {}).error().code, "unavailable");
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ResourceApi, ::testing::Values("sqlite", "postgres"));
