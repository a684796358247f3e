#pragma once
// Evidence files (photos and PDFs of hidden dangers, inspections, accidents): each belongs to an
// enterprise and is seen where its enterprise is — outside the scope it does not exist. A
// government's own documents (its emergency plans, an investigation report of an accident with no
// registered enterprise) belong to a region instead: seen by the regulators of that region and of
// the regions under it. The bytes are checked by what they are (magic bytes), not by their name,
// and kept in the BlobStore.
#include <string>
#include <utility>
#include <vector>

#include "auth/audit_sink.h"
#include "auth/principal.h"
#include "base/file_type.h"
#include "codes/regions.h"
#include "db/database.h"
#include "files/blob_store.h"
#include "files/limits.h"
#include "modules/enterprise/service.h"

namespace anjian::files {

struct StoredFile {
  std::string id, enterprise_uscc, name, content_type, sha256, sm3, uploaded_by;
  std::int64_t size = 0;
  Millis uploaded_at = 0;
  std::string region_code;  // a government's file: the region it belongs to ('' for an enterprise's)
  std::string enterprise_region;  // when uploading an enterprise's: its region (for the audit)
};
boost::json::object to_json(const StoredFile& f);

class FileService {
 public:
  FileService(db::Database& db, const codes::RegionTable& regions, BlobStore& blobs, enterprise::Service& enterprises, AuditSink& audit,
              FileLimits limits)
      : db_(db), regions_(regions), blobs_(blobs), enterprises_(enterprises), audit_(audit), limits_(limits) {}

  // Keeps a file for an enterprise in the user's scope. `declared_type` is what the sender said
  // (Content-Type; "" or application/octet-stream: nothing said). Errors: not_found (enterprise),
  // invalid_field (empty, a name that is not UTF-8), file_too_large, unsupported_media_type (not a
  // photo or PDF by its bytes, or not what its name or type says), storage_error.
  Result<StoredFile> upload(const auth::Principal& who, const std::string& uscc, std::string_view name,
                            std::string_view declared_type, std::string_view bytes, std::string_view source);
  // A government's file, by a regulator whose scope holds `region_code`. Errors: as upload,
  // forbidden (not a regulator), not_found (the region outside the scope).
  Result<StoredFile> upload_for_region(const auth::Principal& who, const std::string& region_code, std::string_view name,
                                       std::string_view declared_type, std::string_view bytes, std::string_view source);
  // Errors: not_found (also outside the scope).
  Result<StoredFile> get(const auth::Scope& scope, const std::string& id);
  // The enterprise's files with these bytes (by SHA-256, lower-case hex), newest first: a phone that
  // synchronises asks before sending a photo again. Empty when none (or outside the scope).
  Result<std::vector<StoredFile>> find_by_digest(const auth::Scope& scope, const std::string& uscc, const std::string& sha256);
  // The file and its bytes. Errors: not_found, storage_error.
  Result<std::pair<StoredFile, std::string>> content(const auth::Scope& scope, const std::string& id);
  const FileLimits& limits() const { return limits_; }

 private:
  // The file's type and the name it is kept under, or why it is refused.
  Result<std::pair<const FileType*, std::string>> check(std::string_view name, std::string_view declared_type, std::string_view bytes) const;
  Result<StoredFile> store(const auth::Principal& who, StoredFile f, std::string_view bytes, std::string_view source);
  db::Database& db_;
  const codes::RegionTable& regions_;
  BlobStore& blobs_;
  enterprise::Service& enterprises_;
  AuditSink& audit_;
  FileLimits limits_;
};

}  // namespace anjian::files
