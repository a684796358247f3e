#pragma once
// The catalog's rules: entries generated from the exchange registry and worded by administrators;
// a department's request, decided by the provider (无条件共享: at once; 不予共享: never, with the
// basis); a grant's key, shown once to the department; revocation; the reads made with a key,
// limited to the fields and the region granted, each logged.
#include <boost/json/object.hpp>

#include <atomic>

#include "auth/audit_sink.h"
#include "auth/principal.h"
#include "codes/regions.h"
#include "db/database.h"
#include "exchange/nodes.h"
#include "exchange/service.h"
#include "modules/catalog/model.h"
#include "modules/notification/notifier.h"

namespace anjian::catalog {

class CatalogService {
 public:
  CatalogService(db::Database& db, const codes::RegionTable& regions, const exchange::ShareRegistry& registry, exchange::Nodes& nodes,
                 exchange::ExchangeService& exchange, notification::Notifier& notifier, AuditSink& audit);

  // Adds an entry for every shared type that has none (and names this node as provider once it is
  // initialised). Idempotent; run at start and before the catalog is read.
  Status sync();
  Result<std::vector<Entry>> entries();
  // Errors: not_found.
  Result<Entry> entry(const std::string& code);
  // An administrator's wording: category, name, summary, 共享类型 (不予共享 needs its basis), 共享条件,
  // 共享方式, 开放属性, 更新周期, 关联资源. Errors: forbidden, invalid_field, unknown_field, not_found.
  Result<Entry> update_entry(const auth::Principal& who, const std::string& code, const boost::json::object& body, std::string_view source);

  // A department asks for an entry: purpose, fields (default: every item), region (default: its
  // own; never wider). 无条件共享 is approved at once; 不予共享 is refused (not_shareable, with the
  // basis). The provider's administrators are told. Errors: forbidden (not a department),
  // invalid_field, not_found, conflict (an open request or a live grant for the entry exists).
  Result<Grant> request(const auth::Principal& who, const std::string& code, const boost::json::object& body, std::string_view source);
  // The provider decides: approve (conditions, expiry date, the fields and region narrowed) or
  // refuse (a reason). Errors: forbidden (not an administrator of the region), not_found,
  // conflict (decided), invalid_field.
  Result<Grant> decide(const auth::Principal& who, const std::string& id, const boost::json::object& body, std::string_view source);
  // The department's key for an approved grant, made (or made again: the old one stops) and
  // returned this once. Errors: forbidden (another org), not_found, conflict (not approved, expired).
  Result<std::pair<Grant, std::string>> issue_key(const auth::Principal& who, const std::string& id, std::string_view source);
  // Revoked by the provider or the department: its key is refused from then on.
  Result<Grant> revoke(const auth::Principal& who, const std::string& id, const std::string& reason, std::string_view source);
  // A department sees its own org's; a regulator those whose region lies in its scope.
  Result<std::vector<Grant>> grants(const auth::Principal& who, const std::optional<std::string>& state);
  Result<Grant> grant(const auth::Principal& who, const std::string& id);
  Result<std::vector<Usage>> usage(const auth::Principal& who, const std::string& id, std::int64_t limit);

  // A read made with a grant's key: the records of the entry in the granted region, with only the
  // granted fields; logged. Errors: unauthenticated (unknown, revoked or expired key),
  // forbidden (the key is for another entry).
  struct DataPage {
    Grant grant;
    Entry entry;
    std::vector<boost::json::object> items;
    std::int64_t total = 0;
  };
  Result<DataPage> read(std::string_view key, const std::string& code, std::int64_t page, std::int64_t page_size, const std::string& remote,
                        const std::string& query);

  // Every record of an open entry held here, without personal items (for open data).
  Result<std::vector<boost::json::object>> open_records(const Entry& e);

 private:
  Result<std::vector<Grant>> load(db::Connection& c, const std::string& where, const std::vector<db::Value>& params);
  Result<Grant> visible(const auth::Principal& who, const std::string& id);
  bool provider_admin(const auth::Principal& who, const std::string& region) const;

  db::Database& db_;
  const codes::RegionTable& regions_;
  const exchange::ShareRegistry& registry_;
  exchange::Nodes& nodes_;
  exchange::ExchangeService& exchange_;
  notification::Notifier& notifier_;
  AuditSink& audit_;
  enum class Synced { not_yet, without_node, with_node };
  std::atomic<Synced> synced_{Synced::not_yet};
};

}  // namespace anjian::catalog
