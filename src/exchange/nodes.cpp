#include "exchange/nodes.h"

#include <sys/stat.h>

#include <filesystem>

#include "base/json_text.h"
#include "files/durable_file.h"

namespace anjian::exchange {
namespace {

Error not_initialised() {
  return {"not_initialised", "本节点尚未初始化：请先运行 anjian node init", {}};
}

bool valid_node_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
      return false;
  return true;
}

AuditEvent node_audit(const std::string& by, std::string action, std::string target, std::string region, std::string detail) {
  AuditEvent e;
  e.at = now_ms();
  e.username = by;
  e.source = "cli";
  e.action = std::move(action);
  e.target = std::move(target);
  e.region_code = std::move(region);
  e.outcome = "success";
  e.detail = std::move(detail);
  return e;
}

}  // namespace

std::string_view level_label(std::string_view level) {
  if (level == "nation") return "国家级";
  if (level == "province") return "省级";
  if (level == "city") return "市级";
  if (level == "county") return "县级";
  return level;
}

Nodes::Nodes(db::Database& db, const codes::RegionTable& regions, AuditSink& audit, std::string key_file)
    : db_(db), regions_(regions), audit_(audit), key_file_(std::move(key_file)) {}

Result<std::string> Nodes::private_key() const {
  auto pem = files::read_whole_file(key_file_, 64 * 1024);
  if (!pem.ok()) return Error{"not_initialised", "本节点的签名私钥无法读取（" + key_file_ + "）：" + pem.error().message, {}};
  return pem;
}

Result<NodeInfo> Nodes::self() const {
  ANJIAN_ASSIGN(auto lease, db_.read());
  ANJIAN_ASSIGN(auto rows, lease->query("SELECT node_id, level, region_code, name, created_at FROM exchange_node WHERE id = 1"));
  if (rows.empty()) return not_initialised();
  NodeInfo n{rows[0].str(0), rows[0].str(1), rows[0].str(2), rows[0].str(3), {}, {}, {}, rows[0].i64(4)};
  ANJIAN_ASSIGN(const std::string pem, private_key());
  ANJIAN_ASSIGN(n.public_key, public_key_of(pem));
  ANJIAN_ASSIGN(n.algorithm, key_algorithm(n.public_key));
  n.fingerprint = key_fingerprint(n.public_key);
  return n;
}

Result<NodeInfo> Nodes::init(std::string node_id, const std::string& region_code, std::string name,
                             SignatureAlgorithm algorithm, const std::string& by) {
  const codes::Region* region = regions_.find(region_code);
  if (!region) return Error::invalid_field("region_code", "未知的行政区划代码：" + region_code);
  if (node_id.empty()) node_id = region_code;
  if (!valid_node_id(node_id)) return Error::invalid_field("node_id", "节点标识须为 1–64 个字母、数字或 . _ -");
  // A county-equivalent city is a city; the nation is 100000 by convention.
  std::string level = region_code == "100000" ? "nation" : std::string(codes::to_string(region->level));
  if (name.empty()) name = region->name + "安全生产监管节点";
  {
    // The row, not self(): a database or key-file error must not read as "not initialised" and
    // end with a working key overwritten.
    ANJIAN_ASSIGN(auto lease, db_.read());
    ANJIAN_ASSIGN(auto rows, lease->query("SELECT node_id FROM exchange_node WHERE id = 1"));
    if (!rows.empty()) return Error::conflict("本节点已初始化，不能再次初始化（需要更换密钥请用 anjian node rotate-key）");
  }
  ANJIAN_ASSIGN(const SigningKey generated, generate_signing_key(algorithm));
  // The key first (a row without its key would be a node that cannot sign); a key file already
  // there (an init that failed after writing it) is kept and used.
  ANJIAN_TRY(files::write_file_durably(key_file_, generated.private_pem, 0600, files::IfExists::keep));
  ANJIAN_ASSIGN(const std::string pem, private_key());
  ANJIAN_ASSIGN(const std::string public_key, public_key_of(pem));
  const SigningKey key{pem, public_key};
  ANJIAN_TRY(db::with_transaction(db_, [&](db::Connection& c) -> Status {
    ANJIAN_TRY(c.exec("INSERT INTO exchange_node (id, node_id, level, region_code, name, created_at) VALUES (1, ?, ?, ?, ?, ?)",
                      {node_id, level, region_code, name, now_ms()}));
    return audit_.record_in(c, node_audit(by, "exchange.node_init", "node:" + node_id, region_code,
                                          json_text(boost::json::object{{"fingerprint", key_fingerprint(key.public_key)}})));
  }));
  return self();
}

Result<NodeInfo> Nodes::rotate_key(const std::string& by) {
  ANJIAN_ASSIGN(const NodeInfo before, self());
  ANJIAN_ASSIGN(const std::string old_pem, private_key());
  ANJIAN_ASSIGN(const SigningKey key, generate_signing_key(before.algorithm == "sm2" ? SignatureAlgorithm::sm2 : SignatureAlgorithm::ed25519));
  ANJIAN_TRY(files::write_file_durably(key_file_ + ".old", old_pem, 0600, files::IfExists::replace));
  ANJIAN_TRY(files::write_file_durably(key_file_, key.private_pem, 0600, files::IfExists::replace));
  ANJIAN_TRY(audit_.record(node_audit(by, "exchange.key_rotate", "node:" + before.node_id, before.region_code,
                                      json_text(boost::json::object{{"old", before.fingerprint}, {"new", key_fingerprint(key.public_key)}}))));
  return self();
}

Result<Peer> Nodes::register_peer(const PeerRegistration& r, const std::string& by) {
  ANJIAN_ASSIGN(const NodeInfo me, self());
  if (!valid_node_id(r.node_id)) return Error::invalid_field("node_id", "节点标识须为 1–64 个字母、数字或 . _ -");
  if (r.node_id == me.node_id) return Error::invalid_field("node_id", "不能把本节点登记为对端");
  if (r.relation != "parent" && r.relation != "child") return Error::invalid_field("relation", "关系须为 parent（上级）或 child（下级）");
  const codes::Region* region = regions_.find(r.region_code);
  if (!region) return Error::invalid_field("region_code", "未知的行政区划代码：" + r.region_code);
  // The parent's region holds ours; a child's lies within ours (the nation holds every province).
  const bool nation_above = r.region_code == "100000";
  const bool fits = r.relation == "parent" ? (nation_above || (regions_.contains(r.region_code, me.region_code) && r.region_code != me.region_code))
                                           : (me.region_code == "100000" || (regions_.contains(me.region_code, r.region_code) && r.region_code != me.region_code));
  if (!fits)
    return Error::invalid_field("region_code", r.relation == "parent" ? "上级节点的行政区划须包含本节点的行政区划"
                                                                      : "下级节点的行政区划须在本节点的行政区划之内");
  ANJIAN_ASSIGN(const std::string algorithm, key_algorithm(r.public_key));
  const std::string fingerprint = key_fingerprint(r.public_key);
  const std::string level = nation_above ? "nation" : std::string(codes::to_string(region->level));
  const std::string name = r.name.empty() ? region->name + "安全生产监管节点" : r.name;
  ANJIAN_TRY(db::with_transaction(db_, [&](db::Connection& c) -> Status {
    ANJIAN_ASSIGN(auto existing, c.query("SELECT relation, region_code FROM exchange_peers WHERE node_id = ?", {r.node_id}));
    if (!existing.empty() && (existing[0].str(0) != r.relation || existing[0].str(1) != r.region_code))
      return Error::conflict("该节点已以其他关系或行政区划登记：" + r.node_id, "node_id");
    if (existing.empty()) {
      if (r.relation == "parent") {
        ANJIAN_ASSIGN(auto parents, c.query("SELECT node_id FROM exchange_peers WHERE relation = 'parent'"));
        if (!parents.empty()) return Error::conflict("本节点已有上级节点：" + parents[0].str(0), "relation");
      }
      ANJIAN_TRY(c.exec("INSERT INTO exchange_peers (node_id, relation, name, level, region_code, url, registered_at, registered_by) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        {r.node_id, r.relation, name, level, r.region_code, r.url.empty() ? db::Value(nullptr) : db::Value(r.url), now_ms(), by}));
      for (const char* lane : {"priority", "bulk"})
        ANJIAN_TRY(c.exec("INSERT INTO exchange_links (peer_node, lane) VALUES (?, ?)", {r.node_id, std::string(lane)}));
    } else if (!r.url.empty()) {
      ANJIAN_TRY(c.exec("UPDATE exchange_peers SET url = ? WHERE node_id = ?", {r.url, r.node_id}));
    }
    ANJIAN_ASSIGN(auto key_rows, c.query("SELECT state FROM exchange_peer_keys WHERE node_id = ? AND fingerprint = ?", {r.node_id, fingerprint}));
    if (!key_rows.empty() && key_rows[0].str(0) == "revoked")
      return Error::conflict("该公钥已被吊销，不能再次登记", "public_key");
    if (key_rows.empty())
      ANJIAN_TRY(c.exec("INSERT INTO exchange_peer_keys (node_id, fingerprint, public_key, algorithm, state, added_at) VALUES (?, ?, ?, ?, 'active', ?)",
                        {r.node_id, fingerprint, r.public_key, algorithm, now_ms()}));
    return audit_.record_in(c, node_audit(by, "exchange.peer_register", "node:" + r.node_id, r.region_code,
                                          json_text(boost::json::object{{"relation", r.relation}, {"fingerprint", fingerprint}})));
  }));
  return peer(r.node_id);
}

Status Nodes::revoke_key(const std::string& node_id, const std::string& fingerprint, const std::string& by) {
  return db::with_transaction(db_, [&](db::Connection& c) -> Status {
    ANJIAN_ASSIGN(auto peer_rows, c.query("SELECT region_code FROM exchange_peers WHERE node_id = ?", {node_id}));
    if (peer_rows.empty()) return Error::not_found("没有登记该节点：" + node_id);
    ANJIAN_ASSIGN(const auto n, c.exec("UPDATE exchange_peer_keys SET state = 'revoked', revoked_at = ? WHERE node_id = ? AND fingerprint = ? AND state = 'active'",
                                       {now_ms(), node_id, fingerprint}));
    if (n == 0) return Error::not_found("该节点没有这把有效的公钥：" + fingerprint);
    return audit_.record_in(c, node_audit(by, "exchange.key_revoke", "node:" + node_id, peer_rows[0].str(0),
                                          json_text(boost::json::object{{"fingerprint", fingerprint}})));
  });
}

Result<std::vector<Peer>> Nodes::peers() const {
  ANJIAN_ASSIGN(auto lease, db_.read());
  ANJIAN_ASSIGN(auto rows, lease->query("SELECT node_id, relation, name, level, region_code, url, registered_at, registered_by "
                                        "FROM exchange_peers ORDER BY relation DESC, region_code, node_id"));
  ANJIAN_ASSIGN(auto keys, lease->query("SELECT node_id, fingerprint, public_key, algorithm, state, added_at, revoked_at "
                                        "FROM exchange_peer_keys ORDER BY added_at, fingerprint"));
  std::vector<Peer> out;
  for (const auto& r : rows) {
    Peer p{r.str(0), r.str(1), r.str(2), r.str(3), r.str(4), r.str(5), r.i64(6), r.str(7), {}};
    for (const auto& k : keys)
      if (k.str(0) == p.node_id) p.keys.push_back({k.str(1), k.str(2), k.str(3), k.str(4), k.i64(5), k.opt_i64(6)});
    out.push_back(std::move(p));
  }
  return out;
}

Result<Peer> Nodes::peer(const std::string& node_id) const {
  ANJIAN_ASSIGN(auto all, peers());
  for (auto& p : all)
    if (p.node_id == node_id) return p;
  return Error::not_found("没有登记该节点：" + node_id);
}

KnownKey Nodes::lookup(const std::string& sender, const std::string& fingerprint) const {
  auto lease = db_.read();
  if (!lease.ok()) return {};
  auto rows = (*lease)->query("SELECT state, public_key FROM exchange_peer_keys WHERE node_id = ? AND fingerprint = ?", {sender, fingerprint});
  if (!rows.ok() || rows->empty()) return {};
  return KnownKey{(*rows)[0].str(0) == "active" ? KnownKey::State::active : KnownKey::State::revoked, (*rows)[0].str(1)};
}

}  // namespace anjian::exchange
