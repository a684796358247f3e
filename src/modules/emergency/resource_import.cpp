#include "modules/emergency/resource_import.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "base/json_text.h"
#include "base/table_file.h"
#include "base/text.h"

namespace anjian::emergency {
namespace json = boost::json;

const std::vector<std::pair<std::string, std::vector<std::string>>>& resource_import_columns() {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> columns = {
      {"kind", {"资源类别", "类别", "资源类型", "kind"}},
      {"name", {"名称", "资源名称", "队伍名称", "专家姓名", "name"}},
      {"region_code", {"行政区划代码", "区划代码", "所在地区代码", "region_code"}},
      {"lon", {"经度", "lon", "longitude"}},
      {"lat", {"纬度", "lat", "latitude"}},
      {"contact.name", {"联系人", "负责人", "contact_name"}},
      {"contact.phone", {"联系电话", "电话", "手机", "contact_phone"}},
      {"status", {"状态", "status"}},
      {"team_kind", {"队伍类型", "队伍类别", "专业类型", "team_kind"}},
      {"members", {"人数", "队员人数", "members"}},
      {"equipment", {"主要装备", "装备", "equipment"}},
      {"field", {"专业领域", "专业", "field"}},
      {"title", {"职称", "title"}},
      {"materials", {"储备物资", "物资", "materials"}},
      {"capacity", {"容纳人数", "可容纳人数", "capacity"}},
      {"beds", {"床位数", "床位", "beds"}},
  };
  return columns;
}

namespace {
std::string word(const std::string& field, const std::string& v) {
  static const std::map<std::string, std::map<std::string, std::string>> kWords = {
      {"kind", {{"救援队伍", "rescue_team"}, {"救援队", "rescue_team"}, {"队伍", "rescue_team"}, {"专家", "expert"}, {"应急专家", "expert"},
                {"物资储备库", "depot"}, {"储备库", "depot"}, {"物资库", "depot"}, {"避难场所", "shelter"}, {"应急避难场所", "shelter"},
                {"医院", "hospital"}, {"医疗机构", "hospital"}}},
      {"team_kind", {{"矿山", "mine"}, {"矿山救护", "mine"}, {"危化", "hazchem"}, {"危险化学品", "hazchem"}, {"消防", "fire"},
                     {"医疗", "medical"}, {"医疗救护", "medical"}, {"电力", "power"}, {"水上", "water"}, {"水域", "water"},
                     {"工程抢险", "construction"}, {"建筑", "construction"}, {"其他", "other"}}},
      {"status", {{"待命", "available"}, {"可用", "available"}, {"已出动", "deployed"}, {"不可用", "unavailable"}, {"停用", "unavailable"}}},
  };
  auto f = kWords.find(field);
  if (f == kWords.end()) return v;
  auto it = f->second.find(v);
  return it == f->second.end() ? v : it->second;
}

// A number cell; none when it is not one.
std::optional<double> number(const std::string& v) {
  try {
    size_t used = 0;
    const double d = std::stod(v, &used);
    if (used != v.size() || !std::isfinite(d)) return std::nullopt;
    return d;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// "防化服:200:套；吸附棉:5:吨" (full- or half-width separators) → [{item, quantity, unit}].
std::optional<json::array> materials(const std::string& v) {
  json::array out;
  std::string text = v;
  for (const char* wide : {"；", "，"})
    for (size_t p; (p = text.find(wide)) != std::string::npos;) text.replace(p, std::string_view(wide).size(), ";");
  for (size_t p; (p = text.find("：")) != std::string::npos;) text.replace(p, std::string_view("：").size(), ":");
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = text.find_first_of(";,", start);
    const std::string part(trim(text.substr(start, end == std::string::npos ? std::string::npos : end - start)));
    if (!part.empty()) {
      const size_t a = part.find(':'), b = a == std::string::npos ? a : part.find(':', a + 1);
      if (a == std::string::npos || b == std::string::npos) return std::nullopt;
      auto q = number(std::string(trim(part.substr(a + 1, b - a - 1))));
      if (!q) return std::nullopt;
      out.push_back(json::object{{"item", trim(part.substr(0, a))}, {"quantity", *q}, {"unit", trim(part.substr(b + 1))}});
    }
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}
}  // namespace

Result<ImportReport> import_resources(ResourceService& resources, db::Database& db, AuditSink& audit, const auth::Principal& who,
                                      std::string_view bytes, const ImportOptions& options, std::string_view source) {
  if (who.org_kind != "regulator") return Error::forbidden("应急资源由监管部门登记");
  auto table = read_table(bytes, import_limits(bytes.size(), options.max_rows + 1, resource_import_columns().size() + kExtraColumns));
  if (!table.ok()) return table.take_error();
  std::vector<CsvRecord>& records = *table;
  if (records.empty()) return Error{"invalid_header", "文件为空", "file"};
  ImportReport report;
  report.dry_run = options.dry_run;
  HeaderMap header = map_header(records[0], resource_import_columns());
  report.ignored_columns = header.ignored;
  if (auto missing = missing_columns(header, resource_import_columns(), {"kind", "name", "region_code", "lon", "lat"}); !missing.empty())
    return Error{"invalid_header", missing, "file"};
  auto column_of = [&](const std::string& field) { return header.column_of(records[0], field); };

  std::vector<Resource> valid;
  std::vector<size_t> lines;
  std::map<std::tuple<std::string, std::string, std::string>, size_t> first_line;
  for (size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& rec = records[r];
    ++report.rows;
    std::map<std::string, std::string> cell = row_cells(rec, header, word);
    auto refuse = [&](const Error& e) { report.issues.push_back({rec.line, column_of(e.field), e.field, e.code, e.message}); };
    // Words the file uses that we do not know, said in the words we do.
    static const std::vector<std::tuple<std::string, std::vector<std::string_view>, std::string>> kKnown = {
        {"kind", {"rescue_team", "expert", "depot", "shelter", "hospital"}, "救援队伍、专家、物资储备库、避难场所、医院"},
        {"team_kind", {"mine", "hazchem", "fire", "medical", "power", "water", "construction", "other"}, "矿山、危化、消防、医疗、电力、水上、工程抢险、其他"},
        {"status", {"available", "deployed", "unavailable"}, "待命、已出动、不可用"}};
    bool bad = false;
    for (const auto& [field, known, words] : kKnown)
      if (auto it = cell.find(field); !bad && it != cell.end() && std::find(known.begin(), known.end(), it->second) == known.end()) {
        refuse(Error::invalid_field(field, "无法识别的" + column_of(field) + "：" + it->second + "（" + words + "）"));
        bad = true;
      }
    if (bad) continue;
    json::object fields;
    for (const auto& [field, value] : cell) {
      if (field == "contact.name" || field == "contact.phone") continue;
      if (field == "lon" || field == "lat" || field == "members" || field == "capacity" || field == "beds") {
        auto n = number(value);
        if (!n) {
          refuse(Error::invalid_field(field, column_of(field) + " 须为数：" + value));
          bad = true;
          break;
        }
        if (field == "lon" || field == "lat") fields[field] = *n;
        else fields[field] = static_cast<std::int64_t>(std::llround(*n));
      } else if (field == "materials") {
        auto m = materials(value);
        if (!m) {
          refuse(Error::invalid_field(field, "物资须写成 名称:数量:单位，多项以分号隔开（如 防化服:200:套；吸附棉:5:吨）"));
          bad = true;
          break;
        }
        fields[field] = std::move(*m);
      } else {
        fields[field] = value;
      }
    }
    if (bad) continue;
    fields["contact"] = json::object{{"name", cell.count("contact.name") ? cell["contact.name"] : "值班室"},
                                     {"phone", cell.count("contact.phone") ? cell["contact.phone"] : ""}};
    if (!cell.count("contact.phone")) {
      refuse(Error::invalid_field("contact.phone", "缺少联系电话"));
      continue;
    }
    // A kind's own column on another kind (人数 on a hospital) is not an error: a register has
    // every column on every row.
    const std::string kind = cell.count("kind") ? cell["kind"] : "";
    for (const char* k : {"team_kind", "members", "equipment", "field", "title", "materials", "capacity", "beds"}) {
      const bool mine = (kind == "rescue_team" && (std::string_view(k) == "team_kind" || std::string_view(k) == "members" || std::string_view(k) == "equipment")) ||
                        (kind == "expert" && (std::string_view(k) == "field" || std::string_view(k) == "title")) ||
                        (kind == "depot" && std::string_view(k) == "materials") || (kind == "shelter" && std::string_view(k) == "capacity") ||
                        (kind == "hospital" && std::string_view(k) == "beds");
      if (!mine) fields.erase(k);
    }
    auto prepared = resources.prepare(who, fields);
    if (!prepared.ok()) {
      Error e = prepared.take_error();
      if (e.code == "unknown_field") e = Error::invalid_field(e.field, e.message);
      refuse(e);
      continue;
    }
    auto [it, fresh] = first_line.emplace(std::tuple{prepared->kind, prepared->name, prepared->region_code}, rec.line);
    if (!fresh) {
      refuse(Error{"duplicate_in_file", "与第 " + std::to_string(it->second) + " 行是同一资源（类别、名称、地区相同）", "name"});
      continue;
    }
    valid.push_back(std::move(*prepared));
    lines.push_back(rec.line);
  }
  // Already recorded (an import run twice): the same kind, name and region.
  {
    auto c = db.read();
    if (!c.ok()) return c.take_error();
    std::vector<Resource> kept;
    for (size_t i = 0; i < valid.size(); ++i) {
      auto n = (*c)->query_one("SELECT COUNT(*) FROM emergency_resources WHERE kind = ? AND name = ? AND region_code = ?",
                               {valid[i].kind, valid[i].name, valid[i].region_code});
      if (!n.ok()) return n.take_error();
      if (n->i64(0) > 0) {
        report.issues.push_back({lines[i], column_of("name"), "name", "conflict", "该资源已登记（类别、名称、地区相同）"});
        continue;
      }
      kept.push_back(std::move(valid[i]));
    }
    valid = std::move(kept);
  }
  std::sort(report.issues.begin(), report.issues.end(), [](const auto& a, const auto& b) { return a.line < b.line; });
  report.valid = valid.size();
  if (options.dry_run || valid.empty() || (options.all_or_nothing && !report.issues.empty())) return report;
  auto done = db::with_transaction(db, [&](db::Connection& c) -> Result<bool> {
    for (const auto& r : valid) ANJIAN_TRY(resources.insert_in(c, r));
    ANJIAN_TRY(audit.record_in(c, audit_event(who, "emergency_resource.import", "emergency_resources", who.region_code, "", source,
                                              json_text(json::object{{"rows", report.rows}, {"imported", valid.size()}}))));
    return true;
  });
  if (!done.ok()) return done.take_error();
  for (const auto& r : valid) resources.reindex(r);
  report.imported = valid.size();
  report.committed = true;
  return report;
}

}  // namespace anjian::emergency
