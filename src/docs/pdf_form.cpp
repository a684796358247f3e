#include "docs/pdf_form.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <memory>

namespace anjian::docs {
namespace {

constexpr double kPageWidth = 595.28, kPageHeight = 841.89;  // A4 in points
constexpr double kLeft = 68, kRight = 68, kTop = 64, kBottom = 72;
constexpr double kTextWidth = kPageWidth - kLeft - kRight;
constexpr const char* kFont = "Noto Serif CJK SC, WenQuanYi Micro Hei, serif";

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using Surface = std::unique_ptr<cairo_surface_t, Deleter<cairo_surface_t, cairo_surface_destroy>>;
using Cairo = std::unique_ptr<cairo_t, Deleter<cairo_t, cairo_destroy>>;
void unref(PangoLayout* l) { g_object_unref(l); }
using Layout = std::shared_ptr<PangoLayout>;

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// A paragraph to lay out: its text, size, weight, alignment and the space before it.
struct Block {
  std::string text;
  double size = 12;
  bool bold = false;
  PangoAlignment align = PANGO_ALIGN_LEFT;
  double before = 4;
  double indent = 0;      // hanging indent of continuation lines (a "label：" row)
  bool keep_whole = false;  // signature rows and the seal are not split
};

// One line placed on a page.
struct Placed {
  int page = 0;
  double y = 0;  // baseline
  Layout layout;
  int line = 0;
};

Layout make_layout(cairo_t* cr, const Block& b) {
  Layout layout(pango_cairo_create_layout(cr), unref);
  PangoFontDescription* font = pango_font_description_from_string(kFont);
  pango_font_description_set_absolute_size(font, b.size * PANGO_SCALE);
  pango_font_description_set_weight(font, b.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description(layout.get(), font);
  pango_font_description_free(font);
  pango_layout_set_width(layout.get(), static_cast<int>(kTextWidth * PANGO_SCALE));
  pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment(layout.get(), b.align);
  pango_layout_set_spacing(layout.get(), static_cast<int>(b.size * 0.45 * PANGO_SCALE));
  if (b.indent > 0) pango_layout_set_indent(layout.get(), static_cast<int>(-b.indent * PANGO_SCALE));
  pango_layout_set_text(layout.get(), b.text.c_str(), static_cast<int>(b.text.size()));
  return layout;
}

std::vector<Block> blocks_of(const PdfForm& f) {
  std::vector<Block> out;
  out.push_back({f.issuer, 15, true, PANGO_ALIGN_CENTER, 0});
  out.push_back({f.title, 22, true, PANGO_ALIGN_CENTER, 6});
  if (!f.number.empty()) out.push_back({f.number, 12, false, PANGO_ALIGN_RIGHT, 10});
  for (const auto& [label, text] : f.fields)
    out.push_back({label + "：" + (text.empty() ? "—" : text), 12, false, PANGO_ALIGN_LEFT, 6, 12.0 * 5});
  for (const auto& [heading, text] : f.sections) {
    out.push_back({heading + "：", 12, true, PANGO_ALIGN_LEFT, 12});
    out.push_back({text, 12, false, PANGO_ALIGN_LEFT, 3});
  }
  if (!f.rights.empty()) out.push_back({f.rights, 12, false, PANGO_ALIGN_LEFT, 12});
  if (!f.people.empty()) {
    std::string people = "执法人员：";
    for (size_t i = 0; i < f.people.size(); ++i)
      people += (i ? "；" : "") + f.people[i].first + "（执法证号 " + (f.people[i].second.empty() ? "—" : f.people[i].second) + "）";
    out.push_back({people, 12, false, PANGO_ALIGN_LEFT, 14, 12.0 * 5});
  }
  for (const auto& s : f.signatures)
    out.push_back({s + "：______________________　　____年__月__日", 12, false, PANGO_ALIGN_LEFT, 16, 0, true});
  if (f.seal) out.push_back({f.issuer + "（印章）\n" + f.date, 12, false, PANGO_ALIGN_RIGHT, 28, 0, true});
  else if (!f.date.empty()) out.push_back({f.date, 12, false, PANGO_ALIGN_RIGHT, 20, 0, true});
  return out;
}

}  // namespace

Result<std::string> render_pdf(const PdfForm& form) {
  std::string bytes;
  Surface surface(cairo_pdf_surface_create_for_stream(append, &bytes, kPageWidth, kPageHeight));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) return Error{"internal", "无法创建 PDF", ""};
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, (form.title + " " + form.number).c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "anjian");
  Cairo cr(cairo_create(surface.get()));

  // First the lines onto pages, so that every page can say how many there are.
  std::vector<Placed> placed;
  int page = 0;
  double y = kTop;
  for (Block& b : blocks_of(form)) {
    // A list's last line break would print as an empty line.
    while (!b.text.empty() && (b.text.back() == '\n' || b.text.back() == ' ')) b.text.pop_back();
    if (b.text.empty()) continue;
    Layout layout = make_layout(cr.get(), b);
    const int lines = pango_layout_get_line_count(layout.get());
    const double spacing = pango_layout_get_spacing(layout.get()) / static_cast<double>(PANGO_SCALE);
    int h_whole = 0;
    pango_layout_get_pixel_size(layout.get(), nullptr, &h_whole);
    y += b.before;
    if (b.keep_whole && y + h_whole > kPageHeight - kBottom) {
      ++page;
      y = kTop;
    }
    for (int i = 0; i < lines; ++i) {
      PangoLayoutLine* line = pango_layout_get_line_readonly(layout.get(), i);
      PangoRectangle logical;
      pango_layout_line_get_pixel_extents(line, nullptr, &logical);
      if (y + logical.height > kPageHeight - kBottom) {
        ++page;
        y = kTop;
      }
      placed.push_back({page, y - logical.y, layout, i});
      y += logical.height + (i + 1 < lines ? spacing : 0);
    }
  }
  const int pages = page + 1;
  cairo_set_source_rgb(cr.get(), 0, 0, 0);
  Layout footer = make_layout(cr.get(), Block{"", 9, false, PANGO_ALIGN_CENTER, 0});
  size_t k = 0;
  for (int p = 0; p < pages; ++p) {
    for (; k < placed.size() && placed[k].page == p; ++k) {
      const Placed& at = placed[k];
      PangoLayoutLine* line = pango_layout_get_line_readonly(at.layout.get(), at.line);
      // Alignment and indent are the layout's: take the line's x from its iterator.
      PangoLayoutIter* it = pango_layout_get_iter(at.layout.get());
      for (int skip = 0; skip < at.line; ++skip) pango_layout_iter_next_line(it);
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(it, nullptr, &logical);
      pango_layout_iter_free(it);
      cairo_move_to(cr.get(), kLeft + logical.x / static_cast<double>(PANGO_SCALE), at.y);
      pango_cairo_show_layout_line(cr.get(), line);
    }
    const std::string text = "第 " + std::to_string(p + 1) + " 页　共 " + std::to_string(pages) + " 页";
    pango_layout_set_text(footer.get(), text.c_str(), static_cast<int>(text.size()));
    cairo_move_to(cr.get(), kLeft, kPageHeight - kBottom + 24);
    pango_cairo_show_layout(cr.get(), footer.get());
    cairo_show_page(cr.get());
  }
  cr.reset();
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) return Error{"internal", "PDF 生成失败", ""};
  surface.reset();
  return bytes;
}

}  // namespace anjian::docs
