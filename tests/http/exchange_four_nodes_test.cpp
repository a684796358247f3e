// Four nodes as a province deploys them (issue 17), each its own `anjian serve` process on
// loopback: two county nodes on their embedded SQLite files (西湖 330106, 滨江 330108), their city
// (杭州 330100) and the province (浙江 330000) on PostgreSQL — registered with each other through
// the command line, as administrators do, and exchanging over HTTP. What a county records reaches
// the city and the province; a province's correction travels down two levels, is accepted and
// flows up; a county whose link is cut keeps working and catches up when it is back; an accident
// reported behind a large backlog reaches the province ahead of it; the province killed (-9) while
// applying batches loses and doubles nothing; the same batches carried again through a folder
// change nothing, and a tampered one is refused with exit code 1; every node's links and metrics
// show where things stand.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "base/time.h"
#include "support/process.h"
#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {
const std::string kBin = ANJIAN_BINARY;
using Clock = std::chrono::steady_clock;

// A loopback port free now: the nodes register each other's addresses before they start.

// Waits until `done` holds (checked every 50 ms); false after `limit`.
bool eventually(const std::function<bool()>& done, std::chrono::seconds limit = std::chrono::seconds(60)) {
  const auto until = Clock::now() + limit;
  while (Clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

struct Node {
  Node(std::string id_, std::string region_, const std::string& backend) : id(std::move(id_)), region(std::move(region_)), db(backend) {
    dir = temp_dir();
    port = free_port();
    config = dir + "/anjian.toml";
    std::ofstream(config) << "[exchange]\npush_interval_ms = 200\nbatch_changes = 500\n";
  }
  ~Node() {
    proc.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  std::map<std::string, std::string> env() const {
    return {{"ANJIAN_ADMIN_PASSWORD", kPassword}, {"ANJIAN_DATA", dir}, {"ANJIAN_ACCESS_LOG", "0"}, {"ANJIAN_ADMINS_NEED_SECOND_FACTOR", "0"}};
  }
  RunResult cli(std::vector<std::string> args) const {
    args.insert(args.begin(), kBin);
    for (const std::string& a : {std::string("--db"), db.url(), std::string("--config"), config}) args.push_back(a);
    return run(args, env(), std::chrono::seconds(120));
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
  void start() {
    proc = std::make_unique<Child>(std::vector<std::string>{kBin, "serve", "--listen", "127.0.0.1:" + std::to_string(port), "--db", db.url(),
                                                            "--config", config},
                                   env());
    ASSERT_FALSE(proc->wait_for_line("anjian listening", std::chrono::seconds(60)).empty()) << id << " did not start";
    client = std::make_unique<HttpClient>(port);
    login_admin(*client);
  }
  void kill9() {
    proc->signal(SIGKILL);
    proc->wait();
    proc.reset();
    client.reset();
  }
  HttpClient& http() { return *client; }
  // Enterprises of a region this node holds, its own and replicas.
  std::int64_t enterprises(const std::string& region_code) {
    auto r = client->get("/api/v1/enterprises?page_size=1&region_code=" + region_code);
    return r.status == 200 ? r.json().at("total").as_int64() : -1;
  }
  // The link to `peer` as the node shows it; backlog -1 when the node does not answer.
  json::object link(const std::string& peer) {
    for (const auto& l : client->get("/api/v1/exchange/links").items())
      if (l.at("node_id").as_string() == peer) return l.as_object();
    return {{"backlog", -1}, {"refused_batches", -1}, {"direction", ""}};
  }

  std::string id, region;
  TestDatabase db;
  std::string dir, config, public_key;
  unsigned short port = 0;
  std::unique_ptr<Child> proc;
  std::unique_ptr<HttpClient> client;
};

std::string public_key_of(const std::string& out) {
  const std::string mark = "公钥：";
  const auto at = out.find(mark);
  if (at == std::string::npos) return {};
  const auto end = out.find('\n', at);
  return out.substr(at + mark.size(), end - at - mark.size());
}

// The parent and child register each other (both administrators, each on its own node).
void join(Node& parent, Node& child) {
  auto p = parent.cli({"node", "register", "--id", child.id, "--relation", "child", "--region", child.region, "--public-key", child.public_key,
                       "--url", child.url()});
  ASSERT_EQ(p.exit_code, 0) << p.out << p.err;
  auto c = child.cli({"node", "register", "--id", parent.id, "--relation", "parent", "--region", parent.region, "--public-key",
                      parent.public_key, "--url", parent.url()});
  ASSERT_EQ(c.exit_code, 0) << c.out << c.err;
}

std::string enterprise_csv(const std::string& region, int n, const std::string& prefix) {
  std::string csv = "统一社会信用代码,企业名称,行政区划代码,监管行业\n";
  for (int i = 0; i < n; ++i) csv += uscc_for(region, next_serial()) + "," + prefix + std::to_string(i) + "有限公司," + region + ",其他\n";
  return csv;
}

}  // namespace

TEST(ExchangeFourNodes, CountiesCityAndProvinceExchangeThroughCutsCrashesAndReplays) {
  if (!postgres_available()) {
    if (postgres_required()) FAIL() << "PostgreSQL required but not available";
    GTEST_SKIP() << "no PostgreSQL (set ANJIAN_TEST_PG_URL)";
  }
  Node xihu("xihu", "330106", "sqlite"), binjiang("binjiang", "330108", "sqlite"), hz("hz", "330100", "postgres"), zj("zj", "330000", "postgres");
  for (Node* n : {&xihu, &binjiang, &hz, &zj}) {
    auto init = n->cli({"node", "init", "--region", n->region, "--id", n->id});
    ASSERT_EQ(init.exit_code, 0) << n->id << ": " << init.out << init.err;
    n->public_key = public_key_of(init.out);
    ASSERT_FALSE(n->public_key.empty()) << init.out;
  }
  join(zj, hz);
  join(hz, xihu);
  join(hz, binjiang);
  for (Node* n : {&zj, &hz, &xihu, &binjiang}) ASSERT_NO_FATAL_FAILURE(n->start());

  // 1. An enterprise registered in a county appears at its city and its province within seconds.
  const std::string uscc = uscc_for("330106", next_serial());
  auto made = xihu.http().post("/api/v1/enterprises", json::object{{"uscc", uscc}, {"name", "四级联网测试化工有限公司"}, {"region_code", "330106"},
                                                                   {"industry", "hazchem_use"}});
  ASSERT_EQ(made.status, 201u) << made.body;
  const auto t0 = Clock::now();
  ASSERT_TRUE(eventually([&] { return zj.http().get("/api/v1/enterprises/" + uscc).status == 200; })) << "never reached the province";
  const auto seconds_up = std::chrono::duration<double>(Clock::now() - t0).count();
  EXPECT_LT(seconds_up, 15) << "two hops within seconds";
  EXPECT_EQ(hz.http().get("/api/v1/enterprises/" + uscc).status, 200u);
  EXPECT_EQ(binjiang.http().get("/api/v1/enterprises/" + uscc).status, 404u) << "a sibling county holds none of it";
  auto at_province = zj.http().get("/api/v1/enterprises/" + uscc + "/view");
  ASSERT_EQ(at_province.status, 200u) << at_province.body;
  const auto replica = at_province.json().at("sections").at("replica");
  ASSERT_TRUE(replica.is_object()) << at_province.body;
  EXPECT_EQ(replica.at("owner_node").as_string(), "xihu") << "owned by the county, received through the city";
  EXPECT_EQ(replica.at("received_from").as_string(), "hz");

  // 2. The province asks for a correction; it travels down through the city to the county, is
  // accepted there, and the corrected record flows up again.
  auto asked = zj.http().post("/api/v1/exchange/corrections",
                              json::object{{"record_type", "enterprise"}, {"record_id", uscc}, {"reason", "名称与营业执照不符"},
                                           {"fields", json::object{{"name", "四级联网测试化工股份有限公司"}}}});
  ASSERT_EQ(asked.status, 201u) << asked.body;
  const std::string correction(asked.json().at("id").as_string());
  ASSERT_TRUE(eventually([&] {
    for (const auto& c : xihu.http().get("/api/v1/exchange/corrections?box=incoming").items())
      if (c.at("id").as_string() == correction) return true;
    return false;
  })) << "the request never reached the county";
  auto decided = xihu.http().post("/api/v1/exchange/corrections/" + correction + "/decision", json::object{{"accept", true}});
  ASSERT_EQ(decided.status, 200u) << decided.body;
  ASSERT_TRUE(eventually([&] {
    auto r = zj.http().get("/api/v1/enterprises/" + uscc);
    return r.status == 200 && r.json().at("name").as_string() == "四级联网测试化工股份有限公司";
  })) << "the accepted correction never came back up";
  EXPECT_TRUE(eventually([&] {
    auto r = zj.http().get("/api/v1/exchange/corrections?box=outgoing&status=accepted");
    for (const auto& c : r.items())
      if (c.at("id").as_string() == correction) return true;
    return false;
  })) << "the decision reached the province";

  // 3. 滨江's link is cut (its parent's address made unreachable, as a broken 专网 would): it keeps
  // recording, its administrators see the error and the backlog, and it catches up when repaired.
  auto cut = binjiang.cli({"node", "register", "--id", "hz", "--relation", "parent", "--region", "330100", "--public-key", hz.public_key,
                           "--url", "http://127.0.0.1:1"});
  ASSERT_EQ(cut.exit_code, 0) << cut.out << cut.err;
  {
    std::ofstream(binjiang.dir + "/day.csv") << enterprise_csv("330108", 300, "滨江断网期间登记");
  }
  auto offline = binjiang.cli({"import", "enterprises", binjiang.dir + "/day.csv"});
  ASSERT_EQ(offline.exit_code, 0) << offline.out << offline.err;
  ASSERT_TRUE(eventually([&] { return binjiang.link("hz").at("backlog").as_int64() >= 300; }));
  ASSERT_TRUE(eventually([&] {
    auto l = binjiang.link("hz");
    return l.contains("last_error") && l.at("last_error").is_string() && !l.at("last_error").as_string().empty();
  })) << binjiang.http().get("/api/v1/exchange/links").body;
  EXPECT_EQ(zj.enterprises("330108"), 0) << "nothing crossed the cut";
  auto repaired = binjiang.cli({"node", "register", "--id", "hz", "--relation", "parent", "--region", "330100", "--public-key", hz.public_key,
                                "--url", hz.url()});
  ASSERT_EQ(repaired.exit_code, 0) << repaired.out << repaired.err;
  EXPECT_TRUE(eventually([&] { return zj.enterprises("330108") == 300; })) << zj.enterprises("330108");
  EXPECT_TRUE(eventually([&] { return binjiang.link("hz").at("backlog").as_int64() == 0; }));

  // 4. A large backlog at 西湖 (its link cut while 10,000 enterprises are imported), then an
  // accident: when the link is back the report reaches the province ahead of the backlog.
  ASSERT_EQ(xihu.cli({"node", "register", "--id", "hz", "--relation", "parent", "--region", "330100", "--public-key", hz.public_key, "--url",
                      "http://127.0.0.1:1"})
                .exit_code,
            0);
  const std::int64_t before = zj.enterprises("330106");
  constexpr int kBacklog = 10'000;
  {
    std::ofstream(xihu.dir + "/big.csv") << enterprise_csv("330106", kBacklog, "西湖积压企业");
  }
  auto imported = xihu.cli({"import", "enterprises", xihu.dir + "/big.csv"});
  ASSERT_EQ(imported.exit_code, 0) << imported.out << imported.err;
  json::object report{{"region_code", "330106"}, {"occurred_at", format_iso(now_ms() - 600'000)}, {"industry", "hazchem_use"},
                      {"kind", "火灾"}, {"deaths", 1}, {"missing", 0}, {"serious_injuries", 0}, {"minor_injuries", 2},
                      {"direct_loss_yuan", 300'000}, {"description", "仓库起火。"}, {"measures", "已扑灭。"},
                      {"party", json::object{{"name", "西湖某仓库"}, {"address", "西湖区某路1号"}}},
                      {"reporter", json::object{{"name", "李值班"}, {"phone", "13900001111"}}}};
  auto accident = xihu.http().post("/api/v1/accidents", report);
  ASSERT_EQ(accident.status, 201u) << accident.body;
  const std::string accident_id(accident.json().at("id").as_string());
  ASSERT_EQ(xihu.cli({"node", "register", "--id", "hz", "--relation", "parent", "--region", "330100", "--public-key", hz.public_key, "--url",
                      hz.url()})
                .exit_code,
            0);
  std::int64_t backlog_arrived = -1;
  ASSERT_TRUE(eventually([&] {
    for (const auto& r : zj.http().get("/api/v1/exchange/records?type=accident").items())
      if (r.at("id").as_string() == accident_id) {
        backlog_arrived = zj.enterprises("330106") - before;
        return true;
      }
    return false;
  })) << "the accident never reached the province";
  EXPECT_LT(backlog_arrived, kBacklog) << "the accident came ahead of the backlog";

  // 5. The province killed (-9) while it applies the backlog's batches: after a restart it has every
  // record once — nothing lost, nothing doubled.
  bool killed_mid_apply = false;
  eventually([&] {
    const auto n = zj.enterprises("330106") - before;
    if (n > 0 && n < kBacklog) {
      zj.kill9();
      killed_mid_apply = true;
      return true;
    }
    return n >= kBacklog;
  });
  ASSERT_NO_FATAL_FAILURE(zj.start());
  EXPECT_TRUE(eventually([&] { return zj.enterprises("330106") == before + kBacklog; }, std::chrono::seconds(120)))
      << zj.enterprises("330106") << " of " << before + kBacklog;
  EXPECT_EQ(zj.enterprises("330106"), xihu.enterprises("330106")) << "the province holds what the county holds, once";
  EXPECT_EQ(hz.enterprises("330106"), xihu.enterprises("330106"));
  if (!killed_mid_apply) std::fprintf(stderr, "note: the backlog arrived before the kill could catch it mid-way\n");

  // Everything settled (the counties' first risk levels of what they imported travel too).
  ASSERT_TRUE(eventually([&] {
    return xihu.link("hz").at("backlog").as_int64() == 0 && binjiang.link("hz").at("backlog").as_int64() == 0 &&
           hz.link("zj").at("backlog").as_int64() == 0;
  }, std::chrono::seconds(120)));

  // 6. The city's batches to the province carried again through a folder (a 网闸's file drop):
  // every one a duplicate, nothing changes; a tampered file is refused whole with exit code 1.
  const std::string drop = hz.dir + "/drop";
  fs::create_directories(drop);
  auto exported = hz.cli({"exchange", "export", "--to", drop, "--peer", "zj", "--from", "1"});
  ASSERT_EQ(exported.exit_code, 0) << exported.out << exported.err;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(drop))
    if (e.path().extension() == ".batch") files.push_back(e.path());
  ASSERT_FALSE(files.empty()) << exported.out;
  std::sort(files.begin(), files.end());
  const std::string tamper = hz.dir + "/tamper";
  fs::create_directories(tamper);
  const fs::path bad = fs::path(tamper) / files.back().filename();
  fs::copy_file(files.back(), bad);
  {
    std::fstream f(bad, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(fs::file_size(bad) / 2));
    f.put('\x55');
  }
  const auto total_before = zj.enterprises("330106");
  auto replay = zj.cli({"exchange", "import", drop});
  EXPECT_EQ(replay.exit_code, 0) << replay.out << replay.err;
  EXPECT_NE(replay.out.find("重复 "), std::string::npos) << replay.out;
  EXPECT_NE(replay.out.find("拒收 0 个"), std::string::npos) << replay.out;
  EXPECT_EQ(zj.enterprises("330106"), total_before) << "replayed batches change nothing";
  auto tampered = zj.cli({"exchange", "import", tamper});
  EXPECT_EQ(tampered.exit_code, 1) << tampered.out << tampered.err;
  EXPECT_TRUE(eventually([&] { return zj.link("hz").at("refused_batches").as_int64() >= 1; }));

  // 7. Every node shows its links and their state, in the API and in /metrics.
  EXPECT_TRUE(eventually([&] { return xihu.link("hz").at("backlog").as_int64() == 0 && hz.link("zj").at("backlog").as_int64() == 0; }));
  const std::map<std::string, std::vector<std::pair<std::string, std::string>>> expected{
      {"xihu", {{"hz", "up"}}}, {"binjiang", {{"hz", "up"}}}, {"hz", {{"zj", "up"}, {"xihu", "down"}, {"binjiang", "down"}}}, {"zj", {{"hz", "down"}}}};
  for (Node* n : {&xihu, &binjiang, &hz, &zj}) {
    auto links = n->http().get("/api/v1/exchange/links");
    ASSERT_EQ(links.status, 200u) << links.body;
    const auto& want = expected.at(n->id);
    EXPECT_EQ(links.items().size(), want.size()) << n->id;
    const std::string metrics = n->http().get("/metrics").body;
    for (const auto& [peer, direction] : want) {
      EXPECT_EQ(n->link(peer).at("direction").as_string(), direction) << n->id << " → " << peer;
      EXPECT_NE(metrics.find("anjian_exchange_backlog{peer=\"" + peer + "\",direction=\"" + direction + "\"}"), std::string::npos)
          << n->id << " → " << peer << "\n" << metrics.substr(0, 2000);
      EXPECT_NE(metrics.find("anjian_exchange_lag_seconds{peer=\"" + peer + "\""), std::string::npos) << n->id;
    }
  }
}
