// The enterprise registry over HTTP: validation, concurrency, history, search, on both backends.
#include <gtest/gtest.h>

#include <zlib.h>

#include <atomic>
#include <regex>
#include <thread>

#include "base/time.h"
#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;

class EnterpriseApi : public ApiTest {
 protected:
  json::object valid(const std::string& county = "330106") {
    return json::object{{"uscc", uscc_for(county, next_serial())}, {"name", "杭州测试安全化工有限公司"}, {"short_name", "测试化工"},
                        {"region_code", county}, {"address", "杭州市西湖区测试路8号"}, {"lon", 120.13}, {"lat", 30.27},
                        {"industry", "hazchem_production"}, {"scale", "small"}, {"employees", 120},
                        {"legal_representative", "张伟"}, {"safety_manager", {{"name", "王强"}, {"phone", "13800000000"}}},
                        {"licence", {{"number", "（浙）WH安许证字〔2024〕0001"}, {"issued_on", "2024-01-10"}, {"expires_on", "2099-01-09"}}},
                        {"standardization_grade", "2"}, {"status", "operating"}};
  }
};

TEST_P(EnterpriseApi, CreateReadWithEtagAndMasking) {
  auto c = w_->as("xihu_insp");
  auto body = valid();
  auto r = c.post("/api/v1/enterprises", body);
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(r.header("etag"), "\"1\"");
  const std::string uscc(body["uscc"].as_string());
  auto got = c.get("/api/v1/enterprises/" + uscc);
  ASSERT_EQ(got.status, 200u);
  auto j = got.json();
  EXPECT_EQ(j.at("name").as_string(), "杭州测试安全化工有限公司");
  EXPECT_EQ(j.at("safety_manager").at("phone").as_string(), "13800000000");  // full in detail
  EXPECT_EQ(j.at("licence_state").as_string(), "valid");
  EXPECT_EQ(j.at("version").as_int64(), 1);
  auto list = c.get("/api/v1/enterprises?q=" + uscc);
  ASSERT_EQ(list.status, 200u);
  ASSERT_EQ(list.json().at("total").as_int64(), 1);
  EXPECT_EQ(list.json().at("items").at(0).at("safety_manager").at("phone").as_string(), "138****0000");  // masked in lists
}

TEST_P(EnterpriseApi, WrongCheckCharacterNamesTheExpectedOne) {
  auto c = w_->as("nation_admin");
  auto body = valid();
  body["uscc"] = "91330106MA2H3K8L4B";
  auto r = c.post("/api/v1/enterprises", body);
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.error_code(), "invalid_uscc");
  EXPECT_EQ(r.error_field(), "uscc");
  EXPECT_NE(r.body.find("应为 A"), std::string::npos) << r.body;
}

TEST_P(EnterpriseApi, BadFieldsAreRefusedAndNothingIsStored) {
  auto c = w_->as("nation_admin");
  // field, its value as JSON text, the expected error code and field.
  struct Case { std::string field, value, code, error_field; };
  const std::vector<Case> cases = {
      {"region_code", R"("999999")", "unknown_region", "region_code"},
      {"region_code", R"("330100")", "invalid_region_level", "region_code"},  // a city with counties
      {"region_code", "330106", "invalid_field", "region_code"},
      {"lon", "200.0", "invalid_field", "lon"},
      {"lat", R"("30.2")", "invalid_field", "lat"},
      {"industry", R"("mining")", "invalid_field", "industry"},
      {"employees", "-1", "invalid_field", "employees"},
      {"employees", "1.5", "invalid_field", "employees"},
      {"name", R"("")", "invalid_field", "name"},
      {"name", "\"" + std::string(303, 'x') + "\"", "invalid_field", "name"},
      {"status", R"("open")", "invalid_field", "status"},
      {"standardization_grade", R"("4")", "invalid_field", "standardization_grade"},
      {"safety_manager", R"({"phone":"abc"})", "invalid_field", "safety_manager.phone"},
      {"safety_manager", R"({"mobile":"138"})", "unknown_field", "safety_manager.mobile"},
      {"licence", R"({"expires_on":"2024-02-30"})", "invalid_field", "licence.expires_on"},
      {"licence", R"({"issued_on":"2024-02-01","expires_on":"2023-01-01"})", "invalid_field", "licence.expires_on"},
      {"colour", R"("red")", "unknown_field", "colour"},
      {"industry_code", R"("Z99")", "invalid_field", "industry_code"},
  };
  for (const auto& k : cases) {
    auto body = valid();
    body[k.field] = json::parse(k.value);
    auto r = c.post("/api/v1/enterprises", body);
    EXPECT_EQ(r.status, 400u) << k.field << ": " << r.body;
    EXPECT_EQ(r.error_code(), k.code) << k.field << ": " << r.body;
    EXPECT_EQ(r.error_field(), k.error_field) << k.field;
    auto probe = c.get("/api/v1/enterprises/" + std::string(body["uscc"].as_string()));
    EXPECT_EQ(probe.status, 404u) << "nothing may be stored for " << k.field;
  }
  // Missing required fields.
  for (const char* f : {"uscc", "name", "region_code", "industry"}) {
    auto body = valid();
    body.erase(f);
    auto r = c.post("/api/v1/enterprises", body);
    EXPECT_EQ(r.status, 400u) << f;
    EXPECT_EQ(r.error_field(), f);
  }
}

TEST_P(EnterpriseApi, MalformedAndHostileBodies) {
  auto c = w_->as("nation_admin");
  for (const std::string& body : std::vector<std::string>{"", "{", "[]", "null", "{\"uscc\":}", std::string(100, '{'), "{\"a\":1}garbage", "\xff\xfe{}"}) {
    auto r = c.request("POST", "/api/v1/enterprises", body, {{"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, 400u) << body;
    EXPECT_EQ(r.error_code(), "invalid_json") << body;
  }
  // Deep nesting is refused, not a stack overflow.
  std::string deep = "{\"name\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  EXPECT_EQ(c.request("POST", "/api/v1/enterprises", deep).error_code(), "invalid_json");
  // Over the body limit: 413, and the server goes on serving.
  std::string huge(17 * 1024 * 1024, ' ');
  auto big = c.request("POST", "/api/v1/enterprises", huge, {{"Content-Type", "application/json"}});
  EXPECT_EQ(big.status, 413u);
  EXPECT_EQ(big.error_code(), "too_large");
  EXPECT_EQ(c.get("/healthz").status, 200u);
}

TEST_P(EnterpriseApi, DuplicateIsConflict) {
  auto c = w_->as("nation_admin");
  auto body = valid();
  ASSERT_EQ(c.post("/api/v1/enterprises", body).status, 201u);
  auto again = c.post("/api/v1/enterprises", body);
  EXPECT_EQ(again.status, 409u);
  EXPECT_EQ(again.error_code(), "conflict");
  // Lower case of the same code is the same code.
  std::string lower(body["uscc"].as_string());
  for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  body["uscc"] = lower;
  EXPECT_EQ(c.post("/api/v1/enterprises", body).status, 409u);
}

TEST_P(EnterpriseApi, DongguanIsItsOwnCounty) {
  auto c = w_->as("dg_insp");
  auto r = c.post("/api/v1/enterprises", valid("441900"));
  EXPECT_EQ(r.status, 201u) << r.body;
}

TEST_P(EnterpriseApi, OptimisticConcurrencyAndHistory) {
  auto c = w_->as("hz_insp");
  auto body = valid("330108");
  const std::string uscc(body["uscc"].as_string());
  ASSERT_EQ(c.post("/api/v1/enterprises", body).status, 201u);
  auto missing = c.request("PATCH", "/api/v1/enterprises/" + uscc, R"({"employees":5})");
  EXPECT_EQ(missing.status, 428u);
  auto ok = c.patch("/api/v1/enterprises/" + uscc, json::object{{"employees", 150}, {"address", "滨江区新地址9号"}}, "\"1\"");
  ASSERT_EQ(ok.status, 200u) << ok.body;
  EXPECT_EQ(ok.header("etag"), "\"2\"");
  auto stale = c.patch("/api/v1/enterprises/" + uscc, json::object{{"employees", 160}}, "\"1\"");
  EXPECT_EQ(stale.status, 412u);
  EXPECT_EQ(stale.error_code(), "precondition_failed");
  EXPECT_EQ(c.get("/api/v1/enterprises/" + uscc).json().at("employees").as_int64(), 150);
  // The USCC is the key: it cannot be changed.
  auto key = c.patch("/api/v1/enterprises/" + uscc, json::object{{"uscc", uscc_for("330108", next_serial())}}, "\"2\"");
  EXPECT_EQ(key.status, 400u);
  EXPECT_EQ(key.error_field(), "uscc");
  // null clears an optional field, whatever its type.
  auto cleared = c.patch("/api/v1/enterprises/" + uscc,
                         json::object{{"short_name", nullptr}, {"scale", nullptr}, {"standardization_grade", nullptr},
                                      {"employees", nullptr}, {"lon", nullptr}, {"lat", nullptr}},
                         "\"2\"");
  ASSERT_EQ(cleared.status, 200u) << cleared.body;
  for (const char* k : {"short_name", "scale", "standardization_grade", "employees", "lon", "lat"})
    EXPECT_TRUE(cleared.json().at(k).is_null()) << k;
  auto hist = c.get("/api/v1/enterprises/" + uscc + "/history");
  ASSERT_EQ(hist.status, 200u);
  auto items = hist.json().at("items").as_array();
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].at("action").as_string(), "update");
  EXPECT_EQ(items[0].at("changes").at("short_name").at("to"), json::value(nullptr));
  EXPECT_EQ(items[0].at("changes").at("scale").at("from").as_string(), "small");
  EXPECT_EQ(items[1].at("changes").at("employees").at("from").as_int64(), 120);
  EXPECT_EQ(items[1].at("changes").at("employees").at("to").as_int64(), 150);
  EXPECT_EQ(items[1].at("username").as_string(), "hz_insp");
  EXPECT_EQ(items[2].at("action").as_string(), "create");
  // A patch that changes nothing makes no version.
  auto same = c.patch("/api/v1/enterprises/" + uscc, json::object{{"address", "滨江区新地址9号"}}, "\"3\"");
  EXPECT_EQ(same.header("etag"), "\"3\"");
}

TEST_P(EnterpriseApi, SoftDeleteKeepsTheRecord) {
  auto c = w_->as("nation_admin");
  auto body = valid();
  const std::string uscc(body["uscc"].as_string());
  ASSERT_EQ(c.post("/api/v1/enterprises", body).status, 201u);
  auto del = c.request("DELETE", "/api/v1/enterprises/" + uscc, "", {{"If-Match", "\"1\""}});
  ASSERT_EQ(del.status, 200u) << del.body;
  auto got = c.get("/api/v1/enterprises/" + uscc);
  ASSERT_EQ(got.status, 200u);
  EXPECT_EQ(got.json().at("status").as_string(), "closed");
  EXPECT_EQ(c.get("/api/v1/enterprises/" + uscc + "/history").json().at("items").at(0).at("action").as_string(), "close");
}

TEST_P(EnterpriseApi, EnterpriseManagerEditsOnlyItsOwn) {
  auto m = w_->as("ent_mgr");
  const std::string own = w_->uscc["E_XIHU"];
  auto got = m.get("/api/v1/enterprises/" + own);
  ASSERT_EQ(got.status, 200u);
  const std::string v = got.header("etag");
  EXPECT_EQ(m.patch("/api/v1/enterprises/" + own, json::object{{"status", "suspended"}}, v).status, 403u);
  auto ok = m.patch("/api/v1/enterprises/" + own, json::object{{"employees", 88}}, v);
  EXPECT_EQ(ok.status, 200u) << ok.body;
  EXPECT_EQ(m.post("/api/v1/enterprises", valid()).status, 403u);
  EXPECT_EQ(m.get("/api/v1/enterprises/" + w_->uscc["E_BINJIANG"]).status, 404u);
}

TEST_P(EnterpriseApi, ListFiltersSortAndPaging) {
  auto c = w_->as("nation_admin");
  auto all = c.get("/api/v1/enterprises?page_size=500");
  ASSERT_EQ(all.status, 200u);
  const auto total = all.json().at("total").as_int64();
  EXPECT_GE(total, 5);
  auto zj = c.get("/api/v1/enterprises?region_code=330000&page_size=500");
  for (const auto& e : zj.items()) EXPECT_TRUE(e.at("region_code").as_string().starts_with("33"));
  auto p1 = c.get("/api/v1/enterprises?page=1&page_size=2&sort=uscc").json();
  auto p2 = c.get("/api/v1/enterprises?page=2&page_size=2&sort=uscc").json();
  ASSERT_EQ(p1.at("items").as_array().size(), 2u);
  EXPECT_LT(p1.at("items").at(1).at("uscc").as_string(), p2.at("items").at(0).at("uscc").as_string());
  for (const std::string bad : {"page=0", "page_size=501", "page=abc", "industry=mining", "licence_state=soon", "sort=evil",
                                "region_code=999999", "status=open"}) {
    auto r = c.get("/api/v1/enterprises?" + bad);
    EXPECT_EQ(r.status, 400u) << bad << " " << r.body;
  }
  auto expiring = c.get("/api/v1/enterprises?licence_state=none&page_size=500");
  for (const auto& e : expiring.items()) EXPECT_EQ(e.at("licence_state").as_string(), "none");
  auto chem = c.get("/api/v1/enterprises?q=" + url_encode("杭州 化工") + "&page_size=500");
  for (const auto& e : chem.items()) {
    std::string text = std::string(e.at("name").as_string()) + (e.at("address").is_string() ? std::string(e.at("address").as_string()) : "");
    EXPECT_NE(text.find("杭州"), std::string::npos);
  }
  EXPECT_GE(chem.json().at("total").as_int64(), 2);
}

TEST_P(EnterpriseApi, UnifiedViewHasItsSections) {
  auto c = w_->as("xihu_insp");
  auto r = c.get("/api/v1/enterprises/" + w_->uscc["E_XIHU"] + "/view");
  ASSERT_EQ(r.status, 200u) << r.body;
  auto j = r.json();
  EXPECT_EQ(j.at("enterprise").at("uscc").as_string(), w_->uscc["E_XIHU"]);
  EXPECT_TRUE(j.at("sections").as_object().contains("licence"));
  EXPECT_TRUE(j.at("sections").as_object().contains("history"));
}

TEST_P(EnterpriseApi, CsvExportHasBomAndChineseHeader) {
  auto c = w_->as("hz_insp");
  auto r = c.get("/api/v1/enterprises/export.csv");
  ASSERT_EQ(r.status, 200u);
  EXPECT_TRUE(r.body.starts_with("\xEF\xBB\xBF统一社会信用代码"));
  EXPECT_NE(r.body.find(w_->uscc["E_XIHU"]), std::string::npos);
  EXPECT_EQ(r.body.find(w_->uscc["E_HAISHU"]), std::string::npos);
  // People read it: the place by name, every enumeration in Chinese (as on the screen).
  auto admin = w_->as("nation_admin");
  auto body = valid("330106");
  body["short_name"] = "=cmd|'/c calc'!A1";  // a formula to Excel
  ASSERT_EQ(admin.post("/api/v1/enterprises", body).status, 201u);
  auto one = admin.get("/api/v1/enterprises/export.csv?q=" + std::string(body["uscc"].as_string()));
  ASSERT_EQ(one.status, 200u);
  const std::string line = one.body.substr(one.body.find('\n') + 1);
  EXPECT_NE(line.find(",杭州市西湖区,330106,"), std::string::npos) << line;
  EXPECT_NE(line.find(",危险化学品生产,小型,120,"), std::string::npos) << line;
  EXPECT_NE(line.find(",有效,二级,正常生产"), std::string::npos) << line;
  for (const char* code : {"small", "operating", "valid", "hazchem_production"}) EXPECT_EQ(line.find(code), std::string::npos) << code;
  // … and a cell Excel would run as a formula stays text.
  EXPECT_NE(line.find(",'=cmd|'/c calc'!A1,"), std::string::npos) << line;
}

TEST_P(EnterpriseApi, WritesAreAudited) {
  auto c = w_->as("nation_admin");
  auto body = valid();
  ASSERT_EQ(c.post("/api/v1/enterprises", body).status, 201u);
  auto log = w_->as("auditadmin").get("/api/v1/audit?action=enterprise.create&uscc=" + std::string(body["uscc"].as_string()));
  ASSERT_EQ(log.status, 200u);
  ASSERT_EQ(log.json().at("total").as_int64(), 1);
  auto item = log.json().at("items").at(0);
  EXPECT_EQ(item.at("username").as_string(), "nation_admin");
  EXPECT_EQ(item.at("hash").as_string().size(), 64u);
  EXPECT_TRUE(w_->app->audit().verify()->ok);
}

TEST_P(EnterpriseApi, MapPointsAreCompactAndFiltered) {
  auto c = w_->as("zj_admin");
  auto all = c.get("/api/v1/enterprises/points");
  ASSERT_EQ(all.status, 200u);
  EXPECT_EQ(all.json().at("columns").at(2).as_string(), "lon");
  auto hz = c.get("/api/v1/enterprises/points?region_code=330100");
  ASSERT_EQ(hz.status, 200u);
  EXPECT_LT(hz.items().size(), all.items().size());
  for (const auto& p : hz.items()) {
    EXPECT_TRUE(p.at(5).as_string().starts_with("3301"));
    EXPECT_TRUE(p.at(2).is_number());
  }
  // A region outside the scope gives nothing, an unknown one is an error.
  EXPECT_TRUE(c.get("/api/v1/enterprises/points?region_code=320000").items().empty());
  EXPECT_EQ(c.get("/api/v1/enterprises/points?region_code=999999").error_code(), "unknown_region");
}

namespace {
std::string gunzip(const std::string& in) {
  z_stream zs{};
  inflateInit2(&zs, 15 + 16);
  std::string out;
  char buf[65536];
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof buf - zs.avail_out);
  }
  inflateEnd(&zs);
  return rc == Z_STREAM_END ? out : "";
}
}  // namespace

TEST_P(EnterpriseApi, NamesSortInPinyinOrder) {
  auto c = w_->as("nation_admin");
  for (const char* name : {"万达拼音排序测试公司", "东方拼音排序测试公司", "安达拼音排序测试公司"}) {
    auto body = valid("330108");
    body["name"] = name;
    ASSERT_EQ(c.post("/api/v1/enterprises", body).status, 201u);
  }
  for (const std::string query : {"?region_code=330108&page_size=500", "?region_code=330108&page_size=500&sort=name", "?page_size=500&sort=name"}) {
    std::vector<std::string> order;
    for (const auto& e : c.get("/api/v1/enterprises" + query).items())
      if (e.at("name").as_string().ends_with("拼音排序测试公司")) order.emplace_back(e.at("name").as_string());
    EXPECT_EQ(order, (std::vector<std::string>{"安达拼音排序测试公司", "东方拼音排序测试公司", "万达拼音排序测试公司"})) << query;
  }
  std::vector<std::string> reverse;
  for (const auto& e : c.get("/api/v1/enterprises?region_code=330108&page_size=500&sort=-name").items())
    if (e.at("name").as_string().ends_with("拼音排序测试公司")) reverse.emplace_back(e.at("name").as_string());
  EXPECT_EQ(reverse.front(), "万达拼音排序测试公司");
}

TEST_P(EnterpriseApi, NumbersAreWrittenAsPeopleWriteThem) {
  auto c = w_->as("nation_admin");
  auto body = valid();
  body["lon"] = 120.2235531234;  // kept to 6 decimals
  body["lat"] = 30.2;
  body["employees"] = 48;
  ASSERT_EQ(c.post("/api/v1/enterprises", body).status, 201u);
  const std::string uscc(body["uscc"].as_string());
  auto got = c.get("/api/v1/enterprises/" + uscc);
  EXPECT_NE(got.body.find("\"lon\":120.223553,"), std::string::npos) << got.body;
  EXPECT_NE(got.body.find("\"lat\":30.2,"), std::string::npos) << got.body;
  EXPECT_NE(got.body.find("\"employees\":48,"), std::string::npos) << got.body;
  auto csv = c.get("/api/v1/enterprises/export.csv?q=" + uscc);
  EXPECT_NE(csv.body.find(",120.223553,30.2,"), std::string::npos) << csv.body;
  // No exponent anywhere: not in the map's points, nor in a GB 18218 evaluation (α 1.5, R 48).
  auto gb = c.post("/api/v1/gb18218/evaluate", json::parse(R"({"unit_type":"storage","people_exposed":60,
      "substances":[{"name":"液氯","quantity_t":30},{"name":"液氨","quantity_t":40}]})"));
  ASSERT_EQ(gb.status, 200u) << gb.body;
  EXPECT_NE(gb.body.find("\"alpha\":1.5,"), std::string::npos) << gb.body;
  EXPECT_NE(gb.body.find("\"r\":48,"), std::string::npos) << gb.body;
  const std::regex exponent("[:,\\[]-?[0-9.]+[eE][+-]?[0-9]");  // a JSON number, not a letter in a code
  for (const auto& r : {got, gb, c.get("/api/v1/enterprises/points"), c.get("/api/v1/enterprises/summary")})
    EXPECT_FALSE(std::regex_search(r.body, exponent)) << r.body.substr(0, 400);
}

TEST_P(EnterpriseApi, LargeAnswersAreCompressedWhenTheClientAcceptsIt) {
  auto c = w_->as("zj_admin");
  // The region tree (tens of KB) and the map's points, the latter made large enough here.
  for (int i = 0; i < 30; ++i) ASSERT_EQ(c.post("/api/v1/enterprises", valid("330108")).status, 201u);
  for (const std::string target : {"/api/v1/regions", "/api/v1/enterprises/points"}) {
    auto plain = c.get(target);
    ASSERT_EQ(plain.status, 200u);
    ASSERT_GE(plain.body.size(), 1400u) << target;
    EXPECT_EQ(plain.header("content-encoding"), "") << target;
    auto gz = c.request("GET", target, "", {{"Accept-Encoding", "gzip, deflate, br"}});
    ASSERT_EQ(gz.status, 200u);
    EXPECT_EQ(gz.header("content-encoding"), "gzip") << target;
    EXPECT_EQ(gz.header("vary"), "Accept-Encoding");
    EXPECT_LT(gz.body.size() * 3, plain.body.size()) << target;
    EXPECT_EQ(gunzip(gz.body), plain.body) << target;
  }
  // An answer too small to gain stays as it is.
  auto small = c.request("GET", "/api/v1/enterprises/summary", "", {{"Accept-Encoding", "gzip"}});
  ASSERT_LT(small.body.size(), 1400u);
  EXPECT_EQ(small.header("content-encoding"), "");
}

namespace {
// The summary's figures, and the same figures counted by the list's filters (the database's answer).
void expect_summary_is_the_truth(HttpClient& c, const std::string& where) {
  auto s = c.get("/api/v1/enterprises/summary");
  ASSERT_EQ(s.status, 200u) << s.body;
  auto j = s.json().as_object();
  auto total_of = [&](const std::string& query) { return c.get("/api/v1/enterprises?page_size=1" + query).json().at("total").as_int64(); };
  EXPECT_EQ(j.at("total").as_int64(), total_of("")) << where;
  for (const auto& kv : j.at("by_industry").as_object())
    EXPECT_EQ(kv.value().as_int64(), total_of("&industry=" + std::string(kv.key()))) << where << " " << kv.key();
  for (const auto& kv : j.at("by_status").as_object())
    EXPECT_EQ(kv.value().as_int64(), total_of("&status=" + std::string(kv.key()))) << where << " " << kv.key();
  for (const char* state : {"valid", "expiring", "expired", "none"})
    EXPECT_EQ(j.at("by_licence_state").at(state).as_int64(), total_of(std::string("&licence_state=") + state)) << where << " " << state;
}
}  // namespace

TEST_P(EnterpriseApi, SummaryCountsFollowEveryWrite) {
  auto c = w_->as("nation_admin");
  auto hz = w_->as("hz_admin");
  expect_summary_is_the_truth(c, "at first");
  // A create, an edit of each counted field, a move to another city, a close.
  auto body = valid("330106");
  body["licence"].as_object()["expires_on"] = format_date(w_->app->enterprises().today() + 10);  // expiring
  auto created = c.post("/api/v1/enterprises", body);
  ASSERT_EQ(created.status, 201u) << created.body;
  const std::string uscc(body["uscc"].as_string());
  expect_summary_is_the_truth(c, "after a create");
  expect_summary_is_the_truth(hz, "杭州 after a create");
  auto v = c.patch("/api/v1/enterprises/" + uscc, json::object{{"industry", "coal_mine"}, {"licence", {{"issued_on", "2020-01-10"}, {"expires_on", "2023-01-09"}}}}, "\"1\"");
  ASSERT_EQ(v.status, 200u) << v.body;
  expect_summary_is_the_truth(c, "after an edit");
  ASSERT_EQ(c.patch("/api/v1/enterprises/" + uscc, json::object{{"region_code", "330203"}}, "\"2\"").status, 200u);
  expect_summary_is_the_truth(c, "after a move");
  expect_summary_is_the_truth(hz, "杭州 after a move out");
  ASSERT_EQ(c.request("DELETE", "/api/v1/enterprises/" + uscc, "", {{"If-Match", "\"3\""}}).status / 100, 2u);
  expect_summary_is_the_truth(c, "after a close");
  // Writes from several connections at once, the summary read all the while.
  std::vector<std::thread> writers;
  std::atomic<bool> done{false};
  std::thread reader([&] {
    auto r = w_->as("nation_admin");
    while (!done) EXPECT_EQ(r.get("/api/v1/enterprises/summary").status, 200u);
  });
  for (int t = 0; t < 4; ++t)
    writers.emplace_back([&, t] {
      auto w = w_->as("nation_admin");
      for (int i = 0; i < 5; ++i) {
        auto b = valid(t % 2 ? "330108" : "330203");
        b["industry"] = t % 2 ? "fireworks" : "commerce";
        EXPECT_EQ(w.post("/api/v1/enterprises", b).status, 201u);
      }
    });
  for (auto& t : writers) t.join();
  done = true;
  reader.join();
  expect_summary_is_the_truth(c, "after concurrent creates");
  expect_summary_is_the_truth(hz, "杭州 after concurrent creates");
  // A write this process did not hand over (an import's batch, another process's write) is seen
  // through the generation: the counts are taken anew.
  std::vector<enterprise::Enterprise> batch(1);
  batch[0].uscc = uscc_for("330106", next_serial());
  batch[0].name = "批量写入测试公司";
  batch[0].region_code = "330106";
  batch[0].industry = "metallurgy";
  auto done_batch = db::with_transaction(w_->app->enterprises().database(), [&](db::Connection& tx) -> Result<bool> {
    ANJIAN_TRY(w_->app->enterprises().insert_batch(tx, auth::system_principal("test"), batch));
    return true;
  });
  ASSERT_TRUE(done_batch.ok());
  expect_summary_is_the_truth(c, "after a batch");
  expect_summary_is_the_truth(hz, "杭州 after a batch");
}

INSTANTIATE_TEST_SUITE_P(Backends, EnterpriseApi, ::testing::Values("sqlite", "postgres"));
