#include "docs/hidden_danger_report.h"

#include <fmt/format.h>

#include "docs/xlsx_table.h"
#include "http/params.h"
#include "modules/hidden_danger/labels.h"
#include "modules/hidden_danger/routes.h"

namespace anjian::docs {
using http::Request;
using http::Response;
namespace hd = hidden_danger;

namespace {
// A fraction (a number cell shown as a percentage), or "—" when nothing was found.
std::string rate(const hd::GradeFigures& g) {
  auto r = g.rate();
  return r ? fmt::format("{:.4f}", *r) : "—";
}
// The columns of figures(): the name, then counts and rates.
const std::string kKinds = "tnnpnnpnnpnnn";

// One row of figures: found, rectified, rate per grade and in all; open, overdue, supervised.
std::vector<std::string> figures(const hd::StatsRow& row) {
  const hd::GradeFigures t = row.total();
  auto n = [](std::int64_t v) { return std::to_string(v); };
  return {row.name,
          n(row.general.found - row.general.withdrawn), n(row.general.rectified), rate(row.general),
          n(row.major.found - row.major.withdrawn),     n(row.major.rectified),   rate(row.major),
          n(t.found - t.withdrawn),                      n(t.rectified),           rate(t),
          n(t.open),                                     n(t.overdue),             n(row.major.supervised)};
}

std::vector<std::string> headers(std::string first) {
  return {std::move(first), "一般隐患（项）", "一般已整改", "一般整改率", "重大隐患（项）", "重大已整改", "重大整改率",
          "合计（项）", "合计已整改", "整改率", "未整改（项）", "逾期未整改", "重大挂牌督办"};
}
}  // namespace

void HiddenDangerReportModule::routes(http::Router& router, modules::Context& ctx) {
  auto& stats = ctx.need<hd::StatsService>();
  auto& service = ctx.need<hd::Service>();
  router.get("/api/v1/hidden-dangers/report.xlsx", [&stats, &service](Request& req) {
    auto q = hd::stats_query(req);
    if (!q.ok()) return Response::error(q.error());
    auto s = stats.compute(req.who(), *q);
    if (!s.ok()) return Response::error(s.error());
    std::vector<XlsxTable> sheets;
    XlsxTable summary{"汇总", headers("单位 / 地区"), {figures(s->total)}, kKinds};
    summary.rows.push_back({});
    summary.rows.push_back({"统计期：" + s->period.label});
    summary.rows.push_back({"统计口径：隐患按发现时间计入统计期；整改率 = 已整改（已销号）÷ 隐患数（不含已撤销）；未整改、逾期、督办为制表时的状态"});
    summary.rows.push_back({"制表时间：" + format_minute(now_ms())});
    sheets.push_back(std::move(summary));
    if (s->enterprise_uscc.empty()) {
      XlsxTable regions{"分地区", headers("地区"), {}, kKinds};
      for (const auto& row : s->by_region) regions.rows.push_back(figures(row));
      sheets.push_back(std::move(regions));
    } else {
      // One enterprise: every hidden danger of the period, as its register (隐患台账).
      XlsxTable list{"隐患明细", {"发现时间", "隐患描述", "部位", "类别", "等级", "来源", "状态", "整改期限", "挂牌督办", "销号时间"}, {}};
      hd::Filter f;
      f.enterprise_uscc = s->enterprise_uscc;
      f.found_from = q->period.from ? std::optional<Millis>(q->period.start()) : std::nullopt;
      f.found_to = q->period.from ? std::optional<Millis>(q->period.end()) : std::nullopt;
      f.sort = "found_at_asc";
      f.page_size = 500;
      auto when = [](std::optional<Millis> t) { return t ? format_minute(*t) : std::string(); };
      for (f.page = 1; f.page <= 20; ++f.page) {  // at most 10,000 rows: a quarter of one enterprise has far fewer
        auto page = service.list(req.who(), f);
        if (!page.ok()) return Response::error(page.error());
        for (const auto& h : page->items)
          list.rows.push_back({when(h.found_at), h.description, h.place, std::string(hd::category_label(h.category)),
                               std::string(hd::grade_label(h.grade)), std::string(hd::found_by_label(h.found_by)),
                               std::string(hd::state_label(h.state)), when(h.deadline), h.supervised ? "是" : "否", when(h.closed_at)});
        if (page->items.size() < static_cast<size_t>(f.page_size)) break;
      }
      sheets.push_back(std::move(list));
    }
    XlsxTable industries{"分行业", headers("行业"), {}, kKinds};
    for (const auto& row : s->by_industry) industries.rows.push_back(figures(row));
    sheets.push_back(std::move(industries));
    auto bytes = write_xlsx(sheets);
    if (!bytes.ok()) return Response::error(bytes.error());
    Response r;
    r.status = 200;
    r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    r.body = std::move(*bytes);
    const std::string key = s->enterprise_uscc.empty() ? (s->region_code.empty() ? "000000" : s->region_code) : s->enterprise_uscc;
    const std::string period = q->period.from ? std::to_string(q->period.from) + "-" + std::to_string(q->period.to) : "all";
    return r.with_header("Content-Disposition", http::content_disposition("attachment", "隐患排查治理统计-" + key + "-" + period + ".xlsx"));
  }, {.permission = auth::Action::enterprise_read, .limited = http::RateLimiter::Kind::export_});
}

}  // namespace anjian::docs
