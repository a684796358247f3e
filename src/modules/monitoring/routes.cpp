// HTTP ↔ monitoring services.
#include "modules/monitoring/routes.h"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "http/params.h"
#include "modules/monitoring/gas_rules.h"
#include "modules/monitoring/point_import.h"

namespace anjian::monitoring {
namespace json = boost::json;
using auth::Action;
using http::Request;
using http::Response;

namespace {
Response with_etag(const Point& p, unsigned status = 200) {
  return Response::json(to_json(p), status).with_header("ETag", http::etag(p.version));
}
}  // namespace

void register_routes(http::Router& router, const Services& s) {
  PointService& points = s.points;
  Pipeline& pipeline = s.pipeline;
  AlarmService& alarms = s.alarms;
  enterprise::Service& enterprises = s.enterprises;
  // The latest value and state of each point of an enterprise, or of one hazard source (from memory).
  router.get("/api/v1/monitoring/latest", [&pipeline, &enterprises, &hazards = s.hazards](Request& req) {
    std::string uscc;
    std::optional<std::string> source_id;
    if (auto h = req.query_param("hazard_source_id"); h && !h->empty()) {
      auto source = hazards.get(req.who().scope, *h);
      if (!source.ok()) return Response::error(source.error());
      uscc = source->enterprise_uscc;
      source_id = source->id;
    } else {
      auto e = enterprises.get(req.who().scope, req.query_param("enterprise_uscc").value_or(""));
      if (!e.ok()) return Response::error(e.error());
      uscc = e->uscc;
    }
    return http::respond(pipeline.latest(uscc), [&](const std::vector<Latest>& list) {
      json::array items;
      for (const auto& l : list) {
        if (source_id && l.point.hazard_source_id != source_id) continue;
        items.push_back(json::object{{"point", l.point.code}, {"point_id", l.point.id}, {"name", l.point.name},
                                     {"indicator", l.point.indicator}, {"unit", l.point.unit},
                                     {"hazard_source_id", l.point.hazard_source_id ? json::value(*l.point.hazard_source_id) : json::value(nullptr)},
                                     {"ts", l.ts ? json::value(format_iso(*l.ts)) : json::value(nullptr)},
                                     {"value", l.ts ? json::value(l.value) : json::value(nullptr)},
                                     {"level", to_string(l.level)}, {"offline", l.offline},
                                     {"fault", l.fault.empty() ? json::value(nullptr) : json::value(l.fault)},
                                     {"power_off", l.power_off}, {"no_power_off", l.no_power_off},
                                     // What the value is judged against, and what its settings break.
                                     {"thresholds", to_json(l.point).at("thresholds")},
                                     {"findings", to_json(l.point).at("findings")}});
      }
      return json::object{{"items", std::move(items)}};
    });
  }, {.permission = Action::enterprise_read});

  router.get("/api/v1/alarms", [&alarms](Request& req) {
    AlarmFilter f;
    auto paging = http::paging(req, 50);
    if (!paging.ok()) return Response::error(paging.error());
    f.page = paging->page;
    f.page_size = paging->page_size;
    auto state = http::enum_param(req, "state", {"raised", "acknowledged", "recovered", "closed", "unhandled"});
    if (!state.ok()) return Response::error(state.error());
    static const std::vector<std::string_view> kTypes = [] {
      std::vector<std::string_view> v;
      for (AlarmType t : kAlarmTypes) v.push_back(to_string(t));
      return v;
    }();
    auto type = http::enum_param(req, "type", kTypes);
    if (!type.ok()) return Response::error(type.error());
    auto from = http::instant_param(req, "from");
    if (!from.ok()) return Response::error(from.error());
    auto to = http::instant_param(req, "to");
    if (!to.ok()) return Response::error(to.error());
    f.state = *state;
    f.type = *type;
    f.from = *from;
    f.to = *to;
    if (auto v = req.query_param("enterprise_uscc"); v && !v->empty()) f.enterprise_uscc = *v;
    if (auto v = req.query_param("q"); v && !v->empty()) {
      if (v->size() > 100) return Response::error(Error::invalid_field("q", "企业名称搜索词过长（至多 100 字节）"));
      f.q = *v;
    }
    return http::respond(alarms.list(req.who().scope, f), [&](const std::pair<std::vector<Alarm>, std::int64_t>& p) {
      json::array items;
      for (const auto& a : p.first) items.push_back(to_json(a));
      return json::object{{"items", std::move(items)}, {"total", p.second}, {"page", f.page}, {"page_size", f.page_size}};
    });
  }, {.permission = Action::enterprise_read});

  router.get("/api/v1/alarms/{id}", [&alarms](Request& req) {
    return http::respond(alarms.get(req.who().scope, req.param("id")), [](const Alarm& a) { return to_json(a); });
  }, {.permission = Action::enterprise_read});

  router.post("/api/v1/alarms/{id}/ack", [&alarms](Request& req) {
    return http::respond(alarms.acknowledge(req.who(), req.param("id"), req.remote), [](const Alarm& a) { return to_json(a); });
  }, {.permission = Action::enterprise_read});

  router.post("/api/v1/alarms/{id}/close", [&alarms](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    return http::respond(alarms.close(req.who(), req.param("id"), *body, req.remote), [](const Alarm& a) { return to_json(a); });
  }, {.permission = Action::enterprise_write});

  router.get("/api/v1/monitoring/points", [&points](Request& req) {
    auto paging = http::paging(req, 50);
    if (!paging.ok()) return Response::error(paging.error());
    auto indicator = http::enum_param(req, "indicator", indicators());
    if (!indicator.ok()) return Response::error(indicator.error());
    PointFilter f;
    f.page = paging->page;
    f.page_size = paging->page_size;
    f.indicator = *indicator;
    if (auto v = req.query_param("enterprise_uscc"); v && !v->empty()) f.enterprise_uscc = *v;
    if (auto v = req.query_param("hazard_source_id"); v && !v->empty()) f.hazard_source_id = *v;
    if (auto v = req.query_param("with_findings"); v && !v->empty()) {
      if (*v != "true" && *v != "false") return Response::error(Error::invalid_field("with_findings", "with_findings 须为 true 或 false"));
      f.with_findings = *v == "true";
    }
    return http::respond(points.list(req.who().scope, f), [&](const PointPage& p) {
      json::array items;
      for (const auto& x : p.items) items.push_back(to_json(x));
      return json::object{{"items", std::move(items)}, {"total", p.total}, {"page", f.page}, {"page_size", f.page_size}};
    });
  }, {.permission = Action::enterprise_read});

  router.post("/api/v1/monitoring/points", [&points](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    auto p = points.create(req.who(), *body, req.remote);
    if (!p.ok()) return Response::error(p.error());
    return with_etag(*p, 201);
  }, {.permission = Action::enterprise_write});

  // Bulk definition from a table (CSV or XLSX); ?dry_run=true checks without writing.
  router.post("/api/v1/monitoring/points/import", [&points, &hazards = s.hazards](Request& req) {
    const bool dry_run = req.query_param("dry_run").value_or("") == "true";
    return http::respond(import_points(points, hazards, req.who(), req.body, dry_run, req.remote),
                         [](const PointImportReport& r) { return to_json(r); });
  }, {.permission = Action::enterprise_write});

  // The rules gas points are held to: the methane table of 第四百九十八条 by place, and the
  // occupational exposure limits of the toxic gases (for the point forms and the regulator).
  router.get("/api/v1/monitoring/methane-places", [](Request&) {
    json::array items;
    for (const auto& r : gas::methane_places()) {
      json::array match(r.match.begin(), r.match.end());
      items.push_back(json::object{{"no", r.no}, {"place", r.place}, {"match", std::move(match)}, {"alarm", r.alarm},
                                   {"power_off", r.power_off ? json::value(*r.power_off) : json::value(nullptr)},
                                   {"restore", r.restore ? json::value(*r.restore) : json::value(nullptr)},
                                   {"power_off_area", r.area}, {"source", r.source}});
    }
    return Response::json(json::object{{"items", std::move(items)}});
  }, {.permission = Action::enterprise_read});

  router.get("/api/v1/monitoring/exposure-limits", [](Request&) {
    json::array items;
    auto num = [](const std::optional<double>& v) { return v ? json::value(*v) : json::value(nullptr); };
    for (const auto& l : gas::exposure_limits()) {
      json::array aliases(l.aliases.begin(), l.aliases.end());
      items.push_back(json::object{{"gas", l.gas}, {"cas", l.cas}, {"formula", l.formula}, {"molar_mass", l.molar_mass},
                                   {"mac", num(l.mac)}, {"pc_stel", num(l.stel)}, {"pc_twa", num(l.twa)},
                                   {"oel", l.oel()}, {"oel_kind", l.oel_kind()},
                                   {"oel_ppm", std::round(gas::mg_m3_to_ppm(l.oel(), l.molar_mass) * 1000) / 1000},
                                   {"aliases", std::move(aliases)}, {"note", l.note}});
    }
    return Response::json(json::object{{"items", std::move(items)}, {"molar_volume", gas::kMolarVolume}});
  }, {.permission = Action::enterprise_read});

  router.get("/api/v1/monitoring/points/{id}", [&points](Request& req) {
    auto p = points.get(req.who().scope, req.param("id"));
    if (!p.ok()) return Response::error(p.error());
    return with_etag(*p);
  }, {.permission = Action::enterprise_read});

  // A point's readings over time: raw when the span is short (or step=0), else rollups in buckets
  // of `step` seconds (a multiple of 60), at most about 720 of them when the step is chosen here.
  router.get("/api/v1/monitoring/points/{id}/series", [&points, &readings = s.readings](Request& req) {
    auto p = points.get(req.who().scope, req.param("id"));
    if (!p.ok()) return Response::error(p.error());
    auto from = http::instant_param(req, "from");
    if (!from.ok()) return Response::error(from.error());
    auto to = http::instant_param(req, "to");
    if (!to.ok()) return Response::error(to.error());
    const Millis end = to->value_or(now_ms());
    const Millis start = from->value_or(end - 3'600'000);
    if (start > end) return Response::error(Error::invalid_field("from", "from 须早于 to"));
    if (end - start > 10LL * 366 * 86'400'000) return Response::error(Error::invalid_field("from", "时段最长 10 年"));
    // 标校 readings are kept and marked; a statistic or a chart may leave them out (rollups always do).
    static const std::vector<std::string_view> kCalibration = {"include", "exclude"};
    auto calibration_param = http::enum_param(req, "calibration", kCalibration);
    if (!calibration_param.ok()) return Response::error(calibration_param.error());
    const std::string calibration(calibration_param->value_or("include"));
    Millis step_ms = -1;
    if (auto v = req.query_param("step"); v && !v->empty()) {
      std::int64_t step = -1;
      auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), step);
      if (ec != std::errc() || ptr != v->data() + v->size() || step < 0 || (step > 0 && (step % 60 != 0 || step > 31 * 86400)))
        return Response::error(Error::invalid_field("step", "step 须为 0（原始读数）或 60 的整数倍秒数，最长 31 天"));
      step_ms = step * 1000;
    } else if (end - start > 6 * 3'600'000) {
      step_ms = std::max<Millis>(60'000, (end - start) / 720 / 60'000 * 60'000);
    } else {
      step_ms = 0;
    }
    json::object head{{"point_id", p->id}, {"point", p->code}, {"unit", p->unit}, {"from", format_iso(start)}, {"to", format_iso(end)}};
    if (step_ms == 0) {
      auto raw = readings.raw(p->id, start, end, 100'000);
      if (!raw.ok()) return Response::error(raw.error());
      json::array items;
      items.reserve(raw->size());
      static const char* kQuality[] = {"good", "uncertain", "bad", "calibration"};
      for (const auto& x : *raw)
        if (calibration == "include" || x.quality != static_cast<int>(Quality::calibration))
          items.push_back(json::array{x.ts, x.value, kQuality[std::clamp(x.quality, 0, 3)]});
      head["kind"] = "raw";
      head["step"] = 0;
      head["columns"] = json::array{"ts", "value", "quality"};
      head["items"] = std::move(items);
      return Response::json(head);
    }
    auto buckets = readings.rollups(p->id, start, end, step_ms);
    if (!buckets.ok()) return Response::error(buckets.error());
    json::array items;
    for (const auto& b : *buckets)
      items.push_back(json::array{b.minute, b.min, b.max, b.sum / static_cast<double>(b.count), b.count, b.last});
    head["kind"] = "rollup";
    head["step"] = step_ms / 1000;
    head["columns"] = json::array{"ts", "min", "max", "avg", "count", "last"};
    head["items"] = std::move(items);
    return Response::json(head);
  }, {.permission = Action::enterprise_read});

  router.patch("/api/v1/monitoring/points/{id}", [&points](Request& req) {
    auto change = http::versioned_change(req);
    if (!change.ok()) return Response::error(change.error());
    auto p = points.update(req.who(), req.param("id"), change->version, change->body, req.remote);
    if (!p.ok()) return Response::error(p.error());
    return with_etag(*p);
  }, {.permission = Action::enterprise_write});
}

}  // namespace anjian::monitoring
