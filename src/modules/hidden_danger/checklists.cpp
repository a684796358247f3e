#include "modules/hidden_danger/checklists.h"

#include <boost/json.hpp>

#include <algorithm>
#include <map>

#include "base/crypto.h"
#include "base/json_fields.h"
#include "base/json_text.h"
#include "base/text.h"
#include "modules/enterprise/model.h"

namespace anjian::hidden_danger {
namespace json = boost::json;

namespace {
constexpr const char* kColumns =
    "t.id, t.code, t.version, t.name, t.industries, t.source, t.builtin, t.region_code, t.owner_org_id, t.created_by, t.created_at, "
    "(SELECT MAX(v.version) FROM checklist_templates v WHERE v.code = t.code), "
    "(SELECT COUNT(*) FROM self_inspections s WHERE s.template_id = t.id)";

ChecklistTemplate from_row(const db::Row& r) {
  ChecklistTemplate t;
  t.id = r.str(0);
  t.code = r.str(1);
  t.version = r.i64(2);
  t.name = r.str(3);
  t.industries = split_list(r.str(4), '|');
  t.source = r.str(5);
  t.builtin = r.i64(6) != 0;
  t.region_code = r.str(7);
  t.owner_org_id = r.str(8);
  t.created_by = r.str(9);
  t.created_at = r.i64(10);
  t.latest = r.i64(11) == t.version;
  t.used = r.i64(12);
  return t;
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : "|") + s;
  return out;
}

Status insert_template(db::Connection& c, const ChecklistTemplate& t) {
  ANJIAN_TRY(c.exec("INSERT INTO checklist_templates (id, code, version, name, industries, source, builtin, region_code, owner_org_id, "
                    "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    {t.id, t.code, t.version, t.name, joined(t.industries), t.source, std::int64_t{t.builtin}, t.region_code,
                     t.owner_org_id, t.created_by, t.created_at}));
  for (size_t i = 0; i < t.items.size(); ++i) {
    const auto& it = t.items[i];
    ANJIAN_TRY(c.exec("INSERT INTO checklist_items (template_id, seq, number, text, basis, method, major, standard, standard_item) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      {t.id, static_cast<std::int64_t>(i + 1), it.number, it.text, it.basis, it.method, std::int64_t{it.major},
                       it.standard, it.standard_item}));
  }
  return {};
}
}  // namespace

json::object to_json(const ChecklistTemplate& t, bool with_items) {
  json::array industries;
  for (const auto& i : t.industries) industries.emplace_back(i);
  json::object o{{"id", t.id}, {"code", t.code}, {"version", t.version}, {"name", t.name}, {"industries", std::move(industries)},
                 {"source", t.source}, {"builtin", t.builtin}, {"region_code", t.region_code}, {"owner_org_id", t.owner_org_id},
                 {"created_at", format_iso(t.created_at)}, {"latest", t.latest}, {"used", t.used},
                 {"item_count", t.items.size()}};
  if (with_items) {
    json::array items;
    for (size_t i = 0; i < t.items.size(); ++i) {
      const auto& it = t.items[i];
      json::object item{{"seq", i + 1}, {"number", it.number}, {"text", it.text}, {"basis", it.basis}, {"method", it.method},
                        {"major", it.major}};
      item["standard_item"] = it.standard.empty() ? json::value(nullptr)
                                                  : json::value(json::object{{"standard", it.standard}, {"item", it.standard_item}});
      items.push_back(std::move(item));
    }
    o["items"] = std::move(items);
  } else {
    o.erase("item_count");
  }
  return o;
}

Status ChecklistService::install_builtins() {
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    for (const auto& d : builtin_templates()) {
      auto have = c.query_one("SELECT COUNT(*) FROM checklist_templates WHERE code = ? AND version = ?", {d.code, std::int64_t{d.version}});
      if (!have.ok()) return have.take_error();
      if (have->i64(0) > 0) continue;
      ChecklistTemplate t;
      t.id = "builtin-" + d.code + "-v" + std::to_string(d.version);
      t.code = d.code;
      t.version = d.version;
      t.name = d.name;
      t.industries = d.industries;
      t.source = d.source;
      t.builtin = true;
      t.created_by = "anjian";
      t.created_at = now_ms();
      t.items = d.items;
      ANJIAN_TRY(insert_template(c, t));
    }
    return true;
  });
  if (!done.ok()) return done.take_error();
  return {};
}

bool ChecklistService::visible(const auth::Principal& who, const ChecklistTemplate& t) const {
  if (t.builtin || t.region_code.empty() || who.region_code.empty()) return true;
  if (regions_.contains(t.region_code, who.region_code)) return true;  // made above (or by) the user's region
  return who.org_kind == "regulator" && regions_.contains(who.region_code, t.region_code);
}

Result<std::vector<ChecklistTemplate>> ChecklistService::list(const auth::Principal& who, const std::optional<std::string>& industry,
                                                              bool all_versions) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  // A few hundred templates at most: read all, keep what this user sees.
  auto rows = (*r)->query(std::string("SELECT ") + kColumns + " FROM checklist_templates t ORDER BY t.builtin DESC, t.code, t.version DESC");
  if (!rows.ok()) return rows.take_error();
  std::vector<ChecklistTemplate> out;
  for (const auto& row : *rows) {
    ChecklistTemplate t = from_row(row);
    if (!all_versions && !t.latest) continue;
    if (!visible(who, t)) continue;
    if (industry && !t.industries.empty() && std::find(t.industries.begin(), t.industries.end(), *industry) == t.industries.end()) continue;
    out.push_back(std::move(t));
  }
  return out;
}

Result<ChecklistTemplate> ChecklistService::get(const auth::Principal& who, const std::string& id) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  auto row = (*r)->query_one(std::string("SELECT ") + kColumns + " FROM checklist_templates t WHERE t.id = ?", {id});
  if (!row.ok() && row.error().code != "not_found") return row.take_error();
  if (!row.ok() || !visible(who, from_row(*row))) return Error{"not_found", "排查表不存在", ""};
  ChecklistTemplate t = from_row(*row);
  auto items = (*r)->query("SELECT number, text, basis, method, major, standard, standard_item FROM checklist_items WHERE template_id = ? "
                           "ORDER BY seq",
                           {id});
  if (!items.ok()) return items.take_error();
  for (const auto& i : *items) t.items.push_back({i.str(0), i.str(1), i.str(2), i.str(3), i.i64(4) != 0, i.str(5), i.str(6)});
  return t;
}

Result<ChecklistTemplate> ChecklistService::parse(const json::object& fields) {
  JsonFields f(fields);
  ChecklistTemplate t;
  t.name = f.string("name", true, 100).value_or("");
  t.source = f.string("source", false, 500).value_or("");
  std::vector<std::string_view> known(enterprise::industries().begin(), enterprise::industries().end());
  if (auto list = f.strings("industries", false, 20, 40)) {
    for (const auto& i : *list)
      if (std::find(known.begin(), known.end(), i) == known.end()) f.fail(Error::invalid_field("industries", "未知的监管行业：" + i));
    t.industries = *list;
  }
  f.objects("items", true, 500, [&](JsonFields& g, size_t) {
    ChecklistItem it;
    it.number = g.string("number", true, 20).value_or("");
    it.text = g.string("text", true, 1000).value_or("");
    it.basis = g.string("basis", false, 500).value_or("");
    it.method = g.string("method", false, 500).value_or("");
    it.major = g.boolean("major", false).value_or(false);
    if (const json::object* s = g.object("standard_item", false)) {
      JsonFields h = g.child("standard_item", *s);
      it.standard = h.string("standard", true, 40).value_or("");
      it.standard_item = h.string("item", true, 20).value_or("");
      g.absorb(h);
    }
    t.items.push_back(std::move(it));
  });
  ANJIAN_TRY(f.finish());
  ANJIAN_TRY(check_items(t.items));
  return t;
}

Result<ChecklistTemplate> ChecklistService::create(const auth::Principal& who, const json::object& fields, std::string_view source) {
  if (who.org_kind != "regulator") return Error::forbidden("只有监管部门和管理员可以制定排查表");
  auto t = parse(fields);
  if (!t.ok()) return t.take_error();
  t->id = new_id();
  t->code = "t-" + t->id;
  t->version = 1;
  t->region_code = who.region_code;
  t->owner_org_id = who.org_id;
  t->created_by = who.username;
  t->created_at = now_ms();
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    ANJIAN_TRY(insert_template(c, *t));
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "checklist.create", "checklist:" + t->id, who.region_code, "", source,
                                               json_text(json::object{{"name", t->name}, {"items", t->items.size()}}))));
    return true;
  });
  if (!done.ok()) return done.take_error();
  return get(who, t->id);
}

Result<ChecklistTemplate> ChecklistService::revise(const auth::Principal& who, const std::string& id, const json::object& fields,
                                                   std::string_view source, bool& made_version) {
  auto old = get(who, id);
  if (!old.ok()) return old.take_error();
  if (old->builtin) return Error::forbidden("国家标准排查表不能修改，可另建排查表");
  if (old->owner_org_id != who.org_id) return Error::forbidden("只能修改本单位制定的排查表");
  if (!old->latest) return Error{"conflict", "该排查表已有新版本，请修改最新版本", ""};
  auto t = parse(fields);
  if (!t.ok()) return t.take_error();
  made_version = old->used > 0;
  t->code = old->code;
  t->region_code = old->region_code;
  t->owner_org_id = old->owner_org_id;
  t->created_by = who.username;
  t->created_at = now_ms();
  t->id = made_version ? new_id() : old->id;
  t->version = made_version ? old->version + 1 : old->version;
  auto done = db::with_transaction(db_, [&](db::Connection& c) -> Result<bool> {
    if (!made_version) {
      // Not used yet: nobody answered it, so it may still change (checked again inside the transaction).
      auto used = c.query_one("SELECT COUNT(*) FROM self_inspections WHERE template_id = ?", {old->id});
      if (!used.ok()) return used.take_error();
      if (used->i64(0) > 0) return Error{"conflict", "排查表刚被使用，请重试（将生成新版本）", ""};
      ANJIAN_TRY(c.exec("DELETE FROM checklist_items WHERE template_id = ?", {old->id}));
      ANJIAN_TRY(c.exec("DELETE FROM checklist_templates WHERE id = ?", {old->id}));
    }
    ANJIAN_TRY(insert_template(c, *t));
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "checklist.revise", "checklist:" + t->id, t->region_code, "", source,
                                               json_text(json::object{{"name", t->name}, {"version", t->version}}))));
    return true;
  });
  if (!done.ok()) return done.take_error();
  return get(who, t->id);
}

void read_answers(JsonFields& f, const json::object& fields, bool required, std::vector<ChecklistAnswer>& out) {
  static const std::vector<std::string_view> results = {"pass", "fail", "not_applicable"};
  f.objects("results", required, 500, [&](JsonFields& g, size_t i) {
    ChecklistAnswer a;
    a.seq = g.integer("seq", true, 1, 500).value_or(0);
    a.result = g.one_of("result", true, results).value_or("");
    a.note = g.string("note", false, 2000).value_or("");
    a.place = g.string("place", false, 200).value_or("");
    (void)g.strings("files", false, 20, 64);
    if (const auto* files = fields.at("results").as_array()[i].as_object().if_contains("files")) a.raw["files"] = *files;
    out.push_back(std::move(a));
  });
}

Result<std::vector<const ChecklistAnswer*>> answers_in_order(const ChecklistTemplate& t, const std::vector<ChecklistAnswer>& answers) {
  std::vector<const ChecklistAnswer*> by_seq(t.items.size() + 1, nullptr);
  for (size_t i = 0; i < answers.size(); ++i) {
    const ChecklistAnswer& a = answers[i];
    const std::string at_i = "results[" + std::to_string(i) + "].seq";
    if (a.seq < 1 || a.seq > static_cast<std::int64_t>(t.items.size()))
      return Error::invalid_field(at_i, "检查表没有第 " + std::to_string(a.seq) + " 个条目");
    if (by_seq[a.seq]) return Error::invalid_field(at_i, "条目 " + t.items[a.seq - 1].number + " 答了两次");
    by_seq[a.seq] = &a;
  }
  for (size_t seq = 1; seq <= t.items.size(); ++seq)
    if (!by_seq[seq]) return Error::invalid_field("results", "条目 " + t.items[seq - 1].number + " 尚未填写结果");
  by_seq.erase(by_seq.begin());
  return by_seq;
}

}  // namespace anjian::hidden_danger
