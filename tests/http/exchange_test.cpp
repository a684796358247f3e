// The exchange between nodes (issue 17) with real parts: a county node on SQLite (西湖 330106) and
// its province (浙江 330000) on the parameter's backend, joined by exchanging public keys, carrying
// signed batches through a folder as a 网闸 would. What the county records appears at the province
// in the province's own registry, within the province users' jurisdiction; batches replayed,
// duplicated and reordered change nothing; a tampered batch, one under a revoked key and one that
// carries another region's record are refused whole, recorded and reported.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "base/json_text.h"
#include "base/time.h"
#include "modules/audit/archive.h"
#include "exchange/file_drop.h"
#include "exchange/push.h"
#include "support/county_node.h"
#include "support/stream_client.h"
#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;
namespace fs = std::filesystem;

class ExchangeApi : public ProvinceAndCounty {};

TEST_P(ExchangeApi, AnEnterpriseRecordedInTheCountyAppearsAtTheProvinceWithinItsJurisdiction) {
  const std::string uscc = county_->add_enterprise("330106", "西湖交换测试化工有限公司");
  const auto sent = carry();
  EXPECT_GE(sent.files, 1);
  EXPECT_EQ(sent.changes, 1);
  const auto got = take();
  EXPECT_EQ(got.applied_files, sent.files);
  EXPECT_EQ(got.changes, 1);
  EXPECT_TRUE(batch_files(drop_).empty()) << "applied batches move to done/";
  // In the province's own registry: its users read it as any other, within their jurisdiction.
  auto r = province_->as("xihu_insp").get("/api/v1/enterprises/" + uscc);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json().at("name").as_string(), "西湖交换测试化工有限公司");
  EXPECT_EQ(province_->as("zj_admin").get("/api/v1/enterprises/" + uscc).status, 200u);
  EXPECT_EQ(province_->as("binjiang_insp").get("/api/v1/enterprises/" + uscc).status, 404u) << "a replica keeps the jurisdiction";
  EXPECT_EQ(province_->as("nb_insp").get("/api/v1/enterprises?q=" + http::url_encode("西湖交换测试")).json().at("total").as_int64(), 0);
  EXPECT_EQ(province_->as("hz_insp").get("/api/v1/enterprises?q=" + http::url_encode("西湖交换测试")).json().at("total").as_int64(), 1)
      << "found by the province's own search";

  // Shown as a replica, and not edited here (一数一源): a correction goes to the county.
  auto view = province_->as("xihu_insp").get("/api/v1/enterprises/" + uscc + "/view");
  ASSERT_EQ(view.status, 200u) << view.body;
  const json::value replica = view.json().at("sections").at("replica");
  ASSERT_TRUE(replica.is_object()) << view.body;
  EXPECT_EQ(replica.at("owner_node").as_string(), "xihu");
  EXPECT_EQ(replica.at("owner_name").as_string(), "西湖区安全生产监管节点");
  auto edit = province_->as("zj_admin").patch("/api/v1/enterprises/" + uscc, json::object{{"name", "省级改名"}}, r.header("etag"));
  EXPECT_EQ(edit.status, 409u) << edit.body;
  EXPECT_EQ(edit.error_code(), "replica_read_only");
  EXPECT_EQ(province_->as("binjiang_insp").patch("/api/v1/enterprises/" + uscc, json::object{{"name", "x"}}, r.header("etag")).status, 404u)
      << "outside the jurisdiction it does not exist, replica or not";
  EXPECT_TRUE(county_->app->enterprises().view(county_admin(), uscc)->at("sections").at("replica").is_null()) << "at home it is the record";

  // A change at the county travels as the next version; the province holds the newest.
  auto e = county_->app->enterprises().get(auth::Scope::all(), uscc);
  ASSERT_TRUE(e.ok());
  auto upd = county_->app->enterprises().update(county_admin(), uscc, e->version, json::object{{"name", "西湖交换测试化工股份有限公司"}}, "test");
  ASSERT_TRUE(upd.ok()) << upd.error().message;
  carry();
  EXPECT_EQ(take().changes, 1);
  EXPECT_EQ(province_->as("xihu_insp").get("/api/v1/enterprises/" + uscc).json().at("name").as_string(), "西湖交换测试化工股份有限公司");

  // The administrators see the link; nobody else does.
  auto links = province_->as("nation_admin").get("/api/v1/exchange/links");
  ASSERT_EQ(links.status, 200u) << links.body;
  ASSERT_EQ(links.items().size(), 1u);
  const json::value link = links.items()[0];
  EXPECT_EQ(link.at("node_id").as_string(), "xihu");
  EXPECT_EQ(link.at("direction").as_string(), "down");
  EXPECT_EQ(link.at("region_name").as_string(), "西湖区");
  EXPECT_EQ(link.at("applied_changes").as_int64(), 2);
  EXPECT_EQ(link.at("refused_batches").as_int64(), 0);
  EXPECT_FALSE(link.at("last_contact_at").is_null());
  EXPECT_EQ(province_->as("xihu_insp").get("/api/v1/exchange/links").status, 403u);
  auto node = province_->as("nation_admin").get("/api/v1/exchange/node");
  ASSERT_EQ(node.status, 200u) << node.body;
  EXPECT_EQ(node.json().at("node_id").as_string(), "zj");
  EXPECT_EQ(node.json().at("peers").as_array().size(), 1u);
  EXPECT_EQ(province_->as("xihu_insp").get("/api/v1/exchange/node").status, 403u);
  // Anyone may push (the signature is the credential); what is not a batch is refused as such.
  auto junk = province_->anonymous().request("POST", "/api/v1/exchange/batches", "not a batch", {{"Content-Type", "application/octet-stream"}});
  EXPECT_EQ(junk.status, 400u);
  EXPECT_EQ(junk.error_code(), "batch_malformed");
  const auto metrics = province_->anonymous().get("/metrics").body;  // loopback: the monitoring agent's view
  EXPECT_NE(metrics.find("anjian_exchange_backlog{peer=\"xihu\",direction=\"down\"}"), std::string::npos) << metrics.substr(0, 400);
  EXPECT_NE(metrics.find("anjian_exchange_refused_batches{peer=\"xihu\",direction=\"down\"} 0"), std::string::npos);
  auto up = county_->app->exchange().links();
  ASSERT_TRUE(up.ok());
  ASSERT_EQ(up->size(), 1u);
  EXPECT_EQ((*up)[0].direction, "up");
  EXPECT_EQ((*up)[0].backlog, 0) << "everything carried";

  // The outbox keeps only what some link still has to send: nothing, at both ends, once carried.
  auto outbox_rows = [](app::App& a) {
    std::int64_t n = -1;
    EXPECT_TRUE(db::with_transaction(a.db(), [&](db::Connection& c) -> Status {
      ANJIAN_ASSIGN(auto rows, c.query("SELECT COUNT(*) FROM exchange_outbox"));
      n = rows[0].i64(0);
      return Status{};
    }).ok());
    return n;
  };
  EXPECT_GT(outbox_rows(*province_->app), 0) << "the replicas written at the province noted for forwarding";
  ASSERT_TRUE(county_->app->exchange().prune_outbox(0).ok());
  ASSERT_TRUE(province_->app->exchange().prune_outbox(0).ok());
  EXPECT_EQ(outbox_rows(*county_->app), 0);
  EXPECT_EQ(outbox_rows(*province_->app), 0) << "the province has no parent: nobody waits for its up-going changes";
  county_->add_enterprise("330106", "西湖未发送测试企业");
  ASSERT_TRUE(county_->app->exchange().prune_outbox(0).ok());
  EXPECT_EQ(outbox_rows(*county_->app), 1) << "what the parent has not had is kept";
}

TEST_P(ExchangeApi, DuplicatedReplayedAndReorderedBatchesChangeNothing) {
  std::vector<std::string> usccs;
  std::vector<std::string> kept;  // every batch, as the county wrote it
  for (int i = 0; i < 3; ++i) {
    usccs.push_back(county_->add_enterprise("330106", "西湖重放测试企业" + std::to_string(i)));
    const auto sent = carry();
    ASSERT_EQ(sent.files, 1);
    kept.push_back(read(sent.paths[0]));
  }
  // Arriving newest first: the later ones wait for the first, then all apply.
  const auto got = take();
  EXPECT_EQ(got.applied_files, 3);
  EXPECT_EQ(got.changes, 3);
  EXPECT_EQ(got.waiting_files, 0);
  for (const auto& u : usccs) EXPECT_EQ(province_->as("zj_admin").get("/api/v1/enterprises/" + u).status, 200u);
  // The same batches again: duplicates, nothing written.
  for (const auto& b : kept) {
    auto r = province_->app->exchange().receive(b, "test");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_TRUE(r->duplicate);
    EXPECT_EQ(r->applied, 0);
  }
  // Replayed after the province lost its place (restored from an old backup, say): the versions
  // held make every change a no-op.
  ASSERT_TRUE(db::with_transaction(province_->app->db(), [](db::Connection& c) -> Status {
    ANJIAN_TRY(c.exec("UPDATE exchange_links SET received_seq = 0"));
    return Status{};
  }).ok());
  std::int64_t unchanged = 0;
  for (const auto& b : kept) {
    auto r = province_->app->exchange().receive(b, "test");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->applied, 0);
    unchanged += r->unchanged;
  }
  EXPECT_GE(unchanged, 3);
  auto total = province_->as("zj_admin").get("/api/v1/enterprises?q=" + http::url_encode("西湖重放测试企业"));
  EXPECT_EQ(total.json().at("total").as_int64(), 3) << "no record doubled";
  // A gap: a batch whose predecessor never came waits, and is applied when it comes.
  const std::string late = county_->add_enterprise("330106", "西湖缺号测试企业甲");
  const auto first = carry();
  const std::string later = county_->add_enterprise("330106", "西湖缺号测试企业乙");
  const auto second = carry();
  const std::string first_bytes = read(first.paths[0]);
  fs::remove(first.paths[0]);  // lost on the way
  auto waiting = take();
  EXPECT_EQ(waiting.waiting_files, 1);
  EXPECT_EQ(province_->as("zj_admin").get("/api/v1/enterprises/" + later).status, 404u) << "not applied out of order";
  std::ofstream(first.paths[0], std::ios::binary) << first_bytes;  // sent again
  auto caught_up = take();
  EXPECT_EQ(caught_up.applied_files, 2);
  EXPECT_EQ(province_->as("zj_admin").get("/api/v1/enterprises/" + late).status, 200u);
  EXPECT_EQ(province_->as("zj_admin").get("/api/v1/enterprises/" + later).status, 200u);
}

TEST_P(ExchangeApi, TamperedRevokedAndForeignBatchesAreRefusedWholeAndReported) {
  const std::string uscc = county_->add_enterprise("330106", "西湖篡改测试企业");
  const auto sent = carry();
  ASSERT_EQ(sent.files, 1);
  const std::string good = read(sent.paths[0]);
  // One byte changed in the payload (the last byte: inside the compressed changes).
  std::string bad = good;
  bad.back() = static_cast<char>(bad.back() ^ 0x01);
  std::ofstream(sent.paths[0], std::ios::binary | std::ios::trunc) << bad;
  auto got = take();
  EXPECT_EQ(got.refused_files, 1);
  EXPECT_EQ(got.changes, 0);
  ASSERT_EQ(got.refused.size(), 1u);
  EXPECT_TRUE(fs::exists(fs::path(drop_) / "refused" / fs::path(sent.paths[0]).filename()));
  EXPECT_EQ(province_->as("zj_admin").get("/api/v1/enterprises/" + uscc).status, 404u) << "nothing of it applied";
  // Recorded: the link's count and error, the audit log (in Chinese), the administrators' inbox.
  auto links = province_->as("nation_admin").get("/api/v1/exchange/links");
  EXPECT_EQ(links.items()[0].at("refused_batches").as_int64(), 1);
  EXPECT_FALSE(links.items()[0].at("last_error").is_null());
  auto audit = province_->as("auditadmin").get("/api/v1/audit?action=exchange.batch_refused");
  ASSERT_EQ(audit.status, 200u) << audit.body;
  ASSERT_GE(audit.items().size(), 1u);
  EXPECT_EQ(audit.items()[0].at("outcome").as_string(), "failure");
  auto inbox = province_->as("zj_admin").get("/api/v1/notifications");
  bool told = false;
  for (const auto& n : inbox.items()) told |= n.at("title").as_string().find("拒收") != std::string::npos;
  EXPECT_TRUE(told) << inbox.body;

  // The untouched batch is then applied.
  auto ok = province_->app->exchange().receive(good, "test");
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->applied, 1);

  // A revoked key: whatever it signs is refused.
  ASSERT_TRUE(province_->app->nodes().revoke_key("xihu", key_fingerprint(county_key_), "test").ok());
  county_->add_enterprise("330106", "西湖吊销测试企业");
  const auto after_revoke = carry();
  auto refused = province_->app->exchange().receive(read(after_revoke.paths[0]), "test");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "batch_revoked_key");
  // The county rotates its key; the province registers the new one; the same changes go through.
  auto rotated = county_->app->nodes().rotate_key("test");
  ASSERT_TRUE(rotated.ok());
  ASSERT_TRUE(province_->app->nodes().register_peer({"xihu", "child", "", "330106", "", rotated->public_key}, "test").ok());
  fs::remove_all(drop_);
  fs::create_directories(drop_);
  ASSERT_TRUE(exchange::export_batches(county_->app->exchange(), county_->app->nodes(), drop_, "zj", 1).ok());
  EXPECT_EQ(take().refused_files, 0);
  EXPECT_EQ(province_->as("zj_admin").get("/api/v1/enterprises?q=" + http::url_encode("西湖吊销测试企业")).json().at("total").as_int64(), 1);

  // A county that sends a record of another county (滨江): refused whole, its own record with it.
  const std::string own = county_->add_enterprise("330106", "西湖越权测试本区企业");
  const std::string foreign = county_->add_enterprise("330108", "滨江越权测试企业");
  const auto mixed = carry();
  ASSERT_EQ(mixed.files, 1);
  auto not_owner = province_->app->exchange().receive(read(mixed.paths[0]), "test");
  ASSERT_FALSE(not_owner.ok());
  EXPECT_EQ(not_owner.error().code, "batch_not_owner");
  EXPECT_EQ(province_->as("zj_admin").get("/api/v1/enterprises/" + own).status, 404u) << "nothing of a refused batch is applied";
  EXPECT_EQ(province_->as("zj_admin").get("/api/v1/enterprises/" + foreign).status, 404u);
}

TEST_P(ExchangeApi, TheProvinceKeepsTheCountysAuditHeadAndNoticesARewrite) {
  county_->add_enterprise("330106", "西湖审计链测试企业");
  carry();
  EXPECT_EQ(take().refused_files, 0);
  ASSERT_TRUE(db::with_transaction(province_->app->db(), [](db::Connection& c) -> Status {
    ANJIAN_ASSIGN(auto rows, c.query("SELECT COUNT(*) FROM exchange_audit_heads WHERE node_id = 'xihu'"));
    if (rows[0].i64(0) != 1) return Error::internal("no head kept");
    return Status{};
  }).ok());
  // Someone at the county rewrites its log, hashes and head recomputed: the record the province
  // holds the head of now has another hash.
  ASSERT_TRUE(db::with_transaction(county_->app->db(), [](db::Connection& c) -> Status {
    ANJIAN_TRY(c.exec("UPDATE audit_log SET detail = '{}', hash = '1111111111111111111111111111111111111111111111111111111111111111' "
                      "WHERE seq = (SELECT MAX(seq) FROM audit_log)"));
    return Status{};
  }).ok());
  county_->add_enterprise("330106", "西湖审计链测试企业二");
  carry();
  EXPECT_EQ(take().applied_files, 1) << "the records still travel";
  auto audit = province_->as("auditadmin").get("/api/v1/audit?action=exchange.audit_head_mismatch");
  ASSERT_EQ(audit.status, 200u) << audit.body;
  EXPECT_GE(audit.items().size(), 1u) << "the rewrite is on record above";
}

// A county silent for longer than its online audit window: the head the province kept was archived
// since. The county anchors at its archive's boundary instead, and the province reads no rewrite.
TEST_P(ExchangeApi, AnAnchorArchivedSinceIsNoRewrite) {
  county_->add_enterprise("330106", "西湖归档锚点测试企业");
  carry();
  EXPECT_EQ(take().applied_files, 1);
  county_->add_enterprise("330106", "西湖归档锚点测试企业二");  // records after the kept head, archived with it
  audit::ArchiveSettings settings;
  settings.dir = county_->data_dir + "/audit-archive";
  settings.key_file = county_->data_dir + "/keys/audit-archive.pem";
  auto archived = audit::archive_old_records(county_->app->audit(), settings, now_ms() + 200 * 24 * 3600 * 1000LL);
  ASSERT_TRUE(archived.ok()) << archived.error().message;
  ASSERT_GE(archived->records, 3);
  county_->add_enterprise("330106", "西湖归档锚点测试企业三");
  carry();
  const auto taken = take();
  EXPECT_EQ(taken.applied_files, 1);
  EXPECT_EQ(taken.refused_files, 0);
  auto audit = province_->as("auditadmin").get("/api/v1/audit?action=exchange.audit_head_mismatch");
  ASSERT_EQ(audit.status, 200u) << audit.body;
  EXPECT_EQ(audit.items().size(), 0u) << audit.body;
}

// What arrives from below is told on the stream, by type and region, to the users who see that
// region (a home card refreshes): the province's and the city's regulators, not 宁波's.
TEST_P(ExchangeApi, ABatchFromBelowIsToldOnTheStreamWithinTheJurisdiction) {
  StreamClient hz(province_->port, province_->login("hz_insp"));
  StreamClient nb(province_->port, province_->login("nb_insp"));
  county_->add_enterprise("330106", "西湖实时通知测试企业");
  carry();
  EXPECT_EQ(take().applied_files, 1);
  const std::string m = hz.next_containing("exchange.received", std::chrono::seconds(5));
  ASSERT_FALSE(m.empty()) << "the city's inspector is told";
  const auto data = json::parse(m).at("data");
  EXPECT_EQ(data.at("record_type").as_string(), "enterprise");
  EXPECT_EQ(data.at("region_code").as_string(), "330106");
  EXPECT_GE(data.at("count").as_int64(), 1);
  EXPECT_EQ(nb.next_containing("exchange.received", std::chrono::milliseconds(800)), "") << "宁波 sees nothing of 西湖";
}

TEST_P(ExchangeApi, ACountyCannotOverwriteOrDeleteAnotherCountysRecord) {
  // A second county, 滨江, joins the province.
  County binjiang;
  auto bn = binjiang.app->nodes().init("binjiang", "330108", "", SignatureAlgorithm::ed25519, "test");
  ASSERT_TRUE(bn.ok());
  auto pn = province_->app->nodes().self();
  ASSERT_TRUE(province_->app->nodes().register_peer({"binjiang", "child", "", "330108", "", bn->public_key}, "test").ok());
  ASSERT_TRUE(binjiang.app->nodes().register_peer({"zj", "parent", "", "330000", "", pn->public_key}, "test").ok());
  const std::string uscc = binjiang.add_enterprise("330108", "滨江被冒用测试企业");
  ASSERT_TRUE(exchange::export_batches(binjiang.app->exchange(), binjiang.app->nodes(), drop_).ok());
  EXPECT_EQ(take().applied_files, 1);
  // 西湖 records the same code in its own county and sends it: the province holds it from 滨江.
  auto e = county_->app->enterprises().create(county_admin(),
                                              json::object{{"uscc", uscc}, {"name", "西湖冒名企业"}, {"region_code", "330106"}, {"industry", "machinery"}},
                                              "test");
  ASSERT_TRUE(e.ok()) << e.error().message;
  const auto sent = carry();
  ASSERT_EQ(sent.files, 1);
  auto r = province_->app->exchange().receive(read(sent.paths[0]), "test");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "batch_not_owner");
  auto kept = province_->as("zj_admin").get("/api/v1/enterprises/" + uscc);
  EXPECT_EQ(kept.json().at("name").as_string(), "滨江被冒用测试企业");
  EXPECT_EQ(kept.json().at("region_code").as_string(), "330108");
  // Nor can 西湖 delete it.
  ASSERT_TRUE(db::with_transaction(county_->app->db(), [&](db::Connection& c) -> Status {
    ANJIAN_TRY(c.exec("DELETE FROM enterprise_history WHERE uscc = ?", {uscc}));
    ANJIAN_TRY(c.exec("DELETE FROM enterprises WHERE uscc = ?", {uscc}));
    return Status{};
  }).ok());
  auto tomb = county_->app->exchange().next_batch("zj", exchange::Lane::bulk, sent.paths.empty() ? 0 : 0);
  ASSERT_TRUE(tomb.ok());
  ASSERT_FALSE(tomb->empty());
  auto refused = province_->app->exchange().receive(*tomb, "test");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "batch_not_owner");
  EXPECT_EQ(province_->as("zj_admin").get("/api/v1/enterprises/" + uscc).status, 200u);
}

// A replica its owner deleted leaves a tombstone above; a record made later above with the same
// code is the province's own, and the county sending that code again does not overwrite it.
TEST_P(ExchangeApi, ARecordMadeAboveAfterItsReplicaWasDeletedStaysTheNodesOwn) {
  const std::string uscc = county_->add_enterprise("330106", "西湖先注销企业");
  carry();
  EXPECT_EQ(take().applied_files, 1);
  ASSERT_EQ(province_->as("zj_admin").get("/api/v1/enterprises/" + uscc).status, 200u);
  ASSERT_TRUE(db::with_transaction(county_->app->db(), [&](db::Connection& c) -> Status {
    ANJIAN_TRY(c.exec("DELETE FROM enterprise_history WHERE uscc = ?", {uscc}));
    ANJIAN_TRY(c.exec("DELETE FROM enterprises WHERE uscc = ?", {uscc}));
    return Status{};
  }).ok());
  carry();
  EXPECT_EQ(take().applied_files, 1);
  ASSERT_EQ(province_->as("zj_admin").get("/api/v1/enterprises/" + uscc).status, 404u) << "the tombstone removed the replica";

  // The province records the code itself (an enterprise it registers directly): its own, editable.
  auto own = province_->as("zj_admin").post("/api/v1/enterprises", json::object{{"uscc", uscc}, {"name", "省级直接登记企业"},
                                                                              {"region_code", "330106"}, {"industry", "machinery"}});
  ASSERT_EQ(own.status, 201u) << own.body;
  auto edit = province_->as("zj_admin").request("PATCH", "/api/v1/enterprises/" + uscc, json_text(json::object{{"address", "西湖区文二路 2 号"}}),
                                                {{"If-Match", "\"1\""}, {"Content-Type", "application/json"}});
  EXPECT_EQ(edit.status, 200u) << "not a replica any more: " << edit.body;

  // The county makes the code again and sends it: refused as a conflict, the province's record kept.
  ASSERT_TRUE(county_->app->enterprises()
                  .create(county_admin(), json::object{{"uscc", uscc}, {"name", "西湖重新登记企业"}, {"region_code", "330106"}, {"industry", "machinery"}},
                          "test")
                  .ok());
  const auto sent = carry();
  ASSERT_EQ(sent.files, 1);
  auto r = province_->app->exchange().receive(read(sent.paths[0]), "test");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->conflicts, 1);
  EXPECT_EQ(r->applied, 0);
  auto kept = province_->as("zj_admin").get("/api/v1/enterprises/" + uscc);
  EXPECT_EQ(kept.json().at("name").as_string(), "省级直接登记企业");
  auto view = province_->as("zj_admin").get("/api/v1/enterprises/" + uscc + "/view");
  EXPECT_TRUE(view.json().at("sections").at("replica").is_null()) << view.body;
}

TEST_P(ExchangeApi, AnAccidentReportTravelsAheadOfABacklogAndOverHttp) {
  // A backlog: more enterprises than a batch holds (the county's batches hold 10 here).
  for (int i = 0; i < 25; ++i) county_->add_enterprise("330106", "西湖积压测试企业" + std::to_string(i));
  json::object report{{"region_code", "330106"}, {"occurred_at", format_iso(now_ms() - 600'000)}, {"industry", "hazchem_use"},
                      {"kind", "火灾"}, {"deaths", 1}, {"missing", 0}, {"serious_injuries", 0}, {"minor_injuries", 2},
                      {"direct_loss_yuan", 300'000}, {"description", "仓库起火。"}, {"measures", "已扑灭。"},
                      {"party", json::object{{"name", "西湖某仓库"}, {"address", "西湖区某路1号"}}},
                      {"reporter", json::object{{"name", "李值班"}, {"phone", "13900001111"}}}};
  auto accident = county_->app->accidents().report(county_admin(), report, "test");
  ASSERT_TRUE(accident.ok()) << accident.error().message;
  const auto sent = carry();
  ASSERT_GE(sent.files, 4);
  EXPECT_NE(sent.paths[0].find("__priority__"), std::string::npos) << "the accident's batch is written first";
  // Only the priority batch has arrived: the report is at the province, the backlog is not.
  fs::create_directories(drop_ + "/later");
  for (size_t i = 1; i < sent.paths.size(); ++i) fs::rename(sent.paths[i], drop_ + "/later/" + fs::path(sent.paths[i]).filename().string());
  EXPECT_EQ(take().applied_files, 1);
  auto seen = province_->as("hz_insp").get("/api/v1/exchange/records?type=accident");
  ASSERT_EQ(seen.status, 200u) << seen.body;
  ASSERT_EQ(seen.items().size(), 1u);
  const json::value rec = seen.items()[0];
  EXPECT_EQ(rec.at("owner_node").as_string(), "xihu");
  EXPECT_EQ(rec.at("region_name").as_string(), "西湖区");
  EXPECT_EQ(rec.at("data").at("kind").as_string(), "火灾");
  EXPECT_EQ(rec.at("data").at("deaths").as_int64(), 1);
  EXPECT_FALSE(rec.at("data").at("hops").as_array().empty()) << "its chain as the county holds it";
  EXPECT_EQ(province_->as("binjiang_insp").get("/api/v1/exchange/records?type=accident").items().size(), 0u) << "within the jurisdiction";
  EXPECT_EQ(province_->as("zj_admin").get("/api/v1/enterprises?q=" + http::url_encode("西湖积压测试企业")).json().at("total").as_int64(), 0);
  EXPECT_EQ(province_->as("hz_insp").get("/api/v1/exchange/records?type=nothing").status, 400u);

  // Over HTTP: the county pushes what the province does not have yet; the province's answer moves
  // the county's cursor, and a parent that waits for an earlier batch is sent it again.
  auto fed = exchange::push_to_parents(county_->app->exchange(), county_->app->nodes());
  EXPECT_EQ(fed.batches, 0) << "no URL registered for the parent yet";
  ASSERT_TRUE(county_->app->nodes()
                  .register_peer({"zj", "parent", "", "330000", "http://127.0.0.1:" + std::to_string(province_->port),
                                  std::string(province_->app->nodes().self()->public_key)},
                                 "test")
                  .ok());
  // The file-drop cursor moved past the bulk batches that never arrived: the next change is
  // pushed, the province says which position it waits for, and the county sends from there.
  county_->add_enterprise("330106", "西湖积压测试企业25");
  fed = exchange::push_to_parents(county_->app->exchange(), county_->app->nodes());
  EXPECT_TRUE(fed.error.empty()) << fed.error;
  EXPECT_GE(fed.batches, 3);
  EXPECT_EQ(province_->as("zj_admin").get("/api/v1/enterprises?q=" + http::url_encode("西湖积压测试企业")).json().at("total").as_int64(), 26);
  auto links = county_->app->exchange().links();
  ASSERT_TRUE(links.ok());
  EXPECT_EQ((*links)[0].backlog, 0);
  // A parent that cannot be reached is an error on the link, shown to the administrators.
  const std::string key(province_->app->nodes().self()->public_key);
  ASSERT_TRUE(county_->app->nodes().register_peer({"zj", "parent", "", "330000", "http://127.0.0.1:1", key}, "test").ok());
  county_->add_enterprise("330106", "西湖积压测试企业26");
  fed = exchange::push_to_parents(county_->app->exchange(), county_->app->nodes());
  EXPECT_EQ(fed.batches, 0);
  EXPECT_NE(fed.error.find("无法连接上级节点"), std::string::npos) << fed.error;
  links = county_->app->exchange().links();
  EXPECT_NE((*links)[0].last_error.find("无法连接上级节点"), std::string::npos);
  EXPECT_EQ((*links)[0].backlog, 1) << "kept until the parent is back";
}

// The supervision records declared by the other modules travel like the registry: hazard sources
// and their GB 18218 assessments, risk points, changes of an enterprise's risk level, hidden
// dangers — a 重大 one in the priority lane, ahead of the rest — each kept above as a replica of
// the county's, within the province users' jurisdiction.
TEST_P(ExchangeApi, HazardsRisksAndHiddenDangersTravelUpAndAMajorHiddenDangerGoesFirst) {
  auto& c = *county_->app;
  const auto admin = county_admin();
  const std::string uscc = county_->add_enterprise("330106", "西湖共享测试化工有限公司");
  auto source = c.hazards().create(admin, json::parse(R"({"enterprise_uscc":")" + uscc + R"(","code":"HS1","name":"液氯储罐区",
      "kind":"tank_farm","lon":120.1,"lat":30.2,"people_exposed":60,"substances":[{"name":"液氯","cas":"7782-50-5","quantity_t":30}]})").as_object(), "test");
  ASSERT_TRUE(source.ok()) << source.error().message;
  auto graded = c.assessments().assess(admin, source->id, "assessed", "test");
  ASSERT_TRUE(graded.ok()) << graded.error().message;
  auto point = c.risk_points().create(admin, json::parse(R"({"enterprise_uscc":")" + uscc + R"(","code":"RP1","name":"液氯卸车点",
      "kind":"equipment","location":"罐区东侧","hazards":[{"factor":"储罐泄漏","consequence":"中毒和窒息"}],
      "measures":{"engineering":["液位高高联锁"]},"responsible_level":"workshop","responsible_person":"王工",
      "assessment":{"method":"lec","l":6,"e":6,"c":15}})").as_object(), "test");
  ASSERT_TRUE(point.ok()) << point.error().message;
  ASSERT_TRUE(c.enterprise_risk().recompute({uscc}, now_ms(), "test").ok());
  auto general = c.hidden_dangers().report(admin, json::object{{"enterprise_uscc", uscc}, {"description", "1号储罐区紧急切断阀未投用"},
                                                                {"grade", "general"}, {"found_by", "self_inspection"},
                                                                {"found_at", format_iso(now_ms() - 3'600'000)}}, "test");
  ASSERT_TRUE(general.ok()) << general.error().message;
  auto major = c.hidden_dangers().report(admin, json::object{{"enterprise_uscc", uscc}, {"description", "液氯储罐区未设置紧急切断装置"},
                                                              {"grade", "major"}, {"major_reason", "涉及有毒气体的重大危险源未设置紧急切断装置"},
                                                              {"found_by", "self_inspection"}, {"found_at", format_iso(now_ms() - 600'000)}}, "test");
  ASSERT_TRUE(major.ok()) << major.error().message;

  const auto sent = carry();
  ASSERT_GE(sent.files, 2);
  ASSERT_NE(sent.paths[0].find("__priority__"), std::string::npos) << "the 重大隐患's batch is written first";
  fs::create_directories(drop_ + "/later");
  for (size_t i = 1; i < sent.paths.size(); ++i) fs::rename(sent.paths[i], drop_ + "/later/" + fs::path(sent.paths[i]).filename().string());
  EXPECT_EQ(take().applied_files, 1);
  auto dangers = province_->as("hz_insp").get("/api/v1/exchange/records?type=hidden_danger");
  ASSERT_EQ(dangers.status, 200u) << dangers.body;
  ASSERT_EQ(dangers.items().size(), 1u) << "only the 重大 one came ahead";
  EXPECT_EQ(dangers.items()[0].at("id").as_string(), major->id);
  EXPECT_EQ(dangers.items()[0].at("data").at("grade").as_string(), "major");
  EXPECT_EQ(dangers.items()[0].at("data").at("grade_label").as_string(), "重大事故隐患") << "enumerations carry their Chinese names";
  EXPECT_EQ(dangers.items()[0].at("data").at("state_label").as_string(), "已登记");
  EXPECT_EQ(dangers.items()[0].at("owner_node").as_string(), "xihu");

  // The rest follows with the bulk.
  for (const auto& f : batch_files(drop_ + "/later")) fs::rename(f, drop_ + "/" + fs::path(f).filename().string());
  take();
  auto records = [&](const std::string& user, const std::string& type) {
    auto r = province_->as(user).get("/api/v1/exchange/records?type=" + type);
    EXPECT_EQ(r.status, 200u) << type << " " << r.body;
    return r.status == 200u ? r.items() : json::array{};
  };
  EXPECT_EQ(records("hz_insp", "hidden_danger").size(), 2u);
  const auto sources = records("hz_insp", "hazard_source");
  ASSERT_EQ(sources.size(), 1u);
  EXPECT_EQ(sources[0].at("data").at("name").as_string(), "液氯储罐区");
  EXPECT_EQ(sources[0].at("data").at("substances").as_array()[0].at("name").as_string(), "液氯") << "a JSON column travels as JSON";
  EXPECT_EQ(sources[0].at("region_name").as_string(), "西湖区") << "the region is the enterprise's";
  const auto assessments = records("hz_insp", "hazard_assessment");
  ASSERT_EQ(assessments.size(), 1u);
  EXPECT_EQ(assessments[0].at("data").at("hazard_source_id").as_string(), source->id);
  EXPECT_TRUE(assessments[0].at("data").at("is_major").is_bool());
  EXPECT_EQ(assessments[0].at("data").at("reason_label").as_string(), "申请辨识");
  const auto points = records("hz_insp", "risk_point");
  ASSERT_EQ(points.size(), 1u);
  EXPECT_EQ(points[0].at("data").at("level").as_string(), "major");
  EXPECT_EQ(points[0].at("data").at("level_label").as_string(), "重大风险");
  EXPECT_EQ(points[0].at("enterprise_name").as_string(), "西湖共享测试化工有限公司") << "people read the enterprise's name";
  EXPECT_EQ(points[0].at("data").at("score").to_number<double>(), 540);
  const auto levels = records("hz_insp", "enterprise_risk_level");
  ASSERT_GE(levels.size(), 1u);
  EXPECT_EQ(levels[0].at("data").at("uscc").as_string(), uscc);
  // Another county's regulator sees none of them; the province's own registry holds no copy.
  for (const char* type : {"hidden_danger", "hazard_source", "hazard_assessment", "risk_point", "enterprise_risk_level"})
    EXPECT_EQ(records("binjiang_insp", type).size(), 0u) << type;
  EXPECT_EQ(province_->as("zj_admin").get("/api/v1/hidden-dangers/" + major->id).status, 404u) << "kept as a replica, not the province's own";

  // Closed at the county, the 重大隐患 is closed above too: a later version replaces the replica.
  const auto version = major->version;
  ASSERT_TRUE(c.hidden_dangers().act(admin, major->id, "regrade", version, json::object{{"grade", "general"}, {"reason", "复核为一般隐患"}}, "test").ok());
  carry();
  take();
  for (const auto& d : records("hz_insp", "hidden_danger")) {
    if (d.at("id").as_string() != major->id) continue;
    EXPECT_EQ(d.at("data").at("grade").as_string(), "general");
  }
}

// A file in the drop folder larger than any batch may be (a 网闸 that joined two files, a wrong
// file copied in) is set aside and reported, not skipped unseen on every pass; another node's
// mail in a shared folder is left alone, whatever its size.
TEST_P(ExchangeApi, AFileTooLargeForAnyBatchIsSetAsideAndReported) {
  const std::string uscc = county_->add_enterprise("330106", "西湖超大文件测试企业");
  const auto sent = carry();
  ASSERT_GE(sent.files, 1);
  const auto limit = province_->app->exchange().settings().max_batch_bytes;
  // Sparse files: the size is there, the disk is not used.
  const fs::path huge = fs::path(drop_) / "joined.batch", other = fs::path(drop_) / "for-hangzhou.batch";
  std::ofstream(huge, std::ios::binary) << "two batches joined by a gateway";
  fs::resize_file(huge, static_cast<std::uintmax_t>(limit) + 1);
  std::string manifest = read(sent.paths[0]);
  manifest.resize(manifest.find('\n', manifest.find('\n') + 1) + 1);  // the magic line, the manifest line
  const auto at = manifest.find("\"receiver\":\"zj\"");
  ASSERT_NE(at, std::string::npos) << manifest;
  manifest.replace(at, 15, "\"receiver\":\"hz\"");
  std::ofstream(other, std::ios::binary) << manifest;
  fs::resize_file(other, static_cast<std::uintmax_t>(limit) + 1);

  auto got = take();
  EXPECT_EQ(got.refused_files, 1);
  ASSERT_EQ(got.refused.size(), 1u);
  EXPECT_NE(got.refused[0].find("超过上限"), std::string::npos) << got.refused[0];
  EXPECT_TRUE(fs::exists(fs::path(drop_) / "refused" / "joined.batch"));
  EXPECT_TRUE(fs::exists(other)) << "another node's mail stays in the shared folder";
  EXPECT_GE(got.applied_files, 1) << "the real batches beside it are applied";
  EXPECT_EQ(province_->as("zj_admin").get("/api/v1/enterprises/" + uscc).status, 200u);
  auto audit = province_->as("auditadmin").get("/api/v1/audit?action=exchange.batch_refused");
  ASSERT_EQ(audit.status, 200u) << audit.body;
  bool recorded = false;
  for (const auto& a : audit.items()) recorded |= json::serialize(a).find("batch_too_large") != std::string::npos;
  EXPECT_TRUE(recorded) << audit.body;
  EXPECT_EQ(take().refused_files, 0) << "set aside once, not refused again on every pass";
}

// A start installs the outbox triggers only where they are missing or different: on PostgreSQL,
// dropping and creating them locks the table (a province's million enterprises) and waits for any
// autovacuum of it; on SQLite it is cheap and done each time.
TEST_P(ExchangeApi, AStartLeavesTriggersThatAreAlreadyAsWantedAlone) {
  if (GetParam() != "postgres") GTEST_SKIP() << "PostgreSQL's statement triggers";
  auto oids = [&] {
    auto r = province_->app->db().read();
    auto rows = (*r)->query("SELECT t.oid FROM pg_trigger t WHERE t.tgname LIKE 'exchange_out_%' ORDER BY t.tgname");
    EXPECT_TRUE(rows.ok());
    std::vector<std::int64_t> out;
    if (rows.ok())
      for (const auto& row : *rows) out.push_back(row.i64(0));
    return out;
  };
  const auto before = oids();
  ASSERT_GE(before.size(), 9u) << "three a table, for the enterprises and the others";
  ASSERT_TRUE(province_->app->exchange().install_triggers().ok());
  EXPECT_EQ(oids(), before) << "the same triggers, not dropped and created again";
  // One changed by hand (an older version's) is put right.
  {
    auto w = province_->app->db().write();
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->exec_script("COMMENT ON TRIGGER exchange_out_enterprises_i ON enterprises IS 'older'").ok());
  }
  ASSERT_TRUE(province_->app->exchange().install_triggers().ok());
  const auto after = oids();
  ASSERT_EQ(after.size(), before.size());
  EXPECT_NE(after, before) << "the one that differed was installed again";
  const std::string uscc = county_->add_enterprise("330106", "西湖触发器测试企业");
  carry();
  EXPECT_EQ(take().refused_files, 0);
  EXPECT_EQ(province_->as("zj_admin").get("/api/v1/enterprises/" + uscc).status, 200u);
  auto r = province_->app->db().read();
  auto noted = (*r)->query("SELECT COUNT(*) FROM exchange_outbox WHERE record_type = 'enterprise' AND record_id = ?", {uscc});
  ASSERT_TRUE(noted.ok());
  EXPECT_EQ((*noted)[0].i64(0), 1) << "the reinstalled trigger noted the write";
}

// The province sums up what its counties reported (a home card's 重大隐患 of the counties), by the
// records' fields and region, within each user's jurisdiction.
TEST_P(ExchangeApi, ReplicasAreCountedByTheirFieldsWithinTheJurisdiction) {
  auto& c = *county_->app;
  const auto admin = county_admin();
  const std::string uscc = county_->add_enterprise("330106", "西湖统计测试化工有限公司");
  for (const char* grade : {"major", "general", "general"}) {
    json::object f{{"enterprise_uscc", uscc}, {"description", std::string("统计测试隐患 ") + grade}, {"grade", grade},
                   {"found_by", "self_inspection"}, {"found_at", format_iso(now_ms() - 600'000)}};
    if (std::string(grade) == "major") f["major_reason"] = "涉及有毒气体的重大危险源未设置紧急切断装置";
    auto made = c.hidden_dangers().report(admin, f, "test");
    ASSERT_TRUE(made.ok()) << made.error().message;
  }
  carry();
  take();
  auto counts = [&](const std::string& user, const std::string& query) { return province_->as(user).get("/api/v1/exchange/records/counts?" + query); };
  auto r = counts("hz_insp", "type=hidden_danger&by=grade,state");
  ASSERT_EQ(r.status, 200u) << r.body;
  auto j = r.json();
  EXPECT_EQ(j.at("total").as_int64(), 3);
  const auto& items = j.at("items").as_array();
  ASSERT_EQ(items.size(), 2u) << r.body;
  EXPECT_EQ(items[0].at("values").at("grade").as_string(), "general") << "most numerous first";
  EXPECT_EQ(items[0].at("count").as_int64(), 2);
  EXPECT_EQ(items[1].at("values").at("grade").as_string(), "major");
  EXPECT_EQ(items[1].at("labels").at("grade").as_string(), "重大事故隐患");
  EXPECT_EQ(items[1].at("values").at("state").as_string(), "reported");
  EXPECT_EQ(items[1].at("labels").at("state").as_string(), "已登记");

  auto by_region = counts("zj_admin", "type=hidden_danger&by=region_code").json();
  ASSERT_EQ(by_region.at("items").as_array().size(), 1u);
  EXPECT_EQ(by_region.at("items").as_array()[0].at("labels").at("region_code").as_string(), "西湖区");
  auto supervised = counts("hz_insp", "type=hidden_danger&by=supervised").json();
  ASSERT_EQ(supervised.at("items").as_array().size(), 1u);
  EXPECT_EQ(supervised.at("items").as_array()[0].at("values").at("supervised").as_string(), "false") << "booleans alike on both backends";
  EXPECT_EQ(supervised.at("items").as_array()[0].at("labels").at("supervised").as_string(), "否");

  // Replicas kept before facets were (migration 45) are filled at the next start, and count alike.
  {
    auto w = province_->app->db().write();
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->exec("UPDATE exchange_records SET facets = ''").ok());
  }
  EXPECT_EQ(counts("hz_insp", "type=hidden_danger&by=grade,state").json().at("items").as_array().size(), 1u) << "unfilled: one group of ''";
  ASSERT_TRUE(province_->app->exchange().fill_facets().ok());
  EXPECT_EQ(counts("hz_insp", "type=hidden_danger&by=grade,state").json(), j) << "filled: the same counts as before";

  auto other = counts("binjiang_insp", "type=hidden_danger&by=grade");
  ASSERT_EQ(other.status, 200u);
  EXPECT_EQ(other.json().at("total").as_int64(), 0) << "another county's regulator counts none of 西湖's";
  EXPECT_TRUE(other.json().at("items").as_array().empty());

  for (const char* bad : {"type=hidden_danger", "type=hidden_danger&by=", "type=hidden_danger&by=found_at", "type=hidden_danger&by=grade,grade",
                          "type=hidden_danger&by=grade,state,supervised,category", "type=hidden_danger&by=grade')%20OR%201=1--",
                          "type=hidden_danger&by=data", "type=hidden_danger&by=description", "type=nope&by=grade", "by=grade"}) {
    auto refused = counts("hz_insp", bad);
    EXPECT_EQ(refused.status, 400u) << bad << " " << refused.body;
    if (refused.status == 400u) {
      EXPECT_EQ(refused.json().at("error").at("code").as_string(), "invalid_field") << bad;
    }
  }
  EXPECT_EQ(province_->anonymous().get("/api/v1/exchange/records/counts?type=hidden_danger&by=grade").status, 401u);
}

INSTANTIATE_TEST_SUITE_P(Backends, ExchangeApi, ::testing::Values("sqlite", "postgres"));
