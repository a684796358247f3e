#include "docs/accident_report.h"

#include <fmt/format.h>

#include "docs/xlsx_table.h"
#include "http/params.h"
#include "modules/accident/stats.h"

namespace anjian::docs {
using http::Request;
using http::Response;
namespace ac = accident;

namespace {
// A change as a fraction (shown as a percentage), or "—" when there was nothing before.
std::string fraction(std::optional<double> v) { return v ? fmt::format("{:.4f}", *v) : "—"; }
std::string number(std::optional<double> v) { return v ? fmt::format("{:.2f}", *v) : "—"; }

const std::string kKinds = "tnnnnnnnpnpnn";

std::vector<std::string> figures(const ac::StatsRow& r) {
  auto n = [](std::int64_t v) { return std::to_string(v); };
  return {r.name,
          n(r.now.accidents),
          n(r.now.deaths),
          n(r.now.missing),
          n(r.now.serious_injuries),
          n(r.now.minor_injuries),
          fmt::format("{:.2f}", static_cast<double>(r.now.direct_loss_yuan) / 10'000.0),
          n(r.year_before.accidents),
          fraction(ac::change(r.now.accidents, r.year_before.accidents)),
          n(r.previous.accidents),
          fraction(ac::change(r.now.accidents, r.previous.accidents)),
          r.enterprises ? n(*r.enterprises) : "—",
          number(ac::deaths_per_10k(r.now.deaths, r.enterprises))};
}

std::string by_label(const std::string& by) {
  if (by == "industry") return "行业";
  if (by == "kind") return "事故类别";
  if (by == "grade") return "事故等级";
  if (by == "month") return "月份";
  return "地区";
}
}  // namespace

void AccidentReportModule::routes(http::Router& router, modules::Context& ctx) {
  auto& stats = ctx.need<ac::StatsService>();
  router.get("/api/v1/accidents/stats.xlsx", [&stats](Request& req) {
    auto q = ac::stats_query(req);
    if (!q.ok()) return Response::error(q.error());
    auto s = stats.compute(req.who(), *q);
    if (!s.ok()) return Response::error(s.error());
    const std::vector<std::string> headers = {by_label(s->by), "事故起数", "死亡人数", "失踪人数", "重伤人数", "轻伤人数", "直接经济损失（万元）",
                                              "去年同期起数", "同比", "上期起数", "环比", "企业数", "每万家企业死亡人数"};
    XlsxTable table{"事故统计", headers, {}, kKinds};
    for (const auto& row : s->rows) table.rows.push_back(figures(row));
    ac::StatsRow total = s->total;
    total.name = "合计";
    table.rows.push_back(figures(total));
    table.rows.push_back({});
    table.rows.push_back({"统计范围：" + s->region_name + "　统计期：" + s->period.label + "（同比：" + s->year_before.label + "；环比：" +
                          s->previous.label + "）"});
    table.rows.push_back({"统计口径：按事故发生时间、发生地计入；失踪人数单列（定级时按死亡计）；企业数为制表时登记在册的企业"});
    table.rows.push_back({"制表时间：" + format_minute(now_ms())});
    auto bytes = write_xlsx(table);
    if (!bytes.ok()) return Response::error(bytes.error());
    Response r;
    r.status = 200;
    r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    r.body = std::move(*bytes);
    const std::string key = s->region_code.empty() ? "000000" : s->region_code;
    return r.with_header("Content-Disposition",
                         http::content_disposition("attachment", "事故统计-" + key + "-" + std::to_string(s->period.from) + "-" +
                                                                     std::to_string(s->period.to) + ".xlsx"));
  }, {.permission = auth::Action::enterprise_read, .limited = http::RateLimiter::Kind::export_});
}

}  // namespace anjian::docs
