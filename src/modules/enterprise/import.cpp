#include "modules/enterprise/import.h"

#include "base/json_fields.h"
#include "base/table_file.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "base/csv.h"
#include "base/text.h"
#include "base/xlsx.h"
#include "codes/uscc.h"

namespace anjian::enterprise {
namespace json = boost::json;

const std::vector<std::pair<std::string, std::vector<std::string>>>& import_columns() {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> columns = {
      {"uscc", {"统一社会信用代码", "社会信用代码", "信用代码", "uscc"}},
      {"name", {"企业名称", "单位名称", "名称", "name"}},
      {"short_name", {"企业简称", "简称", "short_name"}},
      {"region_code", {"行政区划代码", "所在区县代码", "区划代码", "region_code"}},
      {"address", {"地址", "详细地址", "生产经营地址", "address"}},
      {"lon", {"经度", "lon", "longitude"}},
      {"lat", {"纬度", "lat", "latitude"}},
      {"industry", {"监管行业", "行业类别", "监管类别", "industry"}},
      {"industry_code", {"国民经济行业代码", "行业代码", "industry_code"}},
      {"scale", {"企业规模", "规模", "scale"}},
      {"employees", {"从业人员数", "从业人数", "职工人数", "employees"}},
      {"legal_representative", {"法定代表人", "legal_representative"}},
      {"safety_manager.name", {"安全负责人", "安全管理负责人", "safety_manager_name"}},
      {"safety_manager.phone", {"安全负责人电话", "联系电话", "safety_manager_phone"}},
      {"licence.number", {"安全生产许可证编号", "许可证编号", "licence_number"}},
      {"licence.issued_on", {"发证日期", "许可证发证日期", "licence_issued_on"}},
      {"licence.expires_on", {"有效期至", "许可证有效期至", "licence_expires_on"}},
      {"standardization_grade", {"标准化等级", "安全生产标准化等级", "standardization_grade"}},
      {"status", {"经营状态", "状态", "status"}},
  };
  return columns;
}

namespace {

// Values people type in spreadsheets, mapped to the API's words.
std::string normalise(const std::string& field, std::string v) {
  static const std::unordered_map<std::string, std::string> kScale = {
      {"大", "large"}, {"大型", "large"}, {"中", "medium"}, {"中型", "medium"},
      {"小", "small"}, {"小型", "small"}, {"微", "micro"}, {"微型", "micro"}};
  static const std::unordered_map<std::string, std::string> kStatus = {
      {"正常", "operating"}, {"在营", "operating"}, {"营业", "operating"}, {"生产", "operating"},
      {"停产", "suspended"}, {"停业", "suspended"}, {"停产整顿", "suspended"},
      {"关闭", "closed"}, {"注销", "closed"}, {"关停", "closed"}};
  static const std::unordered_map<std::string, std::string> kGrade = {
      {"一级", "1"}, {"二级", "2"}, {"三级", "3"}, {"无", ""}};
  if (field == "scale") { auto it = kScale.find(v); return it == kScale.end() ? v : it->second; }
  if (field == "status") { auto it = kStatus.find(v); return it == kStatus.end() ? v : it->second; }
  if (field == "standardization_grade") { auto it = kGrade.find(v); return it == kGrade.end() ? v : it->second; }
  if (field == "industry") {
    for (auto code : industries())
      if (industry_label(code) == v) return std::string(code);
    return v;
  }
  if (field == "licence.issued_on" || field == "licence.expires_on") {
    // A date cell of a spreadsheet arrives as Excel's serial day number.
    if (!v.empty() && v.find_first_not_of("0123456789.") == std::string::npos) {
      std::string d = excel_serial_to_date(v);
      if (!d.empty()) return d;
    }
    // Excel writes 2024/1/10 or 2024-1-10 as text: pad to 2024-01-10.
    for (auto& c : v) if (c == '/' || c == '.') c = '-';
    auto a = v.find('-'), b = v.find('-', a == std::string::npos ? a : a + 1);
    if (a == 4 && b != std::string::npos && b > a + 1) {
      std::string m = v.substr(a + 1, b - a - 1), d = v.substr(b + 1);
      if (m.size() == 1) m = "0" + m;
      if (d.size() == 1) d = "0" + d;
      v = v.substr(0, 4) + "-" + m + "-" + d;
    }
  }
  return v;
}

// A cell as JSON: numbers for numeric fields when they parse, else the text (the check then names it).
json::value cell_value(const std::string& field, const std::string& v) {
  if (field == "lon" || field == "lat" || field == "employees") {
    try {
      size_t used = 0;
      double d = std::stod(v, &used);
      if (used == v.size()) {
        if (field == "employees" && d == static_cast<double>(static_cast<std::int64_t>(d)))
          return static_cast<std::int64_t>(d);
        return d;
      }
    } catch (...) {
    }
  }
  return json::string(v);
}

// Registers exported from other systems often head a column just 行业: the regulatory industry
// when its values are our categories, the GB/T 4754 code when they are codes (C2614). A column
// holding both, or naming a field another column already holds, is reported, not guessed.
Status resolve_industry_columns(const std::vector<CsvRecord>& records, HeaderMap& header) {
  static const std::vector<std::string> kNames = {"行业", "所属行业", "行业分类", "行业类型"};
  for (size_t i = 0; i < header.field_of.size(); ++i) {
    const std::string h(trim(records[0].fields[i]));
    if (!header.field_of[i].empty() || std::find(kNames.begin(), kNames.end(), h) == kNames.end()) continue;
    size_t categories = 0, codes = 0;
    for (size_t r = 1; r < records.size(); ++r) {
      if (i >= records[r].fields.size()) continue;
      const std::string v(trim(records[r].fields[i]));
      if (v.empty()) continue;
      const std::string word = normalise("industry", v);
      if (std::find(industries().begin(), industries().end(), word) != industries().end()) ++categories;
      else if (valid_industry_code(v)) ++codes;
    }
    if (categories > 0 && codes > 0)
      return Error{"invalid_header",
                   "“" + h + "”列既有监管行业类别又有国民经济行业代码（GB/T 4754），无法确定是哪一项：请分成“监管行业”和“国民经济行业代码”两列",
                   "file"};
    const std::string field = codes > 0 ? "industry_code" : "industry";
    if (header.has(field))
      return Error{"invalid_header", "“" + h + "”列与“" + header.column_of(records[0], field) + "”列都是" +
                                         (field == "industry" ? "监管行业" : "国民经济行业代码") + "，请只保留一列",
                   "file"};
    header.field_of[i] = field;
    std::erase(header.ignored, h);
  }
  return {};
}

}  // namespace

Result<ImportReport> import_enterprises(Service& service, const auth::Principal& who, std::string_view bytes,
                                        const ImportOptions& options) {
  // The rows the import takes (the header too), and the known columns with a margin: refused while
  // reading, before a crafted file can take the server's memory.
  auto table = read_table(bytes, import_limits(bytes.size(), options.max_rows + 1, import_columns().size() + kExtraColumns));
  if (!table.ok()) return table.take_error();
  std::vector<CsvRecord>& records = *table;
  if (records.empty()) return Error{"invalid_header", "文件为空", "file"};

  ImportReport report;
  report.dry_run = options.dry_run;
  HeaderMap header = map_header(records[0], import_columns());
  ANJIAN_TRY(resolve_industry_columns(records, header));
  const std::vector<std::string>& field_of = header.field_of;
  report.ignored_columns = header.ignored;
  if (auto missing = missing_columns(header, import_columns(), {"uscc", "name", "region_code", "industry"}); !missing.empty())
    return Error{"invalid_header", missing, "file"};
  auto column_of = [&](const std::string& field) { return header.column_of(records[0], field); };

  std::vector<Enterprise> valid;
  std::vector<size_t> valid_lines;
  std::unordered_map<std::string, size_t> first_line_of;
  for (size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& rec = records[r];
    ++report.rows;
    json::object row;
    for (size_t i = 0; i < field_of.size() && i < rec.fields.size(); ++i) {
      if (field_of[i].empty()) continue;
      std::string v(trim(rec.fields[i]));
      if (v.empty()) continue;
      set_json_path(row, field_of[i], cell_value(field_of[i], normalise(field_of[i], v)));
    }
    Enterprise e;
    Status s = service.apply_fields(e, row, true);
    if (s.ok() && !who.scope.sees(e.region_code, ""))
      s = Error{"forbidden", "行政区划 " + e.region_code + " 不在您的管辖范围内", "region_code"};
    if (s.ok()) {
      auto [it, fresh] = first_line_of.emplace(e.uscc, rec.line);
      if (!fresh) s = Error{"duplicate_in_file", "与第 " + std::to_string(it->second) + " 行的统一社会信用代码重复", "uscc"};
    }
    if (!s.ok()) {
      const Error& err = s.error();
      report.issues.push_back({rec.line, column_of(err.field), err.field, err.code, err.message});
      continue;
    }
    valid.push_back(std::move(e));
    valid_lines.push_back(rec.line);
  }

  // Duplicates against the database, 500 codes a query.
  {
    auto c = service.database().read();
    if (!c.ok()) return c.take_error();
    std::unordered_set<std::string> existing;
    for (size_t i = 0; i < valid.size(); i += 500) {
      std::vector<db::Value> params;
      for (size_t j = i; j < valid.size() && j < i + 500; ++j) params.emplace_back(valid[j].uscc);
      auto rows = (*c)->query("SELECT uscc FROM enterprises WHERE uscc IN (" + db::placeholders(params.size()) + ")", params);
      if (!rows.ok()) return rows.take_error();
      for (const auto& row : *rows) existing.insert(row.str(0));
    }
    if (!existing.empty()) {
      std::vector<Enterprise> kept;
      std::vector<size_t> kept_lines;
      for (size_t i = 0; i < valid.size(); ++i) {
        if (existing.count(valid[i].uscc)) {
          report.issues.push_back({valid_lines[i], column_of("uscc"), "uscc", "conflict", "统一社会信用代码已登记"});
        } else {
          kept.push_back(std::move(valid[i]));
          kept_lines.push_back(valid_lines[i]);
        }
      }
      valid = std::move(kept);
    }
  }
  std::sort(report.issues.begin(), report.issues.end(), [](const auto& a, const auto& b) { return a.line < b.line; });
  report.valid = valid.size();
  if (options.dry_run || valid.empty() || (options.all_or_nothing && !report.issues.empty())) return report;

  auto done = db::with_transaction(service.database(), [&](db::Connection& tx) -> Result<bool> {
    ANJIAN_TRY(service.insert_batch(tx, who, valid));
    return true;
  });
  if (!done.ok()) return done.take_error();
  std::vector<std::string> changed;
  for (const Enterprise& e : valid) changed.push_back(e.uscc);
  service.announce_changed(changed);  // their risk scores follow within seconds
  report.imported = valid.size();
  report.committed = true;
  return report;
}

}  // namespace anjian::enterprise
