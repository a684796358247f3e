#pragma once
#include "http/router.h"
#include "modules/notification/service.h"

namespace anjian::notification {
// /api/v1/notifications: the user's inbox, and marking read.
void register_routes(http::Router& router, NotificationService& notifications);
}  // namespace anjian::notification
