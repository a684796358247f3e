#pragma once
// The evidence file store's wiring: blobs under DATA/files, their records (migration 20), and the
// routes to upload a file for an enterprise in scope and to read it back. Hidden dangers,
// enforcement and accidents attach these files by id.
#include "files/service.h"
#include "modules/module.h"

namespace anjian::files {
class FilesModule : public modules::Module {
 public:
  FilesModule(std::string root, FileLimits limits) : root_(std::move(root)), limits_(limits) {}
  std::string_view name() const override { return "files"; }
  Status open(modules::Context& ctx) override;
  void routes(http::Router& router, modules::Context& ctx) override;

 private:
  std::string root_;
  FileLimits limits_;
};
}  // namespace anjian::files
