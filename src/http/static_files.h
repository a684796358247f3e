#pragma once
// The built web console: files from one folder with MIME types, ETag, gzip when accepted, long
// caching for hashed assets, and index.html for every other path (the SPA's own router decides).
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "http/message.h"

namespace anjian::http {

class StaticFiles {
 public:
  explicit StaticFiles(std::filesystem::path root);
  bool enabled() const { return !root_.empty(); }
  // A response for GET/HEAD `req.path`, or nullopt when the folder has no index.html either.
  std::optional<Response> serve(const Request& req);

 private:
  struct Cached {
    std::string body, gzip, etag, mime;
    std::filesystem::file_time_type mtime;
  };
  const Cached* load(const std::filesystem::path& file);
  std::filesystem::path root_;
  std::mutex mu_;
  std::unordered_map<std::string, Cached> cache_;
};

std::string_view mime_type(std::string_view extension);
// gzip of `data` (zlib; level 6 for files compressed once, 1 for answers compressed each time).
std::string gzip(std::string_view data, int level = 6);

}  // namespace anjian::http
