// A 执法文书 as PDF (issue 15's figure: < 100 ms): a one-page 责令限期整改指令书 of five items, and
// a three-page 行政处罚决定书 whose facts run to 3,000 characters — laid out with Pango in the CJK
// serif font and written by cairo, as GET /api/v1/documents/{id}/pdf does.
#include <benchmark/benchmark.h>

#include "docs/pdf_form.h"

using namespace anjian;

namespace {
docs::PdfForm order(int facts_chars) {
  docs::PdfForm f;
  f.issuer = "杭州市西湖区应急管理局";
  f.title = "责令限期整改指令书";
  f.number = "（西湖）应急责改〔2026〕12号";
  f.fields = {{"被检查单位", "杭州测试化工有限公司"}, {"地址", "杭州市西湖区转塘街道1号"}, {"法定代表人（负责人）", "赵六"},
              {"统一社会信用代码", "91330106MA2XXXXX0X"}, {"检查时间", "2026-11-30 09:00"}};
  std::string problems;
  for (int i = 1; i <= 5; ++i) problems += std::to_string(i) + ". 储罐区可燃气体报警器未按规定检定\n";
  std::string facts;
  while (static_cast<int>(facts.size()) / 3 < facts_chars) facts += "储罐区可燃气体报警器未检定，";
  f.sections = {{"经查，你单位存在下列问题", problems}, {"依据", "《中华人民共和国安全生产法》第六十五条第一款第（二）项、第（三）项，现责令你单位限期整改。"}};
  if (facts_chars > 0) f.sections.push_back({"违法事实", facts});
  f.rights = "如不服本决定，可以在接到本决定书之日起六十日内依法向西湖区人民政府或者杭州市应急管理局申请行政复议，或者在六个月内依法向西湖区人民法院提起行政诉讼。";
  f.people = {{"张三", "33010620260001"}, {"李四", "33010620260002"}};
  f.signatures = {"执法人员（签名）", "被检查单位负责人（签名）"};
  f.date = "2026年11月30日";
  return f;
}
}  // namespace

static void BM_PdfOnePage(benchmark::State& state) {
  const docs::PdfForm f = order(0);
  size_t bytes = 0;
  for (auto _ : state) {
    auto pdf = docs::render_pdf(f);
    if (!pdf.ok()) state.SkipWithError("render failed");
    bytes = pdf->size();
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_PdfOnePage)->Unit(benchmark::kMillisecond)->UseRealTime();

static void BM_PdfThreePages(benchmark::State& state) {
  const docs::PdfForm f = order(3000);
  for (auto _ : state) benchmark::DoNotOptimize(docs::render_pdf(f));
}
BENCHMARK(BM_PdfThreePages)->Unit(benchmark::kMillisecond)->UseRealTime();
