#pragma once
// A county node of its own for the exchange's tests: the registry of a county on an embedded
// SQLite file, opened as an App without an HTTP server, beside a World that plays its province.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>

#include <gtest/gtest.h>

#include "exchange/file_drop.h"
#include "support/world.h"

namespace anjian::test {

namespace county_fs = std::filesystem;

// The county's administrator, as the corrections it decides name them (who, of which office).
inline auth::Principal county_admin() {
  auto p = auth::system_principal("xihu_admin");
  p.display_name = "西湖区管理员";
  p.org_name = "西湖区应急管理局";
  p.org_level = "county";
  return p;
}

// A county node of its own: the registry of 西湖 on an embedded SQLite file.
struct County {
  explicit County(const std::function<void(app::Config&)>& tweak = nullptr) : db("sqlite") {
    app::Config config;
    config.db_url = db.url();
    data_dir = (county_fs::temp_directory_path() / ("anjian-county-" + std::to_string(next_serial()))).string();
    county_fs::create_directories(data_dir);
    config.data_dir = data_dir;
    config.access_log = false;
    config.exchange.settings.batch_changes = 10;  // a backlog of a few batches with a handful of records
    if (tweak) tweak(config);
    auto a = app::App::open(config);
    if (!a.ok()) throw std::runtime_error("county: " + a.error().message);
    app = std::move(a).value();
  }
  ~County() {
    app.reset();
    std::error_code ec;
    county_fs::remove_all(data_dir, ec);
  }
  std::string add_enterprise(const std::string& county, const std::string& name) {
    const std::string uscc = uscc_for(county, next_serial());
    auto e = app->enterprises().create(county_admin(),
                                       boost::json::object{{"uscc", uscc}, {"name", name}, {"region_code", county}, {"industry", "hazchem_use"},
                                                    {"safety_manager", boost::json::object{{"name", "王安全"}, {"phone", "13800138000"}}}},
                                       "test");
    if (!e.ok()) throw std::runtime_error("create: " + e.error().message);
    return uscc;
  }
  TestDatabase db;
  std::string data_dir;
  std::unique_ptr<app::App> app;
};

inline std::vector<std::string> batch_files(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : county_fs::directory_iterator(dir))
    if (e.path().extension() == ".batch") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

inline std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}


// 浙江 (zj, the parameter's backend, serving HTTP) and its county 西湖 (xihu, SQLite, no server),
// registered with each other; the county's snapshot queued for the province; drop_ a folder
// between them.
class ProvinceAndCounty : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    province_ = std::make_unique<World>(GetParam());
    ANJIAN_REQUIRE_BACKEND(province_->db);
    county_ = std::make_unique<County>([this](app::Config& c) { tweak_county(c); });
    drop_ = temp_dir();
    auto& p = *province_->app;
    auto& c = *county_->app;
    auto pn = p.nodes().init("zj", "330000", "", SignatureAlgorithm::ed25519, "test");
    ASSERT_TRUE(pn.ok()) << pn.error().message;
    auto cn = c.nodes().init("xihu", "330106", "", GetParam() == "postgres" ? SignatureAlgorithm::sm2 : SignatureAlgorithm::ed25519, "test");
    ASSERT_TRUE(cn.ok()) << cn.error().message;
    county_key_ = cn->public_key;
    // The administrators exchange public keys.
    ASSERT_TRUE(p.nodes().register_peer({"xihu", "child", "", "330106", "", cn->public_key}, "test").ok());
    auto parent = c.nodes().register_peer({"zj", "parent", "", "330000", "", pn->public_key}, "test");
    ASSERT_TRUE(parent.ok()) << parent.error().message;
    ASSERT_TRUE(c.exchange().enqueue_snapshot("zj").ok());
  }
  // A fixture's county settings beyond the defaults.
  virtual void tweak_county(app::Config&) {}
  void TearDown() override {
    county_.reset();
    province_.reset();
    std::error_code ec;
    if (!drop_.empty()) county_fs::remove_all(drop_, ec);
  }
  exchange::ExportReport carry() {
    auto r = exchange::export_batches(county_->app->exchange(), county_->app->nodes(), drop_);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : exchange::ExportReport{};
  }
  exchange::ImportReport take() {
    auto r = exchange::import_batches(province_->app->exchange(), province_->app->nodes(), drop_);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : exchange::ImportReport{};
  }
  std::unique_ptr<World> province_;
  std::unique_ptr<County> county_;
  std::string drop_, county_key_;
};

}  // namespace anjian::test
