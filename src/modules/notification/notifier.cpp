#include "modules/notification/notifier.h"

namespace anjian::notification {

Status Notifier::notify_in(db::Connection& tx, Notification n) {
  if (n.to_enterprise) return notifications_.add_in(tx, std::move(n));  // its own users read it
  auto to = identity_.nearest_regulator(tx, n.region_code);
  if (!to.ok()) return to.take_error();
  if (!to->empty()) n.region_code = *to;
  return notifications_.add_in(tx, std::move(n));
}

}  // namespace anjian::notification
