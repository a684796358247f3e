#include "exchange/module.h"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "base/json_text.h"
#include "base/text.h"
#include "exchange/corrections.h"
#include "exchange/file_drop.h"
#include "exchange/push.h"
#include "http/params.h"
#include "modules/audit/audit_log.h"
#include "modules/audit/head.h"
#include "modules/notification/service.h"

namespace anjian::exchange {
namespace json = boost::json;
using http::Request;
using http::Response;

namespace {

json::value instant(const std::optional<Millis>& t) { return t ? json::value(format_iso(*t)) : json::value(nullptr); }

std::string region_name(const codes::RegionTable& regions, const std::string& code) {
  const auto* r = regions.find(code);
  return r ? r->name : code;
}

json::object link_json(const LinkState& l, const codes::RegionTable& regions) {
  json::array lanes;
  for (const auto& lane : l.lanes)
    lanes.push_back(json::object{{"lane", lane.lane}, {"lane_label", lane.lane == "priority" ? "优先通道" : "常规通道"},
                                 {"sent_seq", lane.sent_seq}, {"received_seq", lane.received_seq}});
  return {{"node_id", l.node_id},
          {"name", l.name},
          {"relation", l.relation},
          {"relation_label", l.relation == "parent" ? "上级节点" : "下级节点"},
          {"direction", l.direction},
          {"region_code", l.region_code},
          {"region_name", region_name(regions, l.region_code)},
          {"last_contact_at", instant(l.last_contact_at)},
          {"last_sent_at", instant(l.last_sent_at)},
          {"last_received_at", instant(l.last_received_at)},
          {"lag_s", l.lag_s},
          {"backlog", l.backlog},
          {"refused_batches", l.refused_batches},
          {"applied_changes", l.applied_changes},
          {"last_error", l.last_error.empty() ? json::value(nullptr) : json::value(l.last_error)},
          {"lanes", std::move(lanes)}};
}

json::object peer_json(const Peer& p, const codes::RegionTable& regions) {
  json::array keys;
  for (const auto& k : p.keys)
    keys.push_back(json::object{{"fingerprint", k.fingerprint}, {"algorithm", k.algorithm}, {"state", k.state},
                                {"state_label", k.state == "active" ? "有效" : "已吊销"}, {"added_at", format_iso(k.added_at)},
                                {"revoked_at", instant(k.revoked_at)}});
  return {{"node_id", p.node_id}, {"relation", p.relation}, {"relation_label", p.relation == "parent" ? "上级节点" : "下级节点"},
          {"name", p.name}, {"level", p.level}, {"level_label", level_label(p.level)}, {"region_code", p.region_code},
          {"region_name", region_name(regions, p.region_code)}, {"url", p.url.empty() ? json::value(nullptr) : json::value(p.url)},
          {"registered_at", format_iso(p.registered_at)}, {"keys", std::move(keys)}};
}

json::object correction_json(const Correction& x, const codes::RegionTable& regions, const ShareRegistry& registry,
                             const std::string& me) {
  json::array changes;
  for (const auto& ch : x.changes)
    changes.push_back(json::object{{"field", ch.field}, {"label", ch.label}, {"current", ch.current}, {"proposed", ch.proposed}});
  return {{"id", x.id},
          {"record_type", x.record_type},
          {"record_type_label", change_type_label(registry, x.record_type)},
          {"record_id", x.record_id},
          {"record_name", x.record_name},
          {"owner_node", x.owner_node},
          {"region_code", x.region_code},
          {"region_name", region_name(regions, x.region_code)},
          {"requester_node", x.requester_node},
          {"requester_node_name", x.requester_node_name},
          {"requester_org", x.requester_org},
          {"requested_by", x.requested_by},
          {"reason", x.reason},
          {"changes", std::move(changes)},
          {"requested_at", format_iso(x.requested_at)},
          {"status", x.status},
          {"status_label", correction_status_label(x.status)},
          {"decided_by", x.decided_by.empty() ? json::value(nullptr) : json::value(x.decided_by)},
          {"decider_org", x.decider_org.empty() ? json::value(nullptr) : json::value(x.decider_org)},
          {"note", x.note.empty() ? json::value(nullptr) : json::value(x.note)},
          {"decided_at", instant(x.decided_at)},
          {"mine_to_decide", x.owner_node == me && x.status == "pending"}};
}

}  // namespace

Status ExchangeModule::open(modules::Context& ctx) {
  auto& audit = ctx.need<audit::AuditLog>();
  auto& nodes = ctx.provide(std::make_unique<Nodes>(ctx.db, ctx.regions, audit, key_file_));
  auto& inbox = ctx.need<notification::NotificationService>();
  auto notify = [&inbox, &nodes](db::Connection& c, const std::string& title, const std::string& body) -> Status {
    auto me = nodes.self();
    if (!me.ok()) return {};
    notification::Notification n;
    n.region_code = me->region_code;  // the node's own regulator: its administrators read it
    n.kind = "exchange.refused";
    n.title = title;
    n.body = body;
    n.link = "/exchange";
    return inbox.add_in(c, std::move(n));
  };
  auto head = [&db = ctx.db](std::int64_t anchor_seq) -> Result<AuditHead> {
    ANJIAN_ASSIGN(auto h, audit::audit_head(db));
    AuditHead out{h.first, h.second, 0, {}};
    if (anchor_seq > 0 && anchor_seq <= h.first) {
      ANJIAN_ASSIGN(auto anchor, audit::audit_anchor_at(db, anchor_seq));
      out.anchor_seq = anchor.first;
      out.anchor_hash = std::move(anchor.second);
    }
    return out;
  };
  // Corrections are shared records of the exchange's own: declared before the triggers are made.
  auto notify_correction = [&inbox, &nodes](db::Connection& c, const std::string& title, const std::string& body,
                                            const std::string& uscc) -> Status {
    auto me = nodes.self();
    if (!me.ok()) return {};
    notification::Notification n;
    n.region_code = me->region_code;
    n.kind = "exchange.correction";
    n.title = title;
    n.body = body;
    n.enterprise_uscc = uscc;
    n.link = uscc.empty() ? "/exchange" : "/enterprises/" + uscc;
    return inbox.add_in(c, std::move(n));
  };
  auto& corrections = ctx.provide(std::make_unique<Corrections>(ctx.db, ctx.regions, ctx.need<ShareRegistry>(), nodes, audit, notify_correction));
  ctx.need<ShareRegistry>().add(corrections.request_type());
  ctx.need<ShareRegistry>().add(corrections.decision_type());
  auto& exchange = ctx.provide(std::make_unique<ExchangeService>(ctx.db, ctx.regions, ctx.need<ShareRegistry>(), nodes, audit, ctx.bus, head,
                                                                 notify, config_.settings));
  ANJIAN_TRY(exchange.install_triggers());
  ANJIAN_TRY(exchange.fill_facets());
  ctx.need<ShareRegistry>().set_replica_lookup([&db = ctx.db](const std::string& type, const std::string& id) -> Result<std::optional<ReplicaInfo>> {
    ANJIAN_ASSIGN(auto lease, db.read());
    ANJIAN_ASSIGN(auto rows, lease->query("SELECT r.owner_node, p.name, r.received_from, r.version, r.updated_at FROM exchange_records r "
                                          "LEFT JOIN exchange_peers p ON p.node_id = r.owner_node "
                                          "WHERE r.record_type = ? AND r.record_id = ? AND r.deleted = 0",
                                          {type, id}));
    if (rows.empty()) return std::optional<ReplicaInfo>();
    const auto& r = rows[0];
    return std::optional<ReplicaInfo>(ReplicaInfo{r.str(0), r.null(1) ? "节点 " + r.str(0) : r.str(1), r.str(2), r.i64(3), r.i64(4)});
  });
  // The file drop, both ways, and the outbox kept short.
  if (!config_.inbox_dir.empty() || !config_.outbox_dir.empty())
    ctx.jobs.every(std::chrono::seconds(5), [&exchange, &nodes, in = config_.inbox_dir, out = config_.outbox_dir](Millis) {
      if (!nodes.self().ok()) return;
      if (!in.empty())
        if (auto r = import_batches(exchange, nodes, in, std::chrono::seconds(2)); !r.ok())
          spdlog::warn("exchange inbox {}: {}", in, r.error().message);
      if (!out.empty())
        if (auto r = export_batches(exchange, nodes, out); !r.ok()) spdlog::warn("exchange outbox {}: {}", out, r.error().message);
    });
  // What arrived from below, on the stream: {"type": "exchange.received", "data": {"record_type",
  // "region_code", "count"}}, one message a region, to the users whose jurisdiction covers it.
  ctx.bus.subscribe("exchange.received", [&hub = ctx.hub](const Event& e) {
    const auto* type = e.data.if_contains("record_type");
    const auto* regions = e.data.if_contains("regions");
    if (!type || !type->is_string() || !regions || !regions->is_object()) return;
    for (const auto& [region, n] : regions->get_object()) {
      const std::string code(region);
      hub.publish(json_text(boost::json::object{{"type", "exchange.received"},
                                                {"data", boost::json::object{{"record_type", type->get_string()}, {"region_code", code}, {"count", n}}}}),
                  code, "");
    }
  });
  ctx.jobs.every(std::chrono::minutes(10), [&exchange](Millis) {
    if (auto s = exchange.prune_outbox(exchange.settings().keep_sent_ms); !s.ok()) spdlog::warn("exchange outbox not pruned: {}", s.error().message);
  });
  ctx.jobs.every(std::chrono::hours(1), [&exchange](Millis now) {
    if (auto s = exchange.prune_replicas(now); !s.ok()) spdlog::warn("exchange replicas not pruned: {}", s.error().message);
  });
  return {};
}

Status ExchangeModule::start(modules::Context& ctx) {
  if (config_.push_interval_ms <= 0) return {};
  auto& exchange = ctx.need<ExchangeService>();
  auto& nodes = ctx.need<Nodes>();
  stopping_ = false;
  pusher_ = std::thread([this, &exchange, &nodes] {
    std::string last_error;
    std::unique_lock lock(mu_);
    while (!stopping_) {
      lock.unlock();
      if (nodes.self().ok()) {
        auto r = push_to_parents(exchange, nodes, config_.ca_file);
        if (r.error.empty()) r = pull_from_parents(exchange, nodes, config_.ca_file);
        if (r.error != last_error && !r.error.empty()) spdlog::warn("exchange: {}", r.error);
        last_error = r.error;
      }
      lock.lock();
      wake_.wait_for(lock, std::chrono::milliseconds(config_.push_interval_ms), [this] { return stopping_; });
    }
  });
  return {};
}

void ExchangeModule::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (pusher_.joinable()) pusher_.join();
}

void ExchangeModule::routes(http::Router& router, modules::Context& ctx) {
  auto& exchange = ctx.need<ExchangeService>();
  auto& nodes = ctx.need<Nodes>();
  const auto& regions = ctx.regions;
  const http::RouteOptions manage{.permission = auth::Action::org_manage};

  router.get("/api/v1/exchange/links", [&exchange, &regions](Request&) {
    return http::respond(exchange.links(), [&](const std::vector<LinkState>& links) {
      json::array items;
      for (const auto& l : links) items.push_back(link_json(l, regions));
      return json::object{{"items", std::move(items)}};
    });
  }, manage);

  router.get("/api/v1/exchange/node", [&nodes, &regions](Request&) {
    auto me = nodes.self();
    if (!me.ok()) return Response::error(me.error());
    return http::respond(nodes.peers(), [&](const std::vector<Peer>& peers) {
      json::array items;
      for (const auto& p : peers) items.push_back(peer_json(p, regions));
      return json::object{{"node_id", me->node_id}, {"name", me->name}, {"level", me->level}, {"level_label", level_label(me->level)},
                          {"region_code", me->region_code}, {"region_name", region_name(regions, me->region_code)},
                          {"public_key", me->public_key}, {"algorithm", me->algorithm}, {"fingerprint", me->fingerprint},
                          {"peers", std::move(items)}};
    });
  }, manage);

  // What the nodes below reported, as they hold it (accident reports first of all).
  router.get("/api/v1/exchange/records", [&exchange, &regions, &registry = ctx.need<ShareRegistry>()](Request& req) {
    auto paging = http::paging(req);
    if (!paging.ok()) return Response::error(paging.error());
    const std::string type = req.query_param("type").value_or("");
    return http::respond(exchange.replicas(req.who().scope, type, paging->page, paging->page_size), [&](const ExchangeService::ReplicaPage& p) {
      // The enterprise a record is about, by name (records name it by its code).
      auto uscc_of = [](const json::object& data) -> std::string {
        for (const char* key : {"enterprise_uscc", "uscc"})
          if (const auto* v = data.if_contains(key); v && v->is_string()) return std::string(v->get_string());
        return {};
      };
      std::vector<std::string> usccs;
      for (const auto& r : p.items)
        if (auto u = uscc_of(r.data); !u.empty()) usccs.push_back(std::move(u));
      auto names = registry.enterprise_names(usccs);
      json::array items;
      for (const auto& r : p.items) {
        const std::string uscc = uscc_of(r.data);
        json::value name = nullptr;
        if (names.ok())
          if (auto it = names->find(uscc); it != names->end()) name = json::string(it->second);
        items.push_back(json::object{{"type", r.type}, {"id", r.id}, {"owner_node", r.owner_node}, {"owner_name", r.owner_name},
                                     {"region_code", r.region_code}, {"region_name", region_name(regions, r.region_code)},
                                     {"received_from", r.received_from}, {"version", r.version}, {"updated_at", format_iso(r.updated_at)},
                                     {"enterprise_name", std::move(name)}, {"data", r.data}});
      }
      return json::object{{"items", std::move(items)}, {"total", p.total}, {"page", paging->page}, {"page_size", paging->page_size}};
    });
  }, {.permission = auth::Action::enterprise_read});

  // What the nodes below reported, summed up by some of its fields (a home card's figures).
  router.get("/api/v1/exchange/records/counts", [&exchange, &regions, &registry = ctx.need<ShareRegistry>()](Request& req) {
    const std::string type = req.query_param("type").value_or("");
    const std::vector<std::string> by = split_list(req.query_param("by").value_or(""), ',');
    return http::respond(exchange.replica_counts(req.who().scope, type, by), [&](const std::vector<ExchangeService::ReplicaCount>& counts) {
      const auto* t = registry.find(type);
      json::array items;
      std::int64_t total = 0;
      for (const auto& c : counts) {
        json::object values, labels;
        for (size_t i = 0; i < by.size(); ++i) {
          values[by[i]] = c.values[i];
          std::string label = c.values[i];
          if (by[i] == "region_code") {
            label = region_name(regions, c.values[i]);
          } else {
            for (const auto& f : t->fields) {
              if (f.name != by[i]) continue;
              if (f.value_label) label = std::string(f.value_label(c.values[i]));
              else if (f.type == "boolean") label = c.values[i] == "true" ? "是" : c.values[i] == "false" ? "否" : "";
            }
          }
          labels[by[i]] = std::move(label);
        }
        total += c.count;
        items.push_back(json::object{{"values", std::move(values)}, {"labels", std::move(labels)}, {"count", c.count}});
      }
      json::array by_json;
      for (const auto& b : by) by_json.emplace_back(b);
      return json::object{{"type", type}, {"by", std::move(by_json)}, {"items", std::move(items)}, {"total", total}};
    });
  }, {.permission = auth::Action::enterprise_read});

  // A child pulls what waits for it: its signature is the credential.
  router.post("/api/v1/exchange/pull", [&exchange](Request& req) {
    auto batch = exchange.serve_pull(req.body);
    if (!batch.ok()) return Response::error(batch.error());
    if (batch->empty()) return Response::no_content();
    Response r;
    r.body = std::move(*batch);
    r.content_type = "application/octet-stream";
    return r;
  }, {.public_route = true});

  // What this node shares, type by type, with the fields a correction may propose.
  router.get("/api/v1/exchange/types", [&registry = ctx.need<ShareRegistry>()](Request&) {
    json::array items;
    for (const auto& t : registry.all()) {
      json::array fields;
      for (const auto& f : t.fields) {
        const bool fixed = std::find(t.fixed_fields.begin(), t.fixed_fields.end(), f.name) != t.fixed_fields.end();
        fields.push_back(json::object{{"name", f.name}, {"label", f.label}, {"type", f.type}, {"personal", f.personal},
                                      {"correctable", t.correct != nullptr && !fixed}});
      }
      items.push_back(json::object{{"type", t.type}, {"label", t.label}, {"direction", direction_name(t.direction)},
                                   {"direction_label", t.direction == Direction::up ? "向上级" : "向下级"}, {"lane", lane_name(t.lane)},
                                   {"lane_label", t.lane == Lane::priority ? "优先通道" : "常规通道"}, {"corrections", t.correct != nullptr},
                                   {"fields", std::move(fields)}});
    }
    return Response::json(json::object{{"items", std::move(items)}});
  }, {.permission = auth::Action::enterprise_read});

  auto& corrections = ctx.need<Corrections>();
  const auto& registry = ctx.need<ShareRegistry>();
  router.get("/api/v1/exchange/corrections", [&corrections, &nodes, &regions, &registry](Request& req) {
    auto paging = http::paging(req);
    if (!paging.ok()) return Response::error(paging.error());
    const std::string box = req.query_param("box").value_or("all");
    if (box != "incoming" && box != "outgoing" && box != "all")
      return Response::error(Error::invalid_field("box", "box 只能是 incoming、outgoing 或 all"));
    auto me = nodes.self();
    if (!me.ok()) return Response::error(me.error());
    Corrections::Filter filter;
    filter.box = box == "incoming" ? Corrections::Box::incoming : box == "outgoing" ? Corrections::Box::outgoing : Corrections::Box::all;
    filter.status = req.query_param("status");
    filter.record_type = req.query_param("record_type");
    filter.record_id = req.query_param("record_id");
    return http::respond(corrections.list(req.who().scope, filter, paging->page, paging->page_size),
                         [&](const Corrections::Page& p) {
                           json::array items;
                           for (const auto& x : p.items) items.push_back(correction_json(x, regions, registry, me->node_id));
                           return json::object{{"items", std::move(items)}, {"total", p.total}, {"page", paging->page},
                                               {"page_size", paging->page_size}};
                         });
  }, {.permission = auth::Action::enterprise_read});

  router.post("/api/v1/exchange/corrections", [&corrections, &nodes, &regions, &registry](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    for (const auto& [k, v] : *body)
      if (k != "record_type" && k != "record_id" && k != "reason" && k != "fields")
        return Response::error(Error{"unknown_field", "未知字段：" + std::string(k), std::string(k)});
    auto text = [&](const char* k) -> std::optional<std::string> {
      const auto* v = body->if_contains(k);
      return v && v->is_string() ? std::optional<std::string>(std::string(v->as_string())) : std::nullopt;
    };
    const auto type = text("record_type"), id = text("record_id"), reason = text("reason");
    const auto* fields = body->if_contains("fields");
    if (!type) return Response::error(Error::invalid_field("record_type", "请指明数据类型"));
    if (!id) return Response::error(Error::invalid_field("record_id", "请指明记录"));
    if (!reason) return Response::error(Error::invalid_field("reason", "请说明更正理由"));
    if (!fields || !fields->is_object()) return Response::error(Error::invalid_field("fields", "fields 须为对象：字段名 → 建议的值"));
    auto me = nodes.self();
    if (!me.ok()) return Response::error(me.error());
    return http::respond(corrections.request(req.who(), *type, *id, *reason, fields->as_object(), req.remote),
                         [&](const Correction& x) { return correction_json(x, regions, registry, me->node_id); }, 201);
  }, {.permission = auth::Action::enterprise_write});

  router.post("/api/v1/exchange/corrections/{id}/decision", [&corrections, &nodes, &regions, &registry](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    for (const auto& [k, v] : *body)
      if (k != "accept" && k != "note") return Response::error(Error{"unknown_field", "未知字段：" + std::string(k), std::string(k)});
    const auto* accept = body->if_contains("accept");
    if (!accept || !accept->is_bool()) return Response::error(Error::invalid_field("accept", "accept 须为 true（接受）或 false（拒绝）"));
    const auto* note = body->if_contains("note");
    if (note && !note->is_string() && !note->is_null()) return Response::error(Error::invalid_field("note", "处理意见须为文字"));
    auto me = nodes.self();
    if (!me.ok()) return Response::error(me.error());
    return http::respond(corrections.decide(req.who(), req.param("id"), accept->as_bool(),
                                            note && note->is_string() ? std::string(note->as_string()) : std::string(), req.remote),
                         [&](const Correction& x) { return correction_json(x, regions, registry, me->node_id); });
  }, {.permission = auth::Action::enterprise_write});

  // A peer pushes a batch: the signature is the credential (no session between machines).
  router.post("/api/v1/exchange/batches", [&exchange](Request& req) {
    auto r = exchange.receive(req.body, "https:" + req.remote);
    if (!r.ok()) return Response::error(r.error());
    const ApplyReport& a = *r;
    json::object o{{"sender", a.sender}, {"lane", a.lane}, {"from_seq", a.from_seq}, {"to_seq", a.to_seq}, {"applied", a.applied},
                   {"unchanged", a.unchanged}, {"conflicts", a.conflicts}, {"skipped", a.skipped}, {"duplicate", a.duplicate},
                   {"waiting", a.waiting}};
    if (a.waiting) o["expected_from"] = a.expected_from;
    return Response::json(o);
  }, {.public_route = true});
}

}  // namespace anjian::exchange
