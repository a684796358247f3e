// Audit retention (issue 18 §6): records past the online window move to signed, compressed archive
// files, and `verify_with_archive` checks archive and online log as one chain from record 1 — it
// finds a damaged file, an edited manifest, a missing file, a file replaced and re-signed with the
// archive key itself, and a tampered online record. SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>

#include "base/crypto.h"
#include "base/json_text.h"
#include "base/signature.h"
#include "base/zstd.h"
#include "modules/audit/archive.h"
#include "support/backends.h"
#include "support/process.h"

#include <zstd.h>

using namespace anjian;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {
constexpr Millis kDay = 86'400'000;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}
void write_file(const fs::path& p, const std::string& bytes) { std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes; }
}  // namespace

class AuditArchiveTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    tdb_ = std::make_unique<test::TestDatabase>(GetParam());
    ANJIAN_REQUIRE_BACKEND(*tdb_);
    db_ = test::open_migrated(*tdb_);
    log_ = std::make_unique<audit::AuditLog>(*db_);
    dir_ = test::temp_dir();
    settings_.dir = dir_ + "/archive";
    settings_.key_file = dir_ + "/keys/audit-archive.pem";
    settings_.records_per_file = 50;
    // 120 records of 200 days ago, then 5 of today.
    for (int i = 1; i <= 125; ++i) ASSERT_TRUE(log_->record(event(i, i <= 120 ? now_ms() - 200 * kDay + i : now_ms())).ok());
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  static AuditEvent event(int i, Millis at) {
    AuditEvent e;
    e.at = at;
    e.username = "u" + std::to_string(i);
    e.region_code = "330106";
    e.action = "enterprise.update";
    e.outcome = "success";
    e.detail = R"({"n":)" + std::to_string(i) + "}";
    return e;
  }
  audit::VerifyReport verify() {
    auto r = audit::verify_with_archive(*log_, settings_.dir, settings_.key_file);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : audit::VerifyReport{0, 0, false, 0, "error"};
  }
  void archive() {
    auto run = audit::archive_old_records(*log_, settings_, now_ms());
    ASSERT_TRUE(run.ok()) << run.error().message;
    ASSERT_EQ(run->files, 3);
    ASSERT_EQ(run->records, 120);
  }
  std::unique_ptr<test::TestDatabase> tdb_;
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<audit::AuditLog> log_;
  std::string dir_;
  audit::ArchiveSettings settings_;
};

TEST_P(AuditArchiveTest, OldRecordsMoveToSignedFilesAndTheChainContinuesAcrossTheBoundary) {
  archive();
  // Three files of 50, 50 and 20, each with its manifest; the key was made, readable by its owner only.
  for (const char* stem : {"audit-000000000001", "audit-000000000051", "audit-000000000101"}) {
    EXPECT_TRUE(fs::exists(settings_.dir + "/" + stem + ".jsonl.zst")) << stem;
    EXPECT_TRUE(fs::exists(settings_.dir + "/" + stem + ".json")) << stem;
  }
  EXPECT_EQ(fs::status(settings_.key_file).permissions() & fs::perms::group_read, fs::perms::none);
  auto manifest = object_of_text(read_file(settings_.dir + "/audit-000000000051.json"));
  EXPECT_EQ(manifest.at("first_seq").as_int64(), 51);
  EXPECT_EQ(manifest.at("last_seq").as_int64(), 100);
  EXPECT_EQ(manifest.at("algorithm").as_string(), "sm2");

  // Online: the 5 recent records and the 3 notes of archiving, chained from record 120's hash.
  auto boundary = log_->boundary();
  ASSERT_TRUE(boundary.ok());
  EXPECT_EQ(boundary->seq, 120);
  auto online = log_->verify();
  ASSERT_TRUE(online.ok());
  EXPECT_TRUE(online->ok) << online->problem;
  EXPECT_EQ(online->records, 8);
  auto page = log_->list(auth::Scope::all(), {.action = "audit.archive"});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 3u);
  EXPECT_NE(page->items[0].event.detail.find("audit-000000000101.jsonl.zst"), std::string::npos);

  // All of it, from record 1.
  auto all = verify();
  EXPECT_TRUE(all.ok) << all.problem;
  EXPECT_EQ(all.records, 128);
  EXPECT_EQ(all.archived, 120);

  // Run again: nothing more is old enough; later records keep chaining and verifying.
  auto again = audit::archive_old_records(*log_, settings_, now_ms());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->files, 0);
  ASSERT_TRUE(log_->record(event(999, now_ms())).ok());
  EXPECT_TRUE(verify().ok);
  // The archive's records are in the file as they were: record 60 is u60's.
  auto lines = zstd_decompress(read_file(settings_.dir + "/audit-000000000051.jsonl.zst"), 1 << 24);
  ASSERT_TRUE(lines);
  EXPECT_NE(lines->find(R"("seq":60,)"), std::string::npos);
  EXPECT_NE(lines->find(R"("username":"u60")"), std::string::npos);
}

TEST_P(AuditArchiveTest, ADamagedFileIsFound) {
  archive();
  const fs::path file = settings_.dir + "/audit-000000000051.jsonl.zst";
  std::string bytes = read_file(file);
  bytes[bytes.size() / 2] ^= 0x01;
  write_file(file, bytes);
  auto r = verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 51);
  EXPECT_NE(r.problem.find("已损坏"), std::string::npos) << r.problem;
}

TEST_P(AuditArchiveTest, AnEditedManifestFailsItsSignature) {
  archive();
  const fs::path file = settings_.dir + "/audit-000000000001.json";
  auto m = object_of_text(read_file(file));
  m["records"] = 49;  // as if the last record were never there
  write_file(file, json_text(m));
  auto r = verify();
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.problem.find("签名无效"), std::string::npos) << r.problem;
}

TEST_P(AuditArchiveTest, AMissingFileIsAGap) {
  archive();
  fs::remove(settings_.dir + "/audit-000000000051.jsonl.zst");
  fs::remove(settings_.dir + "/audit-000000000051.json");
  auto r = verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 51);
  EXPECT_NE(r.problem.find("归档缺失"), std::string::npos) << r.problem;
}

TEST_P(AuditArchiveTest, TheNewestFileGoneLeavesTheOnlineLogUnjoined) {
  archive();
  fs::remove(settings_.dir + "/audit-000000000101.jsonl.zst");
  fs::remove(settings_.dir + "/audit-000000000101.json");
  auto r = verify();
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.problem.find("不衔接"), std::string::npos) << r.problem;
}

// Whoever holds the archive key can re-sign a file made again (here: the same records compressed
// differently, so every hash in it still chains). The log wrote down the file's digest when it
// was made, and that note is in the chain.
TEST_P(AuditArchiveTest, AFileReplacedAndReSignedDiffersFromTheDigestTheLogKept) {
  archive();
  const std::string stem = settings_.dir + "/audit-000000000051";
  auto lines = zstd_decompress(read_file(stem + ".jsonl.zst"), 1 << 24);
  ASSERT_TRUE(lines);
  std::string remade(ZSTD_compressBound(lines->size()), '\0');
  remade.resize(ZSTD_compress(remade.data(), remade.size(), lines->data(), lines->size(), 19));
  write_file(stem + ".jsonl.zst", remade);
  auto m = object_of_text(read_file(stem + ".json"));
  m["sm3"] = sm3_hex(remade);
  auto s = [&](const char* k) { return std::string(m.at(k).is_string() ? std::string(m.at(k).as_string()) : std::to_string(m.at(k).as_int64())); };
  const std::string text = "anjian-audit-archive/1\n" + s("file") + "\n" + s("sm3") + "\n" + s("records") + "\n" + s("first_seq") + "\n" +
                           s("last_seq") + "\n" + s("prev_hash") + "\n" + s("last_hash") + "\n";
  auto signature = sign_message(read_file(settings_.key_file), text);
  ASSERT_TRUE(signature.ok());
  m["signature"] = base64_encode(*signature);
  write_file(stem + ".json", json_text(m));
  auto r = verify();
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.problem.find("摘要不符"), std::string::npos) << r.problem;
}

TEST_P(AuditArchiveTest, AnotherKeyIsNotTheArchiveKey) {
  archive();
  auto other = generate_signing_key(SignatureAlgorithm::sm2);
  ASSERT_TRUE(other.ok());
  write_file(settings_.key_file, other->private_pem);
  auto r = verify();
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.problem.find("签名无效"), std::string::npos) << r.problem;
}

TEST_P(AuditArchiveTest, AChangedOnlineRecordIsStillFound) {
  archive();
  {
    auto w = db_->write();
    ASSERT_TRUE((*w)->exec("UPDATE audit_log SET detail = '{\"n\":0}' WHERE seq = 122").ok());
  }
  auto r = verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 122);
  EXPECT_FALSE(log_->verify()->ok);
}

// An archiving that stopped after writing its file but before its records left the database: the
// file is not yet an archive (the check skips it), and the next run writes it again.
TEST_P(AuditArchiveTest, AFileLeftByAnInterruptedRunIsRewritten) {
  auto settings = settings_;
  settings.records_per_file = 1000;
  fs::create_directories(settings.dir);
  write_file(settings.dir + "/audit-000000000001.jsonl.zst", "half");
  write_file(settings.dir + "/audit-000000000001.json", R"({"format":"anjian-audit-archive/1"})");
  auto run = audit::archive_old_records(*log_, settings, now_ms());
  ASSERT_TRUE(run.ok()) << run.error().message;
  EXPECT_EQ(run->records, 120);
  EXPECT_TRUE(verify().ok);
}

// A chain already broken is not archived: the evidence stays where verify() shows it.
TEST_P(AuditArchiveTest, ABrokenChainIsNotArchived) {
  {
    auto w = db_->write();
    ASSERT_TRUE((*w)->exec("UPDATE audit_log SET username = 'x' WHERE seq = 70").ok());
  }
  auto run = audit::archive_old_records(*log_, settings_, now_ms());
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.error().code, "integrity_error");
  EXPECT_NE(run.error().message.find("70"), std::string::npos);
  // What was before it went; record 70 and after stayed.
  EXPECT_EQ(log_->boundary()->seq, 50);
}

// What an assessor types: exit 0 and the counts on an intact archive, exit 1 and the place on a damaged one.
TEST_P(AuditArchiveTest, TheCommandLineChecksArchiveAndLogTogether) {
  archive();
  const std::vector<std::string> cmd{ANJIAN_BINARY, "audit", "verify", "--db", tdb_->url(), "--data", dir_, "--archive", settings_.dir};
  auto ok = test::run(cmd, {{"ANJIAN_ADMIN_PASSWORD", "Test#2026pw"}});
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_NE(ok.out.find("归档 120 条、在线 8 条"), std::string::npos) << ok.out;
  auto online = test::run({ANJIAN_BINARY, "audit", "verify", "--db", tdb_->url(), "--data", dir_}, {{"ANJIAN_ADMIN_PASSWORD", "Test#2026pw"}});
  EXPECT_EQ(online.exit_code, 0) << online.out;
  EXPECT_NE(online.out.find("序号 121 起"), std::string::npos) << online.out;
  fs::remove(settings_.dir + "/audit-000000000001.json");
  auto bad = test::run(cmd, {{"ANJIAN_ADMIN_PASSWORD", "Test#2026pw"}});
  EXPECT_EQ(bad.exit_code, 1) << bad.out;
  EXPECT_NE(bad.out.find("归档缺失"), std::string::npos) << bad.out;
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditArchiveTest, ::testing::Values("sqlite", "postgres"));
