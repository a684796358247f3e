// The risk engine's incremental path: an event marks an enterprise, the next pass recomputes what
// is marked (facts read set-wise, scored, stored, committed with fsync). One enterprise per pass,
// and 100 per pass (how a burst of events is absorbed). Scoring alone, for scale.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>

#include "app/demo.h"
#include "base/crypto.h"
#include "db/migrations.h"
#include "modules/audit/audit_log.h"
#include "modules/enterprise/repo.h"
#include "modules/enterprise/service.h"
#include "modules/risk/enterprise_risk.h"

using namespace anjian;

namespace {
// 10,000 enterprises of one county with 100,000 alarms among them, on SQLite (synchronous=FULL).
struct RiskWorld {
  std::string dir = std::filesystem::temp_directory_path() / ("anjian-risk-bench-" + random_hex(4));
  std::unique_ptr<db::Database> db;
  codes::RegionTable regions;
  std::unique_ptr<audit::AuditLog> audit;
  std::unique_ptr<enterprise::Service> enterprises;
  std::unique_ptr<risk::EnterpriseRiskService> risk;
  std::vector<std::string> usccs;
  RiskWorld() {
    auto opened = db::open_database("sqlite:" + dir + "/b.db");
    db = std::move(opened).value();
    (void)db::migrate(*db);
    fill();
    regions.add({"330106", "西湖区", codes::RegionLevel::county, "330100", false, false});
    audit = std::make_unique<audit::AuditLog>(*db);
    enterprises = std::make_unique<enterprise::Service>(*db, regions, *audit);
    risk = std::make_unique<risk::EnterpriseRiskService>(*db, *enterprises, regions);
    (void)risk->recompute_all(now_ms(), "initial");
  }
  void fill() {
    auto w = db->write();
    (void)db::begin(**w);
    std::mt19937 rng(7);
    for (int i = 0; i < 10000; ++i) {
      enterprise::Enterprise e;
      e.uscc = app::make_uscc("330106", static_cast<unsigned long long>(i) * 7919 + 1);
      e.name = "测试化工有限公司" + std::to_string(i);
      e.region_code = "330106";
      e.industry = i % 3 ? "hazchem_use" : "machinery";
      e.version = 1;
      (void)enterprise::repo::insert(**w, e);
      usccs.push_back(e.uscc);
    }
    for (int i = 0; i < 100000; ++i)
      (void)(*w)->exec("INSERT INTO alarms (id, enterprise_uscc, point_id, point_code, type, level, state, value, raised_at, version) "
                       "VALUES (?, ?, 'p', 'P', 'threshold', 'high', ?, 1, ?, 1)",
                       {random_hex(16), usccs[rng() % usccs.size()], std::string(i % 50 ? "closed" : "raised"),
                        now_ms() - static_cast<Millis>(rng() % (40LL * 86'400'000))});
    (void)db::commit(**w);
  }
  ~RiskWorld() {
    risk.reset();
    enterprises.reset();
    audit.reset();
    db.reset();
    std::filesystem::remove_all(dir);
  }
};
}  // namespace

static void BM_RiskRecomputeMarked(benchmark::State& state) {
  RiskWorld w;
  const auto per_pass = static_cast<size_t>(state.range(0));
  size_t i = 0;
  for (auto _ : state) {
    for (size_t k = 0; k < per_pass; ++k) w.risk->mark(w.usccs[i++ % w.usccs.size()]);
    benchmark::DoNotOptimize(w.risk->recompute_marked(now_ms()));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * per_pass));
}
BENCHMARK(BM_RiskRecomputeMarked)->Arg(1)->Arg(100)->Unit(benchmark::kMicrosecond);

static void BM_RiskScore(benchmark::State& state) {
  risk::EnterpriseFacts f;
  f.industry = "hazchem_production";
  f.hazard_source_grades = {3, 4};
  f.risk_points_by_level = {3, 2, 1, 0};
  f.open_alarms = {{"high", 1}, {"offline", 2}};
  f.alarms_7d = 4;
  f.alarms_30d = 12;
  f.licence_state = "valid";
  for (auto _ : state) benchmark::DoNotOptimize(risk::RiskModel::standard().score(f));
}
BENCHMARK(BM_RiskScore);
