// The ingestion pipeline in-process (no HTTP): the memory that the state of 100,000 points takes,
// and the parser's rate. Build: make bench; run: build/anjian_bench --benchmark_filter='Pipeline|Readings'
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "app/demo.h"
#include "base/crypto.h"
#include "db/migrations.h"
#include "modules/enterprise/repo.h"
#include "modules/monitoring/pipeline.h"
#include "modules/monitoring/chunk_format.h"
#include "modules/monitoring/readings_format.h"

using namespace anjian;

namespace {
double rss_mb() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}
}  // namespace

// 100 enterprises × 1,000 points, each point sent 70 readings (its ring of recent timestamps full,
// its alarm state live): the resident memory the pipeline's state adds (counter rss_mb).
static void BM_PipelineMemory100kPoints(benchmark::State& state) {
  const std::string dir = std::filesystem::temp_directory_path() / ("anjian-bench-" + random_hex(4));
  auto db = db::open_database("sqlite:" + dir + "/b.db");
  (void)db::migrate(**db);
  std::vector<std::string> usccs;
  {
    auto w = (*db)->write();
    (void)db::begin(**w);
    for (int e = 0; e < 100; ++e) {
      enterprise::Enterprise ent;
      ent.uscc = app::make_uscc("330106", static_cast<unsigned long long>(e) * 7919 + 11);
      ent.name = "内存测试企业" + std::to_string(e);
      ent.region_code = "330106";
      ent.industry = "hazchem_use";
      ent.version = 1;
      (void)enterprise::repo::insert(**w, ent);
      usccs.push_back(ent.uscc);
      for (int p = 0; p < 1000; ++p)
        (void)(*w)->exec("INSERT INTO monitoring_points (id, enterprise_uscc, code, name, indicator, unit, range_min, range_max, "
                         "period_s, high, high_high, deadband, delay_s, active, version, created_at, updated_at) "
                         "VALUES (?, ?, ?, '储罐液位', 'tank_level', 'm', 0, 20, 10, 15, 18, 0.2, 0, 1, 1, 0, 0)",
                         {new_id(), ent.uscc, "P" + std::to_string(p)});
    }
    (void)db::commit(**w);
  }
  for (auto _ : state) {
    monitoring::Pipeline pipeline(**db);
    const double before = rss_mb();
    const Millis t0 = now_ms() - 3'600'000;
    for (int round = 0; round < 70; ++round)
      for (const auto& uscc : usccs) {
        monitoring::ReadingBatch batch;
        for (int p = 0; p < 1000; ++p)
          batch.readings.push_back({"P" + std::to_string(p), t0 + round * 10'000, 10.0 + (p % 7), monitoring::Quality::good,
                                    static_cast<size_t>(p)});
        (void)pipeline.ingest(uscc, std::move(batch));
      }
    // What SQLite's page cache and freed heap hold is not the pipeline's state: let them go first.
    {
      auto w = (*db)->write();
      (void)(*w)->exec_script("PRAGMA shrink_memory");
    }
    malloc_trim(0);
    state.counters["rss_mb"] = rss_mb() - before;
    state.counters["points"] = 100'000;
  }
  db->reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_PipelineMemory100kPoints)->Iterations(1)->Unit(benchmark::kSecond);

// The batch parser alone: readings a second on one core.
static void BM_ReadingsParse(benchmark::State& state) {
  std::string body = R"({"readings":[)";
  for (int i = 0; i < 1000; ++i)
    body += (i ? "," : "") + std::string(R"({"point":"T)") + std::to_string(i % 100) + R"(-LT","ts":)" +
            std::to_string(1'795'912'200'000 + i * 10) + R"(,"value":)" + std::to_string(10 + (i % 50) / 10.0) + "}";
  body += "]}";
  for (auto _ : state) benchmark::DoNotOptimize(monitoring::parse_readings(body));
  state.SetItemsProcessed(state.iterations() * 1000);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(body.size()));
}
BENCHMARK(BM_ReadingsParse);

// Compaction's codec: a 10-minute chunk of a 1-second sensor (600 readings, three decimals, noisy
// like the simulator's tank levels). Counter bytes_per_reading is what a reading takes on disk.
static void BM_ChunkEncode(benchmark::State& state) {
  std::vector<monitoring::Sample> samples;
  double v = 10;
  unsigned seed = 7;
  for (int i = 0; i < 600; ++i) {
    seed = seed * 1103515245 + 12345;
    v += (static_cast<double>(seed % 1000) / 1000.0 - 0.5) * 0.02;
    samples.push_back({1'795'912'200'000 + i * 1000, std::round(v * 1000) / 1000, 0});
  }
  size_t bytes = 0;
  for (auto _ : state) {
    auto chunk = monitoring::encode_chunk(samples);
    bytes = chunk.size();
    benchmark::DoNotOptimize(chunk);
  }
  state.SetItemsProcessed(state.iterations() * 600);
  state.counters["bytes_per_reading"] = static_cast<double>(bytes) / 600.0;
}
BENCHMARK(BM_ChunkEncode);
