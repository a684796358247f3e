// Full-text search gives the same answers on SQLite (FTS5) and PostgreSQL (GIN over term arrays).
#include <gtest/gtest.h>

#include "codes/regions.h"
#include "db/migrations.h"
#include "modules/enterprise/repo.h"
#include "support/backends.h"
#include "support/world.h"

using namespace anjian;

namespace {
std::vector<std::string> search(db::Database& db, const std::string& q, const auth::Scope& scope = auth::Scope::all()) {
  auto c = db.read();
  enterprise::ListFilter f;
  f.q = q;
  f.page_size = 100;
  f.sort = "uscc";
  auto page = enterprise::repo::list(**c, scope, f, 20000, {});
  EXPECT_TRUE(page.ok()) << (page.ok() ? "" : page.error().message);
  std::vector<std::string> names;
  if (page.ok())
    for (const auto& e : page->items) names.push_back(e.name);
  std::sort(names.begin(), names.end());
  return names;
}
}  // namespace

class SearchTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    tdb_ = std::make_unique<test::TestDatabase>(GetParam());
    ANJIAN_REQUIRE_BACKEND(*tdb_);
    db_ = test::open_migrated(*tdb_);
    const std::vector<std::tuple<std::string, std::string, std::string>> rows = {
        {"330106", "杭州某某化工有限公司", "杭州市西湖区文三路"},
        {"330106", "杭州化纤纺织有限公司", "杭州市西湖区"},
        {"330203", "宁波海曙精细化工有限公司", "宁波市海曙区"},
        {"330203", "宁波港务商贸有限公司", "宁波市 ABC Road 12"},
        {"320102", "南京工业气体有限公司", "南京市玄武区"},
    };
    auto w = db_->write();
    unsigned long long n = 1;
    for (const auto& [county, name, address] : rows) {
      enterprise::Enterprise e;
      e.uscc = test::uscc_for(county, n++);
      e.name = name;
      e.region_code = county;
      e.address = address;
      e.industry = "other";
      e.version = 1;
      ASSERT_TRUE(enterprise::repo::insert(**w, e).ok());
      usccs_.push_back(e.uscc);
    }
  }
  std::unique_ptr<test::TestDatabase> tdb_;
  std::unique_ptr<db::Database> db_;
  std::vector<std::string> usccs_;
};

TEST_P(SearchTest, ChineseWordsAndNarrowing) {
  EXPECT_EQ(search(*db_, "化工"), (std::vector<std::string>{"宁波海曙精细化工有限公司", "杭州某某化工有限公司"}));
  EXPECT_EQ(search(*db_, "杭州 化工"), (std::vector<std::string>{"杭州某某化工有限公司"}));
  EXPECT_EQ(search(*db_, "杭州"), (std::vector<std::string>{"杭州化纤纺织有限公司", "杭州某某化工有限公司"}));
  // One character finds every name holding it.
  EXPECT_EQ(search(*db_, "纺").size(), 1u);
  // Address words and ASCII words, case-insensitively.
  EXPECT_EQ(search(*db_, "文三路"), (std::vector<std::string>{"杭州某某化工有限公司"}));
  EXPECT_EQ(search(*db_, "abc road"), (std::vector<std::string>{"宁波港务商贸有限公司"}));
  EXPECT_TRUE(search(*db_, "不存在的词").empty());
  EXPECT_TRUE(search(*db_, "，。！").empty());
}

TEST_P(SearchTest, CodeAndPrefixFindTheEnterprise) {
  EXPECT_EQ(search(*db_, usccs_[2]).size(), 1u);
  EXPECT_EQ(search(*db_, usccs_[2].substr(0, 8)).size(), 2u);  // both 海曙 enterprises share the prefix
  std::string lower = usccs_[4];
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(search(*db_, lower).size(), 1u);
}

TEST_P(SearchTest, HostileQueriesAreText) {
  for (const std::string q : {"\"", "化工\" OR \"", "*", "NEAR(a b)", "'; DROP TABLE enterprises; --", "a:b", "\\", "化工 AND"}) {
    auto r = search(*db_, q);
    (void)r;  // no error (checked inside search), whatever the answer
  }
  EXPECT_EQ(search(*db_, "化工\"杭州").size(), 1u);  // the quote is dropped, the words remain
}

TEST_P(SearchTest, ScopeAppliesToSearch) {
  codes::RegionTable regions;
  regions.add({"330000", "浙江", codes::RegionLevel::province, "", false, false});
  regions.add({"330200", "宁波", codes::RegionLevel::city, "330000", false, false});
  EXPECT_EQ(search(*db_, "化工", auth::Scope::region(regions, "330200")), (std::vector<std::string>{"宁波海曙精细化工有限公司"}));
  EXPECT_TRUE(search(*db_, "南京", auth::Scope::region(regions, "330000")).empty());
  EXPECT_TRUE(search(*db_, "化工", auth::Scope::enterprise(usccs_[4], "320102")).empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, SearchTest, ::testing::Values("sqlite", "postgres"));
