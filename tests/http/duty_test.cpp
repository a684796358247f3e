// 应急值守 (issue 16 §2) on both backends: a month's roster from a rotation, edited by hand, who is
// on duty now in one call, the duty log with what the accident chain received and sent, and the
// levels apart: a county's roster and log are its own; the city reads who is on duty below.
#include <gtest/gtest.h>

#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;

class DutyApi : public ApiTest {};

TEST_P(DutyApi, ARosterFromARotationAndWhoIsOnDutyNow) {
  const std::string month = format_date(today_shanghai(now_ms())).substr(0, 7);
  const json::object roster{{"month", month},
                            {"shifts", json::array{json::object{{"name", "白班"}, {"start", "08:30"}, {"end", "17:30"}},
                                                   json::object{{"name", "夜班"}, {"start", "17:30"}, {"end", "08:30"}}}},
                            {"officers", json::array{json::value(user_id("xihu_duty")), json::value(user_id("xihu_insp"))}},
                            {"leaders", json::array{json::value(user_id("xihu_admin"))}},
                            {"phone", "0571-87000000"},
                            {"replace", true}};
  auto made = w_->as("xihu_duty").post("/api/v1/duty/rosters", roster);
  ASSERT_EQ(made.status, 201u) << made.body;
  EXPECT_GE(made.json().at("shifts").as_int64(), 56) << "two shifts a day";
  json::object again = roster;
  again.erase("replace");
  EXPECT_EQ(w_->as("xihu_duty").post("/api/v1/duty/rosters", again).status, 409u) << "a month is not doubled by mistake";
  // Who is on duty now, for the county and, from above, for the city looking down.
  auto now = w_->as("xihu_duty").get("/api/v1/duty/now").json().at("shift");
  ASSERT_TRUE(now.is_object());
  EXPECT_EQ(now.at("phone").as_string(), "0571-87000000");
  EXPECT_EQ(now.at("leader").at("name").as_string(), "xihu_admin");
  EXPECT_EQ(w_->as("hz_insp").get("/api/v1/duty/now?region_code=330106").json().at("shift").at("id"), now.at("id"));
  EXPECT_EQ(w_->as("binjiang_insp").get("/api/v1/duty/now?region_code=330106").status, 404u) << "not 滨江's to read";
  EXPECT_EQ(w_->as("binjiang_insp").get("/api/v1/duty/shifts?month=" + month + "&region_code=330106").status, 404u);
  // A swap by hand.
  const std::string id(now.at("id").as_string());
  const std::string other = now.at("officer").at("id").as_string() == user_id("xihu_duty") ? user_id("xihu_insp") : user_id("xihu_duty");
  auto swapped = w_->as("xihu_duty").request("PUT", "/api/v1/duty/shifts/" + id, json_text(json::object{{"officer_id", other}}),
                                             {{"Content-Type", "application/json"}, {"If-Match", "\"" + std::to_string(now.at("version").as_int64()) + "\""}});
  ASSERT_EQ(swapped.status, 200u) << swapped.body;
  EXPECT_EQ(swapped.json().at("officer").at("id").as_string(), other);
  EXPECT_EQ(w_->as("xihu_duty").request("PUT", "/api/v1/duty/shifts/" + id, json_text(json::object{{"officer_id", user_id("hz_insp")}}),
                                        {{"Content-Type", "application/json"}, {"If-Match", "\"" + std::to_string(swapped.json().at("version").as_int64()) + "\""}})
                .error_field(),
            "officer_id") << "the city's inspector is not 西湖's";
  EXPECT_EQ(w_->as("binjiang_insp").request("PUT", "/api/v1/duty/shifts/" + id, json_text(json::object{{"phone", "110"}}),
                                            {{"Content-Type", "application/json"}, {"If-Match", "\"" + std::to_string(swapped.json().at("version").as_int64()) + "\""}})
                .status,
            404u) << "another county's shift does not exist for 滨江";
  // Bad rosters.
  auto bad = [&](const char* key, json::value v) {
    json::object b = roster;
    b[key] = std::move(v);
    return w_->as("xihu_duty").post("/api/v1/duty/rosters", b);
  };
  EXPECT_EQ(bad("month", "2026-13").error_field(), "month");
  EXPECT_EQ(bad("shifts", json::array{json::object{{"name", "白班"}, {"start", "8:30"}, {"end", "17:30"}}}).error_field(), "shifts[0].start");
  EXPECT_EQ(bad("officers", json::array{json::value(user_id("binjiang_insp"))}).error_field(), "officers");
  EXPECT_EQ(bad("leaders", json::array{}).error_field(), "leaders");
  EXPECT_EQ(w_->as("ent_mgr").post("/api/v1/duty/rosters", roster).status, 403u);
}

TEST_P(DutyApi, TheLogHasWhatTheChainReceivedAndSentAndWhatWasNoted) {
  const std::string uscc = uscc_for("330106", next_serial());
  ASSERT_EQ(w_->as("zj_admin").post("/api/v1/enterprises", json::object{{"uscc", uscc}, {"name", "值守测试化工有限公司"}, {"region_code", "330106"},
                                                                       {"industry", "hazchem_use"}}).status, 201u);
  auto a = w_->as("xihu_insp").post("/api/v1/accidents", json::object{{"enterprise_uscc", uscc}, {"occurred_at", format_iso(now_ms() - 600'000)},
                                                                      {"industry", "hazchem_use"}, {"kind", "火灾"}, {"deaths", 1}, {"missing", 0},
                                                                      {"serious_injuries", 0}, {"minor_injuries", 0}, {"direct_loss_yuan", 100000},
                                                                      {"description", "仓库起火。"}, {"reporter", {{"name", "王强"}, {"phone", "13800001234"}}}});
  ASSERT_EQ(a.status, 201u) << a.body;
  const json::value id = a.json().at("id");
  auto has = [&](const std::string& user, const std::string& kind) {
    for (const auto& e : w_->as(user).get("/api/v1/duty/log").items())
      if (e.at("kind").as_string() == kind && e.at("accident_id") == id) return true;
    return false;
  };
  EXPECT_TRUE(has("xihu_duty", "report_out")) << "the county sent it";
  EXPECT_TRUE(has("hz_insp", "report_in")) << "the city received it";
  EXPECT_FALSE(has("binjiang_insp", "report_in"));
  auto noted = w_->as("xihu_duty").post("/api/v1/duty/log", json::object{{"kind", "instruction"}, {"text", "区长批示：全力救援，查明原因。"},
                                                                         {"accident_id", id}});
  ASSERT_EQ(noted.status, 201u) << noted.body;
  EXPECT_EQ(noted.json().at("kind_label").as_string(), "领导批示");
  EXPECT_TRUE(has("xihu_duty", "instruction"));
  EXPECT_FALSE(has("hz_insp", "instruction")) << "a county's log is its own";
  EXPECT_EQ(w_->as("xihu_duty").post("/api/v1/duty/log", json::object{{"kind", "gossip"}, {"text", "x"}}).error_field(), "kind");
  EXPECT_EQ(w_->as("xihu_duty").post("/api/v1/duty/log", json::object{{"kind", "call"}, {"text", ""}}).error_field(), "text");
}

INSTANTIATE_TEST_SUITE_P(Backends, DutyApi, ::testing::Values("sqlite", "postgres"));
