#include "files/service.h"

#include <boost/json.hpp>

#include <algorithm>

#include "base/crypto.h"
#include "base/file_type.h"
#include "base/json_text.h"
#include "base/text.h"

namespace anjian::files {
namespace json = boost::json;

namespace {
constexpr const char* kColumns =
    "f.id, f.enterprise_uscc, f.name, f.content_type, f.size, f.sha256, f.sm3, f.uploaded_by, f.uploaded_at";
const char* kNotFound = "文件不存在或不在您的管辖范围内";

StoredFile from_row(const db::Row& r) {
  return StoredFile{r.str(0), r.str(1), r.str(2), r.str(3), r.str(5), r.str(6), r.str(7), r.i64(4), r.i64(8)};
}

std::string allowed_list() {
  std::string out;
  for (const auto& t : evidence_types()) out += (out.empty() ? "" : "、") + std::string(t.label);
  return out;
}
}  // namespace

json::object to_json(const StoredFile& f) {
  return json::object{{"id", f.id}, {"enterprise_uscc", f.enterprise_uscc.empty() ? json::value(nullptr) : json::value(f.enterprise_uscc)},
                      {"region_code", f.region_code.empty() ? json::value(nullptr) : json::value(f.region_code)}, {"name", f.name}, {"content_type", f.content_type},
                      {"size", f.size}, {"sha256", f.sha256}, {"sm3", f.sm3}, {"uploaded_by", f.uploaded_by},
                      {"uploaded_at", format_iso(f.uploaded_at)}, {"url", "/api/v1/files/" + f.id + "/content"}};
}

Result<std::pair<const FileType*, std::string>> FileService::check(std::string_view name, std::string_view declared_type,
                                                                    std::string_view bytes) const {
  if (!is_valid_utf8(name)) return Error::invalid_field("name", "文件名须为 UTF-8 文本");
  if (bytes.empty()) return Error::invalid_field("file", "文件为空");
  if (bytes.size() > limits_.max_bytes)
    return Error{"file_too_large", "文件超过 " + std::to_string(limits_.max_bytes / (1024 * 1024)) + " MB 上限", "file"};
  // What the bytes are decides; a name or a type that says otherwise is refused, not believed.
  const FileType* type = sniff_file_type(bytes);
  if (!type) return Error{"unsupported_media_type", "只接受" + allowed_list() + "：文件内容不是其中之一", "file"};
  const std::string ext = extension_of(name);
  if (!ext.empty() && std::find(type->extensions.begin(), type->extensions.end(), ext) == type->extensions.end())
    return Error{"unsupported_media_type", "文件内容是" + std::string(type->label) + "，与扩展名 ." + ext + " 不符", "file"};
  std::string said(declared_type.substr(0, declared_type.find(';')));
  said.erase(std::remove(said.begin(), said.end(), ' '), said.end());
  std::transform(said.begin(), said.end(), said.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (!said.empty() && said != "application/octet-stream" && said != type->mime && !(said == "image/jpg" && type->mime == "image/jpeg"))
    return Error{"unsupported_media_type", "文件内容是" + std::string(type->label) + "，与声明的类型 " + said + " 不符", "file"};
  std::string kept = safe_file_name(name);
  if (kept.empty()) kept = "文件." + std::string(type->extensions.front());
  return std::make_pair(type, std::move(kept));
}

Result<StoredFile> FileService::store(const auth::Principal& who, StoredFile f, std::string_view bytes, std::string_view source) {
  // The bytes first (synced), then the record: a failure after the first leaves an unreferenced
  // blob, which nobody can reach — never a record without its bytes.
  auto blob = blobs_.put(bytes);
  if (!blob.ok()) return blob.take_error();
  f.id = new_id();
  f.sha256 = blob->sha256;
  f.sm3 = blob->sm3;
  f.uploaded_by = who.username;
  f.size = static_cast<std::int64_t>(blob->size);
  f.uploaded_at = now_ms();
  return db::with_transaction(db_, [&](db::Connection& c) -> Result<StoredFile> {
    if (f.region_code.empty())
      ANJIAN_TRY(c.exec("INSERT INTO files (id, enterprise_uscc, name, content_type, size, sha256, sm3, uploaded_by, uploaded_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        {f.id, f.enterprise_uscc, f.name, f.content_type, f.size, f.sha256, f.sm3, f.uploaded_by, f.uploaded_at}));
    else
      ANJIAN_TRY(c.exec("INSERT INTO region_files (id, region_code, name, content_type, size, sha256, sm3, uploaded_by, uploaded_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        {f.id, f.region_code, f.name, f.content_type, f.size, f.sha256, f.sm3, f.uploaded_by, f.uploaded_at}));
    ANJIAN_TRY(audit_.record_in(c, audit_event(who, "file.upload", "file:" + f.id, f.region_code.empty() ? f.enterprise_region : f.region_code,
                                               f.enterprise_uscc, source,
                                               json_text(json::object{{"name", f.name}, {"content_type", f.content_type},
                                                                      {"size", f.size}, {"sm3", f.sm3}}))));
    return f;
  });
}

Result<StoredFile> FileService::upload(const auth::Principal& who, const std::string& uscc, std::string_view name,
                                       std::string_view declared_type, std::string_view bytes, std::string_view source) {
  auto ent = enterprises_.get(who.scope, uscc);
  if (!ent.ok()) return Error{"not_found", "企业不存在或不在您的管辖范围内", "enterprise_uscc"};
  auto checked = check(name, declared_type, bytes);
  if (!checked.ok()) return checked.take_error();
  StoredFile f;
  f.enterprise_uscc = ent->uscc;
  f.enterprise_region = ent->region_code;
  f.name = std::move(checked->second);
  f.content_type = std::string(checked->first->mime);
  return store(who, std::move(f), bytes, source);
}

Result<StoredFile> FileService::upload_for_region(const auth::Principal& who, const std::string& region_code, std::string_view name,
                                                  std::string_view declared_type, std::string_view bytes, std::string_view source) {
  if (who.org_kind != "regulator") return Error::forbidden("政府文件由监管部门上传");
  if (!regions_.find(region_code)) return Error::invalid_field("region_code", "未知的行政区划代码");
  if (!who.scope.sees(region_code)) return Error{"not_found", "该行政区划不在您的管辖范围内", "region_code"};
  auto checked = check(name, declared_type, bytes);
  if (!checked.ok()) return checked.take_error();
  StoredFile f;
  f.region_code = region_code;
  f.name = std::move(checked->second);
  f.content_type = std::string(checked->first->mime);
  return store(who, std::move(f), bytes, source);
}

Result<StoredFile> FileService::get(const auth::Scope& scope, const std::string& id) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  std::vector<db::Value> params{id};
  auto row = (*r)->query_one(std::string("SELECT ") + kColumns + " FROM files f JOIN enterprises e ON e.uscc = f.enterprise_uscc "
                             "WHERE f.id = ? AND " + scope.sql("e.region_code", "e.uscc", params), params);
  if (row.ok()) return from_row(*row);
  if (row.error().code != "not_found") return row.take_error();
  // A government's file: seen in its region and below it (a county reads its city's plan).
  if (scope.kind() == auth::Scope::Kind::enterprise || scope.kind() == auth::Scope::Kind::none) return Error{"not_found", kNotFound, ""};
  auto reg = (*r)->query_one("SELECT id, '', name, content_type, size, sha256, sm3, uploaded_by, uploaded_at, region_code FROM region_files WHERE id = ?",
                             {id});
  if (!reg.ok()) return reg.error().code == "not_found" ? Result<StoredFile>(Error{"not_found", kNotFound, ""}) : reg.take_error();
  StoredFile f = from_row(*reg);
  f.region_code = reg->str(9);
  const bool seen = scope.sees(f.region_code) || scope.kind() == auth::Scope::Kind::all ||
                    (!scope.region_code().empty() && regions_.contains(f.region_code, scope.region_code()));
  if (!seen) return Error{"not_found", kNotFound, ""};
  return f;
}

Result<std::pair<StoredFile, std::string>> FileService::content(const auth::Scope& scope, const std::string& id) {
  auto f = get(scope, id);
  if (!f.ok()) return f.take_error();
  auto bytes = blobs_.get(f->sha256);
  if (!bytes.ok()) return bytes.take_error();
  // What is served is what was kept: a blob changed on disk is refused, not sent.
  if (sha256_hex(*bytes) != f->sha256) return Error{"storage_error", "文件已损坏（校验值不符）", ""};
  return std::make_pair(std::move(*f), std::move(*bytes));
}

Result<std::vector<StoredFile>> FileService::find_by_digest(const auth::Scope& scope, const std::string& uscc, const std::string& sha256) {
  auto r = db_.read();
  if (!r.ok()) return r.take_error();
  std::vector<db::Value> params{uscc, sha256};
  auto rows = (*r)->query(std::string("SELECT ") + kColumns + " FROM files f JOIN enterprises e ON e.uscc = f.enterprise_uscc "
                          "WHERE f.enterprise_uscc = ? AND f.sha256 = ? AND " + scope.sql("e.region_code", "e.uscc", params) +
                          " ORDER BY f.uploaded_at DESC, f.id",
                          params);
  if (!rows.ok()) return rows.take_error();
  std::vector<StoredFile> out;
  for (const auto& row : *rows) out.push_back(from_row(row));
  return out;
}

}  // namespace anjian::files
