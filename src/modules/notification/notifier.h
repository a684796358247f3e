#pragma once
// Sending a notice: to the regulator of the notice's region or — where the platform has none —
// the nearest regulator above it, written in the caller's transaction so that it is kept exactly
// when what it announces is. Modules that raise notices (risk: a rise to 红; monitoring: an
// escalated alarm) write their texts and call this.
#include "auth/identity.h"
#include "modules/notification/service.h"

namespace anjian::notification {

class Notifier {
 public:
  Notifier(NotificationService& notifications, auth::Identity& identity) : notifications_(notifications), identity_(identity) {}
  // REQUIRES: tx in a transaction.
  Status notify_in(db::Connection& tx, Notification n);

 private:
  NotificationService& notifications_;
  auth::Identity& identity_;
};

}  // namespace anjian::notification
