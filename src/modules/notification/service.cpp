#include "modules/notification/service.h"

#include <boost/json.hpp>

#include "base/crypto.h"

namespace anjian::notification {
namespace json = boost::json;
using db::Value;

namespace {
// Who reads what: regulators, their org's region; an enterprise's users, what is addressed to
// their enterprise. Regulators without a region (national) have no addressed notifications yet.
// A regulator's inbox is read by those who regulate its region: a member department, whose scope
// is none, has no inbox (it read a county enterprise's 红 notice before).
bool has_inbox(const auth::Principal& who) {
  if (who.org_kind == "enterprise") return !who.uscc.empty();
  return who.org_kind == "regulator" && !who.region_code.empty() &&
         (who.scope.kind() == auth::Scope::Kind::region || who.scope.kind() == auth::Scope::Kind::all);
}
// The inbox's condition on notifications `n` and its one parameter.
std::pair<std::string, Value> addressed_to(const auth::Principal& who) {
  if (who.org_kind == "enterprise") return {"n.to_uscc = ?", who.uscc};
  return {"n.region_code = ? AND n.to_uscc = ''", who.region_code};
}
}  // namespace

Status NotificationService::add_in(db::Connection& tx, Notification n) {
  if (n.id.empty()) n.id = new_id();
  if (n.created_at == 0) n.created_at = now_ms();
  auto r = tx.exec("INSERT INTO notifications (id, region_code, kind, title, body, enterprise_uscc, link, created_at, to_uscc) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   {n.id, n.region_code, n.kind, n.title, n.body, n.enterprise_uscc, n.link, n.created_at,
                    n.to_enterprise ? n.enterprise_uscc : std::string()});
  if (!r.ok()) return r.take_error();
  return {};
}

Result<Inbox> NotificationService::inbox(const auth::Principal& who, bool unread_only, std::int64_t page, std::int64_t page_size) {
  Inbox out;
  if (!has_inbox(who)) return out;
  auto c = db_.read();
  if (!c.ok()) return c.take_error();
  const auto [where, to] = addressed_to(who);
  const std::string joined = "FROM notifications n LEFT JOIN notification_reads r ON r.notification_id = n.id AND r.user_id = ? "
                             "WHERE " + where;
  auto counts = (*c)->query_one("SELECT COUNT(*), COUNT(*) - COUNT(r.read_at) " + joined, {who.user_id, to});
  if (!counts.ok()) return counts.take_error();
  out.unread = counts->i64(1);
  out.total = unread_only ? out.unread : counts->i64(0);
  auto rows = (*c)->query("SELECT n.id, n.region_code, n.kind, n.title, n.body, n.enterprise_uscc, n.link, n.created_at, r.read_at " +
                              joined + (unread_only ? " AND r.read_at IS NULL" : "") + " ORDER BY n.created_at DESC, n.id DESC LIMIT ? OFFSET ?",
                          {who.user_id, to, page_size, (page - 1) * page_size});
  if (!rows.ok()) return rows.take_error();
  for (const auto& r : *rows)
    out.items.push_back({r.str(0), r.str(1), r.str(2), r.str(3), r.str(4), r.str(5), r.str(6), r.i64(7), r.opt_i64(8).has_value()});
  return out;
}

Status NotificationService::mark_read(const auth::Principal& who, const std::string& id) {
  // The same answer for "no such notification" and "not yours": ids cannot be probed.
  const Error missing{"not_found", "通知不存在", ""};
  if (!has_inbox(who)) return missing;
  auto w = db_.write();
  if (!w.ok()) return w.take_error();
  const auto [where, to] = addressed_to(who);
  auto n = (*w)->query("SELECT n.id FROM notifications n WHERE n.id = ? AND " + where, {id, to});
  if (!n.ok()) return n.take_error();
  if (n->empty()) return missing;
  auto r = (*w)->exec("INSERT INTO notification_reads (notification_id, user_id, read_at) VALUES (?, ?, ?) "
                      "ON CONFLICT (notification_id, user_id) DO NOTHING",
                      {id, who.user_id, now_ms()});
  if (!r.ok()) return r.take_error();
  return {};
}

Result<std::int64_t> NotificationService::mark_all_read(const auth::Principal& who) {
  if (!has_inbox(who)) return std::int64_t{0};
  auto w = db_.write();
  if (!w.ok()) return w.take_error();
  const auto [where, to] = addressed_to(who);
  return (*w)->exec("INSERT INTO notification_reads (notification_id, user_id, read_at) "
                    "SELECT n.id, ?, ? FROM notifications n WHERE " + where + " AND NOT EXISTS "
                    "(SELECT 1 FROM notification_reads r WHERE r.notification_id = n.id AND r.user_id = ?)",
                    {who.user_id, now_ms(), to, who.user_id});
}

json::object to_json(const Notification& n) {
  return {{"id", n.id}, {"kind", n.kind}, {"title", n.title}, {"body", n.body},
          {"enterprise_uscc", n.enterprise_uscc.empty() ? json::value(nullptr) : json::value(n.enterprise_uscc)},
          {"link", n.link}, {"created_at", format_iso(n.created_at)}, {"read", n.read}};
}

}  // namespace anjian::notification
