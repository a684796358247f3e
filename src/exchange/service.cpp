#include "exchange/service.h"

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "base/crypto.h"
#include "base/json_text.h"
#include "exchange/facets_format.h"
#include "exchange/outbox.h"

namespace anjian::exchange {
namespace json = boost::json;
namespace {

constexpr size_t kChunk = 500;  // ids per IN (…): well under both backends' parameter limits

Direction direction_to(const Peer& peer) { return peer.relation == "parent" ? Direction::up : Direction::down; }

std::string sqlite_now() { return "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"; }

Error refused(std::string code, std::string message) { return {std::move(code), std::move(message), {}}; }

}  // namespace

// SQLite's AUTOINCREMENT gives the positions; on PostgreSQL the counter row moved once for all of them (see migration 41: once a row would
// leave a dead version of it per record within the transaction).
Status note_outbox(db::Connection& c, Lane lane, const std::string& type, const std::vector<std::string>& ids) {
  constexpr size_t kRows = 400;  // × 4 values: under both backends' parameter limits
  const std::string lane_text(lane_name(lane));
  const Millis now = now_ms();
  std::int64_t next = 0;
  if (c.dialect() == db::Dialect::postgres && !ids.empty()) {
    ANJIAN_ASSIGN(auto n, c.query("UPDATE exchange_counter SET n = n + ? WHERE id = 1 RETURNING n", {static_cast<std::int64_t>(ids.size())}));
    next = n[0].i64(0) - static_cast<std::int64_t>(ids.size()) + 1;
  }
  for (size_t i = 0; i < ids.size(); i += kRows) {
    const size_t end = std::min(ids.size(), i + kRows);
    std::vector<db::Value> params;
    std::string sql = c.dialect() == db::Dialect::sqlite ? "INSERT INTO exchange_outbox (lane, record_type, record_id, at) VALUES "
                                                         : "INSERT INTO exchange_outbox (seq, lane, record_type, record_id, at) VALUES ";
    for (size_t j = i; j < end; ++j) {
      if (c.dialect() == db::Dialect::sqlite) {
        sql += (j > i ? ", " : "") + std::string("(?, ?, ?, ?)");
      } else {
        sql += (j > i ? ", " : "") + std::string("(?, ?, ?, ?, ?)");
        params.emplace_back(next++);
      }
      params.insert(params.end(), {lane_text, type, ids[j], now});
    }
    ANJIAN_TRY(c.exec(sql, params));
  }
  return {};
}

std::string_view direction_name(Direction d) { return d == Direction::up ? "up" : "down"; }

std::string_view change_type_label(const ShareRegistry& registry, std::string_view type) {
  const auto* t = registry.find(type);
  return t ? std::string_view(t->label) : type;
}

ExchangeService::ExchangeService(db::Database& db, const codes::RegionTable& regions, const ShareRegistry& registry,
                                 Nodes& nodes, AuditSink& audit, EventBus& bus, AuditHeadFn audit_head, NotifyFn notify,
                                 ExchangeSettings settings)
    : db_(db), regions_(regions), registry_(registry), nodes_(nodes), audit_(audit), bus_(bus),
      audit_head_(std::move(audit_head)), notify_(std::move(notify)), settings_(settings) {}

Status ExchangeService::install_triggers() {
  return db::with_transaction(db_, [&](db::Connection& c) -> Status {
    for (const auto& t : registry_.all()) {
      const std::string lane(lane_name(t.lane));
      for (const auto& src : t.tables) {
        const std::string name = "exchange_out_" + src.table;
        // The lane of a row: the type's, or priority when the row meets the type's condition.
        const bool by_row = !t.priority_when.empty() && &src == &t.tables.front();
        auto condition = [&](const std::string& row) {
          std::string sql = t.priority_when;
          for (size_t at = sql.find("{row}."); at != std::string::npos; at = sql.find("{row}.", at)) sql.replace(at, 6, row.empty() ? "" : row + ".");
          return sql;
        };
        if (c.dialect() == db::Dialect::sqlite) {
          auto note = [&](const std::string& row) {
            const std::string lane_sql = by_row ? "CASE WHEN " + condition(row) + " THEN 'priority' ELSE '" + lane + "' END" : "'" + lane + "'";
            return "INSERT INTO exchange_outbox (lane, record_type, record_id, at) VALUES (" + lane_sql + ", '" + t.type + "', " + row + "." +
                   src.key_column + ", " + sqlite_now() + ");";
          };
          const std::string k = src.key_column;
          ANJIAN_TRY(c.exec_script("DROP TRIGGER IF EXISTS " + name + "_i; CREATE TRIGGER " + name + "_i AFTER INSERT ON " + src.table +
                                   " BEGIN " + note("NEW") + " END;"));
          ANJIAN_TRY(c.exec_script("DROP TRIGGER IF EXISTS " + name + "_d; CREATE TRIGGER " + name + "_d AFTER DELETE ON " + src.table +
                                   " BEGIN " + note("OLD") + " END;"));
          // A row moved to another record changes both: the one it left and the one it joined.
          ANJIAN_TRY(c.exec_script("DROP TRIGGER IF EXISTS " + name + "_u; CREATE TRIGGER " + name + "_u AFTER UPDATE ON " + src.table +
                                   " BEGIN " + note("NEW") + " END;"));
          ANJIAN_TRY(c.exec_script("DROP TRIGGER IF EXISTS " + name + "_m; CREATE TRIGGER " + name + "_m AFTER UPDATE OF " + k + " ON " +
                                   src.table + " WHEN OLD." + k + " IS NOT NEW." + k + " BEGIN " + note("OLD") + " END;"));
        } else {
          // Once a statement (migration 41): a trigger with transition tables takes one event.
          std::string args = "('" + t.type + "', '" + src.key_column + "', '" + lane + "'";
          if (by_row) {
            std::string cond = condition("");
            for (size_t at = cond.find('\''); at != std::string::npos; at = cond.find('\'', at + 2)) cond.insert(at, "'");
            args += ", '" + cond + "'";
          }
          args += ")";
          // A trigger already as wanted is left alone: dropping and creating it locks the table
          // (a province's million enterprises) and waits for any autovacuum of it, at every start.
          auto install = [&](const std::string& trigger, const std::string& create) -> Status {
            const std::string digest = sha256_hex(create);
            ANJIAN_ASSIGN(auto held, c.query("SELECT obj_description(t.oid, 'pg_trigger') FROM pg_trigger t "
                                             "WHERE t.tgname = ? AND t.tgrelid = CAST(? AS regclass)",
                                             {trigger, src.table}));
            if (!held.empty() && held[0].str(0) == digest) return {};
            return c.exec_script("DROP TRIGGER IF EXISTS " + trigger + " ON " + src.table + "; " + create + "; COMMENT ON TRIGGER " + trigger +
                                 " ON " + src.table + " IS '" + digest + "';");
          };
          // The per-row trigger of before migration 41, where it is still there.
          ANJIAN_ASSIGN(auto legacy, c.query("SELECT 1 FROM pg_trigger t WHERE t.tgname = ? AND t.tgrelid = CAST(? AS regclass)",
                                             {name, src.table}));
          if (!legacy.empty()) ANJIAN_TRY(c.exec_script("DROP TRIGGER " + name + " ON " + src.table + ";"));
          ANJIAN_TRY(install(name + "_i", "CREATE TRIGGER " + name + "_i AFTER INSERT ON " + src.table +
                                              " REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION exchange_outbox_note_rows" + args));
          ANJIAN_TRY(install(name + "_d", "CREATE TRIGGER " + name + "_d AFTER DELETE ON " + src.table +
                                              " REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION exchange_outbox_note_rows" + args));
          ANJIAN_TRY(install(name + "_u", "CREATE TRIGGER " + name + "_u AFTER UPDATE ON " + src.table +
                                              " REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "
                                              "exchange_outbox_note_rows" + args));
        }
      }
    }
    return Status{};
  });
}

Status ExchangeService::enqueue_snapshot(const std::string& peer_id) {
  ANJIAN_ASSIGN(const Peer peer, nodes_.peer(peer_id));
  const Direction d = direction_to(peer);
  return db::with_transaction(db_, [&](db::Connection& c) -> Status {
    for (const auto& t : registry_.all()) {
      if (t.direction != d) continue;
      std::vector<std::string> selects;
      if (!t.tables.empty()) selects.push_back("SELECT " + t.tables.front().key_column + " AS id FROM " + t.tables.front().table);
      selects.push_back("SELECT record_id AS id FROM exchange_records WHERE record_type = '" + t.type + "' AND deleted = 0");
      std::string ids;
      for (const auto& s : selects) ids += (ids.empty() ? "" : " UNION ") + s;
      const std::string lane(lane_name(t.lane));
      // A node has one parent: what waits in the outbox for it is in the snapshot too (sent once,
      // not twice). Children share the outbox, so for them nothing is taken out.
      if (d == Direction::up) ANJIAN_TRY(c.exec("DELETE FROM exchange_outbox WHERE record_type = ?", {t.type}));
      if (c.dialect() == db::Dialect::sqlite) {
        ANJIAN_TRY(c.exec("INSERT INTO exchange_outbox (lane, record_type, record_id, at) SELECT ?, ?, id, ? FROM (" + ids + ") ORDER BY id",
                          {lane, t.type, now_ms()}));
      } else {
        ANJIAN_TRY(c.exec("UPDATE exchange_counter SET n = n WHERE id = 1"));  // takes the counter's lock
        ANJIAN_TRY(c.exec("INSERT INTO exchange_outbox (seq, lane, record_type, record_id, at) "
                          "SELECT (SELECT n FROM exchange_counter WHERE id = 1) + ROW_NUMBER() OVER (ORDER BY id), ?, ?, id, ? FROM (" +
                              ids + ") AS ids",
                          {lane, t.type, now_ms()}));
        ANJIAN_TRY(c.exec("UPDATE exchange_counter SET n = GREATEST(n, (SELECT COALESCE(MAX(seq), 0) FROM exchange_outbox)) WHERE id = 1"));
      }
    }
    return Status{};
  });
}

Result<std::vector<Change>> ExchangeService::collect(db::Connection& c, const NodeInfo& me, const Peer& peer, Lane lane,
                                                     std::int64_t after, std::int64_t& to_seq) {
  const Direction direction = direction_to(peer);
  // Only the types that travel this way: a batch never covers positions it does not carry, so the
  // receiver's "next expected position" is the end of the batch before, whatever lies between.
  std::vector<db::Value> params{std::string(lane_name(lane)), after};
  for (const auto& t : registry_.all())
    if (t.direction == direction && travels_in(t, lane)) params.emplace_back(t.type);
  to_seq = after;
  if (params.size() == 2) return std::vector<Change>{};
  const size_t types = params.size() - 2;
  params.emplace_back(settings_.batch_changes);
  ANJIAN_ASSIGN(auto rows, c.query("SELECT seq, record_type, record_id FROM exchange_outbox WHERE lane = ? AND seq > ? AND record_type IN (" +
                                       db::placeholders(types) + ") ORDER BY seq LIMIT ?",
                                   params));
  to_seq = rows.empty() ? after : rows.back().i64(0);
  // The last position of each record in the range: it travels once, in its current state.
  std::map<std::pair<std::string, std::string>, std::int64_t> last;
  for (const auto& r : rows) {
    const auto* t = registry_.find(r.str(1));
    if (!t || t->direction != direction) continue;
    last[{r.str(1), r.str(2)}] = r.i64(0);
  }
  std::map<std::string, std::vector<std::string>> ids_by_type;
  for (const auto& [key, seq] : last) ids_by_type[key.first].push_back(key.second);

  std::vector<Change> out;
  for (auto& [type, ids] : ids_by_type) {
    const auto* t = registry_.find(type);
    for (size_t i = 0; i < ids.size(); i += kChunk) {
      std::vector<std::string> chunk(ids.begin() + static_cast<long>(i), ids.begin() + static_cast<long>(std::min(ids.size(), i + kChunk)));
      std::vector<db::Value> params{type};
      for (const auto& id : chunk) params.emplace_back(id);
      ANJIAN_ASSIGN(auto replicas, c.query("SELECT record_id, owner_node, version, deleted, region_code, data FROM exchange_records "
                                           "WHERE record_type = ? AND record_id IN (" + db::placeholders(chunk.size()) + ")", params));
      std::set<std::string> replica_ids;
      for (const auto& r : replicas) {
        replica_ids.insert(r.str(0));
        Change ch;
        ch.seq = last[{type, r.str(0)}];
        ch.type = type;
        ch.id = r.str(0);
        ch.owner = r.str(1);
        ch.version = r.i64(2);
        ch.deleted = r.i64(3) != 0;
        ch.region_code = r.str(4);
        if (!ch.deleted) ch.data = object_of_text(r.str(5));
        out.push_back(std::move(ch));
      }
      std::vector<std::string> own;
      for (const auto& id : chunk)
        if (!replica_ids.count(id)) own.push_back(id);
      if (own.empty() || !t->read) continue;
      ANJIAN_ASSIGN(auto current, t->read(c, own));
      std::map<std::string, SharedType::Read> found;
      for (auto& [id, rd] : current) found.emplace(id, std::move(rd));
      for (const auto& id : own) {
        Change ch;
        ch.seq = last[{type, id}];
        ch.type = type;
        ch.id = id;
        ch.owner = me.node_id;
        ch.version = ch.seq;  // this node's outbox position: rises with every change it makes
        if (auto it = found.find(id); it != found.end()) {
          ch.region_code = it->second.region_code;
          ch.data = std::move(it->second.data);
        } else {
          ch.deleted = true;
          ch.region_code = me.region_code;
        }
        out.push_back(std::move(ch));
      }
    }
  }
  // Down, a child gets what concerns its region: its own records' business (a correction asked of
  // one of its records) and what is meant for everyone below (national reference data) — not
  // another county's.
  if (direction == Direction::down)
    std::erase_if(out, [&](const Change& ch) {
      return !regions_.contains(peer.region_code, ch.region_code) && !regions_.contains(ch.region_code, peer.region_code);
    });
  std::sort(out.begin(), out.end(), [](const Change& a, const Change& b) { return a.seq < b.seq; });
  return out;
}

Result<std::string> ExchangeService::next_batch(const std::string& peer_id, Lane lane, std::optional<std::int64_t> after_seq) {
  ANJIAN_ASSIGN(const NodeInfo me, nodes_.self());
  ANJIAN_ASSIGN(const Peer peer, nodes_.peer(peer_id));
  ANJIAN_ASSIGN(const std::string key, nodes_.private_key());
  ANJIAN_ASSIGN(auto lease, db_.read());
  std::int64_t after = 0;
  if (after_seq) {
    after = *after_seq;
  } else {
    ANJIAN_ASSIGN(auto cur, lease->query("SELECT sent_seq FROM exchange_links WHERE peer_node = ? AND lane = ?", {peer_id, std::string(lane_name(lane))}));
    after = cur.empty() ? 0 : cur[0].i64(0);
  }
  std::int64_t to_seq = after;
  ANJIAN_ASSIGN(auto changes, collect(*lease, me, peer, lane, after, to_seq));
  if (to_seq == after) return std::string();
  Manifest m;
  m.sender = me.node_id;
  m.receiver = peer.node_id;
  m.lane = lane;
  m.from_seq = after + 1;
  m.to_seq = to_seq;
  m.created_at = now_ms();
  // The audit head travels up only: the parent keeps its children's heads (issue 17 §3).
  if (audit_head_ && direction_to(peer) == Direction::up) {
    ANJIAN_ASSIGN(auto anchor, lease->query("SELECT MAX(audit_sent_seq) FROM exchange_links WHERE peer_node = ?", {peer_id}));
    auto head = audit_head_(anchor.empty() ? 0 : anchor[0].i64(0));
    if (head.ok()) m.audit_head = *head;
  }
  return seal_batch(m, changes, key);
}

Status ExchangeService::mark_sent(const Manifest& sent) {
  return db::with_transaction(db_, [&](db::Connection& c) -> Status {
    const Millis now = now_ms();
    const std::int64_t seq = sent.to_seq, head = sent.audit_head ? sent.audit_head->seq : 0;
    ANJIAN_TRY(c.exec("UPDATE exchange_links SET sent_seq = CASE WHEN sent_seq < ? THEN ? ELSE sent_seq END, "
                      "audit_sent_seq = CASE WHEN audit_sent_seq < ? THEN ? ELSE audit_sent_seq END, last_sent_at = ?, last_contact_at = ?, "
                      "last_error = NULL "
                      "WHERE peer_node = ? AND lane = ?",
                      {seq, seq, head, head, now, now, sent.receiver, std::string(lane_name(sent.lane))}));
    return Status{};
  });
}

Result<std::string> ExchangeService::serve_pull(std::string_view body) {
  ANJIAN_ASSIGN(const NodeInfo me, nodes_.self());
  ANJIAN_ASSIGN(const PullRequest r, open_pull(body, [&](const std::string& s, const std::string& f) { return nodes_.lookup(s, f); }, now_ms()));
  if (r.receiver != me.node_id) return refused("batch_wrong_receiver", "拉取请求发给节点 " + r.receiver + "，不是本节点 " + me.node_id);
  ANJIAN_ASSIGN(const Peer peer, nodes_.peer(r.sender));
  if (peer.relation != "child") return refused("batch_not_child", "节点 " + r.sender + " 不是本节点的下级节点，不能拉取");
  ANJIAN_TRY(db::with_transaction(db_, [&](db::Connection& c) -> Status {
    const Millis now = now_ms();
    ANJIAN_TRY(c.exec("UPDATE exchange_links SET sent_seq = ?, last_contact_at = ?, last_sent_at = ?, last_error = NULL WHERE peer_node = ? AND lane = ?",
                      {r.after, now, now, peer.node_id, std::string(lane_name(r.lane))}));
    return Status{};
  }));
  return next_batch(peer.node_id, r.lane, r.after);
}

Result<std::int64_t> ExchangeService::received_seq(const std::string& peer, Lane lane) {
  ANJIAN_ASSIGN(auto lease, db_.read());
  ANJIAN_ASSIGN(auto rows, lease->query("SELECT received_seq FROM exchange_links WHERE peer_node = ? AND lane = ?", {peer, std::string(lane_name(lane))}));
  return rows.empty() ? std::int64_t{0} : rows[0].i64(0);
}

void ExchangeService::note_link_error(const std::string& peer, const std::string& message) {
  auto s = db::with_transaction(db_, [&](db::Connection& c) -> Status {
    ANJIAN_TRY(c.exec("UPDATE exchange_links SET last_error = ? WHERE peer_node = ?", {message, peer}));
    return Status{};
  });
  (void)s;  // the error is logged by the caller; the link's state is a convenience
}

bool ExchangeService::report_allowed(const std::string& claimed) {
  std::lock_guard lock(report_mu_);
  const Millis now = now_ms();
  if (last_report_.size() > 1000) last_report_.clear();  // a flood of invented names: start over
  auto& last = last_report_[claimed];
  if (last != 0 && now - last < 60'000) return false;
  last = now;
  return true;
}

void ExchangeService::refuse(const std::string& peer, const Error& e, std::string_view manifest, const std::string& via,
                             bool verified) {
  auto s = db::with_transaction(db_, [&](db::Connection& c) -> Status {
    const Millis now = now_ms();
    ANJIAN_TRY(c.exec("INSERT INTO exchange_refused (peer_node, at, code, message, manifest) VALUES (?, ?, ?, ?, ?)",
                      {peer, now, e.code, e.message, std::string(manifest)}));
    // An unverified batch names a peer only by claim: it counts on the link (the administrators
    // look there) but its text does not replace what the peer itself last said.
    if (verified)
      ANJIAN_TRY(c.exec("UPDATE exchange_links SET refused_batches = refused_batches + 1, last_error = ?, last_contact_at = ? WHERE peer_node = ?",
                        {e.message, now, peer}));
    else
      ANJIAN_TRY(c.exec("UPDATE exchange_links SET refused_batches = refused_batches + 1, last_error = ? WHERE peer_node = ?",
                        {"收到以本节点名义发来、未通过校验的批次：" + e.message, peer}));
    AuditEvent a;
    a.at = now;
    a.username = "exchange";
    a.source = via;
    a.action = "exchange.batch_refused";
    a.target = "node:" + peer;
    a.outcome = "failure";
    a.detail = json_text(json::object{{"code", e.code}, {"message", e.message}});
    if (auto me = nodes_.self(); me.ok()) a.region_code = me->region_code;
    ANJIAN_TRY(audit_.record_in(c, std::move(a)));
    if (notify_) ANJIAN_TRY(notify_(c, "数据交换批次被拒收：" + peer, e.message));
    return Status{};
  });
  (void)s;  // the refusal itself is the answer; failing to record it must not hide it
}

Error ExchangeService::refuse_file(const std::string& via, std::int64_t bytes) {
  Error e = refused("batch_too_large", "批次文件 " + std::to_string(bytes) + " 字节，超过上限（" + std::to_string(settings_.max_batch_bytes) + " 字节）");
  if (report_allowed("unknown")) refuse("unknown", e, "", via, false);
  return e;
}

Result<ApplyReport> ExchangeService::receive(std::string_view file, const std::string& via) {
  if (static_cast<std::int64_t>(file.size()) > settings_.max_batch_bytes)
    return refused("batch_too_large", "批次文件超过上限（" + std::to_string(settings_.max_batch_bytes) + " 字节）");
  ANJIAN_ASSIGN(const NodeInfo me, nodes_.self());
  // One batch at a time, opened included: memory stays bounded by one batch whatever arrives.
  std::lock_guard lock(apply_mu_);
  auto peek = peek_manifest(file);
  // Until the signature verifies, the sender's name is only a claim: the refusal is recorded (at
  // most once a minute per claimed sender, so that anyone on the network cannot flood the audit
  // log and the inbox) but touches no link.
  const std::string claimed = peek.ok() ? peek->sender.substr(0, 64) : "unknown";
  std::string manifest_text = peek.ok() ? json_text(manifest_json(*peek)) : "";
  if (manifest_text.size() > 2048) manifest_text.resize(2048);
  auto fail_unverified = [&](Error e) -> Result<ApplyReport> {
    if (report_allowed(claimed)) refuse(claimed, e, manifest_text, via, false);
    return e;
  };
  if (!peek.ok()) return fail_unverified(peek.error());
  if (peek->receiver != me.node_id)
    return fail_unverified(refused("batch_wrong_receiver", "批次发给节点 " + peek->receiver.substr(0, 64) + "，不是本节点 " + me.node_id));
  auto peer = nodes_.peer(peek->sender);
  if (!peer.ok()) return fail_unverified(refused("batch_unknown_key", "批次来自未登记的节点：" + claimed));
  // A batch of `batch_changes` records of a few kilobytes each is far below this.
  const std::int64_t max_payload = std::max<std::int64_t>(64ll << 20, settings_.batch_changes * 16 * 1024);
  auto opened = open_batch(file, [&](const std::string& s, const std::string& f) { return nodes_.lookup(s, f); }, max_payload);
  if (!opened.ok()) return fail_unverified(opened.error());
  // Signed by the peer from here: its refusals are its link's.
  auto report = apply(*opened, *peer, me);
  if (!report.ok() && report.error().code.rfind("batch_", 0) == 0) {
    refuse(peer->node_id, report.error(), manifest_text, via, true);
    return report.error();
  }
  return report;
}

namespace {
// Which records are replicas, of whom, at which version: multi-row upserts, a newer version only.
Status keep_replicas(db::Connection& c, const SharedType& t, const std::vector<const Change*>& changes, const std::string& from, Millis now) {
  constexpr size_t kRows = 500;  // × 10 values: under both backends' parameter limits
  for (size_t i = 0; i < changes.size(); i += kRows) {
    std::string sql =
        "INSERT INTO exchange_records (record_type, record_id, owner_node, version, deleted, region_code, data, received_from, updated_at, facets) VALUES ";
    std::vector<db::Value> params;
    for (size_t j = i; j < std::min(changes.size(), i + kRows); ++j) {
      const Change& ch = *changes[j];
      sql += (j > i ? ", " : "") + std::string("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      params.insert(params.end(), {ch.type, ch.id, ch.owner, ch.version, std::int64_t{ch.deleted ? 1 : 0}, ch.region_code,
                                   ch.deleted ? std::string("{}") : json_text(ch.data), from, now,
                                   ch.deleted ? std::string(kFacetsMark) : facets_of(t, ch.data)});
    }
    ANJIAN_TRY(c.exec(sql + " ON CONFLICT (record_type, record_id) DO UPDATE SET owner_node = excluded.owner_node, version = excluded.version, "
                            "deleted = excluded.deleted, region_code = excluded.region_code, data = excluded.data, "
                            "received_from = excluded.received_from, updated_at = excluded.updated_at, facets = excluded.facets "
                            "WHERE exchange_records.version < excluded.version",
                      params));
  }
  return {};
}
}  // namespace

Result<ApplyReport> ExchangeService::apply(const OpenedBatch& batch, const Peer& peer, const NodeInfo& me) {
  const Direction expected = peer.relation == "child" ? Direction::up : Direction::down;
  const std::string lane(lane_name(batch.manifest.lane));
  ApplyReport report;
  report.sender = peer.node_id;
  report.lane = lane;
  report.from_seq = batch.manifest.from_seq;
  report.to_seq = batch.manifest.to_seq;
  std::vector<Event> events;
  std::vector<std::pair<std::string, std::string>> conflicts;
  auto status = db::with_transaction(db_, [&](db::Connection& c) -> Status {
    // A batch can grow a table many times over within its transaction (a province receiving its
    // first million): a statement's cached generic plan, made when the table was small, would
    // scan it whole for each chunk of ids. Planned for the table as it is, each uses its index.
    if (c.dialect() == db::Dialect::postgres) ANJIAN_TRY(c.exec("SET LOCAL plan_cache_mode = force_custom_plan"));
    const Millis now = now_ms();
    ANJIAN_ASSIGN(auto cur, c.query("SELECT received_seq FROM exchange_links WHERE peer_node = ? AND lane = ?", {peer.node_id, lane}));
    // The sender's audit head, kept; a rewrite of its log shows as a hash that differs from one
    // kept for the same position — the new head's own, or the anchor's (the hash today of the
    // head sent before). Once heads are kept for a peer, every batch must bring one with its anchor.
    auto keep_head = [&]() -> Status {
      const auto& head = batch.manifest.audit_head;
      ANJIAN_ASSIGN(auto kept, c.query("SELECT COUNT(*) FROM exchange_audit_heads WHERE node_id = ?", {peer.node_id}));
      std::string problem;
      std::int64_t at_seq = 0;
      if (!head) {
        if (kept[0].i64(0) > 0) problem = "批次未带审计链头";
      } else {
        ANJIAN_ASSIGN(auto same, c.query("SELECT hash FROM exchange_audit_heads WHERE node_id = ? AND seq = ?", {peer.node_id, head->seq}));
        ANJIAN_ASSIGN(auto anchor, c.query("SELECT hash FROM exchange_audit_heads WHERE node_id = ? AND seq = ?", {peer.node_id, head->anchor_seq}));
        if (!same.empty() && same[0].str(0) != head->hash) {
          problem = "同一位置的链头哈希不同";
          at_seq = head->seq;
        } else if (head->anchor_seq > 0 && !anchor.empty() && anchor[0].str(0) != head->anchor_hash) {
          problem = "已保存的链头处的哈希已改变";
          at_seq = head->anchor_seq;
        } else if (head->anchor_seq == 0 && kept[0].i64(0) > 0) {
          problem = "批次未带锚点";
        }
        if (problem.empty())
          ANJIAN_TRY(c.exec("INSERT INTO exchange_audit_heads (node_id, seq, hash, received_at) VALUES (?, ?, ?, ?) ON CONFLICT (node_id, seq) DO NOTHING",
                            {peer.node_id, head->seq, head->hash, now}));
      }
      if (problem.empty()) return Status{};
      AuditEvent a;
      a.at = now;
      a.username = "exchange";
      a.action = "exchange.audit_head_mismatch";
      a.target = "node:" + peer.node_id;
      a.region_code = peer.region_code;
      a.outcome = "failure";
      a.detail = json_text(json::object{{"problem", problem}, {"seq", at_seq}});
      ANJIAN_TRY(audit_.record_in(c, std::move(a)));
      if (notify_)
        ANJIAN_TRY(notify_(c, "下级节点审计日志可能被改写：" + peer.node_id,
                           problem + (at_seq ? "（第 " + std::to_string(at_seq) + " 条）" : std::string()) + "。请核查该节点的审计日志。"));
      return Status{};
    };
    const std::int64_t received = cur.empty() ? 0 : cur[0].i64(0);
    if (batch.manifest.to_seq <= received) {
      report.duplicate = true;
    } else if (batch.manifest.from_seq > received + 1) {
      report.waiting = true;
      report.expected_from = received + 1;
    }
    if (report.duplicate || report.waiting) {
      if (report.duplicate) ANJIAN_TRY(keep_head());  // its head may be the anchor of the next one
      ANJIAN_TRY(c.exec("UPDATE exchange_links SET last_contact_at = ? WHERE peer_node = ?", {now, peer.node_id}));
      return Status{};
    }
    // Every check of every change before anything is written: a batch is applied whole or not at all.
    std::map<std::string, std::vector<const Change*>> by_type;
    for (const auto& ch : batch.changes) {
      const auto* t = registry_.find(ch.type);
      if (!t) continue;
      if (t->direction != expected)
        return refused("batch_wrong_direction", "“" + t->label + "”只能" + (t->direction == Direction::up ? "向上" : "向下") + "交换，不能由节点 " +
                                                    peer.node_id + " 发来");
      if (expected == Direction::up && !ch.deleted && !regions_.contains(peer.region_code, ch.region_code))
        return refused("batch_not_owner", "节点 " + peer.node_id + " 发来了其行政区划以外的记录（" + t->label + " " + ch.id + "，区划 " +
                                              ch.region_code + "）");
      by_type[ch.type].push_back(&ch);
    }
    struct ToWrite {
      std::vector<const Change*> changes;
      std::map<std::string, size_t> at;  // id → its place in changes
    };
    std::map<std::string, ToWrite> to_write;                                                   // by type
    std::map<std::pair<std::string, std::string>, std::pair<std::string, std::int64_t>> held;  // → (owner, version)
    std::set<std::pair<std::string, std::string>> own;                                       // records this node made
    std::set<std::pair<std::string, std::string>> tombstoned;                                // replicas deleted by their owner
    for (const auto& [type, list] : by_type) {
      const auto* t = registry_.find(type);
      for (size_t i = 0; i < list.size(); i += kChunk) {
        std::vector<std::string> ids;
        for (size_t j = i; j < std::min(list.size(), i + kChunk); ++j) ids.push_back(list[j]->id);
        std::vector<db::Value> params{type};
        for (const auto& id : ids) params.emplace_back(id);
        ANJIAN_ASSIGN(auto rows, c.query("SELECT record_id, owner_node, version, received_from, region_code, deleted FROM exchange_records "
                                             "WHERE record_type = ? AND record_id IN (" + db::placeholders(ids.size()) + ")", params));
        for (const auto& r : rows) {
          held[{type, r.str(0)}] = {r.str(1), r.i64(2)};
          if (r.i64(5) != 0) tombstoned.insert({type, r.str(0)});
          // Only the peer a replica came through may change it, and only within its region.
          if (r.str(3) != peer.node_id || !regions_.contains(peer.region_code, r.str(4)))
            return refused("batch_not_owner", "节点 " + peer.node_id + " 发来了经由节点 " + r.str(3) + " 保存的“" + t->label + "” " + r.str(0));
        }
        // Records not held, and those whose replica was deleted: one of those may since have been
        // made here with the same id, and is then this node's own.
        std::vector<std::string> unknown;
        for (const auto& id : ids)
          if (!held.count({type, id}) || tombstoned.count({type, id})) unknown.push_back(id);
        if (!unknown.empty() && t->read) {
          ANJIAN_ASSIGN(auto local, t->read(c, unknown));
          for (const auto& [id, rd] : local) own.insert({type, id});
        }
      }
    }
    for (const auto& ch : batch.changes) {
      const auto* t = registry_.find(ch.type);
      if (!t) {
        ++report.skipped;
        continue;
      }
      const auto key = std::make_pair(ch.type, ch.id);
      if (tombstoned.count(key) && own.count(key)) {
        ++report.conflicts;
        conflicts.emplace_back(t->label, ch.id);
        continue;
      }
      if (auto h = held.find(key); h != held.end()) {
        if (h->second.first != ch.owner)
          return refused("batch_not_owner", "节点 " + peer.node_id + " 发来的“" + t->label + "” " + ch.id + " 属于节点 " + h->second.first +
                                                "，不属于 " + ch.owner);
        if (h->second.second >= ch.version) {
          ++report.unchanged;
          continue;
        }
      } else if (ch.owner == me.node_id || own.count(key)) {
        ++report.conflicts;
        conflicts.emplace_back(t->label, ch.id);
        continue;
      } else if (ch.deleted) {
        ++report.unchanged;  // the deletion of a record never received: nothing to do, nothing to keep
        continue;
      }
      // Written below, type by type, each record once: its last state in the batch.
      auto& p = to_write[ch.type];
      if (auto at = p.at.find(ch.id); at != p.at.end()) {
        p.changes[at->second] = &ch;
      } else {
        p.at.emplace(ch.id, p.changes.size());
        p.changes.push_back(&ch);
      }
      held[key] = {ch.owner, ch.version};
      ++report.applied;
    }
    // Forwarded only where someone waits for it: up-types when this node has a parent, down-types
    // when it has children (a province with no parent notes nothing for nobody). A peer registered
    // later is sent a snapshot, replicas included.
    ANJIAN_ASSIGN(const auto peers, nodes_.peers());
    auto has = [&](const char* relation) { return std::any_of(peers.begin(), peers.end(), [&](const Peer& q) { return q.relation == relation; }); };
    const bool forward = has(expected == Direction::up ? "parent" : "child");
    for (const auto& [type, p] : to_write) {
      const auto* t = registry_.find(type);
      if (t->apply_many) {
        ANJIAN_ASSIGN(auto evs, t->apply_many(c, p.changes));
        for (auto& e : evs) events.push_back(std::move(e));
      } else if (t->apply) {
        for (const auto* ch : p.changes) {
          ANJIAN_ASSIGN(auto evs, t->apply(c, *ch));
          for (auto& e : evs) events.push_back(std::move(e));
        }
      } else if (forward) {
        // Forwarded on, like a module's own write, in the lane it came by (a 重大隐患 stays urgent).
        std::vector<std::string> ids;
        for (const auto* ch : p.changes) ids.push_back(ch->id);
        ANJIAN_TRY(note_outbox(c, travels_in(*t, batch.manifest.lane) ? batch.manifest.lane : t->lane, t->type, ids));
      }
      ANJIAN_TRY(keep_replicas(c, *t, p.changes, peer.node_id, now));
      // Told after the commit, by type and region: the consoles watching what was reported from
      // below (home cards, banners) refresh; each region's message reaches only those who see it.
      std::map<std::string, std::int64_t> by_region;
      for (const auto* ch : p.changes)
        if (!ch->region_code.empty()) ++by_region[ch->region_code];
      json::object regions;
      for (const auto& [region, n] : by_region) regions[region] = n;
      events.push_back({"exchange.received", json::object{{"record_type", type}, {"regions", std::move(regions)}}});
    }
    // The statistics lag behind such growth too (autovacuum analyses a minute later): with the
    // replica table's taken when it was small, the lookup of 500 ids by its key is planned as a scan
    // of the key's first column, filtering the rest — 32 ms a lookup at 300,000 replicas, two thirds
    // of an import. Analysed again whenever a fifth of it is new (a few times while a province
    // takes its first million; about 0.2 s each).
    if (c.dialect() == db::Dialect::postgres && report.applied >= 1000) {
      ANJIAN_ASSIGN(auto stale, c.query("SELECT COALESCE(s.n_mod_since_analyze, 0) > GREATEST(10000, c.reltuples * 0.2) FROM pg_class c "
                                        "LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.oid = 'exchange_records'::regclass"));
      if (!stale.empty() && stale[0].i64(0) != 0) ANJIAN_TRY(c.exec("ANALYZE exchange_records"));
    }
    ANJIAN_TRY(keep_head());
    for (const auto& [label, id] : conflicts)
      ANJIAN_TRY(c.exec("INSERT INTO exchange_refused (peer_node, at, code, message) VALUES (?, ?, 'record_conflict', ?)",
                        {peer.node_id, now, "“" + label + "” " + id + " 在本节点已有本地记录，未接收下级的副本（一数一源：请核对由哪一级录入）"}));
    ANJIAN_TRY(c.exec("UPDATE exchange_links SET received_seq = ?, last_received_at = ?, last_contact_at = ?, applied_changes = applied_changes + ?, "
                      "last_error = NULL "
                      "WHERE peer_node = ? AND lane = ?",
                      {batch.manifest.to_seq, now, now, report.applied, peer.node_id, lane}));
    return Status{};
  });
  if (!status.ok()) return status.take_error();
  for (const auto& e : events) bus_.publish(e);
  return report;
}

Result<std::vector<LinkState>> ExchangeService::links() {
  ANJIAN_ASSIGN(const auto peers, nodes_.peers());
  ANJIAN_ASSIGN(auto lease, db_.read());
  std::vector<LinkState> out;
  const Millis now = now_ms();
  for (const auto& p : peers) {
    LinkState l;
    l.node_id = p.node_id;
    l.name = p.name;
    l.relation = p.relation;
    l.direction = p.relation == "parent" ? "up" : "down";
    l.region_code = p.region_code;
    const Direction d = direction_to(p);
    std::vector<std::string> types;
    for (const auto& t : registry_.all())
      if (t.direction == d) types.push_back(t.type);
    ANJIAN_ASSIGN(auto rows, lease->query("SELECT lane, sent_seq, received_seq, last_contact_at, last_sent_at, last_received_at, last_error, "
                                          "refused_batches, applied_changes FROM exchange_links WHERE peer_node = ? ORDER BY lane DESC",
                                          {p.node_id}));
    std::optional<Millis> oldest;
    for (const auto& r : rows) {
      l.lanes.push_back({r.str(0), r.i64(1), r.i64(2)});
      auto newer = [](std::optional<Millis>& a, std::optional<std::int64_t> b) {
        if (b && (!a || *b > *a)) a = *b;
      };
      newer(l.last_contact_at, r.opt_i64(3));
      newer(l.last_sent_at, r.opt_i64(4));
      newer(l.last_received_at, r.opt_i64(5));
      if (!r.str(6).empty()) l.last_error = r.str(6);
      l.refused_batches = r.i64(7);
      l.applied_changes += r.i64(8);
      if (types.empty()) continue;
      std::vector<db::Value> params{r.str(0), r.i64(1)};
      for (const auto& t : types) params.emplace_back(t);
      ANJIAN_ASSIGN(auto b, lease->query("SELECT COUNT(*), MIN(at) FROM exchange_outbox WHERE lane = ? AND seq > ? AND record_type IN (" +
                                             db::placeholders(types.size()) + ")", params));
      l.backlog += b[0].i64(0);
      if (!b[0].null(1) && (!oldest || b[0].i64(1) < *oldest)) oldest = b[0].i64(1);
    }
    l.lag_s = oldest ? std::max<std::int64_t>(0, (now - *oldest) / 1000) : 0;
    out.push_back(std::move(l));
  }
  return out;
}

Result<std::vector<ExchangeService::ReplicaCount>> ExchangeService::replica_counts(const auth::Scope& scope, const std::string& type,
                                                                                  const std::vector<std::string>& by) {
  const auto* t = registry_.find(type);
  if (!t) return Error::invalid_field("type", "未知的交换数据类型：" + type);
  if (by.empty() || by.size() > 3) return Error::invalid_field("by", "请指定 1 至 3 个分组字段");
  for (const auto& f : by) {
    if (std::count(by.begin(), by.end(), f) > 1) return Error::invalid_field("by", "分组字段重复：" + f);
    const auto field = std::find_if(t->fields.begin(), t->fields.end(), [&](const SharedField& x) { return x.name == f; });
    if (f != "region_code" && (field == t->fields.end() || !is_facet(*field)))
      return Error::invalid_field("by", "不能按此字段分组（可按枚举、是否类字段或 region_code）：" + f);
  }
  // The table groups by the records' facets and region (a few thousand groups for a province's
  // million records, read without parsing a record); the groups asked for are summed from those.
  ANJIAN_ASSIGN(auto lease, db_.read());
  std::vector<db::Value> params{type};
  const std::string where = "r.record_type = ? AND r.deleted = 0 AND " + scope.sql("r.region_code", "r.record_id", params);
  ANJIAN_ASSIGN(auto rows, lease->query("SELECT r.facets, r.region_code, COUNT(*) FROM exchange_records r WHERE " + where +
                                            " GROUP BY r.facets, r.region_code",
                                        params));
  std::map<std::vector<std::string>, std::int64_t> sums;
  for (const auto& r : rows) {
    const auto facets = parse_facets(r.str(0));
    std::vector<std::string> key;
    for (const auto& f : by) {
      if (f == "region_code") {
        key.push_back(r.str(1));
        continue;
      }
      auto it = facets.find(f);
      key.push_back(it == facets.end() ? std::string() : it->second);
    }
    sums[key] += r.i64(2);
  }
  std::vector<ReplicaCount> out;
  for (auto& [values, n] : sums) out.push_back({values, n});
  std::stable_sort(out.begin(), out.end(), [](const ReplicaCount& a, const ReplicaCount& b) { return a.count > b.count; });
  if (out.size() > 1000) out.resize(1000);
  return out;
}

Status ExchangeService::fill_facets() {
  // Replicas kept before migration 45 have no facets yet ('' — a computed one starts with the mark).
  for (;;) {
    ANJIAN_ASSIGN(auto filled, db::with_transaction(db_, [&](db::Connection& c) -> Result<size_t> {
      ANJIAN_ASSIGN(auto rows, c.query("SELECT record_type, record_id, data, deleted FROM exchange_records WHERE facets = '' LIMIT 1000"));
      for (const auto& r : rows) {
        const auto* t = registry_.find(r.str(0));
        const std::string facets = t && r.i64(3) == 0 ? facets_of(*t, object_of_text(r.str(2))) : std::string(kFacetsMark);
        ANJIAN_TRY(c.exec("UPDATE exchange_records SET facets = ? WHERE record_type = ? AND record_id = ?", {facets, r.str(0), r.str(1)}));
      }
      return rows.size();
    }));
    if (filled < 1000) return {};
  }
}

Result<ExchangeService::ReplicaPage> ExchangeService::replicas(const auth::Scope& scope, const std::string& type, std::int64_t page,
                                                               std::int64_t page_size) {
  if (!registry_.find(type)) return Error::invalid_field("type", "未知的交换数据类型：" + type);
  ANJIAN_ASSIGN(auto lease, db_.read());
  std::vector<db::Value> params{type};
  // An enterprise's users: its own records (the enterprise replica's id is its code).
  const std::string where = "r.record_type = ? AND r.deleted = 0 AND " + scope.sql("r.region_code", "r.record_id", params);
  ANJIAN_ASSIGN(auto count, lease->query("SELECT COUNT(*) FROM exchange_records r WHERE " + where, params));
  params.emplace_back(page_size);
  params.emplace_back((page - 1) * page_size);
  ANJIAN_ASSIGN(auto rows, lease->query("SELECT r.record_id, r.owner_node, p.name, r.region_code, r.received_from, r.version, r.updated_at, r.data "
                                        "FROM exchange_records r LEFT JOIN exchange_peers p ON p.node_id = r.owner_node WHERE " + where +
                                        " ORDER BY r.updated_at DESC, r.record_id LIMIT ? OFFSET ?",
                                        params));
  ReplicaPage out;
  out.total = count[0].i64(0);
  for (const auto& r : rows)
    out.items.push_back({type, r.str(0), r.str(1), r.null(2) ? "节点 " + r.str(1) : r.str(2), r.str(3), r.str(4), r.i64(5), r.i64(6),
                         object_of_text(r.str(7))});
  return out;
}

Result<ExchangeService::RecordPage> ExchangeService::shared_records(const auth::Scope& scope, const std::string& type, std::int64_t page,
                                                                   std::int64_t page_size) {
  const SharedType* t = registry_.find(type);
  if (!t || t->tables.empty() || t->region_column.empty() || !t->read)
    return Error::invalid_field("type", "该类数据不能按地区列出：" + type);
  ANJIAN_ASSIGN(auto lease, db_.read());
  // Replicas of a type without apply live only in exchange_records; the others are rows of the
  // module's own table, like its own records.
  std::vector<db::Value> params;
  std::string held = "SELECT r." + t->tables[0].key_column + " AS id, " + t->region_column + " AS region FROM " + t->tables[0].table + " r";
  if (!t->apply) {
    held += " UNION ALL SELECT record_id, region_code FROM exchange_records WHERE record_type = ? AND deleted = 0";
    params.emplace_back(type);
  }
  const std::string where = scope.sql("x.region", "x.id", params);
  ANJIAN_ASSIGN(auto count, lease->query("SELECT COUNT(*) FROM (" + held + ") x WHERE " + where, params));
  params.emplace_back(page_size);
  params.emplace_back((page - 1) * page_size);
  ANJIAN_ASSIGN(auto ids, lease->query("SELECT x.id FROM (" + held + ") x WHERE " + where + " ORDER BY x.id LIMIT ? OFFSET ?", params));
  std::vector<std::string> wanted;
  for (const auto& r : ids) wanted.push_back(r.str(0));
  RecordPage out;
  out.total = count[0].i64(0);
  if (wanted.empty()) return out;
  ANJIAN_ASSIGN(auto own, t->read(*lease, wanted));
  std::map<std::string, SharedType::Read> found(std::make_move_iterator(own.begin()), std::make_move_iterator(own.end()));
  if (!t->apply) {
    std::vector<db::Value> rp{type};
    rp.insert(rp.end(), wanted.begin(), wanted.end());
    ANJIAN_ASSIGN(auto rows, lease->query("SELECT record_id, region_code, data FROM exchange_records WHERE record_type = ? AND deleted = 0 AND "
                                          "record_id IN (" + db::placeholders(wanted.size()) + ")",
                                          rp));
    for (const auto& r : rows) found.try_emplace(r.str(0), SharedType::Read{r.str(1), object_of_text(r.str(2))});
  }
  for (const auto& id : wanted) {
    auto it = found.find(id);
    // Read again by the scope: the record's region as its read gives it is the one that counts.
    if (it != found.end() && scope.sees(it->second.region_code, id)) out.items.push_back({id, it->second.region_code, std::move(it->second.data)});
  }
  return out;
}

std::string ExchangeService::metrics_text() {
  auto links_now = links();
  if (!links_now.ok() || links_now->empty()) return {};
  std::string out =
      "# HELP anjian_exchange_lag_seconds Age of the oldest change not yet sent on a link.\n# TYPE anjian_exchange_lag_seconds gauge\n"
      "# HELP anjian_exchange_backlog Changes not yet sent on a link.\n# TYPE anjian_exchange_backlog gauge\n"
      "# HELP anjian_exchange_refused_batches Batches from a peer refused.\n# TYPE anjian_exchange_refused_batches counter\n"
      "# HELP anjian_exchange_last_contact_seconds Unix time of the last batch sent to or received from a peer.\n"
      "# TYPE anjian_exchange_last_contact_seconds gauge\n";
  for (const auto& l : *links_now) {
    const std::string labels = "{peer=\"" + l.node_id + "\",direction=\"" + l.direction + "\"}";
    out += "anjian_exchange_lag_seconds" + labels + " " + std::to_string(l.lag_s) + "\n";
    out += "anjian_exchange_backlog" + labels + " " + std::to_string(l.backlog) + "\n";
    out += "anjian_exchange_refused_batches" + labels + " " + std::to_string(l.refused_batches) + "\n";
    out += "anjian_exchange_last_contact_seconds" + labels + " " + std::to_string(l.last_contact_at ? *l.last_contact_at / 1000 : 0) + "\n";
  }
  return out;
}

Result<size_t> ExchangeService::prune_replicas(Millis now) {
  return db::with_transaction(db_, [&](db::Connection& c) -> Result<size_t> {
    size_t gone = 0;
    for (const auto& t : registry_.all()) {
      if (t.keep_replicas_ms <= 0) continue;
      ANJIAN_ASSIGN(auto n, c.exec("DELETE FROM exchange_records WHERE record_type = ? AND updated_at < ?", {t.type, now - t.keep_replicas_ms}));
      gone += static_cast<size_t>(n);
    }
    return gone;
  });
}

Status ExchangeService::prune_outbox(Millis keep_sent_ms) {
  const Millis before = now_ms() - keep_sent_ms;
  return db::with_transaction(db_, [&](db::Connection& c) -> Status {
    // A row is done when every link it travels on has sent past it: up-types on the links to the
    // parent, down-types on the links to the children (none such: nobody waits for it).
    for (const auto& t : registry_.all()) {
      for (const Lane l : {Lane::priority, Lane::bulk}) {
        if (!travels_in(t, l)) continue;
        const std::string lane(lane_name(l)), relation = t.direction == Direction::up ? "parent" : "child";
        ANJIAN_ASSIGN(auto rows, c.query("SELECT MIN(l.sent_seq) FROM exchange_links l JOIN exchange_peers p ON p.node_id = l.peer_node "
                                         "WHERE l.lane = ? AND p.relation = ?",
                                         {lane, relation}));
        if (rows.empty() || rows[0].null(0))
          ANJIAN_TRY(c.exec("DELETE FROM exchange_outbox WHERE lane = ? AND record_type = ?", {lane, t.type}));
        else
          ANJIAN_TRY(c.exec("DELETE FROM exchange_outbox WHERE lane = ? AND record_type = ? AND seq <= ? AND at <= ?",
                            {lane, t.type, rows[0].i64(0), before}));
      }
    }
    // Types no longer declared (a module removed): nothing reads them.
    std::vector<db::Value> known;
    for (const auto& t : registry_.all()) known.emplace_back(t.type);
    if (!known.empty())
      ANJIAN_TRY(c.exec("DELETE FROM exchange_outbox WHERE record_type NOT IN (" + db::placeholders(known.size()) + ")", known));
    return Status{};
  });
}

}  // namespace anjian::exchange
