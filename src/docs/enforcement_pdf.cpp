#include "docs/enforcement_pdf.h"

#include <boost/json.hpp>

#include <spdlog/spdlog.h>

#include "base/crypto.h"
#include "files/blob_store.h"
#include "http/params.h"

namespace anjian::docs {
namespace json = boost::json;
using http::Request;
using http::Response;

namespace {
std::string text_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::vector<std::pair<std::string, std::string>> pairs_of(const json::object& o, std::string_view key, std::string_view a, std::string_view b) {
  std::vector<std::pair<std::string, std::string>> out;
  if (const auto* v = o.if_contains(key); v && v->is_array())
    for (const auto& x : v->as_array())
      if (x.is_object()) out.emplace_back(text_of(x.as_object(), a), text_of(x.as_object(), b));
  return out;
}
}  // namespace

PdfForm form_of(const enforcement::Document& d) {
  const json::object& c = d.content;
  PdfForm f;
  f.issuer = text_of(c, "issuer");
  f.title = text_of(c, "title");
  f.number = text_of(c, "number");
  f.fields = pairs_of(c, "fields", "label", "text");
  f.sections = pairs_of(c, "sections", "heading", "text");
  f.rights = text_of(c, "rights");
  f.people = pairs_of(c, "inspectors", "name", "badge_number");
  if (const auto* s = c.if_contains("signatures"); s && s->is_array())
    for (const auto& x : s->as_array())
      if (x.is_string()) f.signatures.emplace_back(x.as_string());
  const auto* seal = c.if_contains("seal");
  f.seal = !seal || !seal->is_bool() || seal->as_bool();
  f.date = text_of(c, "date");
  return f;
}

Status EnforcementDocumentsModule::open(modules::Context& ctx) {
  ctx.need<enforcement::DocumentService>().set_pdf_keeper([&blobs = ctx.need<files::BlobStore>()](const enforcement::Document& d)
                                                              -> Result<enforcement::IssuedPdf> {
    ANJIAN_ASSIGN(const std::string pdf, render_pdf(form_of(d)));
    ANJIAN_ASSIGN(const files::Blob kept, blobs.put(pdf));
    return enforcement::IssuedPdf{kept.sha256, kept.sm3};
  });
  return {};
}

void EnforcementDocumentsModule::routes(http::Router& router, modules::Context& ctx) {
  auto& documents = ctx.need<enforcement::DocumentService>();
  router.get("/api/v1/documents/{id}/pdf", [&documents, &blobs = ctx.need<files::BlobStore>()](Request& req) {
    auto d = documents.get(req.who(), req.param("id"));
    if (!d.ok()) return Response::error(d.error());
    std::string pdf;
    if (!d->pdf.sm3.empty()) {
      // As issued, and only if it still is: a file changed on disk is an incident, not a download.
      auto kept = blobs.get(d->pdf.sha256);
      if (!kept.ok() || sm3_hex(*kept) != d->pdf.sm3) {
        spdlog::error("document {} ({}): its PDF is missing or differs from the SM3 kept at issue", d->id, d->number);
        return Response::error(Error{"integrity_error", "文书 " + d->number + " 的 PDF 与出具时的 SM3 摘要不符或已缺失，请联系系统管理员核查", ""});
      }
      pdf = std::move(*kept);
    } else {
      // Issued before PDFs were kept: drawn from the kept text as then.
      auto drawn = render_pdf(form_of(*d));
      if (!drawn.ok()) return Response::error(drawn.error());
      pdf = std::move(*drawn);
    }
    Response r;
    r.content_type = "application/pdf";
    r.body = std::move(pdf);
    if (!d->pdf.sm3.empty()) r.with_header("X-Content-SM3", d->pdf.sm3);
    // Saved under the name people keep: the title and the 文号.
    return r.with_header("Content-Disposition", http::content_disposition("inline", d->title + d->number + ".pdf"));
  }, {.permission = auth::Action::enterprise_read});
}

}  // namespace anjian::docs
