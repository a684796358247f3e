#include "modules/catalog/open_data.h"

#include <boost/json.hpp>

#include <filesystem>

#include "base/csv.h"
#include "base/json_text.h"
#include "files/durable_file.h"

namespace anjian::catalog {
namespace json = boost::json;
namespace fs = std::filesystem;
namespace {

json::object metadata(const Entry& e, const std::vector<exchange::SharedField>& items, Millis at) {
  json::array fields;
  for (const auto& i : items) fields.push_back(json::object{{"name", i.name}, {"label", i.label}, {"type", i.type}});
  return {{"code", e.code},          {"name", e.name},           {"category", e.category},         {"provider", e.provider},
          {"provider_code", e.provider_code}, {"summary", e.summary}, {"format", "JSON、CSV"},       {"items", std::move(fields)},
          {"open_condition", e.open_condition}, {"update_cycle", e.update_cycle}, {"published_at", format_iso(e.published_at)},
          {"exported_at", format_iso(at)}};
}

std::string cell(const json::value* v) {
  if (!v || v->is_null()) return "";
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_bool()) return v->as_bool() ? "是" : "否";
  return json_text(*v);
}

}  // namespace

std::string open_file_stem(const std::string& code) {
  std::string s = code;
  for (auto& ch : s)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '-') ch = '-';
  return s;
}

Result<std::vector<OpenFile>> export_open_data(CatalogService& catalog, const std::string& dir) {
  ANJIAN_ASSIGN(auto entries, catalog.entries());
  std::vector<OpenFile> written;
  json::array index;
  const Millis now = now_ms();
  for (const auto& e : entries) {
    const std::string stem = open_file_stem(e.code);
    if (!e.open || e.share_type == "none") {
      std::error_code ec;
      fs::remove(dir + "/" + stem + ".json", ec);
      fs::remove(dir + "/" + stem + ".csv", ec);
      continue;
    }
    std::vector<exchange::SharedField> items;
    for (const auto& i : e.items)
      if (!i.personal) items.push_back(i);
    ANJIAN_ASSIGN(auto records, catalog.open_records(e));
    json::array rows;
    std::string csv = "\xEF\xBB\xBF";
    for (size_t i = 0; i < items.size(); ++i) csv += (i ? "," : "") + csv_field(items[i].label);
    csv += "\r\n";
    for (auto& r : records) {
      for (size_t i = 0; i < items.size(); ++i) csv += (i ? "," : "") + csv_field(cell(r.if_contains(items[i].name)));
      csv += "\r\n";
      rows.push_back(std::move(r));
    }
    json::object doc = metadata(e, items, now);
    doc["records"] = std::move(rows);
    ANJIAN_TRY(files::write_file_durably(dir + "/" + stem + ".json", json_text(doc), 0644));
    ANJIAN_TRY(files::write_file_durably(dir + "/" + stem + ".csv", csv, 0644));
    written.push_back({e.code, e.name, stem, static_cast<std::int64_t>(records.size())});
    json::object m = metadata(e, items, now);
    m["records"] = static_cast<std::int64_t>(records.size());
    m["files"] = json::array{json::value(stem + ".json"), json::value(stem + ".csv")};
    index.push_back(std::move(m));
  }
  ANJIAN_TRY(files::write_file_durably(dir + "/index.json", json_text(json::object{{"exported_at", format_iso(now)}, {"resources", std::move(index)}}), 0644));
  return written;
}

}  // namespace anjian::catalog
