// Micro-benchmarks of the hot paths of a request (Google Benchmark). Build: make bench;
// run: build/anjian_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <boost/json.hpp>

#include <cstring>
#include <filesystem>

#include "app/demo.h"
#include "auth/personal_data.h"
#include "auth/scope.h"
#include "base/crypto.h"
#include "base/search_terms.h"
#include "codes/uscc.h"
#include "db/migrations.h"
#include "files/blob_store.h"
#include "http/router.h"
#include "modules/enterprise/model.h"
#include "modules/enterprise/repo.h"

using namespace anjian;

static void BM_UsccParse(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(codes::Uscc::parse("91330106MA2H3K8L4A"));
}
BENCHMARK(BM_UsccParse);

static void BM_DocumentTerms(benchmark::State& state) {
  const std::string text = "杭州某某精细化工有限公司 某某化工 杭州市西湖区文三路 128 号";
  for (auto _ : state) benchmark::DoNotOptimize(document_terms(text));
}
BENCHMARK(BM_DocumentTerms);

static void BM_SessionTokenHash(benchmark::State& state) {
  const std::string token = random_token(32);
  for (auto _ : state) benchmark::DoNotOptimize(sha256_hex(token));
}
BENCHMARK(BM_SessionTokenHash);

static void BM_RouterMatch(benchmark::State& state) {
  http::Router r;
  for (const char* p : {"/api/v1/enterprises", "/api/v1/enterprises/export.csv", "/api/v1/enterprises/summary",
                        "/api/v1/enterprises/{uscc}", "/api/v1/enterprises/{uscc}/view", "/api/v1/enterprises/{uscc}/history",
                        "/api/v1/users", "/api/v1/users/{id}", "/api/v1/orgs", "/api/v1/regions", "/api/v1/regions/{code}"})
    r.get(p, [](http::Request&) { return http::Response{}; });
  for (auto _ : state) benchmark::DoNotOptimize(r.match("GET", "/api/v1/enterprises/91330106MA2H3K8L4A"));
}
BENCHMARK(BM_RouterMatch);

static void BM_EnterpriseToJson(benchmark::State& state) {
  enterprise::Enterprise e;
  e.uscc = "91330106MA2H3K8L4A";
  e.name = "杭州某某化工有限公司";
  e.region_code = "330106";
  e.address = "杭州市西湖区文三路1号";
  e.lon = 120.13;
  e.lat = 30.27;
  e.industry = "hazchem_production";
  e.safety_manager_name = "王强";
  e.safety_manager_phone = "13800000000";
  e.licence_expires_on = "2027-01-09";
  for (auto _ : state) benchmark::DoNotOptimize(boost::json::serialize(enterprise::to_json(e, 20000, {}, false)));
}
BENCHMARK(BM_EnterpriseToJson);

// Reading one enterprise by code through the repo on SQLite, with a county scope. Its safety
// manager's phone: /0 in clear (as rows were before SM4 sealing), /1 sealed with SM4 (opened on
// each read: the cost 等保's personal-data encryption adds to a GET).
static void BM_RepoGetSqlite(benchmark::State& state) {
  const bool sealed = state.range(0) == 1;
  const std::string dir = std::filesystem::temp_directory_path() / ("anjian-bench-" + random_hex(4));
  auto db = db::open_database("sqlite:" + dir + "/b.db");
  (void)db::migrate(**db);
  std::vector<std::string> codes;
  {
    auto w = (*db)->write();
    (void)db::begin(**w);
    for (int i = 0; i < 10000; ++i) {
      enterprise::Enterprise e;
      e.uscc = app::make_uscc("330106", static_cast<unsigned long long>(i) * 7919 + 1);
      e.name = "杭州测试化工有限公司" + std::to_string(i);
      e.region_code = "330106";
      e.industry = "other";
      e.safety_manager_name = "王安全";
      e.safety_manager_phone = "1380571" + std::to_string(1000 + i % 9000);
      e.version = 1;
      (void)enterprise::repo::insert(**w, e);
      codes.push_back(e.uscc);
    }
    if (!sealed) (void)(*w)->exec("UPDATE enterprises SET safety_manager_phone = '13805711234'");
    (void)db::commit(**w);
  }
  codes::RegionTable regions;
  regions.add({"330106", "西湖区", codes::RegionLevel::county, "330100", false, false});
  const auto scope = auth::Scope::region(regions, "330106");
  size_t i = 0;
  for (auto _ : state) {
    auto r = (*db)->read();
    benchmark::DoNotOptimize(enterprise::repo::get(**r, scope, codes[i++ % codes.size()]));
  }
  db->reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_RepoGetSqlite)->Arg(0)->Arg(1);

// One sealed phone number opened: SM4-CBC and HMAC-SM3 (encrypt-then-MAC) through OpenSSL 3.
static void BM_PersonalDataOpen(benchmark::State& state) {
  auto& pd = auth::PersonalData::instance();
  const std::string sealed = pd.seal(std::string("13805711234"));
  for (auto _ : state) benchmark::DoNotOptimize(pd.open(sealed));
}
BENCHMARK(BM_PersonalDataOpen)->ThreadRange(1, 4)->UseRealTime();

// An evidence file of 5 MB into the store: SHA-256 and SM3 of its bytes, written under a temporary
// name, fsynced, linked into place, its directory synced (issue 14: ≥ 100 MB/s). Each iteration
// writes a different file (the first bytes change), so that none is found kept already.
static void BM_FileStorePut5MB(benchmark::State& state) {
  const auto dir = std::filesystem::temp_directory_path() / ("anjian-bench-files-" + random_hex(6));
  anjian::files::BlobStore store(dir.string());
  std::string bytes(5 * 1024 * 1024, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>((i * 2654435761u) >> 13);
  std::uint64_t n = 0;
  for (auto _ : state) {
    ++n;
    std::memcpy(bytes.data(), &n, sizeof n);
    auto put = store.put(bytes);
    if (!put.ok()) state.SkipWithError(put.error().message.c_str());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(bytes.size()));
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_FileStorePut5MB)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
