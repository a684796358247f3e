// Rescue resources at a nation's scale (issue 16's figure: the 10 nearest among 1,000,000 in
// memory, p99 < 1 ms): points spread over China, queries at random places; each query timed, the
// median and the 99th percentile reported as counters (microseconds). Also of one kind in five
// (the filter rejecting the others on the way).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <random>

#include "base/geo_index.h"

using namespace anjian;

namespace {
const GeoIndex& million() {
  static const GeoIndex index = [] {
    GeoIndex g;
    std::mt19937 rng(16);
    std::uniform_real_distribution<double> lon(73, 135), lat(18, 54);
    for (int i = 0; i < 1'000'000; ++i) g.put("r" + std::to_string(i), lon(rng), lat(rng));
    return g;
  }();
  return index;
}

void nearest(benchmark::State& state, bool one_kind_in_five) {
  const GeoIndex& index = million();
  std::mt19937 rng(2026);
  std::uniform_real_distribution<double> lon(100, 122), lat(22, 42);
  std::vector<double> us;
  const auto keep = [](const std::string& id) { return id.back() % 5 == 0; };
  for (auto _ : state) {
    const double x = lon(rng), y = lat(rng);
    const auto t0 = std::chrono::steady_clock::now();
    auto hits = one_kind_in_five ? index.nearest(x, y, 10, 0, keep) : index.nearest(x, y, 10);
    us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
    benchmark::DoNotOptimize(hits);
  }
  std::sort(us.begin(), us.end());
  state.counters["p50_us"] = us[us.size() / 2];
  state.counters["p99_us"] = us[std::min(us.size() - 1, us.size() * 99 / 100)];
}
}  // namespace

static void BM_Nearest10Of1M(benchmark::State& state) { nearest(state, false); }
static void BM_Nearest10Of1MOneKindInFive(benchmark::State& state) { nearest(state, true); }
BENCHMARK(BM_Nearest10Of1M)->Iterations(20'000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Nearest10Of1MOneKindInFive)->Iterations(20'000)->Unit(benchmark::kMicrosecond);
