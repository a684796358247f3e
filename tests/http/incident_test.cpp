// Incidents, dispatch, plans and accident statistics (issue 16 §3–5) on both backends: a response
// opened from an accident at its place (once, however many press), the command view of what lies
// around it, a team dispatched through its steps (and never backwards) while the resource shows
// 已出动, the plans that fit the accident, the statistics with 同比 and 环比; and nobody outside
// the place's scope seeing any of it.
#include <gtest/gtest.h>

#include "base/json_text.h"
#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;

class IncidentApi : public ApiTest {
 protected:
  // An enterprise of 西湖 at (lon, lat) with a 二级 hazard source and a monitoring point.
  std::string enterprise_at(double lon, double lat) {
    const std::string uscc = uscc_for("330106", next_serial());
    auto r = w_->as("zj_admin").post("/api/v1/enterprises", json::object{{"uscc", uscc}, {"name", "西湖指挥测试化工有限公司"}, {"region_code", "330106"},
                                                                         {"industry", "hazchem_use"}, {"address", "杭州市西湖区三墩镇9号"},
                                                                         {"lon", lon}, {"lat", lat}});
    EXPECT_EQ(r.status, 201u) << r.body;
    auto hs = w_->as("zj_admin").post("/api/v1/hazard-sources", json::object{{"enterprise_uscc", uscc}, {"code", "HS-1"}, {"name", "液氯库"},
                                                                             {"kind", "warehouse"}, {"grade", 2}});
    EXPECT_EQ(hs.status, 201u) << hs.body;
    return uscc;
  }
  std::string accident(const std::string& uscc, double lon, double lat) {
    auto r = w_->as("xihu_insp").post("/api/v1/accidents", json::object{
        {"enterprise_uscc", uscc}, {"region_code", "330106"}, {"lon", lon}, {"lat", lat}, {"occurred_at", format_iso(now_ms() - 600'000)},
        {"industry", "hazchem_use"}, {"kind", "中毒和窒息"}, {"deaths", 3}, {"missing", 0}, {"serious_injuries", 2}, {"minor_injuries", 0},
        {"direct_loss_yuan", 2'000'000}, {"description", "液氯泄漏，三人中毒死亡。"}, {"measures", "已疏散周边人员。"},
        {"reporter", {{"name", "王强"}, {"phone", "13800001234"}}}});
    EXPECT_EQ(r.status, 201u) << r.body;
    return std::string(r.json().at("id").as_string());
  }
  std::string team(const std::string& user, const std::string& region, const std::string& name, double lon, double lat) {
    auto r = w_->as(user).post("/api/v1/emergency/resources", json::object{{"kind", "rescue_team"}, {"name", name}, {"region_code", region},
                                                                          {"lon", lon}, {"lat", lat}, {"team_kind", "hazchem"},
                                                                          {"contact", {{"name", "李队长"}, {"phone", "13700000001"}}}});
    EXPECT_EQ(r.status, 201u) << r.body;
    return std::string(r.json().at("id").as_string());
  }
  http::HttpResult advance(const std::string& incident, const std::string& dispatch, const std::string& status) {
    return w_->as("xihu_insp").post("/api/v1/incidents/" + incident + "/dispatches/" + dispatch + "/status", json::object{{"status", status}});
  }
};

TEST_P(IncidentApi, AResponseFromAnAccidentDispatchesTheNearestTeamStepByStep) {
  const std::string tag = std::to_string(next_serial());
  // Far out to sea west of the other tests' places.
  const double lon = 118.30 + static_cast<double>(next_serial() % 50) * 0.01, lat = 29.50;
  const std::string uscc = enterprise_at(lon + 0.002, lat);
  const std::string acc = accident(uscc, lon, lat);
  const std::string near = team("xihu_insp", "330106", "危化近队" + tag, lon + 0.01, lat);
  team("xihu_insp", "330106", "危化远队" + tag, lon + 0.40, lat);

  auto opened = w_->as("xihu_insp").post("/api/v1/incidents", json::object{{"accident_id", acc}});
  ASSERT_EQ(opened.status, 201u) << opened.body;
  const std::string id(opened.json().at("id").as_string());
  EXPECT_EQ(opened.json().at("source").as_string(), "accident");
  EXPECT_DOUBLE_EQ(opened.json().at("lon").to_number<double>(), lon) << "the accident's place";
  EXPECT_FALSE(opened.json().at("drill").as_bool());
  // The city's duty officer pressing too gets the same response, not a second one.
  auto again = w_->as("hz_insp").post("/api/v1/incidents", json::object{{"accident_id", acc}});
  ASSERT_EQ(again.status, 200u) << again.body;
  EXPECT_EQ(again.json().at("id").as_string(), id);

  // The command view: within 5 km the near team, the enterprise with its hazard source; not the far team.
  auto view = w_->as("xihu_insp").get("/api/v1/incidents/" + id + "/view?radius_m=5000");
  ASSERT_EQ(view.status, 200u) << view.body;
  const json::value vj = view.json();
  const auto& v = vj.as_object();
  std::vector<std::string> names;
  for (const auto& r : v.at("resources").as_array()) names.emplace_back(r.at("name").as_string());
  EXPECT_EQ(names, std::vector<std::string>{"危化近队" + tag});
  bool found = false;
  for (const auto& e : v.at("enterprises").as_array())
    if (e.at("uscc").as_string() == uscc) {
      found = true;
      EXPECT_EQ(e.at("hazard_sources").to_number<std::int64_t>(), 1);
      EXPECT_NEAR(e.at("distance_m").to_number<double>(), 0.002 * 111'320 * std::cos(lat * M_PI / 180), 5);
    }
  EXPECT_TRUE(found);
  EXPECT_EQ(v.at("hazard_sources").as_array().size(), 1u);
  EXPECT_EQ(v.at("enterprise").at("hazard_sources_detail").as_array().size(), 1u);
  EXPECT_EQ(v.at("accident").at("id").as_string(), acc);
  EXPECT_EQ(w_->as("xihu_insp").get("/api/v1/incidents/" + id + "/view?radius_m=60000").error_field(), "radius_m");

  // Dispatch the near team: it is 已出动 until its dispatch ends.
  auto d = w_->as("xihu_insp").post("/api/v1/incidents/" + id + "/dispatches", json::object{{"resource_id", near}, {"note", "携带堵漏器材"}});
  ASSERT_EQ(d.status, 201u) << d.body;
  const json::value dj = d.json();
  const auto& dispatches = dj.at("dispatches").as_array();
  ASSERT_EQ(dispatches.size(), 1u);
  const std::string did(dispatches[0].at("id").as_string());
  EXPECT_EQ(dispatches[0].at("status").as_string(), "assigned");
  EXPECT_NEAR(dispatches[0].at("distance_m").to_number<double>(), 0.01 * 111'320 * std::cos(lat * M_PI / 180), 10);
  EXPECT_EQ(w_->as("xihu_insp").get("/api/v1/emergency/resources/" + near).json().at("status").as_string(), "deployed");
  EXPECT_EQ(w_->as("xihu_insp").post("/api/v1/incidents/" + id + "/dispatches", json::object{{"resource_id", near}}).status, 409u)
      << "not twice to the same response";
  ASSERT_EQ(advance(id, did, "accepted").status, 200u);
  ASSERT_EQ(advance(id, did, "on_site").status, 200u) << "a step may be skipped (the team was reached on its way)";
  auto back = advance(id, did, "en_route");
  EXPECT_EQ(back.status, 409u) << "never backwards";
  EXPECT_EQ(back.error_code(), "invalid_transition");
  EXPECT_EQ(advance(id, did, "arrived").error_field(), "status");
  auto done = advance(id, did, "done");
  ASSERT_EQ(done.status, 200u) << done.body;
  const json::value donej = done.json();
  const auto& dd = donej.at("dispatches").at(0);
  EXPECT_FALSE(dd.at("accepted_at").is_null());
  EXPECT_TRUE(dd.at("en_route_at").is_null());
  EXPECT_FALSE(dd.at("on_site_at").is_null());
  EXPECT_FALSE(dd.at("done_at").is_null());
  EXPECT_EQ(w_->as("xihu_insp").get("/api/v1/emergency/resources/" + near).json().at("status").as_string(), "available");
  EXPECT_EQ(advance(id, did, "cancelled").status, 409u) << "done is done";

  // 领导批示 on the timeline; the timeline holds every step.
  ASSERT_EQ(w_->as("hz_insp").post("/api/v1/incidents/" + id + "/events", json::object{{"kind", "instruction"}, {"text", "全力搜救，防止次生事故"}}).status,
            201u);
  EXPECT_EQ(w_->as("hz_insp").post("/api/v1/incidents/" + id + "/events", json::object{{"kind", "gossip"}, {"text", "x"}}).error_field(), "kind");
  auto got = w_->as("xihu_insp").get("/api/v1/incidents/" + id);
  std::vector<std::string> kinds;
  const json::value gotj = got.json();
  for (const auto& e : gotj.at("events").as_array()) kinds.emplace_back(e.at("kind").as_string());
  EXPECT_EQ(kinds, (std::vector<std::string>{"opened", "dispatch", "dispatch_status", "dispatch_status", "dispatch_status", "instruction"}));

  // Scope: another county sees nothing of it, by id, view, list or dispatch; an enterprise neither.
  EXPECT_EQ(w_->as("binjiang_insp").get("/api/v1/incidents/" + id).status, 404u);
  EXPECT_EQ(w_->as("binjiang_insp").get("/api/v1/incidents/" + id + "/view").status, 404u);
  EXPECT_EQ(w_->as("binjiang_insp").post("/api/v1/incidents/" + id + "/dispatches", json::object{{"resource_id", near}}).status, 404u);
  for (const auto& i : w_->as("binjiang_insp").get("/api/v1/incidents").items()) EXPECT_NE(i.at("id").as_string(), id);
  EXPECT_EQ(w_->as("ent_mgr").get("/api/v1/incidents/" + id).status, 404u);
  EXPECT_EQ(w_->as("ent_mgr").post("/api/v1/incidents", json::object{{"accident_id", acc}}).status, 403u);
  EXPECT_EQ(w_->as("binjiang_insp").post("/api/v1/incidents", json::object{{"accident_id", acc}}).error_field(), "accident_id");

  // Closing ends it; nothing more is dispatched.
  auto closed = w_->as("xihu_insp").post("/api/v1/incidents/" + id + "/close", json::object{{"note", "现场处置完毕"}});
  ASSERT_EQ(closed.status, 200u) << closed.body;
  EXPECT_EQ(closed.json().at("status").as_string(), "closed");
  EXPECT_EQ(w_->as("xihu_insp").post("/api/v1/incidents/" + id + "/dispatches", json::object{{"resource_id", near}}).status, 409u);
  EXPECT_EQ(w_->as("xihu_insp").post("/api/v1/incidents/" + id + "/close", json::object{}).status, 409u);
}

TEST_P(IncidentApi, ADrillIsMarkedAndBadOpeningsNameTheirField) {
  auto open = [&](json::object b) { return w_->as("xihu_insp").post("/api/v1/incidents", b); };
  auto drill = open({{"title", "三墩镇危化品泄漏应急演练"}, {"region_code", "330106"}, {"lon", 120.05}, {"lat", 30.30}, {"drill", true}});
  ASSERT_EQ(drill.status, 201u) << drill.body;
  EXPECT_TRUE(drill.json().at("drill").as_bool());
  EXPECT_EQ(drill.json().at("source").as_string(), "manual");
  bool listed = false;
  for (const auto& i : w_->as("xihu_insp").get("/api/v1/incidents?drill=true&status=open").items()) listed |= i.at("id") == drill.json().at("id");
  EXPECT_TRUE(listed);
  for (const auto& i : w_->as("xihu_insp").get("/api/v1/incidents?drill=false").items()) EXPECT_FALSE(i.at("drill").as_bool());
  EXPECT_EQ(open({{"region_code", "330106"}, {"lon", 120.05}, {"lat", 30.3}}).error_field(), "title");
  EXPECT_EQ(open({{"title", "x"}, {"region_code", "330106"}, {"lon", 120.05}}).error_field(), "lat");
  EXPECT_EQ(open({{"title", "x"}, {"region_code", "330106"}, {"lon", 200}, {"lat", 30}}).error_field(), "lon");
  EXPECT_EQ(open({{"title", "x"}, {"region_code", "999999"}, {"lon", 120}, {"lat", 30}}).error_field(), "region_code");
  EXPECT_EQ(open({{"title", "x"}, {"region_code", "330108"}, {"lon", 120}, {"lat", 30}}).status, 404u) << "滨江 is not 西湖's";
  EXPECT_EQ(open({{"title", "x"}, {"region_code", "330106"}}).error_field(), "lon") << "no place, no map";
  EXPECT_EQ(open({{"title", "x"}, {"region_code", "330106"}, {"lon", 120}, {"lat", 30}, {"drill", "yes"}}).error_field(), "drill");
  EXPECT_EQ(open({{"title", "x"}, {"region_code", "330106"}, {"lon", 120}, {"lat", 30}, {"commander", "me"}}).error_code(), "unknown_field");
  EXPECT_EQ(open({{"accident_id", "nope"}}).status, 404u);
  EXPECT_EQ(w_->as("xihu_insp").get("/api/v1/incidents?drill=maybe").error_field(), "drill");
}

TEST_P(IncidentApi, PlansFitTheAccidentAndTheirReviewIsDue) {
  const std::string uscc = enterprise_at(120.1, 30.2);
  auto post = [&](const std::string& user, json::object b) { return w_->as(user).post("/api/v1/emergency/plans", b); };
  auto own = post("zj_admin", {{"owner", "enterprise"}, {"enterprise_uscc", uscc}, {"name", "液氯泄漏中毒专项应急预案"}, {"level", "special"},
                               {"scenarios", json::array{"中毒和窒息", "其他爆炸"}}, {"issued_on", "2022-03-01"}});
  ASSERT_EQ(own.status, 201u) << own.body;
  EXPECT_EQ(own.json().at("review_due").as_string(), "2025-03-01");
  EXPECT_TRUE(own.json().at("review_overdue").as_bool()) << "issued 2022, not reviewed since";
  EXPECT_EQ(own.json().at("filing_state").as_string(), "pending");
  EXPECT_EQ(own.json().at("scenarios").at(1).at("code").as_string(), "18") << "其他爆炸 by its GB 6441 code";
  auto fire = post("zj_admin", {{"owner", "enterprise"}, {"enterprise_uscc", uscc}, {"name", "火灾现场处置方案"}, {"level", "onsite"},
                                {"scenarios", json::array{"火灾"}}, {"issued_on", "2025-06-01"}});
  ASSERT_EQ(fire.status, 201u) << fire.body;
  auto county = post("xihu_insp", {{"owner", "government"}, {"region_code", "330106"}, {"name", "西湖区危险化学品事故应急预案"}, {"level", "special"},
                                   {"scenarios", json::array{"中毒和窒息"}}, {"issued_on", "2024-01-10"}, {"reviewed_on", "2025-01-10"}});
  ASSERT_EQ(county.status, 201u) << county.body;
  EXPECT_EQ(county.json().at("owner_name").as_string(), "西湖区人民政府");
  EXPECT_EQ(county.json().at("review_due").as_string(), "2028-01-10") << "three years from the last review";
  // A leap day's plan is due the 28th of February three years on.
  auto leap = post("hz_insp", {{"owner", "government"}, {"region_code", "330100"}, {"name", "杭州市生产安全事故总体应急预案"}, {"level", "overall"},
                               {"scenarios", json::array{"其他"}}, {"issued_on", "2024-02-29"}});
  ASSERT_EQ(leap.status, 201u) << leap.body;
  EXPECT_EQ(leap.json().at("review_due").as_string(), "2027-02-28");

  auto acc = accident(uscc, 120.1, 30.2);
  auto s = w_->as("xihu_insp").get("/api/v1/emergency/plans/suggested?accident_id=" + acc);
  ASSERT_EQ(s.status, 200u) << s.body;
  std::vector<std::string> names;
  for (const auto& p : s.items()) names.emplace_back(p.at("name").as_string());
  // (Other tests add plans of 杭州 and 西湖 too: the order is what counts.)
  auto at = [&](const std::string& n) { return std::find(names.begin(), names.end(), n) - names.begin(); };
  ASSERT_GE(names.size(), 3u);
  EXPECT_EQ(names[0], "液氯泄漏中毒专项应急预案") << "the enterprise's own for the kind first";
  EXPECT_LT(at("西湖区危险化学品事故应急预案"), at("杭州市生产安全事故总体应急预案")) << "then the county's for the kind, then the city's overall plan";
  EXPECT_LT(at("杭州市生产安全事故总体应急预案"), static_cast<long>(names.size()));
  EXPECT_EQ(std::find(names.begin(), names.end(), "火灾现场处置方案"), names.end()) << "a fire plan does not fit a poisoning";

  // 备案 by the regulator; an enterprise cannot file, and sees no government plan.
  const std::string pid(own.json().at("id").as_string());
  EXPECT_EQ(w_->as("ent_mgr").post("/api/v1/emergency/plans/" + pid + "/filing", json::object{{"filing_number", "X"}}).status, 403u);
  auto filed = w_->as("xihu_insp").post("/api/v1/emergency/plans/" + pid + "/filing", json::object{{"filing_number", "西应急预备〔2026〕12号"}});
  ASSERT_EQ(filed.status, 200u) << filed.body;
  EXPECT_EQ(filed.json().at("filing_state").as_string(), "filed");
  EXPECT_EQ(w_->as("xihu_insp").post("/api/v1/emergency/plans/" + pid + "/filing", json::object{{"filing_number", "again"}}).status, 409u);
  EXPECT_EQ(w_->as("ent_mgr").get("/api/v1/emergency/plans/" + std::string(county.json().at("id").as_string())).status, 404u);
  EXPECT_EQ(w_->as("binjiang_insp").get("/api/v1/emergency/plans/" + std::string(county.json().at("id").as_string())).status, 404u);
  // The city's plan governs 西湖 too: read there, changed only by the city.
  const std::string city_plan(leap.json().at("id").as_string());
  EXPECT_EQ(w_->as("xihu_insp").get("/api/v1/emergency/plans/" + city_plan).status, 200u);
  EXPECT_EQ(w_->as("xihu_insp").request("PUT", "/api/v1/emergency/plans/" + city_plan, json_text(json::object{{"name", "改"}}),
                                        {{"Content-Type", "application/json"}, {"If-Match", "\"1\""}}).status, 404u);
  bool overdue_listed = false;
  for (const auto& p : w_->as("xihu_insp").get("/api/v1/emergency/plans?review_overdue=true").items()) {
    EXPECT_TRUE(p.at("review_overdue").as_bool());
    overdue_listed |= p.at("id").as_string() == pid;
  }
  EXPECT_TRUE(overdue_listed);
  // Reviewed now: no longer overdue (If-Match).
  auto reviewed = w_->as("xihu_insp").request("PUT", "/api/v1/emergency/plans/" + pid,
                                              json_text(json::object{{"reviewed_on", format_date(today_shanghai(now_ms()))}}),
                                              {{"Content-Type", "application/json"}, {"If-Match", "\"2\""}});
  ASSERT_EQ(reviewed.status, 200u) << reviewed.body;
  EXPECT_FALSE(reviewed.json().at("review_overdue").as_bool());

  // Bad plans name their field.
  auto bad = [&](json::object b) { return post("xihu_insp", b).error_field(); };
  json::object base{{"owner", "government"}, {"region_code", "330106"}, {"name", "x"}, {"level", "special"}, {"scenarios", json::array{"火灾"}},
                    {"issued_on", "2024-01-01"}};
  auto with = [&](const char* k, json::value v) { json::object b = base; b[k] = std::move(v); return b; };
  EXPECT_EQ(bad(with("scenarios", json::array{"地震"})), "scenarios");
  EXPECT_EQ(bad(with("level", "onsite")), "level") << "现场处置方案 is an enterprise's";
  EXPECT_EQ(bad(with("issued_on", "2099-01-01")), "issued_on");
  EXPECT_EQ(bad(with("issued_on", "2024-02-30")), "issued_on");
  EXPECT_EQ(bad(with("reviewed_on", "2023-01-01")), "reviewed_on") << "before the issue";
  EXPECT_EQ(bad(with("owner", "army")), "owner");
  EXPECT_EQ(post("xihu_insp", with("region_code", "330108")).status, 404u);
  EXPECT_EQ(post("ent_mgr", base).status, 403u);
}

TEST_P(IncidentApi, AccidentStatisticsCompareWithLastYearAndThePreviousPeriod) {
  // Accidents of 2025-03 and 2025-02 and 2024-03 in 上城 (330102), none elsewhere by these tests.
  const std::string uscc = uscc_for("330102", next_serial());
  ASSERT_EQ(w_->as("zj_admin").post("/api/v1/enterprises", json::object{{"uscc", uscc}, {"name", "上城统计测试有限公司"}, {"region_code", "330102"},
                                                                        {"industry", "hazchem_use"}, {"address", "杭州市上城区1号"}}).status, 201u);
  auto report = [&](const std::string& when, int deaths) {
    auto r = w_->as("zj_admin").post("/api/v1/accidents", json::object{
        {"enterprise_uscc", uscc}, {"region_code", "330102"}, {"occurred_at", when}, {"industry", "hazchem_use"}, {"kind", "火灾"},
        {"deaths", deaths}, {"missing", 0}, {"serious_injuries", 0}, {"minor_injuries", 1}, {"direct_loss_yuan", 500'000},
        {"description", "仓库火灾。"}, {"measures", "已扑灭。"}, {"reporter", {{"name", "赵"}, {"phone", "13800000000"}}}});
    EXPECT_EQ(r.status, 201u) << r.body;
  };
  report("2025-03-05T10:00:00+08:00", 1);
  report("2025-03-31T23:59:00+08:00", 2);  // the last minute of March in Beijing
  report("2025-02-10T10:00:00+08:00", 1);
  report("2024-03-10T10:00:00+08:00", 0);
  auto s = w_->as("hz_insp").get("/api/v1/accidents/stats?region_code=330100&period=2025-03&by=region");
  ASSERT_EQ(s.status, 200u) << s.body;
  const json::value sj = s.json();
  const auto& j = sj.as_object();
  EXPECT_EQ(j.at("period").at("label").as_string(), "2025年3月");
  EXPECT_EQ(j.at("previous").at("label").as_string(), "2025年2月");
  EXPECT_EQ(j.at("year_before").at("label").as_string(), "2024年3月");
  const json::object* shangcheng = nullptr;
  for (const auto& r : j.at("rows").as_array())
    if (r.at("key").as_string() == "330102") shangcheng = &r.as_object();
  ASSERT_NE(shangcheng, nullptr) << "every county is a row";
  EXPECT_GE(shangcheng->at("accidents").to_number<std::int64_t>(), 2);
  EXPECT_EQ(shangcheng->at("name").as_string(), "上城区");
  EXPECT_GE(shangcheng->at("previous").at("accidents").to_number<std::int64_t>(), 1);
  EXPECT_GE(shangcheng->at("year_before").at("accidents").to_number<std::int64_t>(), 1);
  EXPECT_FALSE(shangcheng->at("enterprises").is_null());
  // This test's own figures, by kind within 上城 and the industry.
  auto k = w_->as("hz_insp").get("/api/v1/accidents/stats?region_code=330102&period=2025-03&by=kind&kind=火灾");
  ASSERT_EQ(k.status, 200u) << k.body;
  const json::value kj = k.json();
  const auto& t = kj.at("total");
  EXPECT_GE(t.at("deaths").to_number<std::int64_t>(), 3);
  EXPECT_EQ(k.json().at("rows").at(0).at("name").as_string(), "火灾") << "most accidents first";
  // A quarter's previous is the quarter before.
  auto q = w_->as("hz_insp").get("/api/v1/accidents/stats?region_code=330102&period=2025Q1&by=month");
  ASSERT_EQ(q.status, 200u);
  EXPECT_EQ(q.json().at("previous").at("label").as_string(), "2024年第4季度");
  EXPECT_EQ(q.json().at("rows").as_array().size(), 3u) << "one row per month of the quarter";
  // XLSX: a workbook.
  auto x = w_->as("hz_insp").get("/api/v1/accidents/stats.xlsx?region_code=330100&period=2025-03");
  ASSERT_EQ(x.status, 200u) << x.body;
  EXPECT_EQ(x.body.substr(0, 2), "PK");
  // Scope and bad queries.
  EXPECT_EQ(w_->as("binjiang_insp").get("/api/v1/accidents/stats?region_code=330102&period=2025").status, 404u);
  const json::value bj = w_->as("binjiang_insp").get("/api/v1/accidents/stats?period=2025-03").json();
  for (const auto& r : bj.at("rows").as_array())
    EXPECT_NE(r.at("key").as_string(), "330102");
  EXPECT_EQ(w_->as("hz_insp").get("/api/v1/accidents/stats?period=2025-13").error_field(), "period");
  EXPECT_EQ(w_->as("hz_insp").get("/api/v1/accidents/stats?by=colour").error_field(), "by");
  EXPECT_EQ(w_->as("hz_insp").get("/api/v1/accidents/stats?kind=地震").error_field(), "kind");
  EXPECT_EQ(w_->as("hz_insp").get("/api/v1/accidents/stats?industry=magic").error_field(), "industry");
  EXPECT_EQ(w_->as("hz_insp").get("/api/v1/accidents/stats.xlsx?region_code=330108&period=2025").status, 200u);
  EXPECT_EQ(w_->as("xihu_insp").get("/api/v1/accidents/stats.xlsx?region_code=330108&period=2025").status, 404u);
}

INSTANTIATE_TEST_SUITE_P(Backends, IncidentApi, ::testing::Values("sqlite", "postgres"));
