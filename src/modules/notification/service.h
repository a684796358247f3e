#pragma once
// Notifications (通知): what a regulator must not miss, kept until read — an enterprise of its
// county rising to 红, say. Each is addressed to the regulator of one region (its org's region
// code); every user of that org reads it in their inbox and marks it read for themselves. The
// live stream tells whoever is connected at the moment; the inbox is for whoever was not.
#include <cstdint>
#include <string>
#include <vector>

#include "auth/principal.h"
#include "base/result.h"
#include "base/time.h"
#include "db/database.h"

namespace anjian::notification {

struct Notification {
  std::string id;
  std::string region_code;      // addressed to the regulator of this region
  std::string kind;             // risk.rose_to_red | …
  std::string title, body;
  std::string enterprise_uscc;  // the enterprise it is about, if any
  std::string link;             // where the console opens it
  Millis created_at = 0;
  bool read = false;            // for the user asking
  bool to_enterprise = false;   // addressed to the enterprise's own users instead of its regulator
};

struct Inbox {
  std::vector<Notification> items;
  std::int64_t total = 0, unread = 0;
};

class NotificationService {
 public:
  explicit NotificationService(db::Database& db) : db_(db) {}

  // Adds one in the caller's transaction, so that it is kept exactly when what it announces is.
  // REQUIRES: tx in a transaction. Fills id and created_at when empty.
  Status add_in(db::Connection& tx, Notification n);
  // The user's inbox (regulators: what is addressed to their org's region; an enterprise's users:
  // what is addressed to it), newest first.
  Result<Inbox> inbox(const auth::Principal& who, bool unread_only, std::int64_t page, std::int64_t page_size);
  // Errors: not_found (not addressed to the user).
  Status mark_read(const auth::Principal& who, const std::string& id);
  // Returns how many were newly marked.
  Result<std::int64_t> mark_all_read(const auth::Principal& who);

 private:
  db::Database& db_;
};

boost::json::object to_json(const Notification& n);

}  // namespace anjian::notification
