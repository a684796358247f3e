#pragma once
// Tells systemd (Type=notify, deploy/anjian.service) that the server is ready — listening, its
// database migrated — or stopping, by the sd_notify protocol: a datagram to $NOTIFY_SOCKET. No
// libsystemd needed; outside systemd (no $NOTIFY_SOCKET) it does nothing.
#include <string_view>

namespace anjian::app {

void notify_service_manager(std::string_view state);  // "READY=1", "STOPPING=1"

}  // namespace anjian::app
