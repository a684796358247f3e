#include "modules/enterprise/repo.h"
#include "modules/enterprise/replica_repo.h"

#include <set>

#include "auth/personal_data.h"
#include "base/collation.h"
#include "base/search_terms.h"

namespace anjian::enterprise::repo {
using db::Value;

namespace {
constexpr const char* kColumns =
    "id, uscc, name, short_name, region_code, address, lon, lat, industry, industry_code, scale, employees, "
    "legal_representative, safety_manager_name, safety_manager_phone, licence_number, licence_issued_on, "
    "licence_expires_on, standardization_grade, status, version, created_at, updated_at";

// The same columns, qualified, for queries that join the full-text index.
constexpr const char* kColumnsQualified =
    "e.id, e.uscc, e.name, e.short_name, e.region_code, e.address, e.lon, e.lat, e.industry, e.industry_code, e.scale, "
    "e.employees, e.legal_representative, e.safety_manager_name, e.safety_manager_phone, e.licence_number, "
    "e.licence_issued_on, e.licence_expires_on, e.standardization_grade, e.status, e.version, e.created_at, e.updated_at";

Enterprise from_row(const db::Row& r) {
  Enterprise e;
  e.id = r.i64(0);
  e.uscc = r.str(1);
  e.name = r.str(2);
  e.short_name = r.opt_str(3);
  e.region_code = r.str(4);
  e.address = r.opt_str(5);
  e.lon = r.opt_f64(6);
  e.lat = r.opt_f64(7);
  e.industry = r.str(8);
  e.industry_code = r.opt_str(9);
  e.scale = r.opt_str(10);
  e.employees = r.opt_i64(11);
  e.legal_representative = r.opt_str(12);
  e.safety_manager_name = r.opt_str(13);
  e.safety_manager_phone = auth::PersonalData::instance().open(r.opt_str(14));
  e.licence_number = r.opt_str(15);
  e.licence_issued_on = r.opt_str(16);
  e.licence_expires_on = r.opt_str(17);
  e.standardization_grade = r.opt_str(18);
  e.status = r.str(19);
  e.version = r.i64(20);
  e.created_at = r.i64(21);
  e.updated_at = r.i64(22);
  return e;
}

std::vector<Value> values_of(const Enterprise& e) {
  return {e.uscc, e.name, db::opt(e.short_name), e.region_code, db::opt(e.address), db::opt(e.lon), db::opt(e.lat),
          e.industry, db::opt(e.industry_code), db::opt(e.scale), db::opt(e.employees), db::opt(e.legal_representative),
          db::opt(e.safety_manager_name), db::opt(auth::PersonalData::instance().seal(e.safety_manager_phone)), db::opt(e.licence_number),
          db::opt(e.licence_issued_on), db::opt(e.licence_expires_on), db::opt(e.standardization_grade), e.status,
          e.version, e.created_at, e.updated_at, join_terms(document_terms(search_text(e))), pinyin_key(e.name)};
}

// Full-text search over the same terms on each backend (base/search_terms.h). SQLite joins from
// the FTS5 index, which yields matches in rowid order, so a first page needs no full scan.
struct TextSearch {
  std::string from;       // the FROM clause
  std::string condition;  // added to WHERE
  std::string order;      // the natural order of matches
};

TextSearch text_search(db::Dialect d, const std::vector<std::string>& terms, std::vector<Value>& params) {
  if (d == db::Dialect::sqlite) {
    std::string match;
    for (const auto& t : terms) match += (match.empty() ? "\"" : " AND \"") + t + "\"";  // terms hold no quotes
    params.emplace_back(match);
    return {"enterprise_fts JOIN enterprises e ON e.id = enterprise_fts.rowid", "enterprise_fts MATCH ?",
            "enterprise_fts.rowid"};
  }
  params.emplace_back(join_terms(terms));
  return {"enterprises e", "string_to_array(e.search_terms, ' ') @> string_to_array(?, ' ')", "e.id"};
}

bool is_code_prefix(const std::string& q) {
  if (q.size() < 2 || q.size() > 18) return false;
  for (char c : q)
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
  return true;
}
}  // namespace

Result<Enterprise> get(db::Connection& c, const auth::Scope& scope, const std::string& uscc) {
  std::vector<Value> params{uscc};
  auto row = c.query_one(std::string("SELECT ") + kColumns + " FROM enterprises e WHERE uscc = ? AND " +
                             scope.sql("e.region_code", "e.uscc", params),
                         params);
  if (!row.ok()) return row.take_error();
  return from_row(*row);
}

Result<bool> exists(db::Connection& c, const std::string& uscc) {
  auto rows = c.query("SELECT 1 FROM enterprises WHERE uscc = ?", {uscc});
  if (!rows.ok()) return rows.take_error();
  return !rows->empty();
}

Status insert(db::Connection& c, Enterprise& e) {
  auto v = values_of(e);
  auto rows = c.query(
      "INSERT INTO enterprises (uscc, name, short_name, region_code, address, lon, lat, industry, industry_code, scale, "
      "employees, legal_representative, safety_manager_name, safety_manager_phone, licence_number, licence_issued_on, "
      "licence_expires_on, standardization_grade, status, version, created_at, updated_at, search_terms, name_key) VALUES "
      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      v);
  if (!rows.ok()) return rows.take_error();
  e.id = (*rows)[0].i64(0);
  return {};
}

Result<std::vector<Enterprise>> by_usccs(db::Connection& c, const std::vector<std::string>& usccs) {
  std::vector<Enterprise> out;
  if (usccs.empty()) return out;
  std::vector<Value> params(usccs.begin(), usccs.end());
  auto rows = c.query(std::string("SELECT ") + kColumns + " FROM enterprises WHERE uscc IN (" + db::placeholders(usccs.size()) + ")", params);
  if (!rows.ok()) return rows.take_error();
  for (const auto& r : *rows) out.push_back(from_row(r));
  return out;
}

Status put_replica(db::Connection& c, Enterprise& e) {
  auto held = exists(c, e.uscc);
  if (!held.ok()) return held.take_error();
  if (!*held) return insert(c, e);
  auto v = values_of(e);
  v.erase(v.begin());
  v.push_back(e.uscc);
  auto n = c.exec(
      "UPDATE enterprises SET name = ?, short_name = ?, region_code = ?, address = ?, lon = ?, lat = ?, industry = ?, "
      "industry_code = ?, scale = ?, employees = ?, legal_representative = ?, safety_manager_name = ?, "
      "safety_manager_phone = ?, licence_number = ?, licence_issued_on = ?, licence_expires_on = ?, "
      "standardization_grade = ?, status = ?, version = ?, created_at = ?, updated_at = ?, search_terms = ?, name_key = ? "
      "WHERE uscc = ?",
      v);
  if (!n.ok()) return n.take_error();
  return {};
}

Status put_replicas(db::Connection& c, std::vector<Enterprise>& es) {
  constexpr size_t kRows = 400;  // × 24 columns: under both backends' parameter limits
  std::set<std::string> held;
  for (size_t i = 0; i < es.size(); i += kRows) {
    std::vector<Value> ids;
    for (size_t j = i; j < std::min(es.size(), i + kRows); ++j) ids.emplace_back(es[j].uscc);
    auto rows = c.query("SELECT uscc FROM enterprises WHERE uscc IN (" + db::placeholders(ids.size()) + ")", ids);
    if (!rows.ok()) return rows.take_error();
    for (const auto& r : *rows) held.insert(r.str(0));
  }
  std::vector<Value> params;
  size_t pending = 0;
  auto flush = [&]() -> Status {
    if (pending == 0) return {};
    std::string sql =
        "INSERT INTO enterprises (uscc, name, short_name, region_code, address, lon, lat, industry, industry_code, scale, "
        "employees, legal_representative, safety_manager_name, safety_manager_phone, licence_number, licence_issued_on, "
        "licence_expires_on, standardization_grade, status, version, created_at, updated_at, search_terms, name_key) VALUES ";
    for (size_t k = 0; k < pending; ++k) sql += (k ? ", " : "") + std::string("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    auto n = c.exec(sql, params);
    if (!n.ok()) return n.take_error();
    params.clear();
    pending = 0;
    return {};
  };
  for (auto& e : es) {
    if (held.count(e.uscc)) {
      if (auto s = put_replica(c, e); !s.ok()) return s;
      continue;
    }
    auto v = values_of(e);
    params.insert(params.end(), std::make_move_iterator(v.begin()), std::make_move_iterator(v.end()));
    if (++pending == kRows)
      if (auto s = flush(); !s.ok()) return s;
  }
  return flush();
}

Status remove_replica(db::Connection& c, const std::string& uscc) {
  auto n = c.exec("DELETE FROM enterprises WHERE uscc = ?", {uscc});
  if (!n.ok()) return n.take_error();
  return {};
}

Status update(db::Connection& c, const Enterprise& e, std::int64_t expected_version) {
  auto v = values_of(e);
  v.erase(v.begin());        // uscc is the key, not a column to set
  v.erase(v.begin() + 19);   // created_at never changes
  v.push_back(e.uscc);
  v.push_back(expected_version);
  auto n = c.exec(
      "UPDATE enterprises SET name = ?, short_name = ?, region_code = ?, address = ?, lon = ?, lat = ?, industry = ?, "
      "industry_code = ?, scale = ?, employees = ?, legal_representative = ?, safety_manager_name = ?, "
      "safety_manager_phone = ?, licence_number = ?, licence_issued_on = ?, licence_expires_on = ?, "
      "standardization_grade = ?, status = ?, version = ?, updated_at = ?, search_terms = ?, name_key = ? "
      "WHERE uscc = ? AND version = ?",
      v);
  if (!n.ok()) return n.take_error();
  if (*n == 0) return Error{"precondition_failed", "记录已被他人修改，请刷新后重试", ""};
  return {};
}

Result<ListPage> list(db::Connection& c, const auth::Scope& scope, const ListFilter& f, std::int64_t today,
                      const EnterpriseOptions& options) {
  std::vector<Value> params;
  std::string from = "enterprises e", natural_order = "e.name_key, e.uscc";
  std::string where;
  bool searching = false;
  if (!f.q.empty()) {
    searching = true;
    auto terms = query_terms(f.q);
    if (is_code_prefix(f.q)) {
      // A code or its prefix: the unique index answers; words of the same letters too.
      std::string lo = f.q;
      for (auto& ch : lo) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      std::string cond = "(e.uscc >= ? AND e.uscc < ?)";
      params.emplace_back(lo);
      params.emplace_back(lo + "\x7f");
      if (!terms.empty()) {
        TextSearch t = text_search(c.dialect(), terms, params);
        cond += c.dialect() == db::Dialect::sqlite
                    ? " OR e.id IN (SELECT rowid FROM enterprise_fts WHERE enterprise_fts MATCH ?)"
                    : " OR " + t.condition;
      }
      where = "(" + cond + ")";
      natural_order = "e.uscc";
    } else if (terms.empty()) {
      where = "1=0";  // nothing searchable in the query
    } else {
      TextSearch t = text_search(c.dialect(), terms, params);
      from = t.from;
      where = t.condition;
      natural_order = t.order;
    }
  }
  // A province-wide (or national) list sorted by an indexed column reads that index in order and
  // stops after a page; SQLite's planner would rather use the region index and sort a million rows,
  // so the region column is hidden from it (`+e.region_code`) when the scope is that broad.
  const bool ordered_scan = !searching && scope.broad() && !f.region_range && c.dialect() == db::Dialect::sqlite;
  const std::string region_col = ordered_scan ? "+e.region_code" : "e.region_code";
  where += std::string(where.empty() ? "" : " AND ") + "(" + scope.sql(region_col, "e.uscc", params) + ")";
  if (f.region_range) {
    where += " AND e.region_code >= ? AND e.region_code < ?";
    params.emplace_back(f.region_range->lo);
    params.emplace_back(f.region_range->hi);
  }
  if (f.industry) { where += " AND e.industry = ?"; params.emplace_back(*f.industry); }
  if (f.status) { where += " AND e.status = ?"; params.emplace_back(*f.status); }
  if (f.licence_state) {
    const std::string today_s = format_date(today), warn_s = format_date(today + options.licence_warning_days);
    if (*f.licence_state == "none") where += " AND e.licence_expires_on IS NULL";
    else if (*f.licence_state == "expired") { where += " AND e.licence_expires_on < ?"; params.emplace_back(today_s); }
    else if (*f.licence_state == "expiring") {
      where += " AND e.licence_expires_on >= ? AND e.licence_expires_on <= ?";
      params.emplace_back(today_s);
      params.emplace_back(warn_s);
    } else { where += " AND e.licence_expires_on > ?"; params.emplace_back(warn_s); }
  }
  ListPage page;
  if (searching) {
    auto count_params = params;
    count_params.emplace_back(kSearchCountLimit + 1);
    auto count = c.query_one("SELECT COUNT(*) FROM (SELECT 1 FROM " + from + " WHERE " + where + " LIMIT ?) m", count_params);
    if (!count.ok()) return count.take_error();
    page.total = std::min(count->i64(0), kSearchCountLimit);
    page.total_exact = count->i64(0) <= kSearchCountLimit;
  } else {
    auto count = c.query_one("SELECT COUNT(*) FROM " + from + " WHERE " + where, params);
    if (!count.ok()) return count.take_error();
    page.total = count->i64(0);
  }

  static const std::vector<std::pair<std::string_view, std::string_view>> kSorts = {
      {"name", "e.name_key, e.uscc"}, {"-name", "e.name_key DESC, e.uscc DESC"}, {"uscc", "e.uscc"}, {"-uscc", "e.uscc DESC"},
      {"updated_at", "e.updated_at, e.uscc"}, {"-updated_at", "e.updated_at DESC, e.uscc DESC"},
      {"region_code", "e.region_code, e.name_key, e.uscc"}, {"licence_expires_on", "e.licence_expires_on, e.uscc"}};
  std::string order = natural_order;
  for (const auto& [key, sql] : kSorts)
    if (key == f.sort) order = sql;
  params.emplace_back(f.page_size);
  params.emplace_back((f.page - 1) * f.page_size);
  auto rows = c.query(std::string("SELECT ") + kColumnsQualified + " FROM " + from + " WHERE " + where + " ORDER BY " +
                          order + " LIMIT ? OFFSET ?",
                      params);
  if (!rows.ok()) return rows.take_error();
  for (const auto& r : *rows) page.items.push_back(from_row(r));
  return page;
}

Result<std::vector<MapPoint>> points(db::Connection& c, const auth::Scope& scope,
                                     const std::optional<codes::CodeRange>& range, std::int64_t limit,
                                     const std::optional<GeoBox>& box) {
  std::vector<Value> params;
  std::string where = "e.lon IS NOT NULL AND e.lat IS NOT NULL AND (" + scope.sql("e.region_code", "e.uscc", params) + ")";
  if (range) {
    where += " AND e.region_code >= ? AND e.region_code < ?";
    params.emplace_back(range->lo);
    params.emplace_back(range->hi);
  }
  if (box) {
    where += " AND e.lat BETWEEN ? AND ? AND e.lon BETWEEN ? AND ?";
    for (double v : {box->lat_lo, box->lat_hi, box->lon_lo, box->lon_hi}) params.emplace_back(v);
  }
  params.emplace_back(limit);
  auto rows = c.query("SELECT e.uscc, e.name, e.industry, e.region_code, e.status, e.lon, e.lat FROM enterprises e WHERE " +
                          where + " ORDER BY e.id LIMIT ?",
                      params);
  if (!rows.ok()) return rows.take_error();
  std::vector<MapPoint> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back({r.str(0), r.str(1), r.str(2), r.str(3), r.str(4), r.f64(5), r.f64(6)});
  return out;
}

Status add_history(db::Connection& c, const HistoryEntry& h, const std::string& uscc) {
  auto r = c.exec("INSERT INTO enterprise_history (uscc, at, user_id, username, action, version, changes) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?)",
                  {uscc, h.at, h.user_id, h.username, h.action, h.version, auth::PersonalData::instance().seal(h.changes)});
  if (!r.ok()) return r.take_error();
  return {};
}

Result<std::vector<HistoryEntry>> history(db::Connection& c, const std::string& uscc) {
  auto rows = c.query("SELECT id, at, user_id, username, action, version, changes FROM enterprise_history "
                      "WHERE uscc = ? ORDER BY id DESC LIMIT 1000",
                      {uscc});
  if (!rows.ok()) return rows.take_error();
  std::vector<HistoryEntry> out;
  for (const auto& r : *rows)
    out.push_back({r.i64(0), r.i64(1), r.str(2), r.str(3), r.str(4), auth::PersonalData::instance().open(r.str(6)), r.i64(5)});
  return out;
}

Result<std::vector<std::pair<std::string, std::int64_t>>> count_by(db::Connection& c, const auth::Scope& scope,
                                                                   const std::string& column) {
  if (column != "industry" && column != "status") return Error::invalid_field("by", "不支持的统计维度");
  std::vector<Value> params;
  auto rows = c.query("SELECT " + column + ", COUNT(*) FROM enterprises e WHERE " +
                          scope.sql("e.region_code", "e.uscc", params) + " GROUP BY " + column + " ORDER BY 2 DESC",
                      params);
  if (!rows.ok()) return rows.take_error();
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (const auto& r : *rows) out.emplace_back(r.str(0), r.i64(1));
  return out;
}

Result<std::int64_t> bump_generation(db::Connection& c) {
  auto row = c.query_one("UPDATE enterprise_generation SET n = n + 1 WHERE id = 1 RETURNING n");
  if (!row.ok()) return row.take_error();
  return row->i64(0);
}

Result<std::map<std::string, std::string>> names(db::Connection& c, const auth::Scope& scope, const std::vector<std::string>& usccs) {
  std::vector<Value> params;
  const std::set<std::string> unique(usccs.begin(), usccs.end());
  for (const auto& u : unique) {
    if (params.size() >= 500) break;
    params.emplace_back(u);
  }
  const std::string in = db::placeholders(params.size());
  std::string where = "e.uscc IN (" + in + ") AND (" + scope.sql("e.region_code", "e.uscc", params) + ")";
  auto rows = c.query("SELECT e.uscc, e.name FROM enterprises e WHERE " + where, params);
  if (!rows.ok()) return rows.take_error();
  std::map<std::string, std::string> out;
  for (const auto& r : *rows) out.emplace(r.str(0), r.str(1));
  return out;
}

Result<std::int64_t> generation(db::Connection& c) {
  auto row = c.query_one("SELECT n FROM enterprise_generation WHERE id = 1");
  if (!row.ok()) return row.take_error();
  return row->i64(0);
}

Result<std::pair<std::int64_t, std::vector<TallyRow>>> tally(db::Connection& c) {
  // One statement, so that the generation and the counts come from the same snapshot.
  auto rows = c.query(
      "SELECT (SELECT n FROM enterprise_generation WHERE id = 1), region_code, industry, status, licence_expires_on, COUNT(*) "
      "FROM enterprises GROUP BY region_code, industry, status, licence_expires_on");
  if (!rows.ok()) return rows.take_error();
  std::pair<std::int64_t, std::vector<TallyRow>> out;
  if (rows->empty()) {
    auto g = generation(c);
    if (!g.ok()) return g.take_error();
    out.first = *g;
  }
  out.second.reserve(rows->size());
  for (const auto& r : *rows) {
    out.first = r.i64(0);
    out.second.push_back({r.str(1), r.str(2), r.str(3), r.opt_str(4), r.i64(5)});
  }
  return out;
}

}  // namespace anjian::enterprise::repo
