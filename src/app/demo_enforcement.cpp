#include "app/demo_enforcement.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>

namespace anjian::app {
namespace json = boost::json;

Result<size_t> generate_demo_draws(App& app) {
  auto r = app.db().read();
  if (!r.ok()) return r.take_error();
  auto cities = (*r)->query("SELECT id, name, region_code FROM orgs WHERE kind = 'regulator' AND level = 'city' ORDER BY region_code");
  if (!cities.ok()) return cities.take_error();
  size_t made = 0, badge = 0;
  for (const auto& city : *cities) {
    auth::Principal who = auth::system_principal("demo");
    who.org_id = city.str(0);
    who.org_kind = "regulator";
    who.org_level = "city";
    who.region_code = city.str(2);
    who.roles = {"leader"};
    who.scope = auth::Scope::region(app.regions(), who.region_code);
    auto users = app.identity().list_users(who.scope);
    if (!users.ok()) return users.take_error();
    json::array inspectors;
    for (const auto& u : *users) {
      if (u.disabled || std::find(u.roles.begin(), u.roles.end(), "inspector") == u.roles.end()) continue;
      auto put = app.inspectors().put(who, u.id, {{"badge_number", fmt::format("{}2026{:04d}", who.region_code, ++badge)}, {"status", "active"}}, "demo");
      if (!put.ok()) return put.take_error();
      inspectors.emplace_back(u.id);
    }
    if (inspectors.size() < 2) continue;  // a city with one inspector cannot draw two for a target
    auto d = app.draws().create(who,
                                {{"name", city.str(1) + "2026年第四季度安全生产双随机抽查"},
                                 {"targets", {{"filter", {{"region_code", who.region_code}}}}},
                                 {"proportion", 0.05},
                                 {"weights_by_risk_level", {{"major", 4}, {"larger", 3}, {"general", 2}, {"low", 1}}},
                                 {"inspectors", inspectors},
                                 {"per_target", 2}},
                                "demo");
    if (!d.ok()) {
      if (d.error().code == "invalid_field" || d.error().code == "draw_failed") continue;  // a city without enterprises to draw
      return d.take_error();
    }
    ++made;
  }
  return made;
}

}  // namespace anjian::app
