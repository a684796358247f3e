#pragma once
// GET /api/v1/documents/{id}/pdf: an issued 执法文书 drawn as its form from the text kept when it
// was issued (which never changes). A module of the document layer: the enforcement module does
// not depend on it.
#include "docs/pdf_form.h"
#include "modules/enforcement/documents.h"
#include "modules/module.h"

namespace anjian::docs {
// The form of an issued document, from its kept content.
PdfForm form_of(const enforcement::Document& d);

class EnforcementDocumentsModule : public modules::Module {
 public:
  std::string_view name() const override { return "enforcement-documents"; }
  Status open(modules::Context&) override { return {}; }
  void routes(http::Router& router, modules::Context& ctx) override;
};
}  // namespace anjian::docs
