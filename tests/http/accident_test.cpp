// Accident reports (issue 16 §1) on both backends: the contract's calculator, a 快报 sent up the
// chain its grade requires with every hop's deadline, taken and forwarded by the duty rooms (or
// past a level), 迟报 kept and flagged, 续报 and 补报 that re-grade and extend the chain, the 补报
// window at its edges, the enterprise's risk, and nobody outside the place's scope seeing any of it.
#include <gtest/gtest.h>

#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;

class AccidentApi : public ApiTest {
 protected:
  std::string fresh_enterprise() {
    const std::string uscc = uscc_for("330106", next_serial());
    auto r = w_->as("zj_admin").post("/api/v1/enterprises", json::object{{"uscc", uscc}, {"name", "西湖事故测试化工有限公司"}, {"region_code", "330106"},
                                                                         {"industry", "hazchem_use"}, {"address", "杭州市西湖区三墩镇8号"}});
    EXPECT_EQ(r.status, 201u) << r.body;
    return uscc;
  }
  json::object quick(const std::string& uscc, Millis occurred, json::object extra = {}) {
    json::object b{{"enterprise_uscc", uscc}, {"region_code", "330106"}, {"occurred_at", format_iso(occurred)}, {"industry", "hazchem_use"},
                   {"kind", "中毒和窒息"}, {"deaths", 1}, {"missing", 0}, {"serious_injuries", 2}, {"minor_injuries", 1},
                   {"direct_loss_yuan", 1'200'000}, {"description", "储罐清洗作业时一名作业人员中毒。"}, {"measures", "已停止作业，伤者送医。"},
                   {"reporter", {{"name", "王强"}, {"phone", "13800001234"}}}};
    for (auto& kv : extra) b[kv.key()] = kv.value();
    return b;
  }
  static const json::object& hop(const json::value& a, const std::string& level) {
    for (const auto& h : a.at("hops").as_array())
      if (h.at("level").as_string() == level) return h.as_object();
    static const json::object none;
    ADD_FAILURE() << "no " << level << " hop";
    return none;
  }
  static bool listed(const http::HttpResult& r, const json::value& id) {
    for (const auto& x : r.items())
      if (x.at("id") == id) return true;
    return false;
  }
};

TEST_P(AccidentApi, TheGradeCalculatorKeepsTheContract) {
  auto g = [&](json::object b) { return w_->as("xihu_insp").post("/api/v1/accidents/grade", b); };
  auto r = g({{"deaths", 2}, {"missing", 1}, {"serious_injuries", 0}, {"direct_loss_yuan", 0}});
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json().at("grade").as_string(), "larger");
  EXPECT_EQ(r.json().at("criterion").as_string(), "deaths");
  EXPECT_TRUE(r.json().at("provisional").as_bool());
  EXPECT_FALSE(r.json().at("larger_endangerment").as_bool());
  auto e = g({{"deaths", 0}, {"missing", 0}, {"serious_injuries", 0}, {"direct_loss_yuan", 0}, {"evacuated", 500}});
  EXPECT_EQ(e.json().at("grade").as_string(), "general");
  EXPECT_TRUE(e.json().at("larger_endangerment").as_bool());
  EXPECT_EQ(g({{"deaths", 0}, {"missing", 0}, {"serious_injuries", 0}, {"direct_loss_yuan", 100'000'000}}).json().at("grade").as_string(), "extraordinary");
  // Bad input names its field.
  EXPECT_EQ(g({{"deaths", -1}, {"missing", 0}, {"serious_injuries", 0}, {"direct_loss_yuan", 0}}).error_field(), "deaths");
  EXPECT_EQ(g({{"deaths", 0}, {"missing", 0}, {"serious_injuries", 0}, {"direct_loss_yuan", 1234.5}}).error_field(), "direct_loss_yuan")
      << "元, whole";
  EXPECT_EQ(g({{"deaths", "三"}, {"missing", 0}, {"serious_injuries", 0}, {"direct_loss_yuan", 0}}).error_field(), "deaths");
  EXPECT_EQ(g({{"missing", 0}, {"serious_injuries", 0}, {"direct_loss_yuan", 0}}).error_field(), "deaths");
  EXPECT_EQ(g({{"deaths", 0}, {"missing", 0}, {"serious_injuries", 0}, {"direct_loss_yuan", 0}, {"injured", 1}}).error_code(), "unknown_field");
  EXPECT_EQ(g({{"deaths", 1'000'000'000}, {"missing", 0}, {"serious_injuries", 0}, {"direct_loss_yuan", 0}}).error_field(), "deaths");
  EXPECT_EQ(w_->as("xihu_insp").request("POST", "/api/v1/accidents/grade", "[1,2").status, 400u);
  EXPECT_EQ(w_->anonymous().post("/api/v1/accidents/grade", json::object{}).status, 401u);
}

TEST_P(AccidentApi, ALargerAccidentTravelsUpTheChainWithItsDeadlines) {
  const std::string uscc = fresh_enterprise();
  const Millis occurred = now_ms() - 20 * 60'000;
  auto made = w_->as("xihu_insp").post("/api/v1/accidents", quick(uscc, occurred, {{"deaths", 3}}));
  ASSERT_EQ(made.status, 201u) << made.body;
  const json::value a = made.json();
  const json::value id = a.at("id");
  EXPECT_EQ(a.at("grade").as_string(), "larger");
  EXPECT_EQ(a.at("kind").as_string(), "中毒和窒息");
  EXPECT_EQ(a.at("party").at("name").as_string(), "西湖事故测试化工有限公司");
  EXPECT_FALSE(a.at("late_report").as_bool());
  ASSERT_EQ(a.at("hops").as_array().size(), 3u) << "较大: county, city, province";
  // The county's report is its own 上报: taken and sent on to the city at once; the province hears
  // of a 较大 accident directly (within the hour).
  const auto& county = hop(a, "county");
  EXPECT_EQ(county.at("due_at").as_string(), format_iso(occurred + 3'600'000)) << "1 hour from the accident";
  EXPECT_FALSE(county.at("acknowledged_at").is_null());
  EXPECT_FALSE(county.at("forwarded_at").is_null());
  EXPECT_FALSE(hop(a, "city").at("received_at").is_null());
  EXPECT_EQ(hop(a, "city").at("org_name").as_string(), "杭州市应急管理局");
  EXPECT_EQ(hop(a, "province").at("due_at").as_string(), format_iso(occurred + 3'600'000)) << "较大: the province within 1 hour";
  EXPECT_EQ(hop(a, "province").at("via").as_string(), "direct");
  EXPECT_FALSE(hop(a, "province").at("late").as_bool());
  EXPECT_EQ(a.at("ringing").as_array(), (json::array{json::value("330100"), json::value("330000")}));
  // The city's and the province's duty rooms have it waiting; the county is done with it.
  EXPECT_TRUE(listed(w_->as("hz_insp").get("/api/v1/accidents?pending=true"), id));
  EXPECT_TRUE(listed(w_->as("zj_admin").get("/api/v1/accidents?pending=true"), id));
  EXPECT_FALSE(listed(w_->as("xihu_duty").get("/api/v1/accidents?pending=true"), id));
  bool noticed = false;
  for (const auto& n : w_->as("hz_insp").get("/api/v1/notifications?page_size=50").items())
    noticed = noticed || (n.at("kind") == "accident.received" && std::string(n.at("link").as_string()).ends_with(std::string(id.as_string())));
  EXPECT_TRUE(noticed) << "the city's inbox has it";
  const std::string path = "/api/v1/accidents/" + std::string(id.as_string());
  // Only a level that has it may act on it; another county does not even see it.
  EXPECT_EQ(w_->as("xihu_duty").post(path + "/forward", json::object{}).status, 409u) << "sent on already";
  EXPECT_EQ(w_->as("nb_insp").post(path + "/acknowledge", json::object{}).status, 404u);
  EXPECT_EQ(w_->as("binjiang_insp").post(path + "/forward", json::object{}).status, 404u);
  EXPECT_EQ(w_->as("binjiang_insp").get(path).status, 404u);
  EXPECT_FALSE(listed(w_->as("binjiang_insp").get("/api/v1/accidents?page_size=200"), id));
  EXPECT_EQ(w_->as("ent_mgr").get(path).status, 404u) << "another enterprise's accident";
  // The city takes it (its ring stops, the province's goes on) and sends it on.
  auto taken = w_->as("hz_insp").post(path + "/acknowledge", json::object{});
  ASSERT_EQ(taken.status, 200u) << taken.body;
  EXPECT_FALSE(hop(taken.json(), "city").at("acknowledged_at").is_null());
  EXPECT_EQ(taken.json().at("ringing").as_array(), (json::array{json::value("330000")}));
  auto sent = w_->as("hz_insp").post(path + "/forward", json::object{{"note", "已核实"}});
  ASSERT_EQ(sent.status, 200u) << sent.body;
  EXPECT_EQ(hop(sent.json(), "province").at("via").as_string(), "direct") << "the province keeps its first receipt";
  EXPECT_EQ(w_->as("hz_insp").post(path + "/forward", json::object{}).status, 409u) << "sent once";
  ASSERT_EQ(w_->as("zj_admin").post(path + "/acknowledge", json::object{}).status, 200u);
  // The province sees every hop's time, none late.
  const json::value p = w_->as("zj_admin").get(path).json();
  for (const auto& h : p.at("hops").as_array()) {
    EXPECT_FALSE(h.at("received_at").is_null()) << h;
    EXPECT_FALSE(h.at("late").as_bool()) << h;
  }
  EXPECT_TRUE(p.at("ringing").as_array().empty());
  EXPECT_EQ(w_->as("zj_admin").post(path + "/forward", json::object{}).error_code(), "conflict") << "较大 stops at the province";
  std::vector<std::string> actions;
  for (const auto& e : p.at("timeline").as_array()) actions.emplace_back(e.at("action").as_string());
  EXPECT_EQ(actions, (std::vector<std::string>{"reported", "acknowledged", "forwarded", "acknowledged"}));
}

// An enterprise reports to its county; a county that passes over the city to the province and
// nation is on record; a report made hours late is kept and flagged.
TEST_P(AccidentApi, ALateReportIsKeptAndFlaggedAndLevelsMayBeSkipped) {
  const std::string uscc = fresh_enterprise();
  const std::string manager = "u_acc_mgr_" + std::to_string(next_serial());  // "u…": a user other tests tolerate in 西湖
  auto org = w_->as("nation_admin").post("/api/v1/orgs", json::object{{"name", "西湖事故测试化工有限公司"}, {"kind", "enterprise"}, {"uscc", uscc}});
  ASSERT_EQ(org.status, 201u) << org.body;
  ASSERT_EQ(w_->as("nation_admin").post("/api/v1/users", json::object{{"username", manager}, {"password", kPassword}, {"display_name", "安全科长"},
                                                              {"org_id", org.json().at("id")}, {"roles", json::array{"enterprise_manager"}},
                                                              {"must_change_password", false}}).status, 201u);
  json::object body = quick(uscc, now_ms() - 3 * 3'600'000, {{"deaths", 0}, {"serious_injuries", 50}});
  body.erase("region_code");  // the enterprise's county
  auto made = w_->as(manager).post("/api/v1/accidents", body);
  ASSERT_EQ(made.status, 201u) << made.body;
  const json::value a = made.json();
  EXPECT_EQ(a.at("grade").as_string(), "major");
  ASSERT_EQ(a.at("hops").as_array().size(), 4u) << "重大: up to the nation";
  EXPECT_TRUE(a.at("late_report").as_bool()) << "迟报 on record, not refused";
  EXPECT_TRUE(hop(a, "county").at("late").as_bool());
  EXPECT_TRUE(hop(a, "county").at("acknowledged_at").is_null()) << "the county's duty room must take it";
  EXPECT_TRUE(hop(a, "city").at("received_at").is_null());
  EXPECT_FALSE(hop(a, "city").at("late").as_bool()) << "its 2 hours count from the county's receipt";
  EXPECT_TRUE(hop(a, "province").at("late").as_bool()) << "the direct line, hours late";
  EXPECT_TRUE(listed(w_->as("xihu_duty").get("/api/v1/accidents?pending=true"), a.at("id")));
  const std::string path = "/api/v1/accidents/" + std::string(a.at("id").as_string());
  EXPECT_EQ(w_->as(manager).post(path + "/forward", json::object{}).status, 403u) << "an enterprise reports, the regulators send on";
  // The county goes straight to the nation: the city is recorded as skipped, not late; the
  // province keeps its direct receipt.
  EXPECT_EQ(w_->as("xihu_duty").post(path + "/forward", json::object{{"to_level", "county"}}).error_field(), "to_level");
  ASSERT_EQ(w_->as("xihu_duty").post(path + "/acknowledge", json::object{}).status, 200u);
  auto skip = w_->as("xihu_duty").post(path + "/forward", json::object{{"to_level", "nation"}});
  ASSERT_EQ(skip.status, 200u) << skip.body;
  const json::value s = skip.json();
  EXPECT_TRUE(hop(s, "city").at("skipped").as_bool());
  EXPECT_FALSE(hop(s, "city").at("late").as_bool());
  EXPECT_EQ(hop(s, "province").at("via").as_string(), "direct");
  EXPECT_FALSE(hop(s, "nation").at("received_at").is_null());
  EXPECT_TRUE(listed(w_->as("nation_admin").get("/api/v1/accidents?pending=true"), a.at("id"))) << "the national duty room has it";
  // Late hops are counted per org: 西湖 took this one late; 滨江 sees no 西湖 row.
  auto tally = [&](const std::string& user, const std::string& region) {
    for (const auto& t : w_->as(user).get("/api/v1/accidents/late-hops").items())
      if (t.at("region_code").as_string() == region) return std::pair{t.at("hops").as_int64(), t.at("late").as_int64()};
    return std::pair<std::int64_t, std::int64_t>{0, 0};
  };
  const auto xihu = tally("zj_admin", "330106");
  EXPECT_GE(xihu.second, 1);
  EXPECT_GE(xihu.first, xihu.second);
  EXPECT_EQ(tally("binjiang_insp", "330106").first, 0) << "another county's hops are not 滨江's to count";
  EXPECT_EQ(w_->as("zj_admin").get("/api/v1/accidents/late-hops?from=yesterday").error_field(), "from");
  // The enterprise follows its own report; it is not told of others'.
  EXPECT_EQ(w_->as(manager).get(path).status, 200u);
  EXPECT_EQ(w_->as(manager).post(path + "/updates", json::object{{"kind", "follow_up"}, {"note", "伤员均已送医。"}}).status, 201u);
}

TEST_P(AccidentApi, UpdatesRegradeAndExtendTheChain) {
  const std::string uscc = fresh_enterprise();
  auto a = w_->as("xihu_insp").post("/api/v1/accidents", quick(uscc, now_ms() - 30 * 60'000)).json();
  EXPECT_EQ(a.at("grade").as_string(), "general");
  ASSERT_EQ(a.at("hops").as_array().size(), 2u) << "一般: county and city";
  const std::string path = "/api/v1/accidents/" + std::string(a.at("id").as_string());
  auto follow = w_->as("xihu_insp").post(path + "/updates", json::object{{"kind", "follow_up"}, {"note", "伤者情况稳定，现场已清理。"}});
  ASSERT_EQ(follow.status, 201u) << follow.body;
  EXPECT_EQ(follow.json().at("grade").as_string(), "general");
  EXPECT_FALSE(hop(a, "city").at("received_at").is_null());
  // Two of the injured die and more are found: 较大, and the province joins the chain (directly).
  auto worse = w_->as("xihu_insp").post(path + "/updates", json::object{{"kind", "supplement"}, {"deaths", 3}, {"serious_injuries", 12}, {"note", "两名重伤人员经抢救无效死亡。"}});
  ASSERT_EQ(worse.status, 201u) << worse.body;
  const json::value w = worse.json();
  EXPECT_EQ(w.at("grade").as_string(), "larger");
  ASSERT_EQ(w.at("hops").as_array().size(), 3u);
  EXPECT_EQ(hop(w, "province").at("via").as_string(), "direct");
  EXPECT_FALSE(hop(w, "province").at("late").as_bool()) << "due from the update, not from the accident";
  std::vector<std::string> actions;
  for (const auto& e : w.at("timeline").as_array()) actions.emplace_back(e.at("action").as_string());
  EXPECT_EQ(actions, (std::vector<std::string>{"reported", "follow_up", "supplement", "regraded"}));
  // Bad updates.
  EXPECT_EQ(w_->as("xihu_insp").post(path + "/updates", json::object{{"kind", "supplement"}, {"note", "无变化"}}).error_field(), "deaths");
  EXPECT_EQ(w_->as("xihu_insp").post(path + "/updates", json::object{{"kind", "rumour"}, {"note", "x"}}).error_field(), "kind");
  EXPECT_EQ(w_->as("xihu_insp").post(path + "/updates", json::object{{"kind", "follow_up"}}).error_field(), "note");
  EXPECT_EQ(w_->as("binjiang_insp").post(path + "/updates", json::object{{"kind", "follow_up"}, {"note", "x"}}).status, 404u);
  // The enterprise's risk counts it: a death within the year makes it 红.
  ASSERT_TRUE(w_->app->enterprise_risk().recompute_marked(now_ms()).ok());
  const json::value risk = w_->as("xihu_insp").get("/api/v1/enterprises/" + uscc + "/risk").json();
  EXPECT_EQ(risk.at("level").as_string(), "major") << json_text(risk);
  bool counted = false;
  for (const auto& b : risk.at("breakdown").as_array()) counted = counted || b.at("factor") == "accidents_3y";
  EXPECT_TRUE(counted) << json_text(risk);
}

TEST_P(AccidentApi, TheSupplementWindowAtItsEdges) {
  const std::string uscc = fresh_enterprise();
  auto at = [&](int days_ago, const char* kind) {
    auto r = w_->as("xihu_insp").post("/api/v1/accidents", quick(uscc, now_ms() - days_ago * 86'400'000LL, {{"kind", kind}}));
    EXPECT_EQ(r.status, 201u) << r.body;
    return "/api/v1/accidents/" + std::string(r.json().at("id").as_string()) + "/updates";
  };
  const json::object more{{"kind", "supplement"}, {"serious_injuries", 3}, {"note", "又一名伤者转为重伤。"}};
  EXPECT_EQ(w_->as("xihu_insp").post(at(30, "坍塌"), more).status, 201u) << "day 30";
  auto late = w_->as("xihu_insp").post(at(31, "坍塌"), more);
  EXPECT_EQ(late.status, 409u);
  EXPECT_EQ(late.error_code(), "supplement_window_closed");
  EXPECT_NE(late.body.find("30 日"), std::string::npos) << late.body;
  EXPECT_EQ(w_->as("xihu_insp").post(at(7, "火灾"), more).status, 201u) << "fire: day 7";
  EXPECT_EQ(w_->as("xihu_insp").post(at(8, "火灾"), more).error_code(), "supplement_window_closed") << "fire: day 8";
  // A 续报 without numbers is always welcome.
  EXPECT_EQ(w_->as("xihu_insp").post(at(40, "坍塌"), json::object{{"kind", "follow_up"}, {"note", "调查组已成立。"}}).status, 201u);
}

TEST_P(AccidentApi, BadReportsAreRefusedWholeAndNameTheirField) {
  const std::string uscc = fresh_enterprise();
  auto post = [&](json::object extra, const std::string& user = "xihu_insp") {
    return w_->as(user).post("/api/v1/accidents", quick(uscc, now_ms() - 60'000, std::move(extra)));
  };
  const auto before = w_->as("zj_admin").get("/api/v1/accidents?page_size=1").json().at("total").as_int64();
  EXPECT_EQ(post({{"occurred_at", format_iso(now_ms() + 3'600'000)}}).error_field(), "occurred_at") << "in the future";
  EXPECT_EQ(post({{"occurred_at", "昨天"}}).error_field(), "occurred_at");
  EXPECT_EQ(post({{"kind", "地震"}}).error_field(), "kind");
  EXPECT_EQ(post({{"industry", "spaceflight"}}).error_field(), "industry");
  EXPECT_EQ(post({{"deaths", -1}}).error_field(), "deaths");
  EXPECT_EQ(post({{"direct_loss_yuan", 12.5}}).error_field(), "direct_loss_yuan");
  EXPECT_EQ(post({{"region_code", "330100"}}).error_field(), "region_code") << "a place is a county";
  EXPECT_EQ(post({{"description", ""}}).error_field(), "description");
  EXPECT_EQ(post({{"reporter", {{"name", "王强"}}}}).error_field(), "reporter.phone");
  EXPECT_EQ(post({{"grade", "general"}}).error_code(), "unknown_field") << "the grade is the rule's, not the caller's";
  EXPECT_EQ(post({{"description", std::string(6000, 'x')}}).error_field(), "description");
  EXPECT_EQ(post({}, "binjiang_insp").status, 404u) << "西湖's enterprise is not 滨江's";
  // An unregistered party needs its name.
  json::object party = quick("", now_ms(), {});
  party.erase("enterprise_uscc");
  EXPECT_EQ(w_->as("xihu_insp").post("/api/v1/accidents", party).error_field(), "party");
  party["party"] = json::object{{"name", "某施工队"}, {"address", "西湖区留下街道工地"}};
  auto unregistered = w_->as("xihu_insp").post("/api/v1/accidents", party);
  ASSERT_EQ(unregistered.status, 201u) << unregistered.body;
  EXPECT_TRUE(unregistered.json().at("enterprise_uscc").is_null());
  EXPECT_EQ(w_->as("zj_admin").get("/api/v1/accidents?page_size=1").json().at("total").as_int64(), before + 1) << "nothing partial kept";
  // A report made above is seen by the county of its place, not by another county.
  party["reporter"] = json::object{{"name", "省值班室"}, {"phone", "0571-87000000"}};
  auto above = w_->as("zj_admin").post("/api/v1/accidents", party);
  ASSERT_EQ(above.status, 201u) << above.body;
  ASSERT_EQ(above.json().at("hops").as_array().size(), 1u) << "reported at the province: its own hop only (一般)";
  EXPECT_TRUE(above.json().at("ringing").as_array().empty()) << "the reporter has it in hand";
  EXPECT_EQ(w_->as("xihu_insp").get("/api/v1/accidents/" + std::string(above.json().at("id").as_string())).status, 200u);
  EXPECT_EQ(w_->as("binjiang_insp").get("/api/v1/accidents/" + std::string(above.json().at("id").as_string())).status, 404u);
}

// The investigation: led by the level the grade names, its report due 60 days after the accident
// (once extended), then the 批复 within 15 days, then 结案 — in that order only.
TEST_P(AccidentApi, AnInvestigationFollowsItsOrderAndDeadlines) {
  const std::string uscc = fresh_enterprise();
  const Millis occurred = now_ms() - 70 * 86'400'000LL;
  auto a = w_->as("xihu_insp").post("/api/v1/accidents", quick(uscc, occurred, {{"deaths", 3}})).json();
  ASSERT_EQ(a.at("grade").as_string(), "larger");
  const std::string path = "/api/v1/accidents/" + std::string(a.at("id").as_string()) + "/investigation";
  EXPECT_TRUE(w_->as("xihu_insp").get(path).json().at("investigation").is_null());
  const json::object team{{"team", json::array{json::object{{"name", "李组长"}, {"org", "杭州市应急管理局"}, {"role", "组长"}}}}};
  auto below = w_->as("xihu_insp").post(path + "/start", team);
  EXPECT_EQ(below.status, 403u) << "较大: the city leads, not the county";
  EXPECT_NE(below.body.find("市级"), std::string::npos) << below.body;
  EXPECT_EQ(w_->as("hz_insp").post(path + "/report", json::object{{"findings", "x"}, {"causes", "x"}, {"measures", "x"}}).error_code(), "invalid_transition");
  auto started = w_->as("hz_insp").post(path + "/start", team);
  ASSERT_EQ(started.status, 200u) << started.body;
  const json::value i = started.json().at("investigation");
  EXPECT_EQ(i.at("report_due").as_string(), format_date(today_shanghai(occurred) + 60));
  EXPECT_TRUE(i.at("report_overdue").as_bool()) << "70 days after the accident, no report";
  EXPECT_EQ(w_->as("hz_insp").post(path + "/extend", json::object{{"days", 61}, {"reason", "x"}}).error_field(), "days") << "at most 60";
  auto extended = w_->as("hz_insp").post(path + "/extend", json::object{{"days", 30}, {"reason", "需补充技术鉴定"}});
  ASSERT_EQ(extended.status, 200u) << extended.body;
  EXPECT_EQ(extended.json().at("investigation").at("report_due").as_string(), format_date(today_shanghai(occurred) + 90));
  EXPECT_FALSE(extended.json().at("investigation").at("report_overdue").as_bool());
  EXPECT_EQ(w_->as("hz_insp").post(path + "/extend", json::object{{"days", 10}, {"reason", "再延"}}).status, 409u) << "once";
  auto reported = w_->as("hz_insp").post(path + "/report", json::object{{"findings", "基坑支护不符合设计要求。"}, {"causes", "违章冒险作业。"},
                                                                       {"measures", "全面排查同类工程。"},
                                                                       {"responsible", json::array{json::object{{"name", "项目经理"}, {"handling", "移送司法机关"}}}}});
  ASSERT_EQ(reported.status, 200u) << reported.body;
  EXPECT_EQ(reported.json().at("investigation").at("reply_due").as_string(), format_date(today_shanghai(now_ms()) + 15)) << "批复 within 15 days";
  EXPECT_EQ(w_->as("hz_insp").post(path + "/extend_reply", json::object{{"days", 10}, {"reason", "x"}}).error_code(), "invalid_transition")
      << "only 特别重大 extends its 批复";
  EXPECT_EQ(w_->as("hz_insp").post(path + "/close", json::object{}).error_code(), "invalid_transition") << "not before the 批复";
  // The report's PDF, kept in the file store as the city government's file, attached.
  const std::string pdf = "%PDF-1.7\n% 调查报告 " + std::to_string(next_serial()) + "\n1 0 obj\n<<>>\nendobj\n";
  auto file = w_->as("hz_insp").request("POST", "/api/v1/files?region_code=330100&name=" + url_encode("调查报告.pdf"), pdf,
                                        {{"Content-Type", "application/pdf"}});
  ASSERT_EQ(file.status, 201u) << file.body;
  auto attached = w_->as("hz_insp").post(path + "/attach", json::object{{"file_id", file.json().at("id")}, {"kind", "report"}});
  ASSERT_EQ(attached.status, 200u) << attached.body;
  EXPECT_EQ(attached.json().at("investigation").at("documents").at(0).at("kind_label").as_string(), "事故调查报告");
  EXPECT_EQ(w_->as("hz_insp").post(path + "/attach", json::object{{"file_id", "nope"}, {"kind", "report"}}).error_field(), "file_id");
  EXPECT_EQ(w_->as("hz_insp").post(path + "/attach", json::object{{"file_id", file.json().at("id")}, {"kind", "poem"}}).error_field(), "kind");
  ASSERT_EQ(w_->as("zj_admin").post(path + "/reply", json::object{{"number", "杭政函〔2026〕88号"}}).status, 200u) << "a level above may act";
  auto closed = w_->as("hz_insp").post(path + "/close", json::object{});
  ASSERT_EQ(closed.status, 200u) << closed.body;
  EXPECT_FALSE(closed.json().at("investigation").at("closed_at").is_null());
  EXPECT_TRUE(closed.json().at("investigation").at("allowed").as_array().empty());
  EXPECT_EQ(w_->as("hz_insp").post(path + "/attach", json::object{{"file_id", file.json().at("id")}, {"kind", "other"}}).error_code(), "invalid_transition")
      << "nothing after 结案";
  EXPECT_EQ(w_->as("binjiang_insp").get(path).status, 404u);
  EXPECT_EQ(w_->as("hz_insp").post(path + "/dance", json::object{}).status, 404u);
}

INSTANTIATE_TEST_SUITE_P(Backends, AccidentApi, ::testing::Values("sqlite", "postgres"));
