#include "exchange/facets_format.h"

#include <boost/json.hpp>

#include "base/text.h"

namespace anjian::exchange {
namespace json = boost::json;

namespace {
constexpr size_t kMaxValue = 64;

// '|', '=' and '%' written as %7C, %3D, %25: a value can hold any text a sender put there.
std::string escape(std::string_view v) {
  std::string out;
  for (char ch : v.substr(0, kMaxValue)) {
    if (ch == '|') out += "%7C";
    else if (ch == '=') out += "%3D";
    else if (ch == '%') out += "%25";
    else out += ch;
  }
  return out;
}
std::string unescape(std::string_view v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '%' && v.substr(i, 3) == "%7C") out += '|', i += 2;
    else if (v[i] == '%' && v.substr(i, 3) == "%3D") out += '=', i += 2;
    else if (v[i] == '%' && v.substr(i, 3) == "%25") out += '%', i += 2;
    else out += v[i];
  }
  return out;
}
std::string text_of(const json::value* v) {
  if (!v || v->is_null()) return "";
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_bool()) return v->get_bool() ? "true" : "false";
  if (v->is_int64()) return std::to_string(v->get_int64());
  if (v->is_uint64()) return std::to_string(v->get_uint64());
  return json::serialize(*v);
}
}  // namespace

bool is_facet(const SharedField& f) { return f.value_label != nullptr || f.type == "boolean"; }

std::string facets_of(const SharedType& t, const json::object& data) {
  std::string out(kFacetsMark);
  for (const auto& f : t.fields) {
    if (!is_facet(f)) continue;
    out += f.name + "=" + escape(text_of(data.if_contains(f.name))) + "|";
  }
  return out;
}

std::map<std::string, std::string> parse_facets(std::string_view text) {
  std::map<std::string, std::string> out;
  for (const auto& part : split_list(text, '|'))
    if (const auto eq = part.find('='); eq != std::string::npos && eq > 0) out[part.substr(0, eq)] = unescape(std::string_view(part).substr(eq + 1));
  return out;
}

}  // namespace anjian::exchange
