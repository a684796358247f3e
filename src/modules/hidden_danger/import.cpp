#include "modules/hidden_danger/import.h"

#include <boost/json.hpp>

#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "base/json_text.h"
#include "base/table_file.h"
#include "base/text.h"

namespace anjian::hidden_danger {
namespace json = boost::json;

const std::vector<std::pair<std::string, std::vector<std::string>>>& import_columns() {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> columns = {
      {"enterprise_uscc", {"统一社会信用代码", "社会信用代码", "企业信用代码", "enterprise_uscc"}},
      {"description", {"隐患描述", "隐患内容", "隐患名称", "description"}},
      {"place", {"隐患部位", "部位", "隐患位置", "place"}},
      {"category", {"隐患类别", "类别", "category"}},
      {"grade", {"隐患等级", "隐患级别", "等级", "grade"}},
      {"found_by", {"隐患来源", "来源", "发现方式", "found_by"}},
      {"finder", {"发现人", "排查人", "finder"}},
      {"found_at", {"发现时间", "排查时间", "发现日期", "found_at"}},
      {"standard", {"判定标准", "standard"}},
      {"item", {"判定条目", "标准条目", "条目", "standard_item"}},
      {"major_reason", {"认定理由", "重大隐患认定理由", "major_reason"}},
      {"state", {"治理状态", "整改状态", "状态", "state"}},
      {"deadline", {"整改期限", "整改时限", "deadline"}},
      {"measures", {"整改措施", "治理措施", "measures"}},
      {"responsible", {"整改责任人", "责任人", "responsible"}},
      {"funds_yuan", {"整改资金", "治理资金", "整改资金（元）", "funds_yuan"}},
      {"closed_at", {"销号时间", "验收时间", "闭环时间", "closed_at"}},
  };
  return columns;
}

namespace {
// The words earlier systems and people use, mapped to the API's.
std::string word(const std::string& field, const std::string& v) {
  static const std::map<std::string, std::map<std::string, std::string>> kWords = {
      {"category", {{"基础管理类", "basic_management"}, {"基础管理", "basic_management"}, {"现场管理类", "site_management"}, {"现场管理", "site_management"}}},
      {"grade", {{"一般", "general"}, {"一般隐患", "general"}, {"一般事故隐患", "general"},
                 {"重大", "major"}, {"重大隐患", "major"}, {"重大事故隐患", "major"}}},
      {"found_by", {{"企业自查", "self_inspection"}, {"自查", "self_inspection"}, {"监管检查", "inspection"}, {"执法检查", "inspection"},
                    {"检查", "inspection"}, {"群众举报", "public_report"}, {"举报", "public_report"}, {"监测报警", "monitoring"},
                    {"其他", "other"}}},
      {"standard", {{"化工和危险化学品", "hazchem_2017"}, {"危化", "hazchem_2017"}, {"化工", "hazchem_2017"}, {"煤矿", "coal_2020"},
                    {"工贸", "gongmao_2023"}}},
      {"state", {{"已登记", "reported"}, {"未整改", "reported"}, {"待整改", "reported"}, {"已制定方案", "planned"},
                 {"整改中", "rectifying"}, {"待验收", "rectified"}, {"已整改", "rectified"}, {"已销号", "closed"},
                 {"已验收", "closed"}, {"已闭环", "closed"}, {"已完成", "closed"}, {"已撤销", "withdrawn"}}},
  };
  auto f = kWords.find(field);
  if (f == kWords.end()) return v;
  auto it = f->second.find(v);
  return it == f->second.end() ? v : it->second;
}

const std::vector<std::string_view> kStates = {"reported", "planned", "rectifying", "rectified", "closed", "withdrawn"};
}  // namespace

Result<ImportReport> import_hidden_dangers(Service& service, db::Database& db, AuditSink& audit, const auth::Principal& who,
                                           std::string_view bytes, const ImportOptions& options, std::string_view source) {
  auto table = read_table(bytes, import_limits(bytes.size(), options.max_rows + 1, import_columns().size() + kExtraColumns));
  if (!table.ok()) return table.take_error();
  std::vector<CsvRecord>& records = *table;
  if (records.empty()) return Error{"invalid_header", "文件为空", "file"};
  ImportReport report;
  report.dry_run = options.dry_run;
  HeaderMap header = map_header(records[0], import_columns());
  report.ignored_columns = header.ignored;
  if (auto missing = missing_columns(header, import_columns(), {"enterprise_uscc", "description", "grade", "found_at"}); !missing.empty())
    return Error{"invalid_header", missing, "file"};
  auto column_of = [&](const std::string& field) { return header.column_of(records[0], field); };

  std::vector<Prepared> valid;
  std::vector<size_t> lines;
  std::map<std::tuple<std::string, Millis, std::string>, size_t> first_line;
  for (size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& rec = records[r];
    ++report.rows;
    std::map<std::string, std::string> cell = row_cells(rec, header, word);
    auto refuse = [&](const Error& e) { report.issues.push_back({rec.line, column_of(e.field), e.field, e.code, e.message}); };
    auto instant = [&](const std::string& field, std::optional<Millis>& out) -> bool {
      auto it = cell.find(field);
      if (it == cell.end()) return true;
      out = sheet_instant(it->second);
      if (!out) refuse(Error::invalid_field(field, "无法识别的时间：" + it->second + "（如 2025-03-01 或 2025-03-01 10:20）"));
      return out.has_value();
    };
    std::optional<Millis> found_at, deadline, closed_at;
    if (!instant("found_at", found_at) || !instant("deadline", deadline) || !instant("closed_at", closed_at)) continue;
    // The report's fields, checked as the API checks them.
    json::object fields{{"enterprise_uscc", cell["enterprise_uscc"]}, {"description", cell["description"]}, {"grade", cell["grade"]},
                        {"found_by", cell.count("found_by") ? cell["found_by"] : (who.org_kind == "enterprise" ? "self_inspection" : "inspection")},
                        {"found_at", found_at ? json::value(format_iso(*found_at)) : json::value(nullptr)}};
    for (const char* f : {"place", "category", "finder", "major_reason"})
      if (cell.count(f)) fields[f] = cell[f];
    if (cell.count("standard") || cell.count("item"))
      fields["standard_item"] = json::object{{"standard", cell["standard"]}, {"item", cell["item"]}};
    auto p = service.prepare(who, fields);
    if (!p.ok()) {
      Error e = p.take_error();
      if (e.field.starts_with("standard_item")) e.field = e.field == "standard_item.item" ? "item" : "standard";
      refuse(e);
      continue;
    }
    HiddenDanger& h = p->record;
    const std::string state = cell.count("state") ? cell["state"] : "reported";
    if (std::find(kStates.begin(), kStates.end(), state) == kStates.end()) {
      refuse(Error::invalid_field("state", "无法识别的治理状态：" + state + "（已登记、已制定方案、整改中、待验收、已销号、已撤销）"));
      continue;
    }
    h.state = state;
    if (deadline && *deadline <= h.found_at) {
      refuse(Error::invalid_field("deadline", "整改期限须晚于发现时间"));
      continue;
    }
    if ((state == "planned" || state == "rectifying" || state == "rectified") && !deadline) {
      refuse(Error::invalid_field("deadline", "已制定治理方案的隐患须有整改期限"));
      continue;
    }
    if (state == "closed" || state == "withdrawn") {
      if (!closed_at) {
        refuse(Error::invalid_field("closed_at", state == "closed" ? "已销号的隐患须有销号时间" : "已撤销的隐患须有撤销时间"));
        continue;
      }
      if (*closed_at < h.found_at || *closed_at > now_ms() + 5 * 60'000) {
        refuse(Error::invalid_field("closed_at", "销号时间须在发现时间之后、现在之前"));
        continue;
      }
      h.closed_at = closed_at;
    }
    if (deadline) {
      h.deadline = deadline;
      json::object plan{{"measures", cell["measures"]}, {"responsible", cell["responsible"]}, {"deadline", format_iso(*deadline)}};
      if (cell.count("funds_yuan")) {
        try {
          size_t used = 0;
          const double funds = std::stod(cell["funds_yuan"], &used);
          if (used != cell["funds_yuan"].size() || funds < 0) throw std::invalid_argument("funds");
          plan["funds_yuan"] = funds;
        } catch (const std::exception&) {
          refuse(Error::invalid_field("funds_yuan", "整改资金须为不小于 0 的数（元）"));
          continue;
        }
      }
      h.plan = std::move(plan);
    }
    auto [it, fresh] = first_line.emplace(std::tuple{h.enterprise_uscc, h.found_at, h.description}, rec.line);
    if (!fresh) {
      refuse(Error{"duplicate_in_file", "与第 " + std::to_string(it->second) + " 行是同一隐患（企业、发现时间、描述相同）", "description"});
      continue;
    }
    p->imported = true;
    valid.push_back(std::move(*p));
    lines.push_back(rec.line);
  }
  // Already recorded (an import run twice): the same enterprise, time and description.
  {
    auto c = db.read();
    if (!c.ok()) return c.take_error();
    std::vector<Prepared> kept;
    std::vector<size_t> kept_lines;
    for (size_t i = 0; i < valid.size(); ++i) {
      const HiddenDanger& h = valid[i].record;
      auto n = (*c)->query_one("SELECT COUNT(*) FROM hidden_dangers WHERE enterprise_uscc = ? AND found_at = ? AND description = ?",
                               {h.enterprise_uscc, h.found_at, h.description});
      if (!n.ok()) return n.take_error();
      if (n->i64(0) > 0) {
        report.issues.push_back({lines[i], column_of("description"), "description", "conflict", "该隐患已登记（企业、发现时间、描述相同）"});
        continue;
      }
      kept.push_back(std::move(valid[i]));
      kept_lines.push_back(lines[i]);
    }
    valid = std::move(kept);
  }
  std::sort(report.issues.begin(), report.issues.end(), [](const auto& a, const auto& b) { return a.line < b.line; });
  report.valid = valid.size();
  if (options.dry_run || valid.empty() || (options.all_or_nothing && !report.issues.empty())) return report;
  auto done = db::with_transaction(db, [&](db::Connection& c) -> Result<bool> {
    std::set<std::string> enterprises;
    for (auto& p : valid) {
      ANJIAN_TRY(service.insert_in(c, who, p, source));
      enterprises.insert(p.record.enterprise_uscc);
    }
    ANJIAN_TRY(audit.record_in(c, audit_event(who, "hidden_danger.import", "hidden_dangers", who.region_code, "", source,
                                              json_text(json::object{{"rows", report.rows}, {"imported", valid.size()},
                                                                     {"enterprises", enterprises.size()}}))));
    return true;
  });
  if (!done.ok()) return done.take_error();
  // The risk model re-scores an enterprise at its first change: one announcement per enterprise.
  std::set<std::string> told;
  for (const auto& p : valid)
    if (told.insert(p.record.enterprise_uscc).second) service.announce(p.record, "import");
  report.imported = valid.size();
  report.committed = true;
  return report;
}

}  // namespace anjian::hidden_danger
