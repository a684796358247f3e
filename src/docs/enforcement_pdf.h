#pragma once
// GET /api/v1/documents/{id}/pdf: an issued 执法文书 as the PDF drawn from its text when it was
// issued, kept in the file store and checked against the SM3 kept with the record before it is
// served. A module of the document layer: the enforcement module does not depend on it, it gives
// the enforcement module the drawing at open.
#include "docs/pdf_form.h"
#include "modules/enforcement/documents.h"
#include "modules/module.h"

namespace anjian::docs {
// The form of an issued document, from its kept content.
PdfForm form_of(const enforcement::Document& d);

class EnforcementDocumentsModule : public modules::Module {
 public:
  std::string_view name() const override { return "enforcement-documents"; }
  Status open(modules::Context& ctx) override;
  void routes(http::Router& router, modules::Context& ctx) override;
};
}  // namespace anjian::docs
