#include "modules/enforcement/routes.h"

#include <boost/json.hpp>

#include "base/csv.h"
#include "http/params.h"
#include "modules/enforcement/case_rules.h"

namespace anjian::enforcement {
namespace json = boost::json;
using http::Request;
using http::Response;

namespace {
// A body that may be empty ({} then).
Result<json::object> optional_body(const Request& req) {
  if (req.body.empty()) return json::object{};
  return http::json_body(req);
}

template <typename T>
Response with_etag(const Result<T>& r, unsigned status = 200) {
  if (!r.ok()) return Response::error(r.error());
  return Response::json(to_json(*r), status).with_header("ETag", http::etag(r->version));
}
}  // namespace

void add_inspection_routes(http::Router& router, TaskService& tasks, InspectionService& inspections, MeasureService& measures,
                           hidden_danger::ChecklistService& checklists, hidden_danger::Service& hidden_dangers,
                           enterprise::Service& enterprises) {
  router.post("/api/v1/inspection-tasks", [&tasks](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    return with_etag(tasks.create(req.who(), *body, req.remote), 201);
  }, {.permission = auth::Action::enterprise_create});

  router.get("/api/v1/inspection-tasks", [&tasks](Request& req) {
    TaskFilter f;
    auto paging = http::paging(req, 20);
    if (!paging.ok()) return Response::error(paging.error());
    f.page = paging->page;
    f.page_size = paging->page_size;
    auto state = http::enum_param(req, "state", {"issued", "done", "cancelled"});
    if (!state.ok()) return Response::error(state.error());
    auto source = http::enum_param(req, "source", {"plan", "draw", "complaint", "referral", "accident", "hidden_danger", "recheck", "other"});
    if (!source.ok()) return Response::error(source.error());
    auto mine = http::enum_param(req, "mine", {"true", "false", "1", "0"});
    if (!mine.ok()) return Response::error(mine.error());
    auto due = http::enum_param(req, "due", {"today", "overdue"});
    if (!due.ok()) return Response::error(due.error());
    f.state = *state;
    f.source = *source;
    f.mine = *mine && (**mine == "true" || **mine == "1");
    f.enterprise_uscc = req.query_param("enterprise_uscc");
    // today: due by today (the overdue included); overdue: due before today.
    if (*due) {
      const std::int64_t today = today_shanghai(now_ms());
      f.due_before = format_date(**due == "today" ? today : today - 1);
      if (!f.state) f.state = "issued";
    }
    auto page = tasks.list(req.who(), f);
    if (!page.ok()) return Response::error(page.error());
    json::array items;
    for (const auto& t : page->items) items.push_back(to_json(t));
    return Response::json(json::object{{"items", std::move(items)}, {"total", page->total}, {"page", f.page}, {"page_size", f.page_size}});
  }, {.permission = auth::Action::enterprise_read});

  router.get("/api/v1/inspection-tasks/{id}", [&tasks](Request& req) { return with_etag(tasks.get(req.who(), req.param("id"))); },
             {.permission = auth::Action::enterprise_read});

  // What the inspector's phone takes before leaving: the task, the enterprise, the checklist, the
  // open hidden dangers and the last inspection — enough to inspect with no network.
  router.get("/api/v1/inspection-tasks/{id}/bundle", [&tasks, &inspections, &measures, &checklists, &hidden_dangers, &enterprises](Request& req) {
    const auto& who = req.who();
    auto t = tasks.get(who, req.param("id"));
    if (!t.ok()) return Response::error(t.error());
    auto ent = enterprises.get(who.scope, t->enterprise_uscc);
    if (!ent.ok()) return Response::error(ent.error());
    json::object out{{"task", to_json(*t)},
                     {"enterprise", json::object{{"uscc", ent->uscc}, {"name", ent->name}, {"address", ent->address.value_or("")},
                                                 {"region_code", ent->region_code}, {"industry", ent->industry},
                                                 {"industry_label", enterprise::industry_label(ent->industry)},
                                                 {"legal_representative", ent->legal_representative.value_or("")},
                                                 {"safety_manager_name", ent->safety_manager_name.value_or("")},
                                                 {"safety_manager_phone", ent->safety_manager_phone.value_or("")},
                                                 {"lon", ent->lon ? json::value(*ent->lon) : json::value(nullptr)},
                                                 {"lat", ent->lat ? json::value(*ent->lat) : json::value(nullptr)},
                                                 {"version", ent->version}}},
                     {"checklist", nullptr},
                     {"last_inspection", nullptr},
                     {"measure", nullptr}};
    // A 复查 checks what the order required: its items and deadlines go with the task.
    if (!t->follows_measure_id.empty())
      if (auto m = measures.get(who, t->follows_measure_id); m.ok()) out["measure"] = to_json(*m);
    if (!t->template_id.empty()) {
      auto tpl = checklists.get(who, t->template_id);
      if (tpl.ok()) {
        json::array items;
        for (size_t i = 0; i < tpl->items.size(); ++i) {
          const auto& it = tpl->items[i];
          items.push_back(json::object{{"seq", i + 1}, {"number", it.number}, {"text", it.text}, {"basis", it.basis}, {"method", it.method},
                                       {"major", it.major}});
        }
        out["checklist"] = json::object{{"id", tpl->id}, {"name", tpl->name}, {"version", tpl->version}, {"items", std::move(items)}};
      }
    }
    hidden_danger::Filter hf;
    hf.enterprise_uscc = ent->uscc;
    hf.open = true;
    hf.page_size = 100;
    json::array open;
    if (auto page = hidden_dangers.list(who, hf); page.ok())
      for (const auto& h : page->items)
        open.push_back(json::object{{"id", h.id}, {"description", h.description}, {"grade", h.grade}, {"state", h.state},
                                    {"deadline", h.deadline ? json::value(format_iso(*h.deadline)) : json::value(nullptr)}});
    out["open_hidden_dangers"] = std::move(open);
    if (auto last = inspections.list(who, ent->uscc, 1); last.ok() && !last->empty()) out["last_inspection"] = to_json(last->front(), false);
    return Response::json(out);
  }, {.permission = auth::Action::enterprise_read});

  router.put("/api/v1/inspection-tasks/{id}", [&tasks](Request& req) {
    auto version = http::if_match_version(req);
    if (!version.ok()) return Response::error(version.error());
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    return with_etag(tasks.update(req.who(), req.param("id"), *version, *body, req.remote));
  }, {.permission = auth::Action::enterprise_create});

  router.post("/api/v1/inspection-tasks/{id}/cancel", [&tasks](Request& req) {
    auto version = http::if_match_version(req);
    if (!version.ok()) return Response::error(version.error());
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    return with_etag(tasks.cancel(req.who(), req.param("id"), *version, *body, req.remote));
  }, {.permission = auth::Action::enterprise_create});

  router.post("/api/v1/draws/{id}/tasks", [&tasks](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    return http::respond(tasks.issue_draw(req.who(), req.param("id"), *body, req.remote), [](const std::vector<Task>& list) {
      json::array items;
      for (const auto& t : list) items.push_back(to_json(t));
      return json::object{{"items", std::move(items)}};
    }, 201);
  }, {.permission = auth::Action::enterprise_create});

  // The inspection record: 201 when kept now, 200 with what was kept when sent again.
  router.post("/api/v1/inspections", [&inspections](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    auto r = inspections.submit(req.who(), *body, req.remote);
    if (!r.ok()) return Response::error(r.error());
    return Response::json(to_json(r->inspection, true), r->created ? 201 : 200);
  }, {.permission = auth::Action::enterprise_create});

  router.get("/api/v1/inspections", [&inspections](Request& req) {
    auto limit = http::paging(req, 50);
    if (!limit.ok()) return Response::error(limit.error());
    return http::respond(inspections.list(req.who(), req.query_param("enterprise_uscc"), limit->page_size), [](const std::vector<Inspection>& list) {
      json::array items;
      for (const auto& i : list) items.push_back(to_json(i, false));
      return json::object{{"items", std::move(items)}};
    });
  }, {.permission = auth::Action::enterprise_read});

  router.get("/api/v1/inspections/{id}", [&inspections, &measures](Request& req) {
    auto i = inspections.get(req.who(), req.param("id"));
    if (!i.ok()) return Response::error(i.error());
    json::object out = to_json(*i, true);
    json::array ms;
    if (auto list = measures.of_inspection(req.who(), i->id); list.ok())
      for (const auto& m : *list) ms.push_back(to_json(m));
    out["measures"] = std::move(ms);
    return Response::json(out);
  }, {.permission = auth::Action::enterprise_read});

  router.post("/api/v1/inspections/{id}/measures", [&measures](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    return with_etag(measures.issue(req.who(), req.param("id"), *body, req.remote), 201);
  }, {.permission = auth::Action::enterprise_create});

  router.get("/api/v1/measures/{id}", [&measures](Request& req) { return with_etag(measures.get(req.who(), req.param("id"))); },
             {.permission = auth::Action::enterprise_read});
}

void add_case_routes(http::Router& router, CaseService& cases, DocumentService& documents) {
  router.post("/api/v1/cases", [&cases](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    auto c = cases.file(req.who(), *body, req.remote);
    if (!c.ok()) return Response::error(c.error());
    auto full = cases.get(req.who(), c->id);
    if (!full.ok()) return Response::error(full.error());
    return Response::json(to_json(*full, true), 201).with_header("ETag", http::etag(full->version));
  }, {.permission = auth::Action::enterprise_create});

  router.get("/api/v1/cases", [&cases](Request& req) {
    auto paging = http::paging(req, 20);
    if (!paging.ok()) return Response::error(paging.error());
    static const std::vector<std::string_view> states(std::begin(kCaseStates), std::end(kCaseStates));
    auto state = http::enum_param(req, "state", states);
    if (!state.ok()) return Response::error(state.error());
    auto page = cases.list(req.who(), *state, req.query_param("enterprise_uscc"), paging->page, paging->page_size);
    if (!page.ok()) return Response::error(page.error());
    json::array items;
    for (const auto& c : page->items) items.push_back(to_json(c, false));
    return Response::json(json::object{{"items", std::move(items)}, {"total", page->total}, {"page", paging->page}, {"page_size", paging->page_size}});
  }, {.permission = auth::Action::enterprise_read});

  router.get("/api/v1/cases/{id}", [&cases](Request& req) {
    auto c = cases.get(req.who(), req.param("id"));
    if (!c.ok()) return Response::error(c.error());
    return Response::json(to_json(*c, true)).with_header("ETag", http::etag(c->version));
  }, {.permission = auth::Action::enterprise_read});

  router.post("/api/v1/cases/{id}/actions/{action}", [&cases](Request& req) {
    auto version = http::if_match_version(req);
    if (!version.ok()) return Response::error(version.error());
    auto body = optional_body(req);
    if (!body.ok()) return Response::error(body.error());
    auto c = cases.act(req.who(), req.param("id"), req.param("action"), *version, *body, req.remote);
    if (!c.ok()) return Response::error(c.error());
    return Response::json(to_json(*c, true)).with_header("ETag", http::etag(c->version));
  }, {.permission = auth::Action::enterprise_read});

  router.get("/api/v1/documents", [&documents](Request& req) {
    auto paging = http::paging(req, 50);
    if (!paging.ok()) return Response::error(paging.error());
    return http::respond(documents.recent(req.who(), paging->page_size), [](const std::vector<Document>& list) {
      json::array items;
      for (const auto& d : list) items.push_back(to_json(d, false));
      return json::object{{"items", std::move(items)}};
    });
  }, {.permission = auth::Action::enterprise_read});

  router.get("/api/v1/documents/{id}", [&documents](Request& req) {
    return http::respond(documents.get(req.who(), req.param("id")), [](const Document& d) { return to_json(d, true); });
  }, {.permission = auth::Action::enterprise_read});
}

void add_publication_routes(http::Router& router, PublicationService& publication) {
  router.get("/api/v1/publications", [&publication](Request& req) {
    return http::respond(publication.pending(req.who()), [](const std::vector<Pending>& list) {
      json::array items;
      for (const auto& p : list) items.push_back(to_json(p));
      return json::object{{"items", std::move(items)}};
    });
  }, {.permission = auth::Action::enterprise_read});

  router.post("/api/v1/inspections/{id}/publish", [&publication](Request& req) {
    return http::respond(publication.publish(req.who(), req.param("id"), req.remote));
  }, {.permission = auth::Action::enterprise_create});

  // The public feed (no session): JSON by default, ?format=csv for a spreadsheet.
  router.get("/api/v1/public/inspection-results", [&publication](Request& req) {
    auto format = http::enum_param(req, "format", {"json", "csv"});
    if (!format.ok()) return Response::error(format.error());
    auto paging = http::paging(req, 100);
    if (!paging.ok()) return Response::error(paging.error());
    auto feed = publication.feed(req.query_param("after").value_or(""), paging->page_size);
    if (!feed.ok()) return Response::error(feed.error());
    if (*format && **format == "csv") {
      std::string csv = "\xEF\xBB\xBF企业名称,统一社会信用代码,行政区划,抽查事项,检查日期,检查结果,公开时间,抽取记录\r\n";
      for (const auto& r : feed->items)
        csv += csv_field(r.enterprise_name) + "," + csv_field(r.enterprise_uscc) + "," + csv_field(r.region_code) + "," + csv_field(r.item) + "," +
               format_date(today_shanghai(r.inspected_at)) + "," + csv_field(r.result) + "," + format_minute(r.published_at) + "," +
               csv_field("/api/v1/public/draws/" + r.draw_id + "/record") + "\r\n";
      Response out;
      out.content_type = "text/csv; charset=utf-8";
      out.body = std::move(csv);
      if (!feed->next.empty()) out.with_header("X-Next", feed->next);
      return out.with_header("Content-Disposition", http::content_disposition("attachment", "双随机抽查结果.csv"));
    }
    json::array items;
    for (const auto& r : feed->items) items.push_back(to_json(r));
    return Response::json(json::object{{"items", std::move(items)}, {"next", feed->next.empty() ? json::value(nullptr) : json::value(feed->next)}});
  }, {.public_route = true});

  router.get("/api/v1/public/draws/{id}/record", [&publication](Request& req) {
    return http::respond(publication.public_record(req.param("id")), [](const json::object& o) { return o; });
  }, {.public_route = true});
}

void add_plan_routes(http::Router& router, PlanService& plans) {
  router.post("/api/v1/plans", [&plans](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    return http::respond(plans.create(req.who(), *body, req.remote), [&plans](const Plan& p) { return to_json(p, plans.required_share_percent()); }, 201);
  }, {.permission = auth::Action::enterprise_create});
  router.get("/api/v1/plans", [&plans](Request& req) {
    std::int64_t year = std::stoll(format_date(today_shanghai(now_ms())).substr(0, 4));
    if (auto y = req.query_param("year")) {
      if (y->size() != 4 || y->find_first_not_of("0123456789") != std::string::npos)
        return Response::error(Error::invalid_field("year", "year 须为四位年份"));
      year = std::stoll(*y);
    }
    return http::respond(plans.list(req.who(), year), [&plans](const std::vector<Plan>& list) {
      json::array items;
      for (const auto& p : list) items.push_back(to_json(p, plans.required_share_percent()));
      return json::object{{"items", std::move(items)}};
    });
  }, {.permission = auth::Action::enterprise_read});
  router.get("/api/v1/plans/{id}", [&plans](Request& req) {
    return http::respond(plans.get(req.who(), req.param("id")), [&plans](const Plan& p) { return to_json(p, plans.required_share_percent()); });
  }, {.permission = auth::Action::enterprise_read});
  router.post("/api/v1/plan-items/{id}/tasks", [&plans](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    return http::respond(plans.issue(req.who(), req.param("id"), *body, req.remote), [](const std::vector<Task>& list) {
      json::array items;
      for (const auto& t : list) items.push_back(to_json(t));
      return json::object{{"items", std::move(items)}};
    }, 201);
  }, {.permission = auth::Action::enterprise_create});
}

void add_target_list_routes(http::Router& router, TargetListService& lists) {
  router.post("/api/v1/target-lists", [&lists](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    return http::respond(lists.create(req.who(), *body, req.remote), [](const TargetList& l) { return to_json(l); }, 201);
  }, {.permission = auth::Action::enterprise_create});
  router.get("/api/v1/target-lists", [&lists](Request& req) {
    return http::respond(lists.list(req.who()), [](const std::vector<TargetList>& all) {
      json::array items;
      for (const auto& l : all) items.push_back(to_json(l));
      return json::object{{"items", std::move(items)}};
    });
  }, {.permission = auth::Action::enterprise_read});
  router.get("/api/v1/target-lists/{id}", [&lists](Request& req) {
    return http::respond(lists.get(req.who(), req.param("id")), [](const TargetList& l) { return to_json(l); });
  }, {.permission = auth::Action::enterprise_read});
  router.post("/api/v1/target-lists/{id}/snapshots", [&lists](Request& req) {
    return http::respond(lists.snapshot(req.who(), req.param("id"), "manual"), [](const TargetSnapshot& s) { return to_json(s, true); }, 201);
  }, {.permission = auth::Action::enterprise_create});
  router.get("/api/v1/target-lists/{id}/snapshots/{version}", [&lists](Request& req) {
    const std::string& v = req.param("version");
    if (v.empty() || v.size() > 9 || v.find_first_not_of("0123456789") != std::string::npos)
      return Response::error(Error::invalid_field("version", "版本须为正整数"));
    return http::respond(lists.snapshot_at(req.who(), req.param("id"), std::stoll(v)), [](const TargetSnapshot& s) { return to_json(s, true); });
  }, {.permission = auth::Action::enterprise_read});
}

void add_inspection_item_routes(http::Router& router, InspectionItemService& items) {
  router.post("/api/v1/inspection-items", [&items](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    return http::respond(items.create(req.who(), *body, req.remote), [](const InspectionItem& i) { return to_json(i); }, 201);
  }, {.permission = auth::Action::enterprise_create});
  router.get("/api/v1/inspection-items", [&items](Request& req) {
    return http::respond(items.list(req.who()), [](const std::vector<InspectionItem>& all) {
      json::array out;
      for (const auto& i : all) out.push_back(to_json(i));
      return json::object{{"items", std::move(out)}};
    });
  }, {.permission = auth::Action::enterprise_read});
  router.get("/api/v1/inspection-items/{id}", [&items](Request& req) {
    return http::respond(items.get(req.who(), req.param("id")), [](const InspectionItem& i) { return to_json(i); });
  }, {.permission = auth::Action::enterprise_read});
}

}  // namespace anjian::enforcement
