// On-site inspections (issue 15 §3, §5) on both backends: a task staffed by two inspectors none
// of whom is recused, the record sent from the phone once or many times (kept once), failures
// that become hidden dangers, measures with their documents and their 复查, a penalty case through
// its procedure, 文号 that are gapless under concurrency and not burnt by a failed issue, and
// nobody outside the region seeing any of it.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "base/crypto.h"
#include "modules/enforcement/documents.h"
#include "modules/enforcement/draw_rules.h"
#include "modules/enforcement/target_lists.h"
#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;

class InspectionApi : public ApiTest {
 protected:
  // A fresh machinery enterprise of 西湖区 (no other test's conflicts or records touch it).
  std::string fresh_enterprise() {
    const std::string uscc = uscc_for("330106", next_serial());
    auto r = w_->as("zj_admin").post("/api/v1/enterprises", json::object{{"uscc", uscc}, {"name", "西湖执法测试机械有限公司"}, {"region_code", "330106"},
                                                                         {"industry", "machinery"}, {"address", "杭州市西湖区转塘街道1号"},
                                                                         {"legal_representative", "赵六"}});
    EXPECT_EQ(r.status, 201u) << r.body;
    return uscc;
  }
  std::string template_id() {
    for (const auto& t : w_->as("hz_insp").get("/api/v1/checklist-templates?industry=machinery").items())
      if (t.at("code").as_string() == "gongmao_general") return std::string(t.at("id").as_string());
    ADD_FAILURE() << "no 工贸 template";
    return "";
  }
  json::object task_body(const std::string& uscc, json::object extra = {}) {
    json::object b{{"enterprise_uscc", uscc}, {"source", "complaint"},
                   {"inspectors", json::array{json::value(user_id("hz_insp")), json::value(user_id("xihu_insp"))}},
                   {"due_date", format_date(today_shanghai(now_ms()) + 3)}, {"template_id", template_id()}};
    for (auto& kv : extra) b[kv.key()] = kv.value();
    return b;
  }
  std::string photo(const std::string& user, const std::string& uscc, const std::string& name) {
    auto r = w_->as(user).request("POST", "/api/v1/files?enterprise_uscc=" + uscc + "&name=" + url_encode(name),
                                  std::string("\x89PNG\r\n\x1a\n", 8) + std::to_string(next_serial()) + std::string(64, 'p'),
                                  {{"Content-Type", "image/png"}});
    EXPECT_EQ(r.status, 201u) << r.body;
    return std::string(r.json().at("id").as_string());
  }
  // Every item of the task's checklist answered: item 2 fails, the rest pass.
  json::object record(const json::value& task, const std::string& client_id, const std::string& uscc, json::object extra = {}) {
    auto bundle = w_->as("xihu_insp").get("/api/v1/inspection-tasks/" + std::string(task.at("id").as_string()) + "/bundle");
    EXPECT_EQ(bundle.status, 200u) << bundle.body;
    json::array results;
    const json::value b0 = bundle.json();
    const json::array none;
    for (const auto& item : b0.at("checklist").is_null() ? none : b0.at("checklist").at("items").as_array()) {
      const auto seq = item.at("seq").as_int64();
      json::object r{{"seq", seq}, {"result", seq == 2 ? "fail" : "pass"}};
      if (seq == 2) r["note"] = "安全管理台账缺失";
      results.push_back(std::move(r));
    }
    const std::string sig = photo("xihu_insp", uscc, "签名.png");
    json::object b{{"client_id", client_id}, {"task_id", task.at("id")}, {"started_at", format_iso(now_ms() - 3'600'000)},
                   {"ended_at", format_iso(now_ms() - 60'000)}, {"place", "生产车间及仓库"},
                   {"present", json::array{json::object{{"name", "钱七"}, {"title", "安全科长"}, {"phone", "13800000000"}}}},
                   {"summary", "检查了生产车间、仓库和安全管理台账。"}, {"position", {{"lon", 120.123456789}, {"lat", 30.2}, {"accuracy_m", 12}}},
                   {"results", std::move(results)},
                   {"findings", json::array{json::object{{"description", "仓库消防通道堆放杂物"}, {"files", json::array{photo("xihu_insp", uscc, "通道.png")}}}}},
                   {"signatures", {{"inspectors", json::array{json::object{{"user_id", user_id("xihu_insp")}, {"file", sig}}}},
                                   {"unit", {{"name", "钱七"}, {"file", sig}}}}}};
    for (auto& kv : extra) b[kv.key()] = kv.value();
    return b;
  }
  std::int64_t hidden_dangers_of(const std::string& uscc) {
    return w_->as("hz_insp").get("/api/v1/hidden-dangers?enterprise_uscc=" + uscc).json().at("total").as_int64();
  }
};

TEST_P(InspectionApi, ATaskIsStaffedByTwoInspectorsNoneRecused) {
  const std::string uscc = fresh_enterprise();
  auto made = w_->as("hz_insp").post("/api/v1/inspection-tasks", task_body(uscc));
  ASSERT_EQ(made.status, 201u) << made.body;
  const json::value t = made.json();
  EXPECT_EQ(t.at("state").as_string(), "issued");
  EXPECT_EQ(t.at("enterprise_name").as_string(), "西湖执法测试机械有限公司");
  EXPECT_EQ(t.at("source_label").as_string(), "投诉举报");
  EXPECT_EQ(t.at("inspectors").as_array().size(), 2u);
  // Mine, today: the county inspector sees it among the tasks due.
  bool mine = false;
  for (const auto& x : w_->as("xihu_insp").get("/api/v1/inspection-tasks?mine=true&page_size=500").items()) mine = mine || x.at("id") == t.at("id");
  EXPECT_TRUE(mine);
  auto post = [&](const std::string& user, json::object extra) { return w_->as(user).post("/api/v1/inspection-tasks", task_body(uscc, std::move(extra))); };
  EXPECT_EQ(post("hz_insp", {{"inspectors", json::array{json::value(user_id("hz_insp"))}}}).error_field(), "inspectors") << "two at least";
  EXPECT_EQ(post("hz_insp", {{"inspectors", json::array{json::value(user_id("hz_insp")), json::value(user_id("hz_insp"))}}}).error_field(), "inspectors");
  EXPECT_EQ(post("hz_insp", {{"inspectors", json::array{json::value(user_id("hz_insp")), json::value(user_id("xihu_admin"))}}}).error_field(), "inspectors")
      << "an administrator is not an inspector";
  EXPECT_EQ(post("hz_insp", {{"due_date", "2026-13-01"}}).error_field(), "due_date");
  EXPECT_EQ(post("hz_insp", {{"source", "recheck"}}).error_field(), "source") << "a 复查 is made by its measure";
  EXPECT_EQ(post("hz_insp", {{"colour", "red"}}).error_code(), "unknown_field");
  EXPECT_EQ(post("ent_mgr", {}).status, 403u);
  EXPECT_EQ(post("binjiang_insp", {}).status, 404u) << "西湖's enterprise is not 滨江's";
  // A declared conflict keeps the inspector off it, and says who and why.
  const std::string xihu = user_id("xihu_insp");
  ASSERT_EQ(w_->as("hz_admin").post("/api/v1/inspectors/" + xihu + "/conflicts", json::object{{"enterprise_uscc", uscc}, {"reason", "曾在该企业任职"}}).status, 201u);
  auto recused = post("hz_insp", {});
  EXPECT_EQ(recused.error_field(), "inspectors");
  EXPECT_NE(recused.body.find("回避"), std::string::npos) << recused.body;
  // 改派 keeps the rule too, and If-Match.
  const std::string id(t.at("id").as_string());
  auto reassign = w_->as("hz_insp").request("PUT", "/api/v1/inspection-tasks/" + id,
                                            json_text(json::object{{"inspectors", json::array{json::value(user_id("hz_insp")), json::value(xihu)}}}),
                                            {{"Content-Type", "application/json"}, {"If-Match", "\"1\""}});
  EXPECT_EQ(reassign.error_field(), "inspectors");
  auto moved = w_->as("hz_insp").request("PUT", "/api/v1/inspection-tasks/" + id, json_text(json::object{{"due_date", format_date(today_shanghai(now_ms()) + 5)}}),
                                         {{"Content-Type", "application/json"}, {"If-Match", "\"1\""}});
  ASSERT_EQ(moved.status, 200u) << moved.body;
  auto stale = w_->as("hz_insp").request("POST", "/api/v1/inspection-tasks/" + id + "/cancel", json_text(json::object{{"reason", "企业停产"}}),
                                         {{"Content-Type", "application/json"}, {"If-Match", "\"1\""}});
  EXPECT_EQ(stale.status, 412u);
  // Scope: an enterprise is not told of inspections ahead; another county does not see it.
  EXPECT_EQ(w_->as("binjiang_insp").get("/api/v1/inspection-tasks/" + id).status, 404u);
  EXPECT_EQ(w_->as("ent_mgr").get("/api/v1/inspection-tasks/" + id).status, 404u);
  for (const auto& x : w_->as("binjiang_insp").get("/api/v1/inspection-tasks?page_size=500").items()) EXPECT_NE(x.at("id"), t.at("id"));
}

TEST_P(InspectionApi, TheRecordIsKeptOnceAndItsFailuresBecomeHiddenDangers) {
  const std::string uscc = fresh_enterprise();
  auto t = w_->as("hz_insp").post("/api/v1/inspection-tasks", task_body(uscc)).json();
  const std::string client_id = "c-" + random_hex(12);
  const json::object body = record(t, client_id, uscc);
  auto sent = w_->as("xihu_insp").post("/api/v1/inspections", body);
  ASSERT_EQ(sent.status, 201u) << sent.body;
  const json::value in = sent.json();
  EXPECT_EQ(in.at("failed").as_int64(), 1);
  EXPECT_EQ(in.at("position").at("lon").as_double(), 120.123457) << "kept to 6 decimals";
  const std::string number(in.at("document_number").as_string());
  EXPECT_EQ(number.rfind("（西湖）应急检记〔", 0), 0u) << number;
  // The failed item and the free finding are hidden dangers of the enterprise, found by inspection.
  EXPECT_EQ(hidden_dangers_of(uscc), 2);
  std::string danger;
  for (const auto& r : in.at("results").as_array())
    if (r.at("result") == "fail") danger = std::string(r.at("hidden_danger_id").as_string());
  auto h = w_->as("xihu_insp").get("/api/v1/hidden-dangers/" + danger).json();
  EXPECT_EQ(h.at("found_by").as_string(), "inspection");
  EXPECT_NE(std::string(h.at("description").as_string()).find("安全管理台账缺失"), std::string::npos);
  // Sent again (the phone did not hear the answer): the same record, nothing doubled.
  auto again = w_->as("xihu_insp").post("/api/v1/inspections", body);
  ASSERT_EQ(again.status, 200u) << again.body;
  EXPECT_EQ(again.json().at("id"), in.at("id"));
  EXPECT_EQ(hidden_dangers_of(uscc), 2);
  // The task is done; another record for it is a conflict the phone shows.
  EXPECT_EQ(w_->as("hz_insp").get("/api/v1/inspection-tasks/" + std::string(t.at("id").as_string())).json().at("state").as_string(), "done");
  json::object other = body;
  other["client_id"] = "c-" + random_hex(12);
  EXPECT_EQ(w_->as("xihu_insp").post("/api/v1/inspections", other).status, 409u);
  // The enterprise reads its inspection; another county does not.
  const std::string path = "/api/v1/inspections/" + std::string(in.at("id").as_string());
  EXPECT_EQ(w_->as("binjiang_insp").get(path).status, 404u);
  EXPECT_EQ(w_->as("hz_insp").get(path).status, 200u);
  auto doc = w_->as("hz_insp").get("/api/v1/documents/" + std::string(in.at("document_id").as_string()));
  ASSERT_EQ(doc.status, 200u);
  const std::string text = json_text(doc.json().at("content"));
  for (const char* s : {"西湖执法测试机械有限公司", "杭州市西湖区转塘街道1号", "赵六", "生产车间及仓库", "钱七", "仓库消防通道堆放杂物"})
    EXPECT_NE(text.find(s), std::string::npos) << s;
  EXPECT_EQ(w_->as("binjiang_insp").get("/api/v1/documents/" + std::string(in.at("document_id").as_string())).status, 404u);
}

// The enterprise's record changed while the inspector was out with no network: the inspection is
// kept (it happened), and the answer — also to a resend — tells the phone so it shows the change.
TEST_P(InspectionApi, AnEnterpriseChangedSinceTheDownloadIsToldNotDropped) {
  const std::string uscc = fresh_enterprise();
  auto t = w_->as("hz_insp").post("/api/v1/inspection-tasks", task_body(uscc)).json();
  const auto seen = w_->as("xihu_insp").get("/api/v1/inspection-tasks/" + std::string(t.at("id").as_string()) + "/bundle").json();
  const std::int64_t version = seen.at("enterprise").at("version").as_int64();
  ASSERT_GE(version, 1);
  EXPECT_EQ(w_->as("hz_insp").patch("/api/v1/enterprises/" + uscc, json::object{{"address", "杭州市西湖区转塘街道99号"}},
                                    "\"" + std::to_string(version) + "\"").status, 200u);
  json::object body = record(t, "c-" + random_hex(12), uscc, {{"enterprise_version", version}});
  json::object zero = body;
  zero["enterprise_version"] = 0;
  EXPECT_EQ(w_->as("xihu_insp").post("/api/v1/inspections", zero).error_field(), "enterprise_version");
  auto sent = w_->as("xihu_insp").post("/api/v1/inspections", body);
  ASSERT_EQ(sent.status, 201u) << sent.body;
  const json::value changed = sent.json().at("enterprise_changed");
  ASSERT_TRUE(changed.is_object()) << sent.body;
  EXPECT_EQ(changed.at("seen_version").as_int64(), version);
  EXPECT_EQ(changed.at("version").as_int64(), version + 1);
  EXPECT_NE(std::string(changed.at("message").as_string()).find("企业信息"), std::string::npos);
  auto again = w_->as("xihu_insp").post("/api/v1/inspections", body);
  ASSERT_EQ(again.status, 200u);
  EXPECT_EQ(again.json().at("enterprise_changed"), changed) << "a resend is told the same";
  // Sent against the version it saw, nothing to tell.
  const std::string uscc2 = fresh_enterprise();
  auto t2 = w_->as("hz_insp").post("/api/v1/inspection-tasks", task_body(uscc2)).json();
  auto plain = w_->as("xihu_insp").post("/api/v1/inspections", record(t2, "c-" + random_hex(12), uscc2, {{"enterprise_version", 1}}));
  ASSERT_EQ(plain.status, 201u) << plain.body;
  EXPECT_TRUE(plain.json().at("enterprise_changed").is_null());
}

TEST_P(InspectionApi, OnlyTheTasksInspectorsMaySendItsRecord) {
  const std::string uscc = fresh_enterprise();
  auto t = w_->as("hz_insp").post("/api/v1/inspection-tasks", task_body(uscc, {{"inspectors", json::array{json::value(user_id("hz_insp")), json::value(user_id("xihu_insp"))}}})).json();
  json::object body = record(t, "c-" + random_hex(12), uscc);
  // Not assigned: refused, and the refusal is on record.
  auto other = w_->as("hz_admin").post("/api/v1/inspections", body);
  EXPECT_EQ(other.status, 403u) << other.body;
  EXPECT_EQ(w_->as("binjiang_insp").post("/api/v1/inspections", body).status, 404u);
  EXPECT_EQ(w_->as("ent_mgr").post("/api/v1/inspections", body).status, 403u);
  bool audited = false;
  for (const auto& e : w_->as("zj_auditor").get("/api/v1/audit?action=inspection.submit&page_size=100").items())
    audited = audited || (e.at("outcome").as_string() == "denied" && e.at("target").as_string() == "inspection_task:" + std::string(t.at("id").as_string()));
  EXPECT_TRUE(audited);
  // Malformed and hostile input.
  auto with = [&](const char* key, json::value v) {
    json::object b = body;
    b[key] = std::move(v);
    return w_->as("xihu_insp").post("/api/v1/inspections", b);
  };
  EXPECT_EQ(with("client_id", "短").error_field(), "client_id");
  EXPECT_EQ(with("client_id", "../../etc/passwd").error_field(), "client_id");
  EXPECT_EQ(with("ended_at", "2026-02-30").error_field(), "ended_at");
  EXPECT_EQ(with("ended_at", json::value(format_iso(now_ms() + 86'400'000))).error_field(), "ended_at");
  EXPECT_EQ(with("position", json::object{{"lon", 200}, {"lat", 30}}).error_field(), "position.lon");
  EXPECT_EQ(with("results", json::array{json::object{{"seq", 1}, {"result", "maybe"}}}).error_field(), "results[0].result");
  EXPECT_EQ(with("results", json::array{json::object{{"seq", 1}, {"result", "pass"}}}).error_field(), "results") << "every item answered";
  EXPECT_EQ(with("recheck", json::object{{"complied", true}}).error_field(), "recheck") << "not a 复查 task";
  EXPECT_EQ(with("signatures", json::object{{"inspectors", json::array{json::object{{"user_id", user_id("binjiang_insp")}, {"file", "x"}}}}}).error_field(),
            "signatures.inspectors");
  EXPECT_EQ(with("findings", json::array{json::object{{"description", std::string(3000, 'x')}}}).error_field(), "findings[0].description");
  EXPECT_EQ(with("extra", 1).error_code(), "unknown_field");
  EXPECT_EQ(w_->as("xihu_insp").request("POST", "/api/v1/inspections", "{not json", {{"Content-Type", "application/json"}}).error_code(), "invalid_json");
  // None of that left a trace.
  EXPECT_EQ(hidden_dangers_of(uscc), 0);
  EXPECT_EQ(w_->as("hz_insp").get("/api/v1/inspection-tasks/" + std::string(t.at("id").as_string())).json().at("state").as_string(), "issued");
}

TEST_P(InspectionApi, AMeasureIssuesItsOrderAndItsRecheckFollows) {
  const std::string uscc = fresh_enterprise();
  auto t = w_->as("hz_insp").post("/api/v1/inspection-tasks", task_body(uscc)).json();
  auto in = w_->as("xihu_insp").post("/api/v1/inspections", record(t, "c-" + random_hex(12), uscc)).json();
  const std::string inspection(in.at("id").as_string());
  const std::string deadline = format_date(today_shanghai(now_ms()) + 15);
  auto m = w_->as("xihu_insp").post("/api/v1/inspections/" + inspection + "/measures",
                                    json::object{{"kind", "rectify"}, {"items", json::array{json::object{{"text", "补建安全管理台账"}, {"deadline", deadline}},
                                                                                            json::object{{"text", "清理消防通道"}}}}});
  ASSERT_EQ(m.status, 201u) << m.body;
  const json::value measure = m.json();
  EXPECT_EQ(std::string(measure.at("document_number").as_string()).rfind("（西湖）应急责改〔", 0), 0u);
  EXPECT_EQ(measure.at("recheck_due").as_string(), format_date(*parse_date(deadline) + 10)) << "复查 within 10 days of the deadline";
  // Its 复查 is a task of the same inspectors.
  const std::string recheck_id(measure.at("recheck_task_id").as_string());
  auto recheck = w_->as("xihu_insp").get("/api/v1/inspection-tasks/" + recheck_id).json();
  EXPECT_EQ(recheck.at("source").as_string(), "recheck");
  EXPECT_EQ(recheck.at("due_date").as_string(), measure.at("recheck_due").as_string());
  EXPECT_FALSE(recheck.at("overdue").as_bool());
  // The phone takes what the order required to the 复查.
  const json::value rb0 = w_->as("xihu_insp").get("/api/v1/inspection-tasks/" + recheck_id + "/bundle").json();
  ASSERT_TRUE(rb0.at("measure").is_object());
  EXPECT_EQ(rb0.at("measure").at("document_number"), measure.at("document_number"));
  EXPECT_EQ(rb0.at("measure").at("items").as_array().size(), measure.at("items").as_array().size());
  // The clock moves past the due date: the 复查 is overdue and listed so.
  {
    auto w = w_->app->db().write();
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->exec("UPDATE inspection_tasks SET due_date = ? WHERE id = ?", {format_date(today_shanghai(now_ms()) - 1), recheck_id}).ok());
  }
  bool overdue = false;
  for (const auto& x : w_->as("xihu_insp").get("/api/v1/inspection-tasks?source=recheck&due=overdue&page_size=500").items())
    overdue = overdue || (x.at("id").as_string() == recheck_id && x.at("overdue").as_bool());
  EXPECT_TRUE(overdue);
  // Bad measures.
  auto bad = [&](json::object b) { return w_->as("xihu_insp").post("/api/v1/inspections/" + inspection + "/measures", b); };
  EXPECT_EQ(bad({{"kind", "rectify"}, {"items", json::array{json::object{{"text", "x"}, {"deadline", "2020-01-01"}}}}}).error_field(), "items[0].deadline");
  EXPECT_EQ(bad({{"kind", "jail"}, {"items", json::array{json::object{{"text", "x"}}}}}).error_field(), "kind");
  EXPECT_EQ(bad({{"kind", "rectify"}, {"items", json::array{}}}).error_field(), "items");
  EXPECT_EQ(w_->as("binjiang_insp").post("/api/v1/inspections/" + inspection + "/measures",
                                         json::object{{"kind", "rectify"}, {"items", json::array{json::object{{"text", "x"}}}}}).status, 404u);
  // The 复查: complied, so the measure ends and the 整改复查意见书 follows the order.
  json::object rb = record(recheck, "c-" + random_hex(12), uscc, {{"recheck", {{"complied", true}, {"note", "台账已补建"}}}});
  rb.erase("findings");
  auto done = w_->as("xihu_insp").post("/api/v1/inspections", rb);
  ASSERT_EQ(done.status, 201u) << done.body;
  auto after = w_->as("xihu_insp").get("/api/v1/measures/" + std::string(measure.at("id").as_string())).json();
  EXPECT_EQ(after.at("state").as_string(), "complied");
  bool opinion = false;
  for (const auto& d : w_->as("xihu_insp").get("/api/v1/documents?page_size=500").items())
    if (d.at("kind") == "recheck_opinion" && d.at("measure_id") == measure.at("id")) {
      opinion = true;
      EXPECT_EQ(d.at("refers_to"), measure.at("document_id"));
    }
  EXPECT_TRUE(opinion);
  EXPECT_EQ(hidden_dangers_of(uscc), 2) << "a 复查 with nothing found adds nothing";
}

TEST_P(InspectionApi, ACaseFollowsItsProcedureToTheEnd) {
  const std::string uscc = fresh_enterprise();
  auto t = w_->as("hz_insp").post("/api/v1/inspection-tasks", task_body(uscc)).json();
  auto in = w_->as("xihu_insp").post("/api/v1/inspections", record(t, "c-" + random_hex(12), uscc)).json();
  auto filed = w_->as("xihu_insp").post("/api/v1/cases", json::object{{"enterprise_uscc", uscc}, {"party_kind", "unit"}, {"cause", "未建立安全生产管理台账案"},
                                                                      {"inspection_id", in.at("id")}});
  ASSERT_EQ(filed.status, 201u) << filed.body;
  const std::string id(filed.json().at("id").as_string());
  EXPECT_EQ(filed.json().at("party_name").as_string(), "西湖执法测试机械有限公司");
  EXPECT_EQ(filed.json().at("documents").as_array()[0].at("kind").as_string(), "case_filing");
  auto act = [&](const std::string& user, const std::string& action, std::int64_t version, json::object b = {}) {
    return w_->as(user).request("POST", "/api/v1/cases/" + id + "/actions/" + action, json_text(b),
                                {{"Content-Type", "application/json"}, {"If-Match", "\"" + std::to_string(version) + "\""}});
  };
  auto skip = act("xihu_insp", "decide", 1);
  EXPECT_EQ(skip.status, 409u);
  EXPECT_EQ(skip.error_code(), "invalid_transition");
  EXPECT_EQ(act("hz_insp", "investigate", 1).status, 403u) << "only the filing regulator acts on it";
  EXPECT_EQ(act("binjiang_insp", "investigate", 1).status, 404u);
  ASSERT_EQ(act("xihu_insp", "investigate", 1).status, 200u);
  EXPECT_EQ(act("xihu_insp", "notify", 2, {{"facts", "x"}}).error_field(), "violated");
  auto notified = act("xihu_insp", "notify", 2, {{"facts", "该公司未建立安全生产管理台账。"}, {"violated", "《中华人民共和国安全生产法》第四十一条"},
                                                 {"legal_basis", "《中华人民共和国安全生产法》第一百零一条"}, {"penalty", "警告"}, {"fine_yuan", 20000},
                                                 {"contact", {{"address", "杭州市西湖区"}, {"person", "李四"}, {"phone", "0571-00000000"}, {"postcode", "310000"}}}});
  ASSERT_EQ(notified.status, 200u) << notified.body;
  // 陈述、申辩 for 3 days, unless waived.
  auto early = act("xihu_insp", "decide", 3);
  EXPECT_EQ(early.status, 409u);
  EXPECT_EQ(early.error_code(), "statement_period");
  EXPECT_EQ(act("xihu_insp", "decide", 2, {{"waived_statement", true}}).status, 412u) << "stale If-Match";
  auto decided = act("xihu_insp", "decide", 3, {{"waived_statement", true}});
  ASSERT_EQ(decided.status, 200u) << decided.body;
  ASSERT_EQ(decided.json().at("version").as_int64(), 4);
  // The enterprise's risk counts the inspection's violations and now the penalty (DOMAIN.md §4).
  ASSERT_TRUE(w_->app->enterprise_risk().recompute_marked(now_ms()).ok());
  std::set<std::string> factors;
  const json::value risk = w_->as("xihu_insp").get("/api/v1/enterprises/" + uscc + "/risk").json();
  for (const auto& b : risk.at("breakdown").as_array()) factors.insert(std::string(b.at("factor").as_string()));
  EXPECT_TRUE(factors.count("violations_12m")) << json_text(risk);
  EXPECT_TRUE(factors.count("penalties_12m")) << json_text(risk);
  ASSERT_EQ(act("xihu_insp", "serve", 4).status, 200u);
  ASSERT_EQ(act("xihu_insp", "execute", 5).status, 200u);
  auto closed = act("xihu_insp", "close", 6, {{"note", "罚款已缴清"}});
  ASSERT_EQ(closed.status, 200u) << closed.body;
  const json::value c = closed.json();
  EXPECT_EQ(c.at("state").as_string(), "closed");
  std::vector<std::string> kinds;
  for (const auto& d : c.at("documents").as_array()) kinds.emplace_back(d.at("kind").as_string());
  EXPECT_EQ(kinds, (std::vector<std::string>{"case_filing", "penalty_notice", "penalty_decision_unit", "case_closing"}));
  EXPECT_EQ(c.at("steps").as_array().size(), 7u);
  EXPECT_TRUE(c.at("actions").as_array().empty());
  EXPECT_EQ(act("xihu_insp", "close", 7).status, 409u);
  // The notice carries the rights and the contact; the decision the appeal.
  auto notice = w_->as("xihu_insp").get("/api/v1/documents/" + std::string(c.at("documents").as_array()[1].at("id").as_string())).json();
  EXPECT_NE(json_text(notice).find("三日内"), std::string::npos);
  EXPECT_NE(json_text(notice).find("0571-00000000"), std::string::npos);
  auto decision = w_->as("xihu_insp").get("/api/v1/documents/" + std::string(c.at("documents").as_array()[2].at("id").as_string())).json();
  EXPECT_NE(json_text(decision).find("六十日内"), std::string::npos);
  EXPECT_NE(json_text(decision).find("20000 元"), std::string::npos);
  // Seen above, not beside.
  EXPECT_EQ(w_->as("zj_admin").get("/api/v1/cases/" + id).status, 200u);
  EXPECT_EQ(w_->as("binjiang_insp").get("/api/v1/cases/" + id).status, 404u);
  for (const auto& x : w_->as("binjiang_insp").get("/api/v1/cases?page_size=500").items()) EXPECT_NE(x.at("id").as_string(), id);
  EXPECT_EQ(w_->as("xihu_insp").post("/api/v1/cases", json::object{{"enterprise_uscc", uscc}, {"party_kind", "person"}, {"cause", "x"}}).error_field(),
            "party_name");
}

// A hearing's report decides; and a record with nothing in it is not a record.
TEST_P(InspectionApi, AHearingIsReportedAndABlankRecordRefused) {
  const std::string uscc = fresh_enterprise();
  json::object no_checklist = task_body(uscc);
  no_checklist.erase("template_id");
  auto t = w_->as("hz_insp").post("/api/v1/inspection-tasks", no_checklist).json();
  json::object blank{{"client_id", "c-" + random_hex(12)}, {"task_id", t.at("id")}, {"started_at", format_iso(now_ms() - 600'000)},
                     {"ended_at", format_iso(now_ms() - 60'000)}, {"place", "厂区"}};
  EXPECT_EQ(w_->as("xihu_insp").post("/api/v1/inspections", blank).error_field(), "summary");
  blank["summary"] = "检查了厂区和安全管理台账，未发现问题。";
  auto in = w_->as("xihu_insp").post("/api/v1/inspections", blank);
  ASSERT_EQ(in.status, 201u) << in.body;
  auto filed = w_->as("xihu_insp").post("/api/v1/cases", json::object{{"enterprise_uscc", uscc}, {"party_kind", "unit"}, {"cause", "听证测试案"}});
  ASSERT_EQ(filed.status, 201u);
  const std::string id(filed.json().at("id").as_string());
  auto act = [&](const std::string& action, std::int64_t version, json::object b = {}) {
    return w_->as("xihu_insp").request("POST", "/api/v1/cases/" + id + "/actions/" + action, json_text(b),
                                       {{"Content-Type", "application/json"}, {"If-Match", "\"" + std::to_string(version) + "\""}});
  };
  ASSERT_EQ(act("investigate", 1).status, 200u);
  ASSERT_EQ(act("notify", 2, {{"facts", "x"}, {"violated", "y"}, {"legal_basis", "z"}, {"fine_yuan", 200000}}).status, 200u);
  ASSERT_EQ(act("request_hearing", 3).status, 200u);
  EXPECT_EQ(act("decide", 4).error_field(), "note") << "a decision after a hearing says what it found";
  auto decided = act("decide", 4, {{"note", "听证会认为事实清楚，维持拟处罚意见"}});
  ASSERT_EQ(decided.status, 200u) << decided.body;
  EXPECT_EQ(decided.json().at("state").as_string(), "decided");
}

// 文号: N gapless per regulator, kind and year; concurrent issuers never share one, and an issue
// that fails takes none.
TEST_P(InspectionApi, DocumentNumbersAreGaplessUnderConcurrencyAndFailure) {
  auto& docs = w_->app->enforcement_documents();
  auth::Principal who;
  who.user_id = "u";
  who.username = "number-test";
  who.org_kind = "regulator";
  who.org_name = "测试应急管理局";
  who.region_code = "330106";
  who.scope = auth::Scope::all();
  const std::string uscc = fresh_enterprise();
  enforcement::DocumentText text;
  text.fields = {{"被检查单位", "测试"}};
  auto issue = [&]() -> Result<enforcement::Document> {
    return db::with_transaction(w_->app->db(), [&](db::Connection& c) {
      return docs.issue_in(c, who, "coercive_decision", enforcement::DocumentLinks{uscc, "330106", "", "", "", ""}, text, "test");
    });
  };
  auto first = issue();
  ASSERT_TRUE(first.ok()) << first.error().message;
  // A failure after the number was taken rolls it back.
  auto failed = db::with_transaction(w_->app->db(), [&](db::Connection& c) -> Result<bool> {
    auto d = docs.issue_in(c, who, "coercive_decision", enforcement::DocumentLinks{uscc, "330106", "", "", "", ""}, text, "test");
    if (!d.ok()) return d.take_error();
    return Error{"storage_error", "the issue failed after its number", ""};
  });
  ASSERT_FALSE(failed.ok());
  auto second = issue();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->seq, first->seq + 1) << "the failed issue took no number";
  // Eight issuers at once.
  std::vector<std::int64_t> seqs(16, 0);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int k = 0; k < 2; ++k) {
        auto d = issue();
        if (d.ok()) seqs[t * 2 + k] = d->seq;
        else ++failures;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  std::set<std::int64_t> unique(seqs.begin(), seqs.end());
  ASSERT_EQ(unique.size(), 16u) << "no number given twice";
  EXPECT_EQ(*unique.begin(), second->seq + 1);
  EXPECT_EQ(*unique.rbegin(), second->seq + 16) << "and none skipped";
  EXPECT_EQ(first->number, "（西湖）应急强制〔" + std::to_string(first->year) + "〕" + std::to_string(first->seq) + "号");
}

// 双随机 results: issued as tasks (the draw is final then), inspected, published within 20 working
// days (flagged), read by anyone with the draw's record.
TEST_P(InspectionApi, DrawResultsArePublishedForAnyoneWithTheDrawsRecord) {
  const std::string uscc = fresh_enterprise();
  auto d = w_->as("hz_insp").post("/api/v1/draws", json::object{{"name", "公开测试抽查"}, {"targets", {{"usccs", json::array{json::value(uscc)}}}}, {"count", 1},
                                                              {"inspectors", json::array{json::value(user_id("hz_insp")), json::value(user_id("xihu_insp"))}},
                                                              {"per_target", 2}, {"plan_item_id", "pub-" + random_hex(6)}});
  ASSERT_EQ(d.status, 201u) << d.body;
  const std::string draw(d.json().at("id").as_string());
  auto issued = w_->as("hz_insp").post("/api/v1/draws/" + draw + "/tasks", json::object{{"due_date", format_date(today_shanghai(now_ms()) + 5)}});
  ASSERT_EQ(issued.status, 201u) << issued.body;
  EXPECT_EQ(w_->as("hz_insp").post("/api/v1/draws/" + draw + "/tasks", json::object{{"due_date", format_date(today_shanghai(now_ms()) + 5)}}).status, 409u)
      << "a draw's tasks are issued once: the draw is final";
  const json::value again = w_->as("hz_insp").get("/api/v1/draws/" + draw).json();
  EXPECT_EQ(again.at("tasks_issued").as_int64(), 1) << "the draw says it is final";
  EXPECT_EQ(again.at("result").as_array()[0].at("enterprise_name").as_string(), "西湖执法测试机械有限公司");
  const json::value task = issued.json().at("items").as_array()[0];
  EXPECT_EQ(task.at("source").as_string(), "draw");
  // Not public before it is published.
  EXPECT_EQ(w_->anonymous().get("/api/v1/public/draws/" + draw + "/record").status, 404u);
  json::object body = record(task, "c-" + random_hex(12), uscc);
  body.erase("results");  // the draw's tasks here carry no checklist
  auto in = w_->as("xihu_insp").post("/api/v1/inspections", body);
  ASSERT_EQ(in.status, 201u) << in.body;
  const std::string id(in.json().at("id").as_string());
  bool pending = false;
  for (const auto& p : w_->as("xihu_insp").get("/api/v1/publications").items())
    if (p.at("inspection_id").as_string() == id) {
      pending = true;
      EXPECT_EQ(p.at("flag").as_string(), "ok");
      EXPECT_EQ(p.at("working_days_left").as_int64(), 20);
    }
  EXPECT_TRUE(pending);
  for (const auto& p : w_->as("binjiang_insp").get("/api/v1/publications").items()) EXPECT_NE(p.at("inspection_id").as_string(), id);
  EXPECT_EQ(w_->as("binjiang_insp").post("/api/v1/inspections/" + id + "/publish", json::object{}).status, 404u);
  EXPECT_EQ(w_->as("ent_mgr").post("/api/v1/inspections/" + id + "/publish", json::object{}).status, 403u);
  ASSERT_EQ(w_->as("xihu_insp").post("/api/v1/inspections/" + id + "/publish", json::object{}).status, 204u);
  EXPECT_EQ(w_->as("xihu_insp").post("/api/v1/inspections/" + id + "/publish", json::object{}).status, 409u);
  // Anyone reads it, page by page, and checks the draw.
  HttpClient anyone = w_->anonymous();
  std::string after;
  bool found = false;
  for (int page = 0; page < 100 && !found; ++page) {
    auto f = anyone.get("/api/v1/public/inspection-results?page_size=500" + (after.empty() ? "" : "&after=" + url_encode(after)));
    ASSERT_EQ(f.status, 200u) << f.body;
    const json::value j = f.json();
    for (const auto& r : j.at("items").as_array())
      if (r.at("enterprise_uscc").as_string() == uscc) {
        found = true;
        EXPECT_EQ(r.at("enterprise_name").as_string(), "西湖执法测试机械有限公司");
        EXPECT_EQ(r.at("item").as_string(), "公开测试抽查");
        EXPECT_EQ(r.at("result").as_string(), "发现问题 1 项");
      }
    if (j.at("next").is_null()) break;
    after = std::string(j.at("next").as_string());
  }
  EXPECT_TRUE(found);
  auto csv = anyone.get("/api/v1/public/inspection-results?format=csv&page_size=500");
  ASSERT_EQ(csv.status, 200u);
  EXPECT_EQ(csv.body.substr(0, 3), "\xEF\xBB\xBF") << "Excel reads it as UTF-8";
  EXPECT_NE(csv.body.find("企业名称,统一社会信用代码"), std::string::npos);
  auto rec = anyone.get("/api/v1/public/draws/" + draw + "/record");
  ASSERT_EQ(rec.status, 200u);
  auto parsed = enforcement::record_from_json(rec.json().as_object());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(enforcement::verify(*parsed), "") << "anyone can check the draw";
  EXPECT_EQ(anyone.get("/api/v1/public/inspection-results?after=garbage").error_field(), "after");
  // A result not drawn (a complaint) is not published this way; nothing else is public.
  auto other = w_->as("hz_insp").post("/api/v1/inspection-tasks", task_body(uscc)).json();
  auto in2 = w_->as("xihu_insp").post("/api/v1/inspections", record(other, "c-" + random_hex(12), uscc));
  ASSERT_EQ(in2.status, 201u);
  EXPECT_EQ(w_->as("xihu_insp").post("/api/v1/inspections/" + std::string(in2.json().at("id").as_string()) + "/publish", json::object{}).status, 409u);
  EXPECT_EQ(anyone.get("/api/v1/inspections/" + id).status, 401u);
  // Not inspected in the last month: the enterprise just inspected is not in the list any more.
  auto recent = w_->as("hz_insp").post("/api/v1/draws", json::object{{"name", "近一月未检查"}, {"targets", {{"filter", {{"region_code", "330106"}, {"not_inspected_months", 1}}}}},
                                                                   {"count", 1},
                                                                   {"inspectors", json::array{json::value(user_id("hz_insp")), json::value(user_id("xihu_insp")),
                                                                                              json::value(user_id("binjiang_insp"))}},
                                                                   {"per_target", 2}});
  if (recent.status == 201u) {
    const json::value drawn = recent.json();
    EXPECT_NE(drawn.at("result").as_array()[0].at("enterprise_uscc").as_string(), uscc);
    auto full = w_->as("hz_insp").get("/api/v1/draws/" + std::string(drawn.at("id").as_string()) + "/record").json();
    for (const auto& t : full.at("inputs").at("targets").as_array()) {
      EXPECT_NE(t.as_array()[0].as_string(), uscc) << json_text(t);
    }
  } else {
    EXPECT_EQ(recent.error_field(), "targets.filter") << recent.body;  // every enterprise of 西湖 inspected lately
  }
}

// The yearly cap of a plan item: an enterprise inspected as often as the item allows this year is
// left out of the item's next draw (a draw, once issued, is final; the next is a new round).
TEST_P(InspectionApi, AnItemsYearlyCapLeavesAnEnterpriseOut) {
  const std::string uscc = fresh_enterprise(), other = fresh_enterprise();
  const std::int64_t year = std::stoll(format_date(today_shanghai(now_ms())).substr(0, 4));
  auto plan = w_->as("hz_insp").post("/api/v1/plans", json::object{{"name", "上限测试计划"}, {"year", year},
                                                                    {"items", json::array{json::object{{"kind", "general"}, {"name", "每年一次"}, {"cap_per_year", 1},
                                                                                                       {"q1", 1}, {"q2", 1}, {"q3", 1}, {"q4", 1}}}}});
  ASSERT_EQ(plan.status, 201u) << plan.body;
  const std::string item(plan.json().at("items").as_array()[0].at("id").as_string());
  auto draw = [&](json::array usccs, json::object extra = {}) {
    json::object b{{"name", "上限测试"}, {"targets", {{"usccs", std::move(usccs)}}}, {"count", 1}, {"plan_item_id", item},
                   {"inspectors", json::array{json::value(user_id("hz_insp")), json::value(user_id("xihu_insp"))}}, {"per_target", 2}};
    for (auto& kv : extra) b[kv.key()] = kv.value();
    return w_->as("hz_insp").post("/api/v1/draws", b);
  };
  auto first = draw(json::array{json::value(uscc)});
  ASSERT_EQ(first.status, 201u) << first.body;
  EXPECT_EQ(draw(json::array{json::value(uscc)}).error_field(), "reason") << "a redo before the tasks are issued says why";
  ASSERT_EQ(w_->as("hz_insp").post("/api/v1/draws/" + std::string(first.json().at("id").as_string()) + "/tasks",
                                   json::object{{"due_date", format_date(today_shanghai(now_ms()) + 1)}}).status, 201u);
  // The next round: the enterprise inspected once already (cap 1) is not in it.
  EXPECT_EQ(draw(json::array{json::value(uscc)}).error_field(), "targets");
  auto next = draw(json::array{json::value(uscc), json::value(other)});
  ASSERT_EQ(next.status, 201u) << next.body;
  EXPECT_EQ(next.json().at("result").as_array()[0].at("enterprise_uscc").as_string(), other);
}

// 检查对象名录库: a list by filter, frozen as numbered snapshots (digest over the sorted USCCs) when
// used by a draw or on request; an older snapshot stays as it was.
TEST_P(InspectionApi, ATargetListIsFrozenAsVersionedSnapshots) {
  const std::string first = fresh_enterprise();
  auto made = w_->as("hz_insp").post("/api/v1/target-lists", json::object{{"name", "西湖区机械企业"}, {"filter", {{"region_code", "330106"}, {"industry", "machinery"}}}});
  ASSERT_EQ(made.status, 201u) << made.body;
  const std::string id(made.json().at("id").as_string());
  auto v1 = w_->as("hz_insp").post("/api/v1/target-lists/" + id + "/snapshots", json::object{});
  ASSERT_EQ(v1.status, 201u) << v1.body;
  const json::value s1 = v1.json();
  EXPECT_EQ(s1.at("version").as_int64(), 1);
  std::vector<std::string> usccs;
  for (const auto& u : s1.at("usccs").as_array()) usccs.emplace_back(u.as_string());
  EXPECT_TRUE(std::is_sorted(usccs.begin(), usccs.end()));
  EXPECT_NE(std::find(usccs.begin(), usccs.end(), first), usccs.end());
  EXPECT_EQ(s1.at("digest").as_string(), enforcement::target_digest(usccs));
  const std::string later = fresh_enterprise();
  // A draw takes a new snapshot of the list, with the enterprise registered since.
  auto d = w_->as("hz_insp").post("/api/v1/draws", json::object{{"name", "按名录抽取"}, {"targets", {{"target_list_id", id}}}, {"count", 1},
                                                              {"inspectors", json::array{json::value(user_id("hz_insp")), json::value(user_id("xihu_insp")),
                                                                                         json::value(user_id("binjiang_insp"))}},
                                                              {"per_target", 2}});
  ASSERT_EQ(d.status, 201u) << d.body;
  auto l = w_->as("hz_insp").get("/api/v1/target-lists/" + id).json();
  ASSERT_EQ(l.at("snapshots").as_array().size(), 2u);
  EXPECT_EQ(l.at("snapshots").as_array()[0].at("reason").as_string(), "draw");
  EXPECT_EQ(l.at("snapshots").as_array()[0].at("count").as_int64(), static_cast<std::int64_t>(usccs.size()) + 1);
  auto again = w_->as("hz_insp").get("/api/v1/target-lists/" + id + "/snapshots/1").json();
  EXPECT_EQ(again.at("digest"), s1.at("digest")) << "a snapshot never changes";
  EXPECT_EQ(again.at("usccs").as_array().size(), usccs.size());
  // Scope and bad input.
  EXPECT_EQ(w_->as("binjiang_insp").get("/api/v1/target-lists/" + id).status, 404u);
  EXPECT_EQ(w_->as("binjiang_insp").post("/api/v1/target-lists/" + id + "/snapshots", json::object{}).status, 404u);
  EXPECT_EQ(w_->as("ent_mgr").post("/api/v1/target-lists", json::object{{"name", "x"}, {"filter", json::object{}}}).status, 403u);
  EXPECT_EQ(w_->as("hz_insp").post("/api/v1/target-lists", json::object{{"name", "x"}, {"filter", {{"region_code", "999999"}}}}).error_field(),
            "filter.region_code");
  EXPECT_EQ(w_->as("hz_insp").post("/api/v1/target-lists", json::object{{"name", "x"}, {"filter", {{"colour", "red"}}}}).error_code(), "unknown_field");
  EXPECT_EQ(w_->as("hz_insp").get("/api/v1/target-lists/" + id + "/snapshots/abc").error_field(), "version");
  EXPECT_EQ(w_->as("hz_insp").get("/api/v1/target-lists/" + id + "/snapshots/99").status, 404u);
}

// 随机抽查事项清单: an item with its legal basis and yearly caps per risk level; a plan item that
// carries it out draws within those caps (here: a 低-risk enterprise at most 0 times, i.e. never).
TEST_P(InspectionApi, TheListOfItemsSetsCapsByRiskLevel) {
  auto made = w_->as("hz_insp").post("/api/v1/inspection-items", json::object{{"name", "安全生产许可条件检查"}, {"legal_basis", "《安全生产许可证条例》第六条"},
                                                                              {"cap_per_year", 2}, {"caps_by_risk_level", {{"low", 0}, {"major", 4}}}});
  ASSERT_EQ(made.status, 201u) << made.body;
  const std::string item(made.json().at("id").as_string());
  EXPECT_EQ(made.json().at("caps_by_risk_level").at("major").as_int64(), 4);
  bool listed = false;
  for (const auto& i : w_->as("xihu_insp").get("/api/v1/inspection-items").items()) listed = listed || i.at("id").as_string() == item;
  EXPECT_TRUE(listed) << "a city's list applies to its counties";
  EXPECT_EQ(w_->as("binjiang_insp").get("/api/v1/inspection-items/" + item).status, 200u);
  EXPECT_EQ(w_->as("nb_insp").get("/api/v1/inspection-items/" + item).status, 404u) << "宁波 is not 杭州's";
  EXPECT_EQ(w_->as("hz_insp").post("/api/v1/inspection-items", json::object{{"name", "x"}, {"legal_basis", "y"}, {"caps_by_risk_level", {{"low", 99}}}}).error_field(),
            "caps_by_risk_level.low");
  EXPECT_EQ(w_->as("hz_insp").post("/api/v1/inspection-items", json::object{{"name", "x"}}).error_field(), "legal_basis");
  EXPECT_EQ(w_->as("ent_mgr").post("/api/v1/inspection-items", json::object{{"name", "x"}, {"legal_basis", "y"}}).status, 403u);
  // A plan item carrying it out: a fresh enterprise (no alarms, no hazards: the model's 低) is never drawn for it.
  const std::string low = fresh_enterprise();
  ASSERT_TRUE(w_->app->enterprise_risk().recompute_marked(now_ms()).ok());
  const std::string level(w_->as("hz_insp").get("/api/v1/enterprises/" + low + "/risk").json().at("level").as_string());
  const std::int64_t year = std::stoll(format_date(today_shanghai(now_ms())).substr(0, 4));
  auto plan = w_->as("hz_insp").post("/api/v1/plans", json::object{{"name", "按事项清单"}, {"year", year},
                                                                    {"items", json::array{json::object{{"kind", "general"}, {"name", "许可条件抽查"}, {"inspection_item_id", item},
                                                                                                       {"q1", 1}, {"q2", 1}, {"q3", 1}, {"q4", 1}}}}});
  ASSERT_EQ(plan.status, 201u) << plan.body;
  const std::string plan_item(plan.json().at("items").as_array()[0].at("id").as_string());
  auto d = w_->as("hz_insp").post("/api/v1/draws", json::object{{"name", "许可条件"}, {"targets", {{"usccs", json::array{json::value(low)}}}}, {"count", 1},
                                                              {"plan_item_id", plan_item},
                                                              {"inspectors", json::array{json::value(user_id("hz_insp")), json::value(user_id("xihu_insp"))}},
                                                              {"per_target", 2}});
  if (level == "low") {
    EXPECT_EQ(d.error_field(), "targets") << d.body;
  } else {
    EXPECT_EQ(d.status, 201u) << level << " " << d.body;
  }
  EXPECT_EQ(w_->as("hz_insp").post("/api/v1/plans", json::object{{"name", "x"}, {"year", year},
                                                                 {"items", json::array{json::object{{"kind", "general"}, {"name", "x"}, {"inspection_item_id", "nope"},
                                                                                                    {"q1", 1}, {"q2", 1}, {"q3", 1}, {"q4", 1}}}}}).error_field(),
            "items[0].inspection_item_id");
}

INSTANTIATE_TEST_SUITE_P(Backends, InspectionApi, ::testing::Values("sqlite", "postgres"));
