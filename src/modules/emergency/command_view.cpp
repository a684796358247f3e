#include "modules/emergency/command_view.h"

#include <boost/json.hpp>

#include <cmath>
#include <map>

#include "base/geo_index.h"
#include "modules/accident/kind_rules.h"
#include "modules/hazard/model.h"

namespace anjian::emergency {
namespace json = boost::json;

namespace {
double metres(double d) { return std::round(d); }
}  // namespace

Result<json::object> command_view(const CommandSources& s, const auth::Principal& who, const Incident& i, double radius_m) {
  json::object out{{"incident", to_json(i, true)}, {"radius_m", radius_m}};

  auto resources = s.resources.within(who, i.lon, i.lat, radius_m, kCommandViewLimit);
  if (!resources.ok()) return resources.take_error();
  json::array rs;
  // What the map and its list show of each (the whole record is one GET away).
  for (const auto& n : *resources) {
    const Resource& r = n.resource;
    json::object full = to_json(r);
    rs.push_back(json::object{{"id", r.id}, {"kind", r.kind}, {"kind_label", full["kind_label"]}, {"name", r.name},
                              {"team_kind", full["team_kind"]}, {"team_kind_label", full["team_kind_label"]}, {"status", r.status},
                              {"status_label", full["status_label"]}, {"lon", r.lon}, {"lat", r.lat}, {"contact", full["contact"]},
                              {"distance_m", n.distance_m}, {"eta_min", n.eta_min}});
  }
  out["resources"] = std::move(rs);

  auto near = s.enterprises.points_near(who.scope, i.lon, i.lat, radius_m, kCommandViewLimit);
  if (!near.ok()) return near.take_error();
  std::map<std::string, std::pair<double, double>> place_of;  // uscc → (lon, lat)
  std::vector<std::string> usccs;
  for (const auto& [p, d] : *near) {
    place_of[p.uscc] = {p.lon, p.lat};
    usccs.push_back(p.uscc);
  }
  // The enterprise concerned is shown even when it has no coordinates of its own nearby.
  if (!i.enterprise_uscc.empty() && !place_of.count(i.enterprise_uscc)) {
    place_of[i.enterprise_uscc] = {i.lon, i.lat};
    usccs.push_back(i.enterprise_uscc);
  }

  std::map<std::string, std::int64_t> hazard_count;
  json::array hs;
  std::map<std::string, std::pair<double, double>> hazard_place;
  if (!usccs.empty()) {
    hazard::Filter hf;
    hf.enterprise_usccs = usccs;
    hf.page_size = static_cast<std::int64_t>(kCommandViewLimit);
    auto page = s.hazards.list(who.scope, hf);
    if (!page.ok()) return page.take_error();
    for (const auto& h : page->items) {
      const auto [elon, elat] = place_of[h.enterprise_uscc];
      const double lon = h.lon.value_or(elon), lat = h.lat.value_or(elat);
      hazard_place[h.id] = {lon, lat};
      ++hazard_count[h.enterprise_uscc];
      hs.push_back(json::object{{"id", h.id},
                                {"enterprise_uscc", h.enterprise_uscc},
                                {"code", h.code},
                                {"name", h.name},
                                {"grade", h.grade ? json::value(*h.grade) : json::value(nullptr)},
                                {"lon", lon},
                                {"lat", lat},
                                {"distance_m", metres(great_circle_m(i.lon, i.lat, lon, lat))}});
    }
  }
  json::array es;
  for (const auto& [p, d] : *near)
    es.push_back(json::object{{"uscc", p.uscc}, {"name", p.name}, {"industry", p.industry}, {"region_code", p.region_code}, {"lon", p.lon},
                              {"lat", p.lat}, {"distance_m", metres(d)}, {"hazard_sources", hazard_count[p.uscc]}});
  out["enterprises"] = std::move(es);
  out["hazard_sources"] = std::move(hs);

  json::array ps;
  if (!usccs.empty()) {
    monitoring::PointFilter pf;
    pf.enterprise_usccs = usccs;
    pf.page_size = static_cast<std::int64_t>(kCommandViewLimit);
    auto page = s.points.list(who.scope, pf);
    if (!page.ok()) return page.take_error();
    for (const auto& p : page->items) {
      // A point is drawn at its hazard source, else at its enterprise.
      auto [lon, lat] = place_of[p.enterprise_uscc];
      if (p.hazard_source_id)
        if (auto it = hazard_place.find(*p.hazard_source_id); it != hazard_place.end()) std::tie(lon, lat) = it->second;
      ps.push_back(json::object{{"id", p.id}, {"enterprise_uscc", p.enterprise_uscc}, {"code", p.code}, {"name", p.name},
                                {"indicator", p.indicator}, {"unit", p.unit}, {"lon", lon}, {"lat", lat}});
    }
  }
  out["monitoring_points"] = std::move(ps);

  // The enterprise concerned: its record and hazard sources in full (substances and quantities).
  json::value enterprise = nullptr;
  if (!i.enterprise_uscc.empty()) {
    if (auto v = s.enterprises.view(who, i.enterprise_uscc); v.ok()) {
      hazard::Filter hf;
      hf.enterprise_uscc = i.enterprise_uscc;
      hf.page_size = 200;
      json::array own;
      if (auto page = s.hazards.list(who.scope, hf); page.ok())
        for (const auto& h : page->items) own.push_back(hazard::to_json(h));
      json::object e = std::move(*v);
      e["hazard_sources_detail"] = std::move(own);
      enterprise = std::move(e);
    }
  }
  out["enterprise"] = std::move(enterprise);

  json::array plans;
  if (auto sug = s.plans.suggest(who, i.enterprise_uscc, i.region_code, i.accident_kind); sug.ok()) {
    const std::int64_t today = today_shanghai(now_ms());
    for (const auto& x : *sug) {
      json::object o = to_json(x.plan, today);
      o["reason"] = x.reason;
      plans.push_back(std::move(o));
    }
  }
  out["plans"] = std::move(plans);

  // The report behind the response, with its timeline (续报 merge into the incident's).
  json::value accident = nullptr;
  if (i.source == "accident") {
    if (auto a = s.accidents.get(who, i.source_id); a.ok()) accident = accident::to_json(*a, now_ms(), true);
  }
  out["accident"] = std::move(accident);

  // The enterprise's alarms since a day before the response: what the sensors said around it.
  json::array alarms;
  if (!i.enterprise_uscc.empty()) {
    monitoring::AlarmFilter af;
    af.enterprise_uscc = i.enterprise_uscc;
    af.from = i.opened_at - 86'400'000;
    af.page_size = 50;
    if (auto page = s.alarms.list(who.scope, af); page.ok())
      for (const auto& a : page->first)
        alarms.push_back(json::object{{"id", a.id}, {"point_name", a.point_name}, {"type", a.type}, {"level", a.level}, {"value", a.value},
                                      {"unit", a.unit}, {"state", a.state}, {"raised_at", format_iso(a.raised_at)}});
  }
  out["alarms"] = std::move(alarms);
  return out;
}

}  // namespace anjian::emergency
