// The HTTP doors of ingestion: readings batches and coal-mine files, and the mine links.
#include "ingest/routes.h"

#include <boost/json.hpp>

#include "http/params.h"
#include "ingest/door_auth.h"

namespace anjian::ingest {
namespace json = boost::json;
using auth::Action;
using http::Request;
using http::Response;

void register_routes(http::Router& router, monitoring::Pipeline& pipeline, CoalFiles& coal, auth::ApiKeys& keys) {
  // The HTTP door: machines with an enterprise's API key, not sessions.
  router.post("/api/v1/monitoring/readings", [&pipeline, &keys](Request& req) {
    auto machine = api_key_of(req, keys);
    if (!machine.ok()) return Response::error(machine.error());
    auto batch = monitoring::parse_readings(req.body);
    if (!batch.ok()) return Response::error(batch.error());
    return http::respond(pipeline.ingest(machine->enterprise_uscc, std::move(*batch)), [](const monitoring::IngestReport& r) {
      json::array rejected;
      for (const auto& x : r.rejected) rejected.push_back(json::object{{"index", x.index}, {"code", x.code}, {"message", x.message}});
      return json::object{{"accepted", r.accepted}, {"duplicates", r.duplicates}, {"rejected", std::move(rejected)},
                          {"alarms_raised", r.alarms_raised}};
    });
  }, {.public_route = true});

  // A mine's KJ system (with its enterprise's API key) or a regulator relaying the provincial
  // network (with a session) uploads one file as the body; ?name= is the file's name, which says
  // what it is and which mine sent it.
  router.post("/api/v1/monitoring/coal-files", [&coal, &keys](Request& req) {
    auth::Principal sender;
    if (has_api_key(req)) {
      auto machine = api_key_of(req, keys);
      if (!machine.ok()) return Response::error(machine.error());
      sender = machine_principal(machine->key_id, machine->enterprise_uscc, machine->region_code);
    } else if (req.principal) {
      if (!req.principal->can(Action::enterprise_write)) return Response::error(Error::forbidden());
      sender = *req.principal;
    } else {
      return Response::error({"unauthenticated", "须登录，或以 Authorization: ApiKey KEY 上传", ""});
    }
    auto name = req.query_param("name");
    if (!name || name->empty())
      return Response::error(Error::invalid_field("name", "须以 ?name= 给出文件名，如 140211001234_CDSS_20261129083000.txt"));
    return http::respond(coal.take(sender, *name, req.body, req.remote), [](const CoalFileReport& r) { return to_json(r); });
  }, {.public_route = true});

  router.get("/api/v1/enterprises/{uscc}/coal-mine", [&coal](Request& req) {
    const std::string uscc = req.param("uscc");
    return http::respond(coal.mine_of(req.who().scope, uscc), [&](const CoalMine& m) { return to_json(uscc, m); });
  }, {.permission = Action::enterprise_read});

  router.put("/api/v1/enterprises/{uscc}/coal-mine", [&coal](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    std::string code;
    std::int64_t interval = 30;
    for (const auto& kv : *body) {
      if (kv.key() == "mine_code") {
        if (kv.value().is_string()) code = std::string(kv.value().as_string());
        else if (!kv.value().is_null()) return Response::error(Error::invalid_field("mine_code", "mine_code 须为字符串或 null"));
      } else if (kv.key() == "upload_interval_s") {
        if (!kv.value().is_int64()) return Response::error(Error::invalid_field("upload_interval_s", "上传周期须为 5 至 3600 秒的整数"));
        interval = kv.value().as_int64();
      } else {
        return Response::error({"unknown_field", "未知字段 " + std::string(kv.key()), std::string(kv.key())});
      }
    }
    const std::string uscc = req.param("uscc");
    return http::respond(coal.link(req.who(), uscc, code, req.remote, interval), [&](const CoalMine& m) { return to_json(uscc, m); });
  }, {.permission = Action::enterprise_write});
}

}  // namespace anjian::ingest
