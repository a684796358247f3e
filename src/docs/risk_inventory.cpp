#include "docs/risk_inventory.h"

#include "modules/enterprise/service.h"
#include "modules/risk/risk_point_service.h"

#include "docs/xlsx_table.h"

namespace anjian::docs {
using http::Request;
using http::Response;

namespace {
std::string joined(const std::vector<std::string>& list) {
  std::string out;
  for (size_t i = 0; i < list.size(); ++i) out += (i ? "；" : "") + list[i];
  return out;
}

const char* kind_name(const std::string& k) {
  return k == "place" ? "场所" : k == "activity" ? "作业活动" : k == "equipment" ? "设备设施" : "其他";
}

const char* responsible_name(const std::string& k) {
  return k == "company" ? "公司" : k == "workshop" ? "车间" : k == "team" ? "班组" : k == "post" ? "岗位" : "";
}

const char* colour_name(risk::RiskLevel l) {
  switch (l) {
    case risk::RiskLevel::major: return "红";
    case risk::RiskLevel::significant: return "橙";
    case risk::RiskLevel::general: return "黄";
    case risk::RiskLevel::low: return "蓝";
  }
  return "";
}

std::string number(double v) {
  std::string s = std::to_string(v);
  s.erase(s.find_last_not_of('0') + 1);
  if (s.back() == '.') s.pop_back();
  return s;
}
}  // namespace

void RiskInventoryModule::routes(http::Router& router, modules::Context& ctx) {
  auto& points = ctx.need<risk::RiskPointService>();
  auto& enterprises = ctx.need<enterprise::Service>();
  router.get("/api/v1/enterprises/{uscc}/risk-inventory.xlsx", [&points, &enterprises](Request& req) {
    auto ent = enterprises.get(req.who().scope, req.param("uscc"));
    if (!ent.ok()) return Response::error(ent.error());
    docs::XlsxTable table;
    table.sheet = "风险清单";
    table.headers = {"序号", "风险点编码", "风险点名称", "类型", "位置", "危险有害因素", "可能导致的事故", "评价方法",
                     "评价值", "风险等级", "颜色", "等级说明", "工程技术措施", "管理措施", "培训教育措施", "个体防护措施",
                     "应急处置措施", "管控层级", "责任人"};
    risk::RiskPointFilter f;
    f.enterprise_uscc = ent->uscc;
    f.page_size = 500;
    for (f.page = 1;; ++f.page) {
      auto page = points.list(req.who().scope, f);
      if (!page.ok()) return Response::error(page.error());
      for (const auto& p : page->items) {
        std::vector<std::string> factors, consequences;
        for (const auto& h : p.hazards) {
          factors.push_back(h.factor);
          if (!h.consequence.empty()) consequences.push_back(h.consequence);
        }
        table.rows.push_back({std::to_string(table.rows.size() + 1), p.code, p.name, kind_name(p.kind), p.location,
                              joined(factors), joined(consequences), p.method == "lec" ? "LEC" : "风险矩阵", number(p.score),
                              std::string(risk::chinese(p.level)), colour_name(p.level), p.override_reason,
                              joined(p.measures.engineering), joined(p.measures.management), joined(p.measures.training),
                              joined(p.measures.ppe), joined(p.measures.emergency), responsible_name(p.responsible_level),
                              p.responsible_person});
      }
      if (f.page * f.page_size >= page->total) break;
    }
    auto bytes = docs::write_xlsx(table);
    if (!bytes.ok()) return Response::error(bytes.error());
    Response r;
    r.status = 200;
    r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    r.body = std::move(*bytes);
    return r.with_header("Content-Disposition", http::content_disposition("attachment", "风险清单-" + ent->uscc + ".xlsx"));
  }, {.permission = auth::Action::enterprise_read, .limited = http::RateLimiter::Kind::export_});
}

}  // namespace anjian::docs
