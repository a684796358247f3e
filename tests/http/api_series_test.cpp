// Readings after the pipeline, on both backends: compaction into compressed chunks and 1-minute
// rollups, series queries (raw and rolled up) that see the log and the chunks as one, duplicates
// recognised against compacted storage, late readings merged, retention, and jurisdiction.
#include <gtest/gtest.h>

#include <cmath>

#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;

class SeriesApi : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (!w_) return;
    code_ = "SR" + std::to_string(next_serial() % 10000000);
    auto m = w_->as("ent_mgr");
    auto p = m.post("/api/v1/monitoring/points", json::parse(R"({"enterprise_uscc":")" + w_->uscc["E_XIHU"] + R"(","code":")" + code_ +
                                                             R"(","name":"压缩测试液位","indicator":"tank_level","unit":"m"})").as_object());
    ASSERT_EQ(p.status, 201u) << p.body;
    id_ = std::string(p.json().at("id").as_string());
    key_ = std::string(m.post("/api/v1/enterprises/" + w_->uscc["E_XIHU"] + "/api-keys", json::object{}).json().at("key").as_string());
  }
  HttpResult send(Millis from, int n, Millis step = 10'000) {
    std::string body = R"({"readings":[)";
    for (int i = 0; i < n; ++i)
      body += (i ? "," : "") + std::string(R"({"point":")") + code_ + R"(","ts":)" + std::to_string(from + i * step) +
              R"(,"value":)" + value_text(i) + "}";
    HttpClient c(w_->port);
    return c.request("POST", "/api/v1/monitoring/readings", body + "]}", {{"Authorization", "ApiKey " + key_}});
  }
  static double value(int i) { return std::round((10 + 3 * std::sin(i / 40.0)) * 1000) / 1000; }
  static std::string value_text(int i) { return json::serialize(json::value(value(i))); }
  std::int64_t count(const std::string& sql) {
    auto r = w_->app->db().read();
    return (*r)->query_one(sql, {id_})->i64(0);
  }
  std::string code_, id_, key_;
};

TEST_P(SeriesApi, CompactionKeepsEveryReadingInAFewBytes) {
  // Two hours of a 10-second sensor, three hours ago: 720 readings in 12 windows of 10 minutes.
  const Millis now = now_ms();
  const Millis t0 = (now - 3 * 3'600'000) / 600'000 * 600'000;
  ASSERT_EQ(send(t0, 720).json().at("accepted").as_int64(), 720);
  // (The server's own compaction job may have run first: what counts is what storage holds.)
  auto report = w_->app->readings().compact(now);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(count("SELECT COUNT(*) FROM reading_chunks WHERE point_id = ?"), 12);
  EXPECT_EQ(count("SELECT SUM(count) FROM reading_chunks WHERE point_id = ?"), 720);
  EXPECT_EQ(count("SELECT COUNT(*) FROM reading_rollups WHERE point_id = ?"), 120);
  // Bytes on disk per reading, this point's chunks only.
  auto r = w_->app->db().read();
  auto chunks = (*r)->query("SELECT data FROM reading_chunks WHERE point_id = ?", {id_});
  size_t bytes = 0;
  for (const auto& row : *chunks) bytes += row.str(0).size();
  EXPECT_LE(static_cast<double>(bytes) / 720, 3.0) << bytes << " bytes for 720 readings";

  // Raw series: every reading, exactly.
  auto c = w_->as("xihu_insp");
  auto raw = c.get("/api/v1/monitoring/points/" + id_ + "/series?from=" + std::to_string(t0) + "&to=" + std::to_string(t0 + 7'199'999));
  ASSERT_EQ(raw.status, 200u) << raw.body;
  auto rj = raw.json();
  EXPECT_EQ(rj.at("kind").as_string(), "raw");
  const auto& items = rj.at("items").as_array();
  ASSERT_EQ(items.size(), 720u);
  for (int i : {0, 1, 359, 719}) {
    EXPECT_EQ(items[static_cast<size_t>(i)].at(0).as_int64(), t0 + i * 10'000);
    EXPECT_EQ(items[static_cast<size_t>(i)].at(1).to_number<double>(), value(i));
  }

  // Rolled up in 10-minute buckets: 60 readings each, min/max/avg of the sent values.
  auto up = c.get("/api/v1/monitoring/points/" + id_ + "/series?from=" + std::to_string(t0) + "&to=" + std::to_string(t0 + 7'199'999) + "&step=600");
  ASSERT_EQ(up.status, 200u) << up.body;
  auto uj = up.json();
  EXPECT_EQ(uj.at("kind").as_string(), "rollup");
  ASSERT_EQ(uj.at("items").as_array().size(), 12u);
  const auto& first = uj.at("items").at(0).as_array();
  double lo = 1e9, hi = -1e9, sum = 0;
  for (int i = 0; i < 60; ++i) { lo = std::min(lo, value(i)); hi = std::max(hi, value(i)); sum += value(i); }
  EXPECT_EQ(first.at(0).as_int64(), t0);
  EXPECT_EQ(first.at(1).to_number<double>(), lo);
  EXPECT_EQ(first.at(2).to_number<double>(), hi);
  EXPECT_NEAR(first.at(3).to_number<double>(), sum / 60, 1e-9);
  EXPECT_EQ(first.at(4).as_int64(), 60);
  // A long span is rolled up without asking.
  auto auto_step = c.get("/api/v1/monitoring/points/" + id_ + "/series?from=" + std::to_string(now - 2 * 86'400'000LL));
  EXPECT_EQ(auto_step.json().at("kind").as_string(), "rollup");
}

TEST_P(SeriesApi, ResentAndLateReadingsMeetCompactedStorage) {
  const Millis now = now_ms();
  const Millis t0 = (now - 2 * 3'600'000) / 600'000 * 600'000;
  ASSERT_EQ(send(t0, 120).json().at("accepted").as_int64(), 120);
  ASSERT_TRUE(w_->app->readings().compact(now).ok());
  // A newer reading, then the whole old batch again: every old one is known from the chunks.
  ASSERT_EQ(send(now - 1000, 1).json().at("accepted").as_int64(), 1);
  auto again = send(t0, 120);
  EXPECT_EQ(again.json().at("accepted").as_int64(), 0) << again.body;
  EXPECT_EQ(again.json().at("duplicates").as_int64(), 120);
  // A late reading between two stored ones is new: stored, and merged into its minute's rollup.
  auto late = send(t0 + 5'000, 1);
  EXPECT_EQ(late.json().at("accepted").as_int64(), 1);
  ASSERT_TRUE(w_->app->readings().compact(now).ok());
  auto r = w_->app->db().read();
  EXPECT_EQ((*r)->query_one("SELECT count FROM reading_rollups WHERE point_id = ? AND minute = ?", {id_, t0})->i64(0), 7);
  auto raw = w_->as("xihu_insp").get("/api/v1/monitoring/points/" + id_ + "/series?step=0&from=" + std::to_string(t0) + "&to=" + std::to_string(now));
  EXPECT_EQ(raw.json().at("items").as_array().size(), 122u);
  // Retention: chunks past theirs are gone, rollups (kept longer) stay.
  auto removed = w_->app->readings().apply_retention(now + 181LL * 86'400'000);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(count("SELECT COUNT(*) FROM reading_chunks WHERE point_id = ?"), 0);
  EXPECT_GT(count("SELECT COUNT(*) FROM reading_rollups WHERE point_id = ?"), 0);
}

TEST_P(SeriesApi, ParametersAndJurisdiction) {
  const std::string base = "/api/v1/monitoring/points/" + id_ + "/series";
  auto c = w_->as("xihu_insp");
  EXPECT_EQ(c.get(base + "?step=61").error_field(), "step");
  EXPECT_EQ(c.get(base + "?step=-60").error_field(), "step");
  EXPECT_EQ(c.get(base + "?step=abc").error_field(), "step");
  EXPECT_EQ(c.get(base + "?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z").error_field(), "from");
  EXPECT_EQ(c.get(base + "?from=yesterday").status, 400u);
  EXPECT_EQ(c.get(base + "?from=0&to=" + std::to_string(now_ms())).error_field(), "from");  // 56 years
  EXPECT_EQ(w_->as("binjiang_insp").get(base).status, 404u);
  EXPECT_EQ(c.get("/api/v1/monitoring/points/nope/series").status, 404u);
  auto empty = c.get(base);
  ASSERT_EQ(empty.status, 200u);
  EXPECT_TRUE(empty.json().at("items").as_array().empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, SeriesApi, ::testing::Values("sqlite", "postgres"));
