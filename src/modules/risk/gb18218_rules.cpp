#include "modules/risk/gb18218_rules.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "base/csv.h"
#include "base/embedded.h"
#include "base/json_fields.h"
#include "codes/cas.h"

namespace anjian::risk::gb18218 {
namespace json = boost::json;

namespace {

// "0.75" → 3/4 exactly; nullopt for anything but a plain decimal.
std::optional<Rational> decimal(std::string_view text) {
  if (text.empty()) return std::nullopt;
  boost::multiprecision::cpp_int whole = 0, scale = 1;
  bool point = false, digits = false;
  for (char c : text) {
    if (c == '.' && !point) {
      point = true;
    } else if (c >= '0' && c <= '9') {
      whole = whole * 10 + (c - '0');
      if (point) scale *= 10;
      digits = true;
    } else {
      return std::nullopt;
    }
  }
  if (!digits) return std::nullopt;
  return Rational(whole, scale);
}

// Spaces dropped and ASCII parentheses as the standard prints them (full width), so that
// "氯化氢(无水)" finds "氯化氢（无水）".
std::string normalise(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == ' ' || c == '\t') continue;
    if (c == '(') out += "（";
    else if (c == ')') out += "）";
    else out += c;
  }
  return out;
}

std::vector<std::string> split_list(std::string_view text) {  // "a；b" (the table's separator)
  std::vector<std::string> out;
  const std::string_view sep = "；";
  while (!text.empty()) {
    auto at = text.find(sep);
    std::string_view item = text.substr(0, at);
    if (!item.empty()) out.push_back(normalise(item));
    if (at == std::string_view::npos) break;
    text.remove_prefix(at + sep.size());
  }
  return out;
}

// The CAS numbers in a 表1 cell such as "74-82-8（甲烷）；8006-14-2（天然气）".
std::vector<std::string> cas_numbers(std::string_view cell) {
  std::vector<std::string> out;
  std::string current;
  auto flush = [&] {
    if (codes::valid_cas(current)) out.push_back(current);
    current.clear();
  };
  for (char c : cell) {
    if ((c >= '0' && c <= '9') || c == '-') current += c;
    else flush();
  }
  flush();
  return out;
}

Error bad_data(const std::string& what) { return {"invalid_data", "GB 18218 表数据有误：" + what, ""}; }

// Records of a CSV text, without its header, each with at least `columns` fields.
Result<std::vector<CsvRecord>> records(std::string_view text, size_t columns, const std::string& file) {
  auto all = parse_csv(text);
  if (all.empty()) return bad_data(file + " 为空");
  all.erase(all.begin());
  for (const auto& r : all)
    if (r.fields.size() < columns) return bad_data(file + " 第 " + std::to_string(r.line) + " 行列数不足");
  return all;
}

}  // namespace

Rational exact(double value) {
  // JSON numbers arrive as doubles: 30.5 is kept as 61/2, to a millionth (a gram, in tonnes).
  return Rational(static_cast<std::int64_t>(std::llround(value * 1e6)), 1'000'000);
}

double to_double(const Rational& r) { return r.convert_to<double>(); }

Result<Tables> Tables::parse(std::string_view table1, std::string_view table2, std::string_view table3,
                             std::string_view table5, std::string_view table6, std::string_view beta_categories,
                             std::string_view common_names, std::string_view qualified) {
  Tables t;
  ANJIAN_ASSIGN(auto rows1, records(table1, 5, "table1"));
  for (const auto& r : rows1) {
    Named n;
    n.no = std::atoi(r.fields[0].c_str());
    n.name = normalise(r.fields[1]);
    n.aliases = split_list(r.fields[2]);
    n.cas = cas_numbers(r.fields[3]);
    auto q = decimal(r.fields[4]);
    if (n.no <= 0 || !q || *q <= 0) return bad_data("表1 第 " + std::to_string(r.line) + " 行");
    n.critical_t = *q;
    t.named_.push_back(std::move(n));
  }
  ANJIAN_ASSIGN(auto rows2, records(table2, 5, "table2"));
  for (const auto& r : rows2) {
    auto q = decimal(r.fields[3]);
    auto beta = decimal(r.fields[4]);
    if (!q || !beta) return bad_data("表2 第 " + std::to_string(r.line) + " 行");
    t.categories_.push_back({r.fields[0], r.fields[1], r.fields[2], *q, *beta});
  }
  std::map<std::string, Rational> beta3;
  ANJIAN_ASSIGN(auto rows3, records(table3, 2, "table3"));
  for (const auto& r : rows3) {
    auto beta = decimal(r.fields[1]);
    if (!beta) return bad_data("表3 第 " + std::to_string(r.line) + " 行");
    beta3[normalise(r.fields[0])] = *beta;
  }
  ANJIAN_ASSIGN(auto rows_b, records(beta_categories, 3, "table1_beta_categories"));
  for (const auto& r : rows_b) {
    const int no = std::atoi(r.fields[0].c_str());
    auto it = std::find_if(t.named_.begin(), t.named_.end(), [&](const Named& n) { return n.no == no; });
    if (it == t.named_.end() || it->name != normalise(r.fields[1])) return bad_data("β 类别表第 " + std::to_string(r.line) + " 行与表1不符");
    const std::string& source = r.fields[2];
    if (source.starts_with("表3:")) {
      auto b = beta3.find(normalise(source.substr(std::string_view("表3:").size())));
      if (b == beta3.end()) return bad_data("β 类别表第 " + std::to_string(r.line) + " 行：表3 无此气体");
      it->beta_table3 = b->second;
      it->table3_name = b->first;
      beta3.erase(b);
    } else if (t.category(source)) {
      it->default_category = source;
    } else {
      return bad_data("β 类别表第 " + std::to_string(r.line) + " 行：表2 无此类别 " + source);
    }
  }
  if (!beta3.empty()) return bad_data("表3 的 " + beta3.begin()->first + " 未对应表1 的物质");
  for (const auto& n : t.named_)
    if (!n.beta_table3 && n.default_category.empty()) return bad_data("表1 第 " + std::to_string(n.no) + " 项没有 β 类别");
  ANJIAN_ASSIGN(auto rows5, records(table5, 3, "table5"));
  for (const auto& r : rows5) {
    auto alpha = decimal(r.fields[2]);
    if (!alpha || r.fields[0].empty()) return bad_data("表5 第 " + std::to_string(r.line) + " 行");
    t.alpha_.push_back({std::atoll(r.fields[0].c_str()), r.fields[1].empty() ? -1 : std::atoll(r.fields[1].c_str()), *alpha});
  }
  ANJIAN_ASSIGN(auto rows6, records(table6, 3, "table6"));
  for (const auto& r : rows6) {
    GradeRow g{std::atoi(r.fields[0].c_str()), decimal(r.fields[1]), decimal(r.fields[2])};
    if (g.grade < 1 || g.grade > 4) return bad_data("表6 第 " + std::to_string(r.line) + " 行");
    t.grades_.push_back(std::move(g));
  }
  ANJIAN_ASSIGN(auto rows_c, records(common_names, 2, "common_names"));
  for (const auto& r : rows_c) t.common_names_.emplace_back(normalise(r.fields[0]), std::atoi(r.fields[1].c_str()));
  ANJIAN_ASSIGN(auto rows_q, records(qualified, 4, "table1_qualified"));
  for (const auto& r : rows_q) {
    const int no = std::atoi(r.fields[0].c_str());
    auto it = std::find_if(t.named_.begin(), t.named_.end(), [&](const Named& n) { return n.no == no; });
    if (it == t.named_.end() || it->name != normalise(r.fields[1])) return bad_data("限定规格表第 " + std::to_string(r.line) + " 行与表1不符");
    it->qualified = true;
    it->confirming_names = split_list(r.fields[2]);
    it->other_grades = split_list(r.fields[3]);
    if (it->other_grades.empty()) return bad_data("限定规格表第 " + std::to_string(r.line) + " 行没有其他规格");
  }
  return t;
}

const Tables& Tables::standard() {
  static const Tables tables = [] {
    auto f = [](const char* name) { return embedded::file(std::string("gb18218-2018/") + name); };
    auto t = parse(f("table1_named_substances.csv"), f("table2_categories.csv"), f("table3_beta_toxic_gases.csv"),
                   f("table5_alpha.csv"), f("table6_grades.csv"), f("table1_beta_categories.csv"), f("common_names.csv"),
                   f("table1_qualified.csv"));
    if (!t.ok()) throw std::runtime_error(t.error().message);  // the build embeds checked files: a bug
    return std::move(*t);
  }();
  return tables;
}

const Category* Tables::category(std::string_view symbol) const {
  for (const auto& c : categories_)
    if (c.symbol == symbol) return &c;
  return nullptr;
}

std::vector<const Named*> Tables::by_name(std::string_view name) const {
  const std::string key = normalise(name);
  std::vector<const Named*> out;
  auto add = [&](const Named* n) {
    if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
  };
  for (const auto& n : named_) {
    if (n.name == key || std::find(n.aliases.begin(), n.aliases.end(), key) != n.aliases.end() ||
        std::find(n.confirming_names.begin(), n.confirming_names.end(), key) != n.confirming_names.end())
      add(&n);
  }
  for (const auto& [common, no] : common_names_)
    if (common == key)
      for (const auto& n : named_)
        if (n.no == no) add(&n);
  if (!out.empty()) return out;
  // The name before its qualifier: 甲醛 → 甲醛（含量>90%）; 硝酸铵 → its three rows (ambiguous).
  for (const auto& n : named_) {
    auto paren = n.name.find("（");
    auto bracket = n.name.find("［");
    auto cut = std::min(paren, bracket);
    if (cut != std::string::npos && n.name.substr(0, cut) == key) add(&n);
  }
  return out;
}

std::vector<const Named*> Tables::by_cas(std::string_view cas) const {
  std::vector<const Named*> out;
  for (const auto& n : named_)
    if (std::find(n.cas.begin(), n.cas.end(), cas) != n.cas.end()) out.push_back(&n);
  return out;
}

const Named* Tables::other_grade_of(std::string_view name) const {
  const std::string key = normalise(name);
  for (const auto& n : named_)
    if (std::find(n.other_grades.begin(), n.other_grades.end(), key) != n.other_grades.end()) return &n;
  return nullptr;
}

Rational Tables::alpha(std::int64_t people) const {
  for (const auto& a : alpha_)
    if (people >= a.min && (a.max < 0 || people <= a.max)) return a.alpha;
  return 1;  // unreachable with the standard's table (it covers 0 and up)
}

int Tables::grade(const Rational& r) const {
  for (const auto& g : grades_)
    if ((!g.min || r >= *g.min) && (!g.max || r < *g.max)) return g.grade;
  return 4;
}

Result<UnitInput> parse_input(const json::object& body) {
  JsonFields f(body);
  UnitInput in;
  in.unit_type = f.one_of("unit_type", true, {"storage", "production"}).value_or("");
  in.people_exposed = f.integer("people_exposed", true, 0, 10'000'000).value_or(0);
  const bool listed = f.objects("substances", true, 200, [&](JsonFields& g, size_t) {
    SubstanceInput s;
    s.name = g.string("name", false, 100);
    s.cas = g.string("cas", false, 12);
    if (s.cas && !codes::valid_cas(*s.cas)) g.fail(Error::invalid_field(g.path("cas"), "CAS 号格式或校验位不对：" + *s.cas));
    // One category ("W5.3") or several (["J3", "W2"]).
    if (g.has("category") && !g.is_null("category")) s.categories = g.string_or_strings("category", true, 10, 8).value_or(std::vector<std::string>{});
    s.mixture = g.boolean("mixture", false).value_or(false);
    if (s.mixture && s.categories.empty())
      g.fail(Error::invalid_field(g.path("category"), "混合物须给出其自身的危险性类别（表2，如 W5.4）"));
    auto q = g.number("quantity_t", true, 0, 1e9);
    if (q && !(*q > 0)) g.fail(Error::invalid_field(g.path("quantity_t"), "数量必须大于 0 吨"));
    s.quantity_t = exact(q.value_or(0));
    if (!s.name && !s.cas) g.fail(Error::invalid_field(g.path("name"), "填写物质名称或 CAS 号"));
    in.substances.push_back(std::move(s));
  });
  if (listed && in.substances.empty() && !f.failed()) f.fail(Error::invalid_field("substances", "至少填写一种危险化学品"));
  ANJIAN_TRY(f.finish());
  return in;
}

namespace {

std::string row_names(const std::vector<const Named*>& rows) {
  std::string names;
  for (const Named* n : rows) names += (names.empty() ? "" : "、") + n->name;
  return names;
}

// Whether the name given confirms the grade a qualified 表1 row covers: its exact name, a name
// listed as confirming it, or — for a row whose name carries no qualifier (氟化氢, 过乙酸) — an alias.
bool confirms(const Named& n, const std::optional<std::string>& name) {
  if (!name) return false;
  const std::string key = normalise(*name);
  if (key == n.name) return true;
  if (std::find(n.confirming_names.begin(), n.confirming_names.end(), key) != n.confirming_names.end()) return true;
  const bool unqualified = n.name.find("（") == std::string::npos && n.name.find("［") == std::string::npos;
  return unqualified && std::find(n.aliases.begin(), n.aliases.end(), key) != n.aliases.end();
}

Error ambiguous_grade(const Named& n, const std::string& label, const std::string& field) {
  std::string others;
  for (const auto& o : n.other_grades) others += (others.empty() ? "" : "、") + o;
  return Error{"ambiguous_substance",
               "“" + label + "”也可指" + others + "等其他规格，表1 第 " + std::to_string(n.no) + " 项“" + n.name +
                   "”只含该规格：若是它，请按表1名称填写；若是溶液或其他规格（混合物），请给出其危险性类别（category，如 W5.4）",
               field + ".name"};
}

// One substance of the unit: its Q (表1 row, else 表2 category) and β (表3, else 表4, 从严).
Result<SubstanceResult> classify(const Tables& tables, const SubstanceInput& in, const std::string& field) {
  const std::string label = in.name ? *in.name : *in.cas;
  // The categories given, checked: the lowest Q decides Q, the largest β decides β (从严).
  const Category *by_q = nullptr, *by_beta = nullptr;
  for (const auto& symbol : in.categories) {
    const Category* c = tables.category(symbol);
    if (!c) return Error::invalid_field(field + ".category", "表2 没有危险性类别 " + symbol + "（如 J1、W2、W5.3）");
    if (!by_q || c->critical_t < by_q->critical_t) by_q = c;
    if (!by_beta || c->beta > by_beta->beta) by_beta = c;
  }
  // The 表1 row: by CAS and by name; both given must agree, unless the name is another grade of
  // the row the CAS number designates (盐酸 with 7647-01-0).
  std::vector<const Named*> rows;
  const Named* other_grade = in.name ? tables.other_grade_of(*in.name) : nullptr;
  if (in.cas) rows = tables.by_cas(*in.cas);
  if (in.name && !other_grade) {
    auto named = tables.by_name(*in.name);
    if (rows.empty()) {
      rows = named;
    } else if (!named.empty()) {
      std::vector<const Named*> both;
      for (const Named* n : rows)
        if (std::find(named.begin(), named.end(), n) != named.end()) both.push_back(n);
      if (both.empty()) return Error::invalid_field(field + ".cas", "名称“" + *in.name + "”与 CAS 号 " + *in.cas + " 不是同一物质");
      rows = both;
    }
  } else if (other_grade && !rows.empty() && std::find(rows.begin(), rows.end(), other_grade) == rows.end()) {
    return Error::invalid_field(field + ".cas", "名称“" + *in.name + "”与 CAS 号 " + *in.cas + " 不是同一物质");
  }
  if (rows.size() > 1 && !by_q)
    return Error{"ambiguous_substance", "“" + label + "”对应表1的多项：" + row_names(rows) + "；请按表1名称写明是哪一项", field + ".name"};
  SubstanceResult r;
  r.quantity_t = in.quantity_t;
  r.cas = in.cas;
  const Named* row = rows.size() == 1 ? rows.front() : nullptr;
  if (other_grade && !row) row = other_grade;
  // Another grade than the row covers, or a mixture of another class: 表2 by its own category.
  std::string why_table2;
  if (row && in.mixture) why_table2 = "混合物（GB 18218 4.2.3）：危险性类别与纯物质（表1 第 " + std::to_string(row->no) + " 项）不同，按表2";
  else if (row && row->qualified && (other_grade || !confirms(*row, in.name))) {
    if (!by_q) return ambiguous_grade(*row, label, field);
    why_table2 = "非表1 第 " + std::to_string(row->no) + " 项“" + row->name + "”所列规格，按表2";
  } else if (rows.size() > 1) {
    why_table2 = "表1 有多项（" + row_names(rows) + "），按所给类别以表2";
  }
  if (row && why_table2.empty()) {
    r.name = row->name;
    r.table1_no = row->no;
    if (!r.cas && !row->cas.empty()) r.cas = row->cas.front();
    r.critical_t = row->critical_t;
    r.critical_from = "表1";
    if (row->beta_table3) {
      r.beta = *row->beta_table3;
      r.beta_from = "表3";
    } else {
      // The category given (the substance's conditions: 类别2 above its boiling point is W5.1)
      // decides β; else the row's own class (data/gb18218-2018/table1_beta_categories.csv).
      const Category* c = by_beta ? by_beta : tables.category(row->default_category);
      r.category = r.beta_category = c->symbol;
      r.beta = c->beta;
      r.beta_from = "表4 " + c->symbol;
    }
    return r;
  }
  if (!by_q) return Error{"unknown_substance", "表1 中没有“" + label + "”：请给出其危险性类别（表2，如 W5.3）", field + ".name"};
  r.name = in.name ? *in.name : *in.cas;
  r.note = why_table2;
  r.category = by_q->symbol;
  r.critical_t = by_q->critical_t;
  r.critical_from = "表2 " + by_q->symbol;
  r.beta_category = by_beta->symbol;
  r.beta = by_beta->beta;
  r.beta_from = "表4 " + by_beta->symbol;
  return r;
}

}  // namespace

Result<Evaluation> evaluate(const Tables& tables, const UnitInput& input) {
  Evaluation e;
  e.unit_type = input.unit_type;
  e.people_exposed = input.people_exposed;
  e.alpha = tables.alpha(input.people_exposed);
  Rational weighted = 0;
  for (size_t i = 0; i < input.substances.size(); ++i) {
    ANJIAN_ASSIGN(auto r, classify(tables, input.substances[i], "substances[" + std::to_string(i) + "]"));
    r.q_over_q = r.quantity_t / r.critical_t;
    e.s += r.q_over_q;
    weighted += r.beta * r.q_over_q;
    e.substances.push_back(std::move(r));
  }
  for (auto& r : e.substances) r.r_share = e.alpha * r.beta * r.q_over_q;
  e.r = e.alpha * weighted;
  e.is_major = e.s >= 1;
  if (e.is_major) e.grade = tables.grade(e.r);
  return e;
}

json::object to_json(const Evaluation& e) {
  json::array items;
  for (const auto& r : e.substances) {
    json::object o{{"name", r.name}, {"cas", r.cas ? json::value(*r.cas) : json::value(nullptr)},
                   {"quantity_t", to_double(r.quantity_t)}, {"critical_t", to_double(r.critical_t)},
                   {"critical_from", r.critical_from}, {"beta", to_double(r.beta)}, {"beta_from", r.beta_from},
                   {"q_over_q", to_double(r.q_over_q)}, {"r_share", to_double(r.r_share)}};
    if (r.table1_no) o["table1_no"] = *r.table1_no;
    if (!r.category.empty()) o["category"] = r.category;
    if (!r.beta_category.empty()) o["beta_category"] = r.beta_category;
    if (!r.note.empty()) o["note"] = r.note;
    items.push_back(std::move(o));
  }
  json::object out{{"unit_type", e.unit_type}, {"people_exposed", e.people_exposed}, {"s", to_double(e.s)},
                   {"is_major", e.is_major}, {"alpha", to_double(e.alpha)}, {"r", to_double(e.r)},
                   {"substances", std::move(items)}, {"table", kTableName}};
  if (e.grade) out["grade"] = *e.grade;
  return out;
}

}  // namespace anjian::risk::gb18218
