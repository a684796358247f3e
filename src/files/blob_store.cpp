#include "files/blob_store.h"

#include <filesystem>

#include "base/crypto.h"
#include "files/durable_file.h"

namespace anjian::files {
namespace fs = std::filesystem;

namespace {

bool is_sha256(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

std::string BlobStore::path_of(std::string_view h) const {
  return root_ + "/" + std::string(h.substr(0, 2)) + "/" + std::string(h.substr(2, 2)) + "/" + std::string(h);
}

Result<Blob> BlobStore::put(std::string_view bytes) const {
  Blob b{sha256_hex(bytes), sm3_hex(bytes), bytes.size()};
  const fs::path final_path = path_of(b.sha256);
  std::error_code ec;
  // Kept already (the same photo sent twice): the same bytes, by their hash.
  if (fs::file_size(final_path, ec) == bytes.size() && !ec) return b;
  ANJIAN_TRY(write_file_durably(final_path.string(), bytes, 0640, IfExists::keep));
  return b;
}

Result<std::string> BlobStore::get(std::string_view sha256) const {
  if (!is_sha256(sha256)) return Error{"not_found", "文件不存在", ""};
  auto bytes = read_whole_file(path_of(sha256));
  if (!bytes.ok() && bytes.error().code == "not_found") return Error{"not_found", "文件不存在", ""};
  return bytes;
}

}  // namespace anjian::files
