// A 双随机 draw at a province's scale (issue 15's figure: < 200 ms): 100,000 enterprises, 2,000
// inspectors, 5,000 recusal pairs, 5,000 targets drawn (5 %) with two inspectors each; and its
// verification from the record.
#include <benchmark/benchmark.h>

#include <random>

#include "base/crypto.h"
#include "modules/enforcement/draw_rules.h"

using namespace anjian;
using namespace anjian::enforcement;

namespace {
DrawInputs province() {
  DrawInputs in;
  std::mt19937_64 rng(7);
  for (int i = 0; i < 100'000; ++i) in.targets.push_back({"91330" + std::to_string(1'000'000 + i), static_cast<std::uint32_t>(1 + rng() % 4)});
  for (int i = 0; i < 2'000; ++i) in.inspectors.push_back("inspector-" + std::to_string(i));
  for (int i = 0; i < 5'000; ++i)
    in.recusals.push_back({in.inspectors[rng() % in.inspectors.size()], in.targets[rng() % in.targets.size()].uscc, "曾任职"});
  in.count = 5'000;
  in.per_target = 2;
  return in;
}
}  // namespace

static void BM_DrawProvince(benchmark::State& state) {
  const DrawInputs in = province();
  std::uint64_t n = 0;
  for (auto _ : state) benchmark::DoNotOptimize(draw(in, sha256_hex(std::to_string(n++))));
}
BENCHMARK(BM_DrawProvince)->Unit(benchmark::kMillisecond);

static void BM_DrawVerifyProvince(benchmark::State& state) {
  auto record = draw(province(), sha256_hex("seed"));
  for (auto _ : state) benchmark::DoNotOptimize(verify(*record));
}
BENCHMARK(BM_DrawVerifyProvince)->Unit(benchmark::kMillisecond);
