#pragma once
// The evidence files' bytes on disk, content-addressed: a file is kept once under its SHA-256
// (DATA/files/ab/cd/abcd…), its SM3 computed beside it (GB/T 39786 integrity), never overwritten,
// and synced to disk before put() returns. What a file is and who may see it is the FileService's.
#include <string>
#include <string_view>

#include "base/result.h"

namespace anjian::files {

struct Blob {
  std::string sha256, sm3;
  size_t size = 0;
};

class BlobStore {
 public:
  explicit BlobStore(std::string root) : root_(std::move(root)) {}
  // Errors: storage_error (the disk said no).
  Result<Blob> put(std::string_view bytes) const;
  // The bytes kept under a SHA-256. Errors: not_found (also for anything but 64 hex digits, so
  // that no name reaches outside the store), storage_error.
  Result<std::string> get(std::string_view sha256) const;

 private:
  std::string path_of(std::string_view sha256) const;
  std::string root_;
};

}  // namespace anjian::files
