#include "modules/monitoring/point.h"

#include <boost/json.hpp>

#include "base/json_fields.h"
#include "base/json_text.h"

namespace anjian::monitoring {
namespace json = boost::json;

const std::vector<std::string_view>& indicators() {
  static const std::vector<std::string_view> v = {"tank_level", "temperature", "pressure", "flow", "combustible_gas",
                                                  "toxic_gas", "methane", "carbon_monoxide", "wind_speed", "oxygen",
                                                  "dust", "switch", "feed"};
  return v;
}

Status apply_point_fields(Point& p, const json::object& fields, bool creating, Looser looser) {
  JsonFields f(fields);
  constexpr double kBig = 1e12;
  if (creating) {
    p.enterprise_uscc = f.string("enterprise_uscc", true, 40).value_or("");
  } else if (f.has("enterprise_uscc")) {
    (void)f.string("enterprise_uscc", false, 40);
    f.fail(Error::invalid_field("enterprise_uscc", "测点所属企业不可修改"));
  }
  if (creating || f.has("code")) {
    auto code = f.string("code", true, 64);
    if (code && code->find_first_of(" /\\") != std::string::npos)
      f.fail(Error::invalid_field("code", "测点编码不能含空格或斜杠"));
    else if (code) p.code = *code;
  }
  if (creating || f.has("name")) p.name = f.string("name", true, 100).value_or(p.name);
  if (creating || f.has("indicator")) p.indicator = f.one_of("indicator", true, indicators()).value_or(p.indicator);
  if (f.has("unit")) p.unit = f.string("unit", false, 20).value_or("");
  if (f.has("hazard_source_id")) p.hazard_source_id = f.string("hazard_source_id", false, 64);
  if (const json::object* range = f.object("range", false)) {
    JsonFields g = f.child("range", *range);
    if (g.has("min")) p.range_min = g.number("min", false, -kBig, kBig);
    if (g.has("max")) p.range_max = g.number("max", false, -kBig, kBig);
    if (p.range_min && p.range_max && *p.range_min >= *p.range_max && !g.failed())
      g.fail(Error::invalid_field("range.max", "量程上限须大于下限"));
    f.absorb(g);
  }
  if (f.has("period_s")) p.period_s = f.integer("period_s", true, 1, 86400).value_or(p.period_s);
  if (const json::object* t = f.object("thresholds", false)) {
    JsonFields g = f.child("thresholds", *t);
    for (auto [key, target] : {std::pair{"high", &p.high}, std::pair{"high_high", &p.high_high}, std::pair{"low", &p.low},
                               std::pair{"low_low", &p.low_low}, std::pair{"power_off", &p.power_off},
                               std::pair{"restore", &p.restore}})
      if (g.has(key)) *target = g.number(key, false, -kBig, kBig);
    // Levels must be ordered, or the alarm levels would contradict each other.
    if (!g.failed()) {
      if (p.high && p.high_high && *p.high_high <= *p.high) g.fail(Error::invalid_field("thresholds.high_high", "高高限须大于高限"));
      else if (p.low && p.low_low && *p.low_low >= *p.low) g.fail(Error::invalid_field("thresholds.low_low", "低低限须小于低限"));
      else if (p.low && p.high && *p.low >= *p.high) g.fail(Error::invalid_field("thresholds.low", "低限须小于高限"));
      else if (p.power_off && p.restore && *p.restore > *p.power_off) g.fail(Error::invalid_field("thresholds.restore", "复电值不能高于断电值"));
    }
    f.absorb(g);
  }
  if (f.has("deadband")) p.deadband = f.number("deadband", true, 0, kBig).value_or(p.deadband);
  if (f.has("delay_s")) p.delay_s = f.integer("delay_s", true, 0, 86400).value_or(p.delay_s);
  if (f.has("rate_per_min")) p.rate_per_min = f.number("rate_per_min", false, 0, kBig);
  if (f.has("stuck_s")) p.stuck_s = f.integer("stuck_s", true, 0, 7 * 86400).value_or(p.stuck_s);
  if (f.has("offline_periods")) p.offline_periods = f.integer("offline_periods", true, 1, 1000).value_or(p.offline_periods);
  if (f.has("active")) p.active = f.boolean("active", true).value_or(p.active);
  if (f.has("place")) {
    auto place = f.string("place", false, 100).value_or("");
    if (!place.empty() && !gas::methane_place(place))
      f.fail(Error::invalid_field("place", "设置地点「" + place + "」不在《煤矿安全规程》第四百九十八条表中（可选地点见 /api/v1/monitoring/methane-places）"));
    else p.place = place;
  } else if (p.indicator == "methane" && (creating || f.has("name") || f.has("indicator")) && p.place.empty()) {
    if (const auto* row = gas::methane_place_in(p.name)) p.place = row->place;
  }
  if (p.indicator != "methane") p.place.clear();
  if (f.has("gas")) {
    const std::string named = f.string("gas", false, 50).value_or("");
    const auto* limit = gas::exposure_limit(named);
    p.gas = limit ? limit->gas : named;  // the table's name, however it was written (H2S → 硫化氢)
  }
  if (f.has("feed_point")) {
    auto code = f.string("feed_point", false, 64).value_or("");
    if (!code.empty() && p.indicator != "methane") f.fail(Error::invalid_field("feed_point", "只有甲烷测点可关联馈电测点"));
    else p.feed_point = code;
  }
  ANJIAN_TRY(f.finish());
  p.findings = gas::findings({p.indicator, p.unit, p.place, p.gas, p.high, p.high_high, p.power_off, p.restore, p.delay_s});
  if (looser == Looser::refuse)
    for (const auto& x : p.findings)
      if (x.refuses) return Error::invalid_field(x.field, x.message);
  return {};
}

std::string findings_text(const std::vector<gas::Finding>& list) {
  if (list.empty()) return "";
  json::array out;
  for (const auto& x : list) out.push_back(json::object{{"code", x.code}, {"field", x.field}, {"message", x.message}, {"refuses", x.refuses}});
  return json_text(out);
}

std::vector<gas::Finding> findings_from(std::string_view text) {
  std::vector<gas::Finding> out;
  if (text.empty()) return out;
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& x : v.as_array()) {
    const auto* o = x.if_object();
    if (!o) continue;
    auto str = [&](const char* k) { const auto* s = o->if_contains(k); return s && s->is_string() ? std::string(s->as_string()) : std::string(); };
    const auto* r = o->if_contains("refuses");
    out.push_back({str("code"), str("field"), str("message"), r && r->is_bool() && r->as_bool()});
  }
  return out;
}

json::object to_json(const Point& p) {
  auto num = [](const std::optional<double>& v) { return v ? json::value(*v) : json::value(nullptr); };
  return {{"id", p.id}, {"enterprise_uscc", p.enterprise_uscc},
          {"hazard_source_id", p.hazard_source_id ? json::value(*p.hazard_source_id) : json::value(nullptr)},
          {"code", p.code}, {"name", p.name}, {"indicator", p.indicator}, {"unit", p.unit},
          {"range", {{"min", num(p.range_min)}, {"max", num(p.range_max)}}}, {"period_s", p.period_s},
          {"thresholds", {{"high", num(p.high)}, {"high_high", num(p.high_high)}, {"low", num(p.low)},
                          {"low_low", num(p.low_low)}, {"power_off", num(p.power_off)}, {"restore", num(p.restore)}}},
          {"deadband", p.deadband}, {"delay_s", p.delay_s}, {"rate_per_min", num(p.rate_per_min)}, {"stuck_s", p.stuck_s},
          {"offline_periods", p.offline_periods}, {"active", p.active},
          {"place", p.place.empty() ? json::value(nullptr) : json::value(p.place)},
          {"gas", p.gas.empty() ? json::value(nullptr) : json::value(p.gas)},
          {"feed_point", p.feed_point.empty() ? json::value(nullptr) : json::value(p.feed_point)},
          {"findings", [&] {
             json::array a;
             for (const auto& x : p.findings) a.push_back(json::object{{"code", x.code}, {"field", x.field}, {"message", x.message}});
             return a;
           }()},
          {"version", p.version},
          {"created_at", format_iso(p.created_at)}, {"updated_at", format_iso(p.updated_at)}};
}

PointConfig config_of(const Point& p) {
  PointConfig c;
  c.high = p.high;
  c.high_high = p.high_high;
  c.low = p.low;
  c.low_low = p.low_low;
  c.deadband = p.deadband;
  c.delay_ms = p.delay_s * 1000;
  c.period_ms = p.period_s * 1000;
  c.range_min = p.range_min;
  c.range_max = p.range_max;
  c.power_off = p.power_off;
  c.restore = p.restore;
  c.rate_per_min = p.rate_per_min;
  c.stuck_ms = p.stuck_s * 1000;
  c.offline_periods = static_cast<int>(p.offline_periods);
  return c;
}

}  // namespace anjian::monitoring
