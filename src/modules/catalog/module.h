#pragma once
// The resource catalog's wiring (issue 17 §4): CatalogService, the /catalog routes, the read API
// departments use with their grant's key, open data written daily into `open_dir` and served at
// /api/v1/open.
#include <string>

#include "modules/module.h"

namespace anjian::catalog {

class CatalogModule final : public modules::Module {
 public:
  explicit CatalogModule(std::string open_dir) : open_dir_(std::move(open_dir)) {}
  std::string_view name() const override { return "catalog"; }
  Status open(modules::Context& ctx) override;
  void routes(http::Router& router, modules::Context& ctx) override;

 private:
  std::string open_dir_;
};

}  // namespace anjian::catalog
