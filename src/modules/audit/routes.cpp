#include "modules/audit/routes.h"

#include "modules/audit/labels.h"

#include <boost/json.hpp>

#include "http/params.h"

namespace anjian::audit {
namespace json = boost::json;
using http::Request;
using http::Response;

void register_routes(http::Router& router, AuditLog& log, EnterpriseNames names) {
  router.get("/api/v1/audit", [&log, names = std::move(names)](Request& req) {
    AuditQuery q;
    auto p = http::paging(req, 50);
    if (!p.ok()) return Response::error(p.error());
    q.page = p->page;
    q.page_size = p->page_size;
    auto from = http::instant_param(req, "from");
    if (!from.ok()) return Response::error(from.error());
    auto to = http::instant_param(req, "to");
    if (!to.ok()) return Response::error(to.error());
    q.from = *from;
    q.to = *to;
    q.action = req.query_param("action").value_or("");
    q.username = req.query_param("username").value_or("");
    q.uscc = req.query_param("uscc").value_or("");
    auto outcome = http::enum_param(req, "outcome", {"success", "failure", "denied"});
    if (!outcome.ok()) return Response::error(outcome.error());
    q.outcome = outcome->value_or("");
    return http::respond(log.list(req.who().scope, q), [&](const AuditPage& page) {
      std::vector<std::string> usccs;
      for (const auto& a : page.items)
        if (!a.event.uscc.empty()) usccs.push_back(a.event.uscc);
      const auto name_of = names ? names(req.who().scope, usccs) : std::map<std::string, std::string>{};
      json::array items;
      for (const auto& a : page.items) {
        const AuditEvent& e = a.event;
        json::value detail;
        json::error_code ec;
        detail = json::parse(e.detail, ec);
        if (ec) detail = e.detail;
        items.push_back(json::object{{"seq", a.seq}, {"at", format_iso(e.at)}, {"user_id", e.user_id},
                                     {"username", e.username}, {"org_id", e.org_id}, {"region_code", e.region_code},
                                     {"uscc", e.uscc}, {"source", e.source}, {"action", e.action}, {"target", e.target},
                                     {"outcome", e.outcome}, {"detail", std::move(detail)}, {"hash", a.hash},
                                     {"action_name", action_label(e.action)}});
        if (auto n = name_of.find(e.uscc); n != name_of.end()) items.back().as_object()["enterprise_name"] = n->second;
      }
      // Records up to this seq were moved to the archive files (the online window): said on the
      // page, so that an auditor looking for older ones knows where they went.
      auto boundary = log.boundary();
      return json::object{{"items", std::move(items)}, {"total", page.total}, {"page", q.page}, {"page_size", q.page_size},
                          {"archived_through", boundary.ok() ? boundary->seq : 0}};
    });
  }, {.permission = auth::Action::audit_read});
}

}  // namespace anjian::audit
