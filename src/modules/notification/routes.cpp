#include "modules/notification/routes.h"

#include <boost/json.hpp>

#include "http/params.h"

namespace anjian::notification {
namespace json = boost::json;
using http::Request;
using http::Response;

void register_routes(http::Router& router, NotificationService& notifications) {
  router.get("/api/v1/notifications", [&notifications](Request& req) {
    auto paging = http::paging(req, 20);
    if (!paging.ok()) return Response::error(paging.error());
    auto unread = http::enum_param(req, "unread", {"true", "false"});
    if (!unread.ok()) return Response::error(unread.error());
    return http::respond(notifications.inbox(req.who(), unread->value_or("") == "true", paging->page, paging->page_size),
                         [&](const Inbox& box) {
                           json::array items;
                           for (const auto& n : box.items) items.push_back(to_json(n));
                           return json::object{{"items", std::move(items)}, {"total", box.total}, {"unread", box.unread},
                                               {"page", paging->page}, {"page_size", paging->page_size}};
                         });
  });

  router.post("/api/v1/notifications/{id}/read", [&notifications](Request& req) {
    if (auto s = notifications.mark_read(req.who(), req.param("id")); !s.ok()) return Response::error(s.error());
    return Response::json(json::object{{"read", true}});
  });

  router.post("/api/v1/notifications/read-all", [&notifications](Request& req) {
    return http::respond(notifications.mark_all_read(req.who()),
                         [](std::int64_t n) { return json::object{{"marked", n}}; });
  });
}

}  // namespace anjian::notification
