#include "modules/hazard/model.h"
#include "base/json_text.h"

#include "codes/cas.h"

#include <boost/json.hpp>

#include "base/json_fields.h"

namespace anjian::hazard {
namespace json = boost::json;

const std::vector<std::string_view>& kinds() {
  static const std::vector<std::string_view> v = {"tank_farm", "warehouse", "production_unit", "other"};
  return v;
}

bool is_storage(std::string_view kind) { return kind == "tank_farm" || kind == "warehouse"; }

Status apply_fields(HazardSource& h, const json::object& fields, bool creating) {
  JsonFields f(fields);
  if (creating) {
    h.enterprise_uscc = f.string("enterprise_uscc", true, 40).value_or("");
  } else if (f.has("enterprise_uscc")) {
    (void)f.string("enterprise_uscc", false, 40);
    f.fail(Error::invalid_field("enterprise_uscc", "危险源所属企业不可修改"));
  }
  if (creating || f.has("code")) {
    auto code = f.string("code", true, 64);
    if (code && code->find_first_of(" /\\") != std::string::npos) f.fail(Error::invalid_field("code", "危险源编码不能含空格或斜杠"));
    else if (code) h.code = *code;
  }
  if (creating || f.has("name")) h.name = f.string("name", true, 100).value_or(h.name);
  if (creating || f.has("kind")) h.kind = f.one_of("kind", true, kinds()).value_or(h.kind);
  if (f.has("grade")) {
    auto g = f.integer("grade", false, 1, 4);
    h.grade = g ? std::optional<int>(static_cast<int>(*g)) : std::nullopt;
  }
  if (f.has("lon")) h.lon = f.number("lon", false, 73, 136);
  if (f.has("lat")) h.lat = f.number("lat", false, 3, 54);
  if (f.has("substances")) {
    std::vector<Substance> list;
    f.objects("substances", false, 100, [&](JsonFields& g, size_t) {
      Substance s;
      s.name = g.string("name", true, 100).value_or("");
      s.cas = g.string("cas", false, 12);
      if (s.cas && !codes::valid_cas(*s.cas)) g.fail(Error::invalid_field(g.path("cas"), "CAS 号格式或校验位不对：" + *s.cas));
      s.quantity_t = g.number("quantity_t", true, 0, 1e9).value_or(0);
      // GB 18218 表2 categories, checked against the table when the source is assessed.
      if (g.has("category") && !g.is_null("category")) s.categories = g.string_or_strings("category", true, 10, 8).value_or(std::vector<std::string>{});
      s.mixture = g.boolean("mixture", false).value_or(false);
      if (s.mixture && s.categories.empty())
        g.fail(Error::invalid_field(g.path("category"), "混合物须给出其自身的危险性类别（表2，如 W5.4）"));
      list.push_back(std::move(s));
    });
    h.substances = std::move(list);
  }
  if (f.has("people_exposed")) h.people_exposed = f.integer("people_exposed", false, 0, 10'000'000);
  if (f.has("active")) h.active = f.boolean("active", true).value_or(h.active);
  return f.finish();
}

std::string substances_json(const std::vector<Substance>& list) {
  json::array a;
  for (const auto& s : list) {
    json::object o{{"name", s.name}, {"cas", s.cas ? json::value(*s.cas) : json::value(nullptr)}, {"quantity_t", s.quantity_t}};
    if (s.categories.size() == 1) o["category"] = s.categories.front();
    if (s.categories.size() > 1) o["category"] = json::array(s.categories.begin(), s.categories.end());
    if (s.mixture) o["mixture"] = true;
    a.push_back(std::move(o));
  }
  return json_text(a);
}

std::vector<Substance> substances_from_json(std::string_view text) {
  std::vector<Substance> out;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& x : v.as_array()) {
    if (!x.is_object()) continue;
    const auto& o = x.as_object();
    Substance s;
    if (auto* n = o.if_contains("name"); n && n->is_string()) s.name = std::string(n->as_string());
    if (auto* c = o.if_contains("cas"); c && c->is_string()) s.cas = std::string(c->as_string());
    if (auto* q = o.if_contains("quantity_t"); q && q->is_number()) s.quantity_t = q->to_number<double>();
    if (auto* c = o.if_contains("category"); c && c->is_string()) s.categories = {std::string(c->as_string())};
    if (auto* c = o.if_contains("category"); c && c->is_array())
      for (const auto& x : c->as_array())
        if (x.is_string()) s.categories.emplace_back(x.as_string());
    if (auto* m = o.if_contains("mixture"); m && m->is_bool()) s.mixture = m->as_bool();
    out.push_back(std::move(s));
  }
  return out;
}

json::object to_json(const HazardSource& h) {
  auto num = [](const std::optional<double>& v) { return v ? json::value(round_coordinate(*v)) : json::value(nullptr); };
  return {{"id", h.id}, {"enterprise_uscc", h.enterprise_uscc}, {"code", h.code}, {"name", h.name}, {"kind", h.kind},
          {"grade", h.grade ? json::value(*h.grade) : json::value(nullptr)}, {"lon", num(h.lon)}, {"lat", num(h.lat)},
          {"people_exposed", h.people_exposed ? json::value(*h.people_exposed) : json::value(nullptr)},
          {"substances", json::parse(substances_json(h.substances))}, {"active", h.active}, {"version", h.version},
          {"created_at", format_iso(h.created_at)}, {"updated_at", format_iso(h.updated_at)}};
}

}  // namespace anjian::hazard
