// `anjian backup` and `anjian restore` as an IT office runs them: a backup taken while a server
// takes writes holds every write acknowledged before it began, its audit chain verifies, its
// evidence files have their digests; a damaged, cut, crafted or wrongly-keyed file is refused
// before a byte is written. SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <signal.h>
#include <zstd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "auth/keyring.h"
#include "base/crypto.h"
#include "base/json_text.h"
#include "support/backends.h"
#include "support/process.h"
#include "support/world.h"

#include <libpq-fe.h>

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {
const std::string kBin = ANJIAN_BINARY;

std::map<std::string, std::string> env_for(const std::string& dir, const std::string& db = "") {
  std::map<std::string, std::string> env{{"ANJIAN_ADMIN_PASSWORD", kPassword}, {"ANJIAN_DATA", dir}, {"ANJIAN_ACCESS_LOG", "0"}, {"ANJIAN_ADMINS_NEED_SECOND_FACTOR", "0"}};
  if (!db.empty()) env["ANJIAN_DB"] = db;
  return env;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}
void write_file(const std::string& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

// A database of its own on the test cluster (pg_dump takes a whole database), dropped afterwards.
class PgDatabase {
 public:
  PgDatabase() {
    const char* admin = std::getenv("ANJIAN_TEST_PG_URL");
    if (!admin) return;
    name_ = "bk" + random_hex(6);
    exec(admin, "CREATE DATABASE " + name_);
    std::string a(admin);
    url_ = a.substr(0, a.rfind('/') + 1) + name_;
    admin_ = a;
  }
  ~PgDatabase() {
    if (!name_.empty()) exec(admin_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  }
  const std::string& url() const { return url_; }

 private:
  static void exec(const std::string& url, const std::string& sql) {
    PGconn* c = PQconnectdb(url.c_str());
    PGresult* r = PQexec(c, sql.c_str());
    PQclear(r);
    PQfinish(c);
  }
  std::string name_, url_, admin_;
};

// A server that takes writes (enterprises, one a request) until told to stop, noting which were
// acknowledged and when.
struct Writer {
  unsigned short port;
  std::mutex mu;
  std::vector<std::pair<std::string, std::chrono::steady_clock::time_point>> acknowledged;
  std::atomic<bool> stop{false};
  std::thread thread;

  explicit Writer(unsigned short p) : port(p) {
    thread = std::thread([this] {
      HttpClient c(port);
      login_admin(c);
      while (!stop) {
        const std::string uscc = uscc_for("330106", next_serial());
        auto r = c.post("/api/v1/enterprises", json::object{{"uscc", uscc}, {"name", "备份测试有限公司"}, {"region_code", "330106"},
                                                            {"industry", "other"}, {"safety_manager", {{"name", "张三"}, {"phone", "13800138000"}}}});
        if (r.status == 201) {
          std::lock_guard lock(mu);
          acknowledged.emplace_back(uscc, std::chrono::steady_clock::now());
        }
      }
    });
  }
  size_t count() {
    std::lock_guard lock(mu);
    return acknowledged.size();
  }
  std::vector<std::string> before(std::chrono::steady_clock::time_point t) {
    std::lock_guard lock(mu);
    std::vector<std::string> out;
    for (const auto& [u, at] : acknowledged)
      if (at < t) out.push_back(u);
    return out;
  }
  void finish() {
    stop = true;
    thread.join();
  }
};

// Backs up a serving anjian under writes and restores it; returns the restored folder.
void backup_under_load_and_restore(const std::string& db_url, const std::string& restore_db) {
  const std::string dir = temp_dir(), out = temp_dir();
  Child server({kBin, "serve", "--listen", "127.0.0.1:0"}, env_for(dir, db_url));
  const std::string line = server.wait_for_line("anjian listening");
  ASSERT_FALSE(line.empty()) << server.output();
  const unsigned short port = port_of(line);
  HttpClient admin(port);
  login_admin(admin);
  // An evidence file, kept before the backup.
  const std::string uscc = uscc_for("330106", next_serial());
  ASSERT_EQ(admin.post("/api/v1/enterprises", json::object{{"uscc", uscc}, {"name", "证据文件有限公司"}, {"region_code", "330106"},
                                                           {"industry", "other"}}).status, 201u);
  std::string photo = "%PDF-1.4\n" + random_hex(4000) + "\n%%EOF\n";
  auto up = admin.request("POST", "/api/v1/files?enterprise_uscc=" + uscc + "&name=" + url_encode("整改照片.pdf"), photo,
                          {{"Content-Type", "application/pdf"}});
  ASSERT_EQ(up.status, 201u) << up.body;
  const std::string file_id(up.json().at("id").as_string());

  Writer writer(port);
  while (writer.count() < 30) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const auto began = std::chrono::steady_clock::now();
  auto backup = run({kBin, "backup", "--to", out + "/nightly.bak"}, env_for(dir, db_url), std::chrono::seconds(120));
  ASSERT_EQ(backup.exit_code, 0) << backup.out << backup.err;
  const size_t after_backup = writer.count();
  while (writer.count() < after_backup + 5) std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the server still writes
  writer.finish();
  const auto kept = writer.before(began);
  EXPECT_GE(kept.size(), 30u);
  server.signal(SIGTERM);
  server.wait();

  const std::string restored = temp_dir() + "/restored";
  std::vector<std::string> restore_args{kBin, "restore", out + "/nightly.bak", "--data", restored};
  if (!restore_db.empty()) restore_args.insert(restore_args.end(), {"--db", restore_db});
  auto r = run(restore_args, {}, std::chrono::seconds(120));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string& restored_db = restore_db;
  auto verify = run({kBin, "audit", "verify"}, env_for(restored, restored_db));
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  Child again({kBin, "serve", "--listen", "127.0.0.1:0"}, env_for(restored, restored_db));
  const std::string line2 = again.wait_for_line("anjian listening");
  ASSERT_FALSE(line2.empty()) << again.output();
  HttpClient c(port_of(line2));
  login_admin(c);
  for (const auto& u : kept) EXPECT_EQ(c.get("/api/v1/enterprises/" + u).status, 200u) << u << " was acknowledged before the backup began";
  auto content = c.get("/api/v1/files/" + file_id + "/content");
  EXPECT_EQ(content.status, 200u);
  EXPECT_EQ(sha256_hex(content.body), sha256_hex(photo));
  auto meta = c.get("/api/v1/files/" + file_id);
  EXPECT_EQ(meta.json().at("sm3").as_string(), sm3_hex(photo));
  again.signal(SIGTERM);
  again.wait();
  fs::remove_all(dir);
  fs::remove_all(out);
  fs::remove_all(fs::path(restored).parent_path());
}
}  // namespace

TEST(Backup, SqliteUnderWritesRestoresEveryAcknowledgedWriteTheAuditChainAndTheFiles) {
  backup_under_load_and_restore("", "");
}

TEST(Backup, PostgresUnderWritesRestoresIntoAnEmptyDatabase) {
  if (!postgres_available()) {
    if (postgres_required()) FAIL() << "PostgreSQL required";
    GTEST_SKIP() << "no PostgreSQL";
  }
  PgDatabase source, target;
  backup_under_load_and_restore(source.url(), target.url());
}

TEST(Backup, DamagedCutCraftedOrWronglyKeyedBackupsAreRefusedBeforeAnythingIsWritten) {
  const std::string dir = temp_dir(), out = temp_dir();
  ASSERT_EQ(run({kBin, "migrate"}, env_for(dir)).exit_code, 0);
  fs::create_directories(dir + "/files/aa");
  write_file(dir + "/files/aa/blob", "evidence");
  ASSERT_EQ(run({kBin, "keys", "init", "--to", out + "/backup.key"}).exit_code, 0);
  EXPECT_EQ(fs::status(out + "/backup.key").permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(run({kBin, "keys", "init", "--to", out + "/backup.key"}).exit_code, 2) << "an existing key is never overwritten";
  ASSERT_EQ(run({kBin, "keys", "init", "--to", out + "/other.key"}).exit_code, 0);
  ASSERT_EQ(run({kBin, "backup", "--to", out + "/plain.bak"}, env_for(dir)).exit_code, 0);
  auto enc = run({kBin, "backup", "--to", out + "/sealed.bak", "--key-file", out + "/backup.key"}, env_for(dir));
  ASSERT_EQ(enc.exit_code, 0) << enc.err;
  EXPECT_EQ(read_file(out + "/sealed.bak").find("evidence"), std::string::npos);

  auto refused = [&](const std::string& file, const std::vector<std::string>& extra, const std::string& says) {
    const std::string target = out + "/r-" + random_hex(4);
    std::vector<std::string> args{kBin, "restore", file, "--data", target};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = run(args);
    EXPECT_EQ(r.exit_code, 2) << file << ": " << r.out << r.err;
    EXPECT_NE(r.err.find(says), std::string::npos) << r.err;
    EXPECT_TRUE(!fs::exists(target) || fs::is_empty(target)) << "nothing written for " << file;
  };
  const std::string plain = read_file(out + "/plain.bak");
  for (size_t at : {size_t{3}, size_t{40}, plain.size() / 2, plain.size() - 3}) {
    std::string bad = plain;
    bad[at] = static_cast<char>(bad[at] ^ 0x20);
    write_file(out + "/flipped.bak", bad);
    refused(out + "/flipped.bak", {}, "备份文件无效或已损坏");
  }
  write_file(out + "/cut.bak", plain.substr(0, plain.size() - 100));
  refused(out + "/cut.bak", {}, "备份文件无效或已损坏");
  write_file(out + "/empty.bak", "");
  refused(out + "/empty.bak", {}, "不是 anjian 备份文件");
  refused(out + "/sealed.bak", {}, "须提供密钥");
  refused(out + "/sealed.bak", {"--key-file", out + "/other.key"}, "所给密钥为");

  // A crafted file with a correct digest that names a path outside the folder.
  for (const std::string evil : {"data/../../escape", "/etc/passwd", "data/x/../../../escape", "elsewhere/file", "data"}) {
    std::string payload = json_text(json::object{{"path", evil}, {"size", 4}}) + "\nevil" + json_text(json::object{{"end", true}, {"entries", 1}}) + "\n";
    std::string z(ZSTD_compressBound(payload.size()), '\0');
    z.resize(ZSTD_compress(z.data(), z.size(), payload.data(), payload.size(), 1));
    std::string file = "ANJIAN-BACKUP 1\n" + json_text(json::object{{"format", 1}, {"backend", "sqlite"}, {"encrypted", false}}) + "\n" + z;
    file += "\nSM3 " + sm3_hex(file) + "\n";
    write_file(out + "/crafted.bak", file);
    refused(out + "/crafted.bak", {}, "条目路径不允许");
  }
  EXPECT_FALSE(fs::exists(fs::path(out).parent_path() / "escape"));

  // Into a folder that holds data: refused, the data untouched.
  auto into_full = run({kBin, "restore", out + "/plain.bak", "--data", dir});
  EXPECT_EQ(into_full.exit_code, 2);
  EXPECT_NE(into_full.err.find("不是空的"), std::string::npos) << into_full.err;
  EXPECT_EQ(read_file(dir + "/files/aa/blob"), "evidence");

  // The right key restores; the files come back byte for byte.
  auto ok = run({kBin, "restore", out + "/sealed.bak", "--data", out + "/good", "--key-file", out + "/backup.key"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(read_file(out + "/good/files/aa/blob"), "evidence");
  EXPECT_TRUE(fs::exists(out + "/good/anjian.db"));
  EXPECT_EQ(run({kBin, "audit", "verify"}, env_for(out + "/good")).exit_code, 0);
  fs::remove_all(dir);
  fs::remove_all(out);
}

// The server's own nightly backup ([backup]): after daily_at, once a day, sealed with the backup
// key, restorable; older files pruned to keep_daily and keep_weekly; a file that is not a backup of
// this naming is never touched.
TEST(Backup, TheNightlyBackupIsMadeOnceAfterItsHourAndOldOnesArePruned) {
  const std::string dir = (fs::temp_directory_path() / ("anjian-nightly-" + random_hex(6))).string();
  fs::create_directories(dir + "/backups");
  write_file(dir + "/backup.key", auth::Keyring::generate_text());
  app::Config config;
  config.db_url = "sqlite:" + dir + "/data/anjian.db";
  config.data_dir = dir + "/data";
  config.listen = "127.0.0.1:0";
  config.access_log = false;
  config.backup.dir = dir + "/backups";
  config.backup.key_file = dir + "/backup.key";
  config.backup.hour = 2;
  config.backup.minute = 30;
  config.backup.keep_daily = 3;
  config.backup.keep_weekly = 2;
  fs::create_directories(config.data_dir);
  auto a = app::App::open(config);
  ASSERT_TRUE(a.ok()) << a.error().message;
  // Twenty nights of older backups (names only: pruning reads the names), and a file of the office's own.
  const Millis night = 1796236200000;  // 2026-12-03 02:30 Beijing time
  for (int d = 1; d <= 20; ++d) {
    const std::string day = format_date(today_shanghai(night - d * 86'400'000LL));
    write_file(dir + "/backups/anjian-" + day.substr(0, 4) + day.substr(5, 2) + day.substr(8, 2) + "-0230.backup", "old");
  }
  write_file(dir + "/backups/README.txt", "异地备份说明");
  // 02:29: not yet. 02:31: made, once.
  (*a)->backups().tick(night - 60'000);
  EXPECT_FALSE(fs::exists(dir + "/backups/anjian-20261203-0229.backup"));
  (*a)->backups().tick(night + 60'000);
  const std::string made = dir + "/backups/anjian-20261203-0231.backup";
  ASSERT_TRUE(fs::exists(made));
  (*a)->backups().tick(night + 120'000);
  EXPECT_FALSE(fs::exists(dir + "/backups/anjian-20261203-0232.backup")) << "once a day";
  // Kept: the 3 newest (12-03, 12-02, 12-01) and the newest of the 2 newest weeks (this week's is
  // 12-03; last week's Sun 11-29) — 4 files, and the README.
  std::set<std::string> left;
  for (const auto& e : fs::directory_iterator(dir + "/backups")) left.insert(e.path().filename().string());
  EXPECT_EQ(left, (std::set<std::string>{"README.txt", "anjian-20261203-0231.backup", "anjian-20261202-0230.backup",
                                         "anjian-20261201-0230.backup", "anjian-20261129-0230.backup"}));
  // The file is a sealed backup that restores with the key, and only with it.
  EXPECT_EQ(read_file(made).find("ANJIAN-BACKUP 1\n"), 0u);
  auto wrong = run({kBin, "restore", made, "--data", dir + "/restored-nokey"});
  EXPECT_NE(wrong.exit_code, 0);
  auto restored = run({kBin, "restore", made, "--data", dir + "/restored", "--key-file", dir + "/backup.key"});
  EXPECT_EQ(restored.exit_code, 0) << restored.out << restored.err;
  EXPECT_TRUE(fs::exists(dir + "/restored/anjian.db"));
  a->reset();
  fs::remove_all(dir);
}
