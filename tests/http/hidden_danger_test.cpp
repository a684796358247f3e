// Hidden dangers on both backends (issue 14's contract): a 重大 one reported by the enterprise
// reaches the county's inbox, goes under the city's 挂牌督办, is planned, rectified with evidence,
// refused and written off by its supervising authority only; a 一般 one is verified by someone
// other than who rectified it; every refused step names what this user may do; bad input loses
// nothing; nobody outside the scope sees any of it.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;

namespace {
std::string in_days(int days) { return format_iso(now_ms() + days * 86'400'000LL); }
std::vector<std::string> allowed_of(const json::value& v) {
  std::vector<std::string> out;
  for (const auto& a : v.at("allowed").as_array()) out.emplace_back(a.as_string());
  return out;
}
}  // namespace

class HiddenDangerApi : public ApiTest {
 protected:
  HttpResult report(const std::string& user, json::object extra) {
    json::object body{{"enterprise_uscc", w_->uscc["E_XIHU"]}, {"description", "1号储罐区紧急切断阀未投用"}, {"grade", "general"},
                      {"found_by", "self_inspection"}, {"found_at", format_iso(now_ms() - 3'600'000)}};
    for (auto& kv : extra) body[kv.key()] = kv.value();
    return w_->as(user).post("/api/v1/hidden-dangers", body);
  }
  HttpResult act(const std::string& user, const std::string& id, const std::string& action, std::int64_t version, json::object body = {}) {
    return w_->as(user).request("POST", "/api/v1/hidden-dangers/" + id + "/actions/" + action, json_text(body),
                                {{"Content-Type", "application/json"}, {"If-Match", "\"" + std::to_string(version) + "\""}});
  }
  std::int64_t version_of(const std::string& id) {
    return w_->as("xihu_insp").get("/api/v1/hidden-dangers/" + id).json().at("version").as_int64();
  }
};

TEST_P(HiddenDangerApi, AMajorOneUnderTheCitysSupervisionIsWrittenOffByTheCityOnly) {
  auto made = report("ent_mgr", {{"grade", "major"}, {"standard_item", json::object{{"standard", "hazchem_2017"}, {"item", "5"}}},
                                 {"place", "1号储罐区"}});
  ASSERT_EQ(made.status, 201u) << made.body;
  const json::value h = made.json();
  const std::string id(h.at("id").as_string());
  EXPECT_EQ(h.at("state").as_string(), "reported");
  EXPECT_EQ(h.at("version").as_int64(), 1);
  EXPECT_EQ(allowed_of(h), (std::vector<std::string>{"plan"})) << "a 重大 one is not the enterprise's to withdraw";
  // The county regulator has it in the inbox at once; the city sees it; another county does not.
  bool notified = false;
  for (const auto& n : w_->as("xihu_insp").get("/api/v1/notifications?page_size=200").items())
    notified = notified || (n.at("kind").as_string() == "hidden_danger.major" && n.at("link").as_string().find(id) != std::string::npos);
  EXPECT_TRUE(notified);
  EXPECT_EQ(w_->as("hz_insp").get("/api/v1/hidden-dangers/" + id).status, 200u);
  EXPECT_EQ(w_->as("binjiang_insp").get("/api/v1/hidden-dangers/" + id).status, 404u);
  EXPECT_EQ(act("binjiang_insp", id, "supervise", 1).status, 404u);
  // 挂牌督办 by the city.
  const json::object supervision{{"authority_org_id", w_->org_id["hz"]}, {"number", "杭安督〔2026〕1号"}, {"deadline", in_days(30)},
                                 {"requirements", "30 日内完成整改并报送验收申请"}};
  auto sup = act("hz_insp", id, "supervise", 1, supervision);
  ASSERT_EQ(sup.status, 200u) << sup.body;
  EXPECT_TRUE(sup.json().at("supervised").as_bool());
  EXPECT_EQ(sup.json().at("supervision").at("authority_name").as_string(), "杭州市应急管理局");
  // Again: not allowed now, and the answer says what this user may do instead.
  auto twice = act("xihu_insp", id, "supervise", 2, supervision);
  EXPECT_EQ(twice.status, 409u);
  EXPECT_EQ(twice.error_code(), "invalid_transition");
  EXPECT_TRUE(twice.json().at("error").at("allowed").as_array().empty()) << twice.body;
  // Another province's authority is refused; a stale version is 412.
  EXPECT_EQ(act("ent_mgr", id, "plan", 1, {}).status, 412u);
  // The 治理方案 of a 重大 one asks for all of 第十五条.
  auto thin = act("ent_mgr", id, "plan", 2, {{"measures", "更换切断阀"}, {"responsible", "王工"}, {"deadline", in_days(20)}});
  EXPECT_EQ(thin.status, 400u);
  EXPECT_TRUE(thin.error_field() == "safety_measures" || thin.error_field() == "goals" || thin.error_field() == "organization") << thin.body;
  auto planned = act("ent_mgr", id, "plan", 2,
                     {{"measures", "更换紧急切断阀并接入SIS"}, {"responsible", "王工"}, {"deadline", in_days(20)}, {"funds_yuan", 180000},
                      {"goals", "恢复紧急切断功能"}, {"organization", "设备部，王工"}, {"safety_measures", "整改期间罐区限量储存，专人值守"},
                      {"production_suspended", "partial"}});
  ASSERT_EQ(planned.status, 200u) << planned.body;
  EXPECT_EQ(planned.json().at("state").as_string(), "planned");
  ASSERT_EQ(act("ent_mgr", id, "start", 3).status, 200u);
  // Rectified with a photo of the work.
  HttpClient m = w_->as("ent_mgr");
  auto photo = m.request("POST", "/api/v1/files?enterprise_uscc=" + w_->uscc["E_XIHU"] + "&name=" + url_encode("切断阀.jpg"),
                         "\xFF\xD8\xFF\xE0" + std::to_string(next_serial()) + std::string(40, 'z'), {{"Content-Type", "image/jpeg"}});
  ASSERT_EQ(photo.status, 201u) << photo.body;
  const std::string photo_id(photo.json().at("id").as_string());
  auto done = act("ent_mgr", id, "rectify", 4, {{"note", "已更换并测试"}, {"files", json::array{photo_id}}});
  ASSERT_EQ(done.status, 200u) << done.body;
  EXPECT_EQ(done.json().at("state").as_string(), "rectified");
  // The county may not write off what the city supervises; the city refuses once, with a reason.
  auto county = act("xihu_insp", id, "verify", 5, {{"accepted", true}});
  EXPECT_EQ(county.status, 409u);
  EXPECT_EQ(act("hz_insp", id, "verify", 5, {{"accepted", false}}).error_field(), "note");
  auto refused = act("hz_insp", id, "verify", 5, {{"accepted", false}, {"note", "缺少SIS联锁测试记录"}});
  ASSERT_EQ(refused.status, 200u) << refused.body;
  EXPECT_EQ(refused.json().at("state").as_string(), "rectifying");
  ASSERT_EQ(act("ent_mgr", id, "rectify", 6, {{"note", "补交联锁测试记录"}}).status, 200u);
  auto closed = act("hz_insp", id, "verify", 7, {{"accepted", true}, {"note", "现场核查合格，予以核销"}});
  ASSERT_EQ(closed.status, 200u) << closed.body;
  const json::value end = closed.json();
  EXPECT_EQ(end.at("state").as_string(), "closed");
  EXPECT_FALSE(end.at("closed_at").is_null());
  // Its timeline: every step with who, the note, the files.
  std::vector<std::string> steps;
  for (const auto& e : end.at("timeline").as_array()) steps.emplace_back(e.at("action").as_string());
  EXPECT_EQ(steps, (std::vector<std::string>{"report", "supervise", "plan", "start", "rectify", "verify", "rectify", "verify"}));
  EXPECT_EQ(end.at("timeline").as_array()[4].at("files").as_array()[0].at("id").as_string(), photo_id);
  EXPECT_EQ(end.at("timeline").as_array()[5].at("note").as_string(), "缺少SIS联锁测试记录");
  // The list finds it by its filters, in scope only.
  auto listed = w_->as("hz_insp").get("/api/v1/hidden-dangers?grade=major&supervised=true&state=closed&page_size=100");
  ASSERT_EQ(listed.status, 200u);
  bool found = false;
  for (const auto& x : listed.items()) found = found || x.at("id").as_string() == id;
  EXPECT_TRUE(found);
  for (const auto& x : w_->as("binjiang_insp").get("/api/v1/hidden-dangers?page_size=100").items())
    EXPECT_NE(x.at("id").as_string(), id);
  auto audit = w_->as("xihu_auditor").get("/api/v1/audit?action=hidden_danger&page_size=50");
  ASSERT_EQ(audit.status, 200u);
  std::set<std::string> names;
  for (const auto& a : audit.items()) names.insert(std::string(a.at("action_name").as_string()));
  EXPECT_TRUE(names.count("隐患挂牌督办")) << audit.body.substr(0, 400);
}

TEST_P(HiddenDangerApi, AGeneralOneIsVerifiedBySomeoneElseAndMayBeWithdrawnOrRegraded) {
  auto made = report("ent_mgr", {});
  ASSERT_EQ(made.status, 201u) << made.body;
  const std::string id(made.json().at("id").as_string());
  EXPECT_EQ(allowed_of(made.json()), (std::vector<std::string>{"plan", "withdraw"}));
  ASSERT_EQ(act("ent_mgr", id, "plan", 1, {{"measures", "调整阀门"}, {"responsible", "李工"}, {"deadline", in_days(3)}}).status, 200u);
  ASSERT_EQ(act("ent_mgr", id, "start", 2).status, 200u);
  ASSERT_EQ(act("ent_mgr", id, "rectify", 3, {{"note", "已调整"}}).status, 200u);
  // Who rectified it does not verify it.
  auto self = act("ent_mgr", id, "verify", 4, {{"accepted", true}});
  EXPECT_EQ(self.status, 409u);
  EXPECT_EQ(self.json().at("error").at("allowed").as_array().size(), 0u);
  auto verified = act("xihu_insp", id, "verify", 4, {{"accepted", true}});
  ASSERT_EQ(verified.status, 200u) << verified.body;
  EXPECT_EQ(verified.json().at("state").as_string(), "closed");
  EXPECT_EQ(act("xihu_insp", id, "regrade", 5, {{"grade", "major"}, {"reason", "x"}}).status, 409u) << "closed: nothing more";
  // Another one: withdrawn by the enterprise (its own 一般), another regraded by the county to 重大
  // (which reaches the county's inbox like a reported one).
  auto second = report("ent_mgr", {{"description", "误报：阀门标识不清"}});
  const std::string id2(second.json().at("id").as_string());
  EXPECT_EQ(act("ent_mgr", id2, "withdraw", 1, {}).error_field(), "reason");
  auto withdrawn = act("ent_mgr", id2, "withdraw", 1, {{"reason", "经复核不构成隐患"}});
  ASSERT_EQ(withdrawn.status, 200u);
  EXPECT_EQ(withdrawn.json().at("state").as_string(), "withdrawn");
  auto third = report("xihu_insp", {{"found_by", "inspection"}, {"description", "动火作业未审批"}});
  ASSERT_EQ(third.status, 201u) << third.body;
  const std::string id3(third.json().at("id").as_string());
  auto regraded = act("xihu_insp", id3, "regrade", 1, {{"grade", "major"}, {"reason", "属特殊作业管理制度未有效执行（第18项）"}});
  ASSERT_EQ(regraded.status, 200u) << regraded.body;
  EXPECT_EQ(regraded.json().at("grade").as_string(), "major");
  EXPECT_EQ(allowed_of(w_->as("ent_mgr").get("/api/v1/hidden-dangers/" + id3).json()), (std::vector<std::string>{"plan"}));
  // A duty officer reads, acts on nothing.
  EXPECT_TRUE(allowed_of(w_->as("xihu_duty").get("/api/v1/hidden-dangers/" + id3).json()).empty());
  EXPECT_EQ(act("xihu_duty", id3, "withdraw", 2, {{"reason", "x"}}).status, 409u);
}

TEST_P(HiddenDangerApi, BadInputIsNamedAndKeepsNothing) {
  auto count = [&] { return w_->as("xihu_insp").get("/api/v1/hidden-dangers?page_size=1").json().at("total").as_int64(); };
  const auto before = count();
  EXPECT_EQ(report("ent_mgr", {{"colour", "red"}}).error_code(), "unknown_field");
  EXPECT_EQ(report("ent_mgr", {{"grade", "huge"}}).error_field(), "grade");
  EXPECT_EQ(report("ent_mgr", {{"found_at", "yesterday"}}).error_field(), "found_at");
  EXPECT_EQ(report("ent_mgr", {{"found_at", in_days(2)}}).error_field(), "found_at");
  EXPECT_EQ(report("ent_mgr", {{"description", std::string(2001, 'x')}}).error_field(), "description");
  EXPECT_EQ(report("ent_mgr", {{"grade", "major"}}).error_field(), "standard_item") << "重大 without an item or a reason";
  EXPECT_EQ(report("ent_mgr", {{"standard_item", json::object{{"standard", "gb0000"}, {"item", "1"}}}}).error_field(), "standard_item.standard");
  EXPECT_EQ(report("ent_mgr", {{"found_by", "inspection"}}).error_field(), "found_by") << "an enterprise does not inspect itself";
  EXPECT_EQ(report("ent_mgr", {{"enterprise_uscc", w_->uscc["E_BINJIANG"]}}).status, 404u);
  EXPECT_EQ(report("ent_mgr", {{"risk_point_id", "nope"}}).error_field(), "risk_point_id");
  EXPECT_EQ(report("ent_mgr", {{"files", json::array{"no-such-file"}}}).error_field(), "files");
  EXPECT_EQ(w_->as("ent_mgr").request("POST", "/api/v1/hidden-dangers", "{broken", {{"Content-Type", "application/json"}}).error_code(),
            "invalid_json");
  EXPECT_EQ(count(), before) << "nothing kept";
  auto ok = report("ent_mgr", {});
  ASSERT_EQ(ok.status, 201u);
  const std::string id(ok.json().at("id").as_string());
  EXPECT_EQ(act("ent_mgr", id, "fly", 1).status, 404u);
  EXPECT_EQ(w_->as("ent_mgr").request("POST", "/api/v1/hidden-dangers/" + id + "/actions/plan", "{}").status, 428u) << "If-Match required";
  EXPECT_EQ(act("ent_mgr", id, "plan", 1, {{"measures", "x"}, {"responsible", "y"}, {"deadline", format_iso(now_ms() - 86'400'000)}})
                .error_field(), "deadline") << "a deadline before it was found";
  EXPECT_EQ(version_of(id), 1) << "a refused step changes nothing";
  EXPECT_EQ(w_->as("xihu_insp").get("/api/v1/hidden-dangers?state=lost").error_field(), "state");
  EXPECT_EQ(w_->as("xihu_insp").get("/api/v1/hidden-dangers?overdue=maybe").error_field(), "overdue");
}

TEST_P(HiddenDangerApi, OverdueRectificationsAreToldOnceToTheEnterpriseThenTheCounty) {
  auto made = report("ent_mgr", {{"description", "逾期测试：消防通道堵塞 " + std::to_string(next_serial())}});
  ASSERT_EQ(made.status, 201u);
  const std::string id(made.json().at("id").as_string());
  const Millis deadline = now_ms() + 2 * 86'400'000LL;
  ASSERT_EQ(act("ent_mgr", id, "plan", 1, {{"measures", "清理通道"}, {"responsible", "张三"}, {"deadline", format_iso(deadline)}}).status, 200u);
  auto& service = w_->app->hidden_dangers();
  const Millis week = 7 * 86'400'000LL;
  auto notices = [&](const std::string& user) {
    int n = 0;
    for (const auto& x : w_->as(user).get("/api/v1/notifications?page_size=500").items())
      n += x.at("kind").as_string() == "hidden_danger.overdue" && x.at("link").as_string().find(id) != std::string::npos;
    return n;
  };
  ASSERT_TRUE(service.flag_overdue(deadline - 1000, week).ok());
  EXPECT_EQ(notices("ent_mgr"), 0) << "not yet due";
  // A day late: the enterprise's own users are told, once; a 一般 one is not the county's yet.
  ASSERT_TRUE(service.flag_overdue(deadline + 86'400'000LL, week).ok());
  ASSERT_TRUE(service.flag_overdue(deadline + 2 * 86'400'000LL, week).ok());
  EXPECT_EQ(notices("ent_mgr"), 1);
  EXPECT_EQ(notices("xihu_insp"), 0);
  // Past the setting (7 days): the county regulator too, once; nobody outside.
  ASSERT_TRUE(service.flag_overdue(deadline + 8 * 86'400'000LL, week).ok());
  ASSERT_TRUE(service.flag_overdue(deadline + 9 * 86'400'000LL, week).ok());
  EXPECT_EQ(notices("xihu_insp"), 1);
  EXPECT_EQ(notices("ent_mgr"), 1);
  EXPECT_EQ(notices("binjiang_insp"), 0);
  // The list's overdue filter, on the real clock: a deadline one second away.
  auto soon = report("ent_mgr", {{"description", "逾期测试：灭火器过期 " + std::to_string(next_serial())}});
  const std::string id2(soon.json().at("id").as_string());
  ASSERT_EQ(act("ent_mgr", id2, "plan", 1, {{"measures", "更换"}, {"responsible", "张三"}, {"deadline", format_iso(now_ms() + 1000)}}).status, 200u);
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  bool listed = false;
  for (const auto& x : w_->as("xihu_insp").get("/api/v1/hidden-dangers?overdue=true&page_size=200").items()) {
    listed = listed || x.at("id").as_string() == id2;
    EXPECT_TRUE(x.at("overdue").as_bool());
  }
  EXPECT_TRUE(listed);
}

TEST_P(HiddenDangerApi, OpenOnesWeighOnTheEnterprisesRisk) {
  // A 重大 one not rectified makes the enterprise 红 (DOMAIN.md §4), with the reason said.
  ASSERT_EQ(report("ent_mgr", {{"grade", "major"}, {"major_reason", "风险测试"}}).status, 201u);
  ASSERT_TRUE(w_->app->enterprise_risk().recompute_all(now_ms(), "test").ok());
  auto risk = w_->as("xihu_insp").get("/api/v1/enterprises/" + w_->uscc["E_XIHU"] + "/risk");
  ASSERT_EQ(risk.status, 200u);
  EXPECT_EQ(risk.json().at("colour").as_string(), "red") << risk.body;
  EXPECT_EQ(risk.json().at("level").as_string(), "major");
  EXPECT_NE(risk.body.find("未整改的重大事故隐患"), std::string::npos) << risk.body;
}

TEST_P(HiddenDangerApi, AnUnrectifiedMajorOneMakesItsRiskPointAndTheHazardSourcesPointsRed) {
  const std::string tag = std::to_string(next_serial());
  const std::string uscc = w_->uscc["E_XIHU"];
  auto hs = w_->as("zj_admin").post("/api/v1/hazard-sources", json::object{{"enterprise_uscc", uscc}, {"code", "HS-" + tag}, {"name", "甲醇罐区"},
                                                                           {"kind", "tank_farm"}, {"grade", 4}});
  ASSERT_EQ(hs.status, 201u) << hs.body;
  const std::string source(hs.json().at("id").as_string());
  auto point = [&](const std::string& code, const json::value& source_id) {
    json::object body{{"enterprise_uscc", uscc}, {"code", code}, {"name", "风险点" + code}, {"kind", "equipment"},
                      {"hazards", json::array{json::object{{"factor", "泄漏"}, {"consequence", "火灾"}}}},
                      {"responsible_level", "workshop"}, {"assessment", {{"method", "lec"}, {"l", 1}, {"e", 6}, {"c", 7}}}};  // D = 42: 蓝
    if (!source_id.is_null()) body["hazard_source_id"] = source_id;
    auto r = w_->as("ent_mgr").post("/api/v1/risk-points", body);
    EXPECT_EQ(r.status, 201u) << r.body;
    return std::string(r.json().at("id").as_string());
  };
  const std::string alone = point("P" + tag, nullptr), in_source = point("S" + tag, json::value(source));
  auto level = [&](const std::string& id) { return w_->as("xihu_insp").get("/api/v1/risk-points/" + id).json(); };
  EXPECT_EQ(level(alone).at("level").as_string(), "low");
  // A 重大 one at the point: 红, and the reason says so.
  auto h = report("ent_mgr", {{"grade", "major"}, {"standard_item", json::object{{"standard", "hazchem_2017"}, {"item", "15"}}},
                              {"risk_point_id", alone}});
  ASSERT_EQ(h.status, 201u) << h.body;
  auto red = level(alone);
  EXPECT_EQ(red.at("level").as_string(), "major");
  EXPECT_NE(red.at("override").as_string().find("未整改的重大事故隐患（1 项）"), std::string::npos) << red;
  EXPECT_EQ(level(in_source).at("level").as_string(), "low");
  // A 重大 one at the hazard source: each of its points is 红.
  auto hh = report("ent_mgr", {{"grade", "major"}, {"standard_item", json::object{{"standard", "hazchem_2017"}, {"item", "5"}}},
                               {"hazard_source_id", source}});
  ASSERT_EQ(hh.status, 201u) << hh.body;
  EXPECT_EQ(level(in_source).at("level").as_string(), "major");
  // A 一般 one changes nothing; withdrawn or closed, the 重大 one no longer counts.
  ASSERT_EQ(report("ent_mgr", {{"risk_point_id", in_source}}).status, 201u);
  const std::string id(h.json().at("id").as_string());
  ASSERT_EQ(act("xihu_insp", id, "withdraw", h.json().at("version").as_int64(), {{"reason", "经复核为一般隐患，另行登记"}}).status, 200u);
  EXPECT_EQ(level(alone).at("level").as_string(), "low");
  EXPECT_TRUE(level(alone).at("override").is_null());
  EXPECT_EQ(level(in_source).at("level").as_string(), "major") << "the source's 重大 one is still open";
}

INSTANTIATE_TEST_SUITE_P(Backends, HiddenDangerApi, ::testing::Values("sqlite", "postgres"));
