#include "modules/risk/risk_point.h"
#include "base/json_text.h"

#include <boost/json.hpp>

#include "base/json_fields.h"

namespace anjian::risk {
namespace json = boost::json;

namespace {
constexpr std::string_view kMeasureKinds[] = {"engineering", "management", "training", "ppe", "emergency"};

std::vector<std::string>& measure_list(ControlMeasures& m, std::string_view kind) {
  if (kind == "engineering") return m.engineering;
  if (kind == "management") return m.management;
  if (kind == "training") return m.training;
  if (kind == "ppe") return m.ppe;
  return m.emergency;
}

}  // namespace

Status assess(RiskPoint& p, const PointCutoffs& cutoffs) {
  if (p.method == "lec") {
    auto r = lec(p.assessment.at("l").to_number<double>(), p.assessment.at("e").to_number<double>(),
                 p.assessment.at("c").to_number<double>(), cutoffs.lec);
    if (!r.ok()) return Error::invalid_field("assessment." + r.error().field, r.error().message);
    p.score = r->d;
    p.level = r->level;
  } else {
    auto r = matrix(p.assessment.at("l").to_number<std::int64_t>(), p.assessment.at("s").to_number<std::int64_t>(), cutoffs.matrix);
    if (!r.ok()) return Error::invalid_field("assessment." + r.error().field, r.error().message);
    p.score = r->r;
    p.level = r->level;
  }
  return {};
}

const std::vector<std::string_view>& risk_point_kinds() {
  static const std::vector<std::string_view> v = {"place", "activity", "equipment"};
  return v;
}

const std::vector<std::string_view>& responsible_levels() {
  static const std::vector<std::string_view> v = {"company", "workshop", "team", "post"};
  return v;
}

Status apply_fields(RiskPoint& p, const json::object& fields, bool creating, const PointCutoffs& cutoffs) {
  JsonFields f(fields);
  if (creating) {
    p.enterprise_uscc = f.string("enterprise_uscc", true, 40).value_or("");
  } else if (f.has("enterprise_uscc")) {
    (void)f.string("enterprise_uscc", false, 40);
    f.fail(Error::invalid_field("enterprise_uscc", "风险点所属企业不可修改"));
  }
  if (creating || f.has("code")) p.code = f.string("code", true, 64).value_or(p.code);
  if (creating || f.has("name")) p.name = f.string("name", true, 100).value_or(p.name);
  if (creating || f.has("kind")) p.kind = f.one_of("kind", true, risk_point_kinds()).value_or(p.kind);
  if (f.has("location")) p.location = f.string("location", false, 200).value_or("");
  if (f.has("hazard_source_id")) p.hazard_source_id = f.string("hazard_source_id", false, 64);
  if (f.has("hazards")) {
    std::vector<IdentifiedHazard> list;
    f.objects("hazards", false, 50, [&](JsonFields& g, size_t) {
      IdentifiedHazard h;
      h.factor = g.string("factor", true, 200).value_or("");
      h.consequence = g.string("consequence", false, 100).value_or("");
      list.push_back(std::move(h));
    });
    p.hazards = std::move(list);
  }
  if (creating || f.has("assessment")) {
    if (const json::object* a = f.object("assessment", true)) {
      JsonFields g = f.child("assessment", *a);
      auto method = g.one_of("method", true, {"lec", "matrix"});
      json::object given;
      if (method == "lec") {
        for (const char* k : {"l", "e", "c"})
          if (auto v = g.number(k, true, 0, 1000)) given[k] = *v;
      } else if (method == "matrix") {
        for (const char* k : {"l", "s"})
          if (auto v = g.integer(k, true, 1, 5)) given[k] = *v;
      }
      f.absorb(g);
      if (!f.failed() && method) {
        p.method = *method;
        p.assessment = std::move(given);
      }
    }
  }
  if (f.has("measures")) {
    ControlMeasures m;
    if (const json::object* o = f.object("measures", false)) {
      JsonFields g = f.child("measures", *o);
      for (std::string_view kind : kMeasureKinds)
        if (g.has(kind)) measure_list(m, kind) = g.strings(kind, false, 30, 300).value_or(std::vector<std::string>{});
      f.absorb(g);
    }
    p.measures = std::move(m);
  }
  if (creating || f.has("responsible_level"))
    p.responsible_level = f.one_of("responsible_level", creating, responsible_levels()).value_or(p.responsible_level);
  if (f.has("responsible_person")) p.responsible_person = f.string("responsible_person", false, 50).value_or("");
  if (f.has("active")) p.active = f.boolean("active", true).value_or(p.active);
  ANJIAN_TRY(f.finish());
  if (p.responsible_level.empty()) p.responsible_level = "company";
  return assess(p, cutoffs);
}

void apply_overrides(RiskPoint& p, std::optional<int> grade) {
  p.override_reason.clear();
  if (grade && *grade <= 2) p.override_reason = "所在单元为" + std::string(*grade == 1 ? "一级" : "二级") + "重大危险源";
  if (p.open_major_hidden_dangers > 0)
    p.override_reason += (p.override_reason.empty() ? "" : "；") + std::string("存在未整改的重大事故隐患（") +
                         std::to_string(p.open_major_hidden_dangers) + " 项）";
  if (!p.override_reason.empty()) p.level = RiskLevel::major;
}

std::string hazards_json(const std::vector<IdentifiedHazard>& list) {
  json::array a;
  for (const auto& h : list) a.push_back(json::object{{"factor", h.factor}, {"consequence", h.consequence}});
  return json_text(a);
}

std::vector<IdentifiedHazard> hazards_from_json(std::string_view text) {
  std::vector<IdentifiedHazard> out;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& x : v.as_array()) {
    if (!x.is_object()) continue;
    IdentifiedHazard h;
    if (auto* s = x.as_object().if_contains("factor"); s && s->is_string()) h.factor = std::string(s->as_string());
    if (auto* s = x.as_object().if_contains("consequence"); s && s->is_string()) h.consequence = std::string(s->as_string());
    out.push_back(std::move(h));
  }
  return out;
}

std::string measures_json(const ControlMeasures& m) {
  json::object o;
  ControlMeasures copy = m;
  for (std::string_view kind : kMeasureKinds) {
    const auto& list = measure_list(copy, kind);
    o[kind] = json::array(list.begin(), list.end());
  }
  return json_text(o);
}

ControlMeasures measures_from_json(std::string_view text) {
  ControlMeasures m;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return m;
  for (std::string_view kind : kMeasureKinds)
    if (auto* a = v.as_object().if_contains(kind); a && a->is_array())
      for (const auto& x : a->as_array())
        if (x.is_string()) measure_list(m, kind).emplace_back(x.as_string());
  return m;
}

json::object to_json(const RiskPoint& p) {
  return {{"id", p.id}, {"enterprise_uscc", p.enterprise_uscc}, {"code", p.code}, {"name", p.name}, {"kind", p.kind},
          {"location", p.location},
          {"hazard_source_id", p.hazard_source_id ? json::value(*p.hazard_source_id) : json::value(nullptr)},
          {"hazards", json::parse(hazards_json(p.hazards))},
          {"assessment", [&] { json::object a = p.assessment; a["method"] = p.method; return a; }()},
          {"score", p.score}, {"level", to_string(p.level)}, {"colour", colour(p.level)}, {"level_name", chinese(p.level)},
          {"override", p.override_reason.empty() ? json::value(nullptr) : json::value(p.override_reason)},
          {"measures", json::parse(measures_json(p.measures))}, {"responsible_level", p.responsible_level},
          {"responsible_person", p.responsible_person}, {"active", p.active}, {"version", p.version},
          {"created_at", format_iso(p.created_at)}, {"updated_at", format_iso(p.updated_at)}};
}

}  // namespace anjian::risk
