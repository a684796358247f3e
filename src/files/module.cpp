#include "files/module.h"

#include <boost/json.hpp>

#include "http/client.h"
#include "http/params.h"
#include "modules/audit/audit_log.h"

namespace anjian::files {
namespace json = boost::json;
using http::Request;
using http::Response;

Status FilesModule::open(modules::Context& ctx) {
  auto& blobs = ctx.provide(std::make_unique<BlobStore>(root_));
  ctx.provide(std::make_unique<FileService>(ctx.db, ctx.regions, blobs, ctx.need<enterprise::Service>(), ctx.need<audit::AuditLog>(), limits_));
  return {};
}

void FilesModule::routes(http::Router& router, modules::Context& ctx) {
  auto& files = ctx.need<FileService>();
  // The file is the body; ?enterprise_uscc= whose it is, ?name= its name; Content-Type what the
  // sender thinks it is (checked against the bytes).
  router.post("/api/v1/files", [&files](Request& req) {
    auto uscc = req.query_param("enterprise_uscc");
    auto region = req.query_param("region_code");
    if ((!uscc || uscc->empty()) && (!region || region->empty()))
      return Response::error(Error::invalid_field("enterprise_uscc", "须以 ?enterprise_uscc= 指明文件所属企业（政府文件以 ?region_code=）"));
    const auto name = req.query_param("name").value_or("");
    auto f = uscc && !uscc->empty() ? files.upload(req.who(), *uscc, name, req.header("content-type"), req.body, req.remote)
                                    : files.upload_for_region(req.who(), *region, name, req.header("content-type"), req.body, req.remote);
    if (!f.ok()) return Response::error(f.error());
    return Response::json(to_json(*f), 201);
  }, {.permission = auth::Action::enterprise_write});

  // ?enterprise_uscc=&sha256=: the files of those bytes already kept (so that they are sent once).
  router.get("/api/v1/files", [&files](Request& req) {
    const auto uscc = req.query_param("enterprise_uscc").value_or("");
    const auto sha = req.query_param("sha256").value_or("");
    if (uscc.empty()) return Response::error(Error::invalid_field("enterprise_uscc", "须以 ?enterprise_uscc= 指明企业"));
    if (sha.size() != 64 || sha.find_first_not_of("0123456789abcdef") != std::string::npos)
      return Response::error(Error::invalid_field("sha256", "sha256 须为 64 位小写十六进制"));
    return http::respond(files.find_by_digest(req.who().scope, uscc, sha), [](const std::vector<StoredFile>& list) {
      boost::json::array items;
      for (const auto& f : list) items.push_back(to_json(f));
      return boost::json::object{{"items", std::move(items)}};
    });
  }, {.permission = auth::Action::enterprise_read});

  router.get("/api/v1/files/{id}", [&files](Request& req) {
    return http::respond(files.get(req.who().scope, req.param("id")), [](const StoredFile& f) { return to_json(f); });
  }, {.permission = auth::Action::enterprise_read});

  router.get("/api/v1/files/{id}/content", [&files](Request& req) {
    auto got = files.content(req.who().scope, req.param("id"));
    if (!got.ok()) return Response::error(got.error());
    auto& [f, bytes] = *got;
    Response r;
    r.status = 200;
    r.content_type = f.content_type;
    r.body = std::move(bytes);
    // Shown in the browser (a photo, a PDF), saved under its own name (RFC 6266: an ASCII name for
    // old clients, the UTF-8 one for the rest); never guessed at (nosniff).
    r.with_header("Content-Disposition", http::content_disposition("inline", f.name));
    r.with_header("X-Content-Type-Options", "nosniff");
    r.with_header("Cache-Control", "private, max-age=86400");
    r.with_header("ETag", "\"" + f.sha256 + "\"");
    return r;
  }, {.permission = auth::Action::enterprise_read});
}

}  // namespace anjian::files
