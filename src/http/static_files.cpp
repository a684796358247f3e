#include "http/static_files.h"

#include <zlib.h>

#include <fstream>
#include <sstream>

#include "base/crypto.h"

namespace anjian::http {
namespace fs = std::filesystem;

std::string_view mime_type(std::string_view ext) {
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
      {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"}, {".gif", "image/gif"}, {".ico", "image/x-icon"},
      {".webp", "image/webp"}, {".woff", "font/woff"}, {".woff2", "font/woff2"}, {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"}, {".map", "application/json; charset=utf-8"},
      {".webmanifest", "application/manifest+json"}, {".wasm", "application/wasm"}, {".pdf", "application/pdf"},
  };
  for (const auto& [e, t] : kTypes)
    if (e == ext) return t;
  return "application/octet-stream";
}

std::string gzip(std::string_view data, int level) {
  z_stream zs{};
  // windowBits 15 + 16 selects the gzip wrapper.
  if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out(deflateBound(&zs, data.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

StaticFiles::StaticFiles(fs::path root) : root_(std::move(root)) {
  std::error_code ec;
  if (!root_.empty() && !fs::exists(root_ / "index.html", ec)) root_.clear();
  if (!root_.empty()) root_ = fs::weakly_canonical(root_, ec);
}

const StaticFiles::Cached* StaticFiles::load(const fs::path& file) {
  std::error_code ec;
  auto mtime = fs::last_write_time(file, ec);
  if (ec) return nullptr;
  std::lock_guard lock(mu_);
  auto it = cache_.find(file.string());
  if (it != cache_.end() && it->second.mtime == mtime) return &it->second;
  std::ifstream in(file, std::ios::binary);
  if (!in) return nullptr;
  std::ostringstream ss;
  ss << in.rdbuf();
  Cached c;
  c.body = ss.str();
  c.mtime = mtime;
  c.mime = std::string(mime_type(file.extension().string()));
  c.etag = "\"" + sha256_hex(c.body).substr(0, 20) + "\"";
  const bool compressible = c.mime.starts_with("text/") || c.mime.find("json") != std::string::npos ||
                            c.mime.find("svg") != std::string::npos || c.mime == "application/wasm";
  if (compressible && c.body.size() > 512) c.gzip = gzip(c.body);
  return &(cache_[file.string()] = std::move(c));
}

std::optional<Response> StaticFiles::serve(const Request& req) {
  if (root_.empty()) return std::nullopt;
  std::error_code ec;
  // Refuse any path that leaves the root, whatever its spelling.
  fs::path candidate = fs::weakly_canonical(root_ / fs::path(req.path).relative_path(), ec);
  auto rel = candidate.lexically_relative(root_);
  bool inside = !ec && !rel.empty() && *rel.begin() != "..";
  bool is_file = inside && fs::is_regular_file(candidate, ec);
  bool spa = !is_file;
  const Cached* c = load(spa ? root_ / "index.html" : candidate);
  if (!c) return std::nullopt;

  Response r;
  r.content_type = c->mime;
  r.headers.emplace_back("ETag", c->etag);
  r.headers.emplace_back("Vary", "Accept-Encoding");
  // Vite puts content hashes in asset names: those never change; index.html always may.
  const bool hashed = !spa && req.path.starts_with("/assets/");
  r.headers.emplace_back("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
  if (req.header("if-none-match") == c->etag) {
    r.status = 304;
    return r;
  }
  if (!c->gzip.empty() && req.header("accept-encoding").find("gzip") != std::string_view::npos) {
    r.body = c->gzip;
    r.headers.emplace_back("Content-Encoding", "gzip");
  } else {
    r.body = c->body;
  }
  return r;
}

}  // namespace anjian::http
