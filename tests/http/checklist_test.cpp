// Checklists and self-inspections (issue 14 §3) and the statistics (§4) on both backends: the
// shipped 判定标准 and templates; a self-inspection whose failed items become hidden dangers in one
// transaction (a 重大 item a 重大 one at the county's inbox); every bad answer refused with nothing
// kept; templates versioned once used; statistics against a hand-counted fixture; the tally kept in
// step with the records; the quarterly report as XLSX; nobody outside the scope sees any of it.
#include <gtest/gtest.h>

#include "db/database.h"
#include "modules/hidden_danger/tally.h"
#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;

namespace {
std::string hazchem_template(HttpClient&& c) {
  for (const auto& t : c.get("/api/v1/checklist-templates?industry=hazchem_production").items())
    if (t.at("code").as_string() == "hazchem_2017") return std::string(t.at("id").as_string());
  return "";
}
// Every item answered `pass`, except the seqs in `fail`.
json::array answers(size_t n, const std::map<size_t, std::string>& fail) {
  json::array out;
  for (size_t seq = 1; seq <= n; ++seq) {
    json::object a{{"seq", seq}, {"result", "pass"}};
    if (auto it = fail.find(seq); it != fail.end()) {
      a["result"] = "fail";
      if (!it->second.empty()) a["note"] = it->second;
    }
    out.push_back(std::move(a));
  }
  return out;
}
std::int64_t count_dangers(World* w, const std::string& uscc) {
  return w->as("nation_admin").get("/api/v1/hidden-dangers?page_size=1&enterprise_uscc=" + uscc).json().at("total").as_int64();
}
}  // namespace

class ChecklistApi : public ApiTest {};

TEST_P(ChecklistApi, TheShippedStandardsAndTemplatesAreThere) {
  auto st = w_->as("ent_mgr").get("/api/v1/hidden-danger-standards");
  ASSERT_EQ(st.status, 200u);
  std::map<std::string, size_t> items;
  for (const auto& s : st.items()) items[std::string(s.at("id").as_string())] = s.at("items").as_array().size();
  EXPECT_EQ(items["hazchem_2017"], 20u);
  EXPECT_EQ(items["coal_2020"], 15u + 80u) << "15 categories and their situations of 第四条–第十八条";
  EXPECT_GE(items["gongmao_2023"], 14u);
  // A chemical plant is offered the chemical checklist, not the mine's.
  std::set<std::string> codes;
  for (const auto& t : w_->as("ent_mgr").get("/api/v1/checklist-templates?industry=hazchem_production").items())
    codes.insert(std::string(t.at("code").as_string()));
  EXPECT_TRUE(codes.count("hazchem_2017"));
  EXPECT_FALSE(codes.count("coal_2020"));
  auto t = w_->as("ent_mgr").get("/api/v1/checklist-templates/" + hazchem_template(w_->as("ent_mgr")));
  ASSERT_EQ(t.status, 200u);
  const json::value tj = t.json();
  ASSERT_EQ(tj.at("items").as_array().size(), 20u);
  const auto& five = tj.at("items").as_array()[4];
  EXPECT_TRUE(five.at("major").as_bool());
  EXPECT_EQ(five.at("standard_item").at("item").as_string(), "5");
  EXPECT_FALSE(five.at("method").as_string().empty());
  EXPECT_EQ(w_->as("ent_mgr").get("/api/v1/checklist-templates?industry=spaceships").status, 400u);
  // A 重大 hidden danger names an item that exists.
  auto bad = w_->as("ent_mgr").post("/api/v1/hidden-dangers",
                                    json::object{{"enterprise_uscc", w_->uscc["E_XIHU"]}, {"description", "x"}, {"grade", "major"},
                                                 {"found_by", "self_inspection"}, {"found_at", format_iso(now_ms())},
                                                 {"standard_item", {{"standard", "hazchem_2017"}, {"item", "21"}}}});
  EXPECT_EQ(bad.status, 400u);
  EXPECT_EQ(bad.error_field(), "standard_item.item") << bad.body;
}

TEST_P(ChecklistApi, ASelfInspectionMakesItsFailedItemsHiddenDangersInOneTransaction) {
  const std::string uscc = w_->uscc["E_XIHU"];
  const std::string tpl = hazchem_template(w_->as("ent_mgr"));
  ASSERT_FALSE(tpl.empty());
  const std::int64_t before = count_dangers(w_, uscc);
  json::object body{{"enterprise_uscc", uscc}, {"template_id", tpl}, {"inspected_at", format_iso(now_ms() - 60'000)},
                    {"results", answers(20, {{2, "电工张某操作证过期"}, {5, ""}})}};
  body["results"].as_array()[19].as_object()["result"] = "not_applicable";
  auto run = w_->as("ent_mgr").post("/api/v1/self-inspections", body);
  ASSERT_EQ(run.status, 201u) << run.body;
  const json::value s = run.json();
  EXPECT_EQ(s.at("passed").as_int64(), 17);
  EXPECT_EQ(s.at("failed").as_int64(), 2);
  EXPECT_EQ(s.at("not_applicable").as_int64(), 1);
  ASSERT_EQ(s.at("hidden_danger_ids").as_array().size(), 2u);
  EXPECT_EQ(count_dangers(w_, uscc), before + 2);
  // Item 5 of 121号 is a 重大事故隐患: so is the hidden danger, naming its item, at the county's inbox.
  const std::string major_id(s.at("results").as_array()[4].at("hidden_danger_id").as_string());
  auto h = w_->as("xihu_insp").get("/api/v1/hidden-dangers/" + major_id).json();
  EXPECT_EQ(h.at("grade").as_string(), "major");
  EXPECT_EQ(h.at("standard_item").at("standard").as_string(), "hazchem_2017");
  EXPECT_EQ(h.at("standard_item").at("item").as_string(), "5");
  EXPECT_EQ(h.at("self_inspection_id").as_string(), s.at("id").as_string());
  EXPECT_EQ(h.at("checklist_item").as_string(), "5");
  EXPECT_EQ(h.at("found_by").as_string(), "self_inspection");
  bool notified = false;
  for (const auto& n : w_->as("xihu_insp").get("/api/v1/notifications?page_size=200").items())
    notified = notified || n.at("link").as_string().find(major_id) != std::string::npos;
  EXPECT_TRUE(notified);
  const std::string general_id(s.at("results").as_array()[1].at("hidden_danger_id").as_string());
  auto g = w_->as("ent_mgr").get("/api/v1/hidden-dangers/" + general_id).json();
  EXPECT_EQ(g.at("grade").as_string(), "major") << "item 2 (特种作业人员未持证上岗) is 重大 too";
  EXPECT_NE(g.at("description").as_string().find("电工张某操作证过期"), std::string::npos);
  // The record reads back with every answer; the county and the city see it, the neighbour does not.
  auto back = w_->as("xihu_insp").get("/api/v1/self-inspections/" + std::string(s.at("id").as_string()));
  ASSERT_EQ(back.status, 200u);
  EXPECT_EQ(back.json().at("results").as_array().size(), 20u);
  EXPECT_EQ(back.json().at("results").as_array()[19].at("result").as_string(), "not_applicable");
  EXPECT_EQ(w_->as("hz_insp").get("/api/v1/self-inspections/" + std::string(s.at("id").as_string())).status, 200u);
  EXPECT_EQ(w_->as("binjiang_insp").get("/api/v1/self-inspections/" + std::string(s.at("id").as_string())).status, 404u);
  bool listed = false;
  for (const auto& x : w_->as("binjiang_insp").get("/api/v1/self-inspections?page_size=500").items())
    listed = listed || x.at("id").as_string() == s.at("id").as_string();
  EXPECT_FALSE(listed);
  for (const auto& x : w_->as("xihu_insp").get("/api/v1/self-inspections?page_size=500").items())
    listed = listed || x.at("id").as_string() == s.at("id").as_string();
  EXPECT_TRUE(listed);
}

TEST_P(ChecklistApi, BadAnswersAreRefusedAndNothingIsKept) {
  const std::string uscc = w_->uscc["E_XIHU"];
  const std::string tpl = hazchem_template(w_->as("ent_mgr"));
  const std::int64_t before = count_dangers(w_, uscc);
  const std::int64_t inspections = w_->as("ent_mgr").get("/api/v1/self-inspections").json().at("total").as_int64();
  auto run = [&](const std::string& user, json::object changes) {
    json::object body{{"enterprise_uscc", uscc}, {"template_id", tpl}, {"inspected_at", format_iso(now_ms())},
                      {"results", answers(20, {{3, "x"}})}};
    for (auto& kv : changes) body[kv.key()] = kv.value();
    return w_->as(user).post("/api/v1/self-inspections", body);
  };
  json::array missing = answers(20, {{3, "x"}});
  missing.pop_back();
  EXPECT_EQ(run("ent_mgr", {{"results", missing}}).error_field(), "results");
  json::array twice = answers(20, {});
  twice.push_back(json::object{{"seq", 1}, {"result", "fail"}});
  EXPECT_EQ(run("ent_mgr", {{"results", twice}}).status, 400u);
  json::array beyond = answers(20, {});
  beyond.push_back(json::object{{"seq", 21}, {"result", "pass"}});
  EXPECT_EQ(run("ent_mgr", {{"results", beyond}}).status, 400u);
  json::array wrong = answers(20, {});
  wrong[0].as_object()["result"] = "maybe";
  EXPECT_EQ(run("ent_mgr", {{"results", wrong}}).error_field(), "results[0].result");
  json::array with_file = answers(20, {{1, "x"}});
  with_file[0].as_object()["files"] = json::array{"no-such-file"};
  EXPECT_EQ(run("ent_mgr", {{"results", with_file}}).error_field(), "results[0].files");
  EXPECT_EQ(run("ent_mgr", {{"inspected_at", "yesterday"}}).error_field(), "inspected_at");
  EXPECT_EQ(run("ent_mgr", {{"inspected_at", format_iso(now_ms() + 86'400'000)}}).status, 400u);
  EXPECT_EQ(run("ent_mgr", {{"colour", "red"}}).error_code(), "unknown_field");
  EXPECT_EQ(run("ent_mgr", {{"template_id", "nope"}}).status, 404u);
  EXPECT_EQ(run("ent_mgr", {{"enterprise_uscc", w_->uscc["E_BINJIANG"]}}).status, 404u);
  EXPECT_EQ(run("ent_mgr", {{"note", std::string(3000, 'x')}}).status, 400u);
  EXPECT_EQ(run("xihu_insp", {}).status, 403u) << "a regulator's inspection is enforcement's, not a self-inspection";
  EXPECT_EQ(w_->as("ent_mgr").request("POST", "/api/v1/self-inspections", "{\"results\": [", {{"Content-Type", "application/json"}}).error_code(),
            "invalid_json");
  // The mine's checklist is not a chemical plant's.
  std::string coal;
  for (const auto& t : w_->as("ent_mgr").get("/api/v1/checklist-templates").items())
    if (t.at("code").as_string() == "coal_2020") coal = std::string(t.at("id").as_string());
  ASSERT_FALSE(coal.empty());
  auto r = run("ent_mgr", {{"template_id", coal}, {"results", answers(80, {})}});
  EXPECT_EQ(r.error_code(), "template_not_applicable") << r.body;
  EXPECT_EQ(count_dangers(w_, uscc), before);
  EXPECT_EQ(w_->as("ent_mgr").get("/api/v1/self-inspections").json().at("total").as_int64(), inspections);
}

TEST_P(ChecklistApi, ATemplateInUseIsNeverChangedANewVersionIsMade) {
  json::object def{{"name", "西湖区化工企业节前检查表"},
                   {"industries", json::array{"hazchem_production"}},
                   {"items", json::array{json::object{{"number", "1"}, {"text", "消防通道畅通"}, {"basis", "《消防法》第二十八条"}},
                                         json::object{{"number", "2"}, {"text", "罐区紧急切断"}, {"major", true},
                                                      {"standard_item", {{"standard", "hazchem_2017"}, {"item", "5"}}}}}}};
  EXPECT_EQ(w_->as("ent_mgr").post("/api/v1/checklist-templates", def).status, 403u);
  json::object bad = def;
  bad["items"].as_array()[1].as_object()["standard_item"] = json::object{{"standard", "hazchem_2017"}, {"item", "99"}};
  EXPECT_EQ(w_->as("xihu_insp").post("/api/v1/checklist-templates", bad).error_field(), "items[1].standard_item");
  json::object dup = def;
  dup["items"].as_array()[1].as_object()["number"] = "1";
  EXPECT_EQ(w_->as("xihu_insp").post("/api/v1/checklist-templates", dup).error_field(), "items[1].number");
  auto made = w_->as("xihu_insp").post("/api/v1/checklist-templates", def);
  ASSERT_EQ(made.status, 201u) << made.body;
  const std::string id(made.json().at("id").as_string());
  // The county's enterprise sees it; the neighbouring county does not.
  EXPECT_EQ(w_->as("ent_mgr").get("/api/v1/checklist-templates/" + id).status, 200u);
  EXPECT_EQ(w_->as("binjiang_insp").get("/api/v1/checklist-templates/" + id).status, 404u);
  EXPECT_EQ(w_->as("hz_insp").get("/api/v1/checklist-templates/" + id).status, 200u);
  // Unused: changed in place.
  def["name"] = "西湖区化工企业节前安全检查表";
  auto put = w_->as("xihu_insp").request("PUT", "/api/v1/checklist-templates/" + id, json_text(def), {{"Content-Type", "application/json"}});
  ASSERT_EQ(put.status, 200u) << put.body;
  EXPECT_EQ(put.json().at("id").as_string(), id);
  EXPECT_EQ(w_->as("binjiang_insp").request("PUT", "/api/v1/checklist-templates/" + id, json_text(def), {{"Content-Type", "application/json"}}).status,
            404u);
  // Used once, then revised: a new version, the old one as it was.
  auto used = w_->as("ent_mgr").post("/api/v1/self-inspections",
                                     json::object{{"enterprise_uscc", w_->uscc["E_XIHU"]}, {"template_id", id},
                                                  {"inspected_at", format_iso(now_ms())}, {"results", answers(2, {})}});
  ASSERT_EQ(used.status, 201u) << used.body;
  def["items"].as_array().push_back(json::object{{"number", "3"}, {"text", "值班人员在岗"}});
  auto v2 = w_->as("xihu_insp").request("PUT", "/api/v1/checklist-templates/" + id, json_text(def), {{"Content-Type", "application/json"}});
  ASSERT_EQ(v2.status, 201u) << v2.body;
  EXPECT_NE(v2.json().at("id").as_string(), id);
  EXPECT_EQ(v2.json().at("version").as_int64(), 2);
  auto v1 = w_->as("xihu_insp").get("/api/v1/checklist-templates/" + id).json();
  EXPECT_EQ(v1.at("items").as_array().size(), 2u);
  EXPECT_FALSE(v1.at("latest").as_bool());
  auto old = w_->as("xihu_insp").get("/api/v1/self-inspections/" + std::string(used.json().at("id").as_string())).json();
  EXPECT_EQ(old.at("template_version").as_int64(), 1);
  EXPECT_EQ(old.at("results").as_array().size(), 2u);
  EXPECT_EQ(w_->as("xihu_insp").request("PUT", "/api/v1/checklist-templates/" + id, json_text(def), {{"Content-Type", "application/json"}}).status,
            409u)
      << "only the latest version is revised";
  const std::string builtin = hazchem_template(w_->as("xihu_insp"));
  EXPECT_EQ(w_->as("xihu_insp").request("PUT", "/api/v1/checklist-templates/" + builtin, json_text(def), {{"Content-Type", "application/json"}}).status,
            403u);
}

TEST_P(ChecklistApi, StatisticsMatchAHandCountedCounty) {
  // A machinery works in 余杭区 (330110), alone there: its figures are the county's.
  const std::string uscc = uscc_for("330110", next_serial());
  ASSERT_EQ(w_->as("nation_admin").post("/api/v1/enterprises", json::object{{"uscc", uscc}, {"name", "杭州余杭某机械有限公司"}, {"region_code", "330110"},
                                                                     {"industry", "machinery"}, {"address", "余杭区1号"}})
                .status,
            201u);
  auto org = w_->as("nation_admin").post("/api/v1/orgs", json::object{{"name", "杭州余杭某机械有限公司"}, {"kind", "enterprise"}, {"uscc", uscc}});
  ASSERT_EQ(org.status, 201u) << org.body;
  ASSERT_EQ(w_->as("nation_admin").post("/api/v1/users", json::object{{"username", "yuhang_mgr"}, {"password", kPassword}, {"display_name", "余杭安全员"},
                                                               {"org_id", org.json().at("id")}, {"roles", json::array{"enterprise_manager"}},
                                                               {"must_change_password", false}})
                .status,
            201u);
  auto report = [&](const std::string& grade, const std::string& found_at) {
    json::object b{{"enterprise_uscc", uscc}, {"description", "隐患" + found_at}, {"grade", grade}, {"found_by", "inspection"}, {"found_at", found_at}};
    if (grade == "major") b["major_reason"] = "需停产整改";
    auto r = w_->as("hz_insp").post("/api/v1/hidden-dangers", b);
    EXPECT_EQ(r.status, 201u) << r.body;
    return std::string(r.json().at("id").as_string());
  };
  auto act = [&](const std::string& user, const std::string& id, const std::string& action, json::object body) {
    auto v = w_->as(user).get("/api/v1/hidden-dangers/" + id).json().at("version").as_int64();
    auto r = w_->as(user).request("POST", "/api/v1/hidden-dangers/" + id + "/actions/" + action, json_text(body),
                                  {{"Content-Type", "application/json"}, {"If-Match", "\"" + std::to_string(v) + "\""}});
    EXPECT_EQ(r.status, 200u) << action << ": " << r.body;
  };
  const std::string g1 = report("general", "2026-10-05T10:00:00+08:00");  // closed
  act("yuhang_mgr", g1, "plan", {{"measures", "m"}, {"responsible", "r"}, {"deadline", "2026-10-20T00:00:00+08:00"}});
  act("yuhang_mgr", g1, "start", {});
  act("yuhang_mgr", g1, "rectify", {{"note", "done"}});
  act("hz_insp", g1, "verify", {{"accepted", true}});
  const std::string g2 = report("general", "2026-10-06T10:00:00+08:00");  // withdrawn
  act("hz_insp", g2, "withdraw", {{"reason", "不是隐患"}});
  const std::string g3 = report("general", "2026-11-01T10:00:00+08:00");  // overdue
  act("yuhang_mgr", g3, "plan", {{"measures", "m"}, {"responsible", "r"}, {"deadline", "2026-11-10T00:00:00+08:00"}});
  const std::string m1 = report("major", "2026-10-10T10:00:00+08:00");  // supervised
  act("hz_insp", m1, "supervise", {{"authority_org_id", w_->org_id["hz"]}, {"number", "督1"}, {"deadline", format_iso(now_ms() + 30 * 86'400'000LL)},
                                   {"requirements", "限期整改"}});
  const std::string g4 = report("general", "2026-12-01T00:30:00+08:00");  // 2026-11-30 16:30 UTC: December in Shanghai
  (void)g4;
  const std::string m2 = report("major", "2026-07-15T10:00:00+08:00");   // the third quarter
  const std::string g5 = report("general", "2026-10-20T10:00:00+08:00");  // regraded to 重大
  act("hz_insp", g5, "regrade", {{"grade", "major"}, {"reason", "涉及重大危险源"}});
  (void)m2;

  auto q4 = w_->as("hz_insp").get("/api/v1/hidden-dangers/stats?period=2026Q4&region_code=330100");
  ASSERT_EQ(q4.status, 200u) << q4.body;
  const json::value s = q4.json();
  EXPECT_EQ(s.at("period").at("label").as_string(), "2026年第4季度");
  const json::value* yuhang = nullptr;
  for (const auto& r : s.at("by_region").as_array())
    if (r.at("key").as_string() == "330110") yuhang = &r;
  ASSERT_TRUE(yuhang) << q4.body;
  EXPECT_EQ(yuhang->at("name").as_string(), "余杭区");
  const auto& g = yuhang->at("general");
  EXPECT_EQ(g.at("found").as_int64(), 4);  // g1 g2 g3 g4 (g5 is 重大 now)
  EXPECT_EQ(g.at("withdrawn").as_int64(), 1);
  EXPECT_EQ(g.at("rectified").as_int64(), 1);
  ASSERT_TRUE(g.at("rectification_rate").is_number()) << json_text(*yuhang);
  EXPECT_DOUBLE_EQ(g.at("rectification_rate").to_number<double>(), 0.3333) << json_text(*yuhang);
  EXPECT_EQ(g.at("open").as_int64(), 2);
  EXPECT_EQ(g.at("overdue").as_int64(), 1);
  const auto& m = yuhang->at("major");
  EXPECT_EQ(m.at("found").as_int64(), 2);  // m1, g5
  EXPECT_EQ(m.at("rectified").as_int64(), 0);
  EXPECT_DOUBLE_EQ(m.at("rectification_rate").to_number<double>(), 0.0) << json_text(*yuhang);
  EXPECT_EQ(m.at("supervised").as_int64(), 1);
  EXPECT_EQ(m.at("open").as_int64(), 2);
  // Every county of the city is a row, also those with nothing found.
  EXPECT_GE(s.at("by_region").as_array().size(), 10u);
  // The enterprise's own view, and the industry's, say the same; the third quarter has m2 alone.
  auto ent = w_->as("hz_insp").get("/api/v1/hidden-dangers/stats?period=2026Q4&enterprise_uscc=" + uscc).json();
  EXPECT_EQ(ent.at("total").at("general"), g);
  EXPECT_EQ(ent.at("total").at("major"), m);
  auto ind = w_->as("hz_insp").get("/api/v1/hidden-dangers/stats?period=2026Q4&region_code=330110&industry=machinery").json();
  EXPECT_EQ(ind.at("total").at("general"), g);
  auto q3 = w_->as("hz_insp").get("/api/v1/hidden-dangers/stats?period=2026Q3&region_code=330110").json();
  EXPECT_EQ(q3.at("total").at("major").at("found").as_int64(), 1);
  EXPECT_EQ(q3.at("total").at("general").at("found").as_int64(), 0);
  EXPECT_TRUE(q3.at("total").at("general").at("rectification_rate").is_null());
  auto oct = w_->as("hz_insp").get("/api/v1/hidden-dangers/stats?period=2026-10&region_code=330110").json();
  EXPECT_EQ(oct.at("total").at("general").at("found").as_int64(), 2);
  // The year (from the yearly tally) is its quarters (from the monthly one); month by month when asked.
  auto year = w_->as("hz_insp").get("/api/v1/hidden-dangers/stats?period=2026&region_code=330110&by_month=true").json();
  for (const char* grade : {"general", "major"})
    for (const char* figure : {"found", "rectified", "withdrawn", "open", "supervised", "overdue"})
      EXPECT_EQ(year.at("total").at(grade).at(figure).as_int64(),
                q3.at("total").at(grade).at(figure).as_int64() +
                    ent.at("total").at(grade).at(figure).as_int64())
          << grade << " " << figure;
  EXPECT_EQ(year.at("by_month").as_array().size(), 4u) << "July, October, November, December";
  EXPECT_TRUE(q4.json().at("by_month").as_array().empty()) << "a region's months only when asked";
  // The tally kept by each change is what counting the records again gives.
  auto tally = [&] {
    auto c = w_->app->db().read();
    return (*c)->query("SELECT region_code, industry, month, grade, found, closed, withdrawn, open, supervised FROM hidden_danger_tally "
                       "WHERE found <> 0 OR closed <> 0 OR withdrawn <> 0 OR open <> 0 OR supervised <> 0 ORDER BY 1, 2, 3, 4").value();
  };
  auto yearly = [&] {
    auto c = w_->app->db().read();
    return (*c)->query("SELECT region_code, industry, year, grade, found, closed, withdrawn, open, supervised FROM hidden_danger_tally_year "
                       "WHERE found <> 0 OR closed <> 0 OR withdrawn <> 0 OR open <> 0 OR supervised <> 0 ORDER BY 1, 2, 3, 4").value();
  };
  const auto kept = tally(), kept_years = yearly();
  ASSERT_TRUE(db::with_transaction(w_->app->db(), [](db::Connection& c) -> Result<bool> {
                ANJIAN_TRY(hidden_danger::tally_rebuild(c));
                return true;
              }).ok());
  const auto counted = tally(), counted_years = yearly();
  ASSERT_EQ(kept.size(), counted.size());
  for (size_t i = 0; i < kept.size(); ++i)
    for (size_t col = 0; col < 9; ++col) EXPECT_EQ(kept[i].str(col), counted[i].str(col)) << "row " << i << " column " << col;
  ASSERT_EQ(kept_years.size(), counted_years.size());
  for (size_t i = 0; i < kept_years.size(); ++i)
    for (size_t col = 0; col < 9; ++col) EXPECT_EQ(kept_years[i].str(col), counted_years[i].str(col)) << "year row " << i << " column " << col;
  // Outside the scope: 404, and bad periods are named.
  EXPECT_EQ(w_->as("binjiang_insp").get("/api/v1/hidden-dangers/stats?region_code=330110").status, 404u);
  EXPECT_EQ(w_->as("binjiang_insp").get("/api/v1/hidden-dangers/stats?enterprise_uscc=" + uscc).status, 404u);
  EXPECT_EQ(w_->as("hz_insp").get("/api/v1/hidden-dangers/stats?region_code=000000").status, 400u);
  for (const char* p : {"2026Q5", "26", "2026-13", "2026-7", "Q3", "2026Q3x"})
    EXPECT_EQ(w_->as("hz_insp").get(std::string("/api/v1/hidden-dangers/stats?period=") + p).error_field(), "period") << p;
  // An enterprise user gets its own figures only, whatever it asks for.
  auto own = w_->as("ent_mgr").get("/api/v1/hidden-dangers/stats?region_code=330100").json();
  EXPECT_EQ(own.at("enterprise_uscc").as_string(), w_->uscc["E_XIHU"]);
  EXPECT_EQ(w_->as("ent_mgr").get("/api/v1/hidden-dangers/stats?enterprise_uscc=" + uscc).status, 404u);
  // The quarterly report: an XLSX workbook, in scope only.
  auto xlsx = w_->as("hz_insp").get("/api/v1/hidden-dangers/report.xlsx?period=2026Q4&enterprise_uscc=" + uscc);
  ASSERT_EQ(xlsx.status, 200u) << xlsx.body;
  EXPECT_EQ(xlsx.header("content-type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(xlsx.body.substr(0, 2), "PK");
  EXPECT_NE(xlsx.header("content-disposition").find("attachment"), std::string::npos);
  EXPECT_EQ(w_->as("hz_insp").get("/api/v1/hidden-dangers/report.xlsx?period=2026Q4&region_code=330100").status, 200u);
  EXPECT_EQ(w_->as("binjiang_insp").get("/api/v1/hidden-dangers/report.xlsx?enterprise_uscc=" + uscc).status, 404u);
  // The list filters by industry and period; its total says when it stopped counting.
  auto list = w_->as("hz_insp").get("/api/v1/hidden-dangers?industry=machinery&region_code=330110&found_from=2026-10-01T00:00:00%2B08:00"
                                    "&found_to=2027-01-01T00:00:00%2B08:00&sort=found_at_asc").json();
  EXPECT_EQ(list.at("total").as_int64(), 6);
  EXPECT_FALSE(list.at("total_capped").as_bool());
  EXPECT_EQ(list.at("items").as_array()[0].at("id").as_string(), g1);
  EXPECT_EQ(w_->as("hz_insp").get("/api/v1/hidden-dangers?found_from=2026-10-02&found_to=2026-10-01").status, 400u);
  // Totals the tally answers are the rows' count.
  auto total = [&](const std::string& q) { return w_->as("hz_insp").get("/api/v1/hidden-dangers?region_code=330110&" + q).json().at("total").as_int64(); };
  EXPECT_EQ(total("grade=major"), 3);  // m1, m2, g5
  EXPECT_EQ(total("state=closed"), 1);
  EXPECT_EQ(total("state=withdrawn"), 1);
  EXPECT_EQ(total("open=true"), 5);
  EXPECT_EQ(total("industry=machinery"), 7);
  EXPECT_EQ(total("grade=general&open=true"), 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, ChecklistApi, ::testing::Values("sqlite", "postgres"));
