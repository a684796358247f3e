#include "app/backup.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <spawn.h>
#include <zstd.h>

#include <boost/json.hpp>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "base/crypto.h"
#include "base/json_text.h"
#include "files/durable_file.h"

extern char** environ;

namespace anjian::app {
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {
constexpr std::string_view kMagic = "ANJIAN-BACKUP 1\n";
constexpr size_t kTrailer = 70;  // "\nSM3 " + 64 hex + "\n"
constexpr size_t kChunk = 1 << 20;

Error storage(const std::string& what) { return Error{"storage_error", what, ""}; }
Error damaged(const std::string& why) { return Error{"invalid_backup", "备份文件无效或已损坏：" + why, ""}; }

// Runs a program (pg_dump, pg_restore) and waits; its output goes to ours.
Status run_program(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid;
  if (posix_spawnp(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0)
    return storage("无法运行 " + args[0] + "（是否已安装 postgresql-client？）");
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return storage(args[0] + " 执行失败（退出码 " + std::to_string(WEXITSTATUS(status)) + "）");
  return {};
}

// The bytes written to the backup file: counted and digested (HMAC-SM3 when encrypted).
class Sink {
 public:
  Sink(int fd, std::string_view mac_key) : fd_(fd), digest_(mac_key) {}
  Status write(std::string_view data) {
    digest_.update(data);
    bytes_ += data.size();
    while (!data.empty()) {
      const ssize_t n = ::write(fd_, data.data(), data.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return storage(std::string("写备份文件失败：") + std::strerror(errno));
      data.remove_prefix(static_cast<size_t>(n));
    }
    return {};
  }
  std::string digest() { return digest_.hex(); }
  std::uint64_t bytes() const { return bytes_; }

 private:
  int fd_;
  sm4::Sm3Stream digest_;
  std::uint64_t bytes_ = 0;
};

// Entries → zstd → SM4-CBC (when encrypting) → the sink.
class PayloadWriter {
 public:
  PayloadWriter(Sink& sink, const std::optional<sm4::Key>& key, const std::string& iv) : sink_(sink), z_(ZSTD_createCCtx()), out_(ZSTD_CStreamOutSize(), '\0') {
    ZSTD_CCtx_setParameter(z_, ZSTD_c_compressionLevel, 3);
    ZSTD_CCtx_setParameter(z_, ZSTD_c_checksumFlag, 1);
    if (key) enc_.emplace(key->cipher_key(), iv, true);
  }
  ~PayloadWriter() { ZSTD_freeCCtx(z_); }

  Status add_bytes(const std::string& path, std::string_view bytes) {
    ANJIAN_TRY(put(json_text(json::object{{"path", path}, {"size", bytes.size()}}) + "\n"));
    ++entries_;
    return put(bytes);
  }
  Status add_file(const std::string& path, const fs::path& file) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return storage("无法读取 " + file.string() + "：" + std::strerror(errno));
    struct stat st {};
    ::fstat(fd, &st);
    const auto size = static_cast<std::uint64_t>(st.st_size);
    Status s = put(json_text(json::object{{"path", path}, {"size", size}}) + "\n");
    std::string buf(kChunk, '\0');
    for (std::uint64_t left = size; s.ok() && left > 0;) {
      const ssize_t n = ::read(fd, buf.data(), static_cast<size_t>(std::min<std::uint64_t>(left, kChunk)));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) s = storage("读取中途变短：" + file.string());
      else {
        left -= static_cast<std::uint64_t>(n);
        s = put(std::string_view(buf.data(), static_cast<size_t>(n)));
      }
    }
    ::close(fd);
    ++entries_;
    return s;
  }
  Status finish() {
    ANJIAN_TRY(put(json_text(json::object{{"end", true}, {"entries", entries_}}) + "\n"));
    ANJIAN_TRY(compress({}, true));
    if (enc_) {
      auto rest = enc_->finish();
      if (!rest.ok()) return rest.error();
      return sink_.write(*rest);
    }
    return {};
  }
  std::uint64_t entries() const { return entries_; }

 private:
  Status put(std::string_view data) { return compress(data, false); }
  Status compress(std::string_view data, bool end) {
    ZSTD_inBuffer in{data.data(), data.size(), 0};
    for (;;) {
      ZSTD_outBuffer out{out_.data(), out_.size(), 0};
      const size_t left = ZSTD_compressStream2(z_, &out, &in, end ? ZSTD_e_end : ZSTD_e_continue);
      if (ZSTD_isError(left)) return storage(std::string("压缩失败：") + ZSTD_getErrorName(left));
      const std::string_view chunk(out_.data(), out.pos);
      if (!chunk.empty()) ANJIAN_TRY(sink_.write(enc_ ? std::string_view(cipher_ = enc_->update(chunk)) : chunk));
      if (end ? left == 0 : in.pos == in.size) return {};
    }
  }

  Sink& sink_;
  ZSTD_CCtx* z_;
  std::string out_, cipher_;
  std::optional<sm4::CbcStream> enc_;
  std::uint64_t entries_ = 0;
};

std::string sqlite_path(const std::string& url) { return url.substr(std::string_view("sqlite:").size()); }

// Files of the data folder that belong in a backup: not the database's own (copied consistently
// apart), not logs, not temporary files half written, not earlier backups.
bool keep_in_backup(const fs::path& rel, const std::string& db_file_name) {
  const std::string first = rel.begin()->string();
  const std::string name = rel.filename().string();
  if (first == "backups" || name.starts_with(".tmp-") || name.starts_with("access.log")) return false;
  if (!db_file_name.empty() && rel == fs::path(db_file_name)) return false;
  for (const char* suffix : {"-wal", "-shm", "-journal"})
    if (!db_file_name.empty() && rel == fs::path(db_file_name + suffix)) return false;
  return true;
}
}  // namespace

Result<BackupSummary> make_backup(const BackupOptions& o, const std::string& to, db::Database* db) {
  const Millis start = now_ms();
  const bool postgres = o.db_url.starts_with("postgres");
  if (!postgres && !o.db_url.starts_with("sqlite:")) return Error{"invalid_argument", "数据库地址须以 sqlite: 或 postgres:// 开头", "db"};
  const fs::path target = fs::absolute(to);
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  const fs::path snapshot = target.parent_path() / (".tmp-" + random_hex(8) + (postgres ? ".pgdump" : ".db"));
  struct Cleanup {
    fs::path p;
    ~Cleanup() {
      std::error_code e;
      fs::remove(p, e);
    }
  } cleanup{snapshot};

  // The database first: evidence files are written before the rows that name them, so every file
  // the snapshot refers to is in the folder copied after it.
  if (postgres) {
    ANJIAN_TRY(run_program({"pg_dump", "--format=custom", "--no-owner", "--compress=0", "--file", snapshot.string(), "--dbname", o.db_url}));
  } else {
    std::unique_ptr<db::Database> own;
    if (!db) {
      auto opened = db::open_database(o.db_url);
      if (!opened.ok()) return opened.take_error();
      own = std::move(opened).value();
      db = own.get();
    }
    auto conn = db->read();
    if (!conn.ok()) return conn.take_error();
    // One read transaction: a snapshot of the moment it began, while writers go on (WAL).
    auto vac = (*conn)->exec("VACUUM INTO ?", {snapshot.string()});
    if (!vac.ok()) return storage("数据库快照失败：" + vac.error().message);
  }

  const fs::path temp = target.parent_path() / (".tmp-" + random_hex(8) + ".backup");
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return storage("无法创建备份文件 " + temp.string() + "：" + std::strerror(errno));
  Cleanup temp_cleanup{temp};
  const std::string iv = o.key ? sm4::generate("iv").secret.substr(0, 16) : std::string();
  Sink sink(fd, o.key ? o.key->mac_key() : std::string());
  PayloadWriter payload(sink, o.key, iv);
  json::object header{{"format", 1}, {"created_at", format_iso(start)}, {"backend", postgres ? "postgres" : "sqlite"},
                      {"compression", "zstd"}, {"encrypted", o.key.has_value()}};
  if (o.key) {
    header["cipher"] = "SM4-CBC+HMAC-SM3";
    header["key_id"] = o.key->id;
    header["iv"] = to_hex(iv);
  }
  auto status = [&]() -> Status {
    ANJIAN_TRY(sink.write(kMagic));
    ANJIAN_TRY(sink.write(json_text(header) + "\n"));
    ANJIAN_TRY(payload.add_file(postgres ? "db/anjian.pgdump" : "db/anjian.db", snapshot));
    const std::string db_name = postgres ? "" : fs::path(sqlite_path(o.db_url)).lexically_proximate(o.data_dir).string();
    if (fs::is_directory(o.data_dir)) {
      std::vector<fs::path> found;
      for (auto it = fs::recursive_directory_iterator(o.data_dir, fs::directory_options::skip_permission_denied, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (!it->is_regular_file(ec)) continue;
        const fs::path rel = it->path().lexically_relative(o.data_dir);
        if (fs::equivalent(it->path(), target, ec) || !keep_in_backup(rel, db_name)) continue;
        if (!o.keys_file.empty() && fs::equivalent(it->path(), o.keys_file, ec)) continue;  // below, or not at all
        found.push_back(rel);
      }
      std::sort(found.begin(), found.end());
      for (const auto& rel : found) ANJIAN_TRY(payload.add_file("data/" + rel.generic_string(), fs::path(o.data_dir) / rel));
    }
    if (!o.settings_file.empty()) ANJIAN_TRY(payload.add_file("settings/anjian.toml", o.settings_file));
    if (o.key && !o.keys_file.empty() && fs::exists(o.keys_file, ec)) ANJIAN_TRY(payload.add_file("data/keys/personal.keys", o.keys_file));
    ANJIAN_TRY(payload.finish());
    return {};
  }();
  BackupSummary summary;
  if (status.ok()) {
    summary.digest = sink.digest();
    status = sink.write("\nSM3 " + summary.digest + "\n");
  }
  if (status.ok() && ::fsync(fd) != 0) status = storage(std::string("同步备份文件失败：") + std::strerror(errno));
  ::close(fd);
  if (!status.ok()) return status.error();
  fs::rename(temp, target, ec);
  if (ec) return storage("无法放置备份文件 " + target.string() + "：" + ec.message());
  files::sync_dir(target.parent_path().string());
  summary.bytes = sink.bytes() + 0;
  summary.entries = payload.entries();
  summary.took_ms = now_ms() - start;
  return summary;
}

namespace {
// Reads the payload back: SM4 (when encrypted) → zstd → entries written under the data folder.
class PayloadReader {
 public:
  PayloadReader(const fs::path& data_dir, const std::optional<sm4::Key>& key, const std::string& iv)
      : dir_(data_dir), z_(ZSTD_createDCtx()), out_(ZSTD_DStreamOutSize(), '\0') {
    if (key) dec_.emplace(key->cipher_key(), iv, false);
  }
  ~PayloadReader() {
    ZSTD_freeDCtx(z_);
    if (fd_ >= 0) ::close(fd_);
  }
  Status feed(std::string_view data) { return decompress(dec_ ? std::string_view(plain_ = dec_->update(data)) : data); }
  Status finish() {
    if (dec_) {
      auto rest = dec_->finish();
      if (!rest.ok()) return damaged("解密失败（密钥不符？）");
      ANJIAN_TRY(decompress(*rest));
    }
    if (!ended_) return damaged("内容不完整");
    return {};
  }
  std::uint64_t entries() const { return entries_; }
  bool has(const std::string& path) const { return std::find(paths_.begin(), paths_.end(), path) != paths_.end(); }

 private:
  Status decompress(std::string_view data) {
    ZSTD_inBuffer in{data.data(), data.size(), 0};
    while (in.pos < in.size) {
      ZSTD_outBuffer out{out_.data(), out_.size(), 0};
      const size_t r = ZSTD_decompressStream(z_, &out, &in);
      if (ZSTD_isError(r)) return damaged(std::string("解压失败：") + ZSTD_getErrorName(r));
      ANJIAN_TRY(consume(std::string_view(out_.data(), out.pos)));
    }
    return {};
  }
  Status consume(std::string_view data) {
    while (!data.empty()) {
      if (ended_) return damaged("结束标记之后还有内容");
      if (left_ == 0 && fd_ < 0) {  // reading an entry's header line
        const size_t nl = data.find('\n');
        line_.append(data.substr(0, nl));
        if (line_.size() > 4096) return damaged("条目头过长");
        if (nl == std::string_view::npos) return {};
        data.remove_prefix(nl + 1);
        ANJIAN_TRY(begin_entry());
        line_.clear();
        continue;
      }
      const size_t n = static_cast<size_t>(std::min<std::uint64_t>(left_, data.size()));
      for (std::string_view part = data.substr(0, n); !part.empty();) {
        const ssize_t w = ::write(fd_, part.data(), part.size());
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return storage(std::string("写入失败：") + std::strerror(errno));
        part.remove_prefix(static_cast<size_t>(w));
      }
      data.remove_prefix(n);
      left_ -= n;
      if (left_ == 0) ANJIAN_TRY(end_entry());
    }
    return {};
  }
  Status begin_entry() {
    json::value v;
    try {
      v = json::parse(line_);
    } catch (...) {
      return damaged("条目头不是 JSON");
    }
    const auto* o = v.if_object();
    if (!o) return damaged("条目头不是对象");
    if (o->contains("end")) {
      const auto* n = o->if_contains("entries");
      if (!n || !n->is_int64() || static_cast<std::uint64_t>(n->as_int64()) != entries_) return damaged("条目数不符");
      ended_ = true;
      return {};
    }
    const auto* p = o->if_contains("path");
    const auto* s = o->if_contains("size");
    if (!p || !p->is_string() || !s || !(s->is_int64() || s->is_uint64())) return damaged("条目头缺少 path 或 size");
    const std::string path(p->as_string());
    // Only relative paths under the three folders: a crafted backup cannot write elsewhere.
    const fs::path rel(path);
    bool safe = !path.empty() && path.size() < 1024 && rel.is_relative() && path.find('\\') == std::string::npos &&
                path.find('\0') == std::string::npos;
    for (const auto& part : rel) safe = safe && part != ".." && part != "." && !part.empty();
    const std::string top = safe ? rel.begin()->string() : "";
    if (!safe || (top != "db" && top != "data" && top != "settings") || std::distance(rel.begin(), rel.end()) < 2)
      return damaged("条目路径不允许：" + path.substr(0, 200));
    if (has(path)) return damaged("条目重复：" + path.substr(0, 200));
    const fs::path dest = dir_ / destination(rel);
    std::error_code ec;
    fs::create_directories(dest.parent_path(), ec);
    fd_ = ::open(dest.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd_ < 0) return storage("无法写入 " + dest.string() + "：" + std::strerror(errno));
    paths_.push_back(path);
    written_.push_back(dest);
    left_ = s->is_int64() ? static_cast<std::uint64_t>(s->as_int64()) : s->as_uint64();
    ++entries_;
    if (left_ == 0) return end_entry();
    return {};
  }
  Status end_entry() {
    if (::fsync(fd_) != 0) return storage(std::string("同步失败：") + std::strerror(errno));
    ::close(fd_);
    fd_ = -1;
    return {};
  }
  // db/anjian.db → anjian.db; data/x → x; settings/anjian.toml → settings/anjian.toml.
  static fs::path destination(const fs::path& rel) {
    const std::string top = rel.begin()->string();
    if (top == "settings") return rel;
    return rel.lexically_relative(top);
  }

 public:
  std::vector<fs::path> written_;

 private:
  fs::path dir_;
  ZSTD_DCtx* z_;
  std::string out_, plain_, line_;
  std::optional<sm4::CbcStream> dec_;
  int fd_ = -1;
  std::uint64_t left_ = 0, entries_ = 0;
  bool ended_ = false;
  std::vector<std::string> paths_;
};
}  // namespace

Result<RestoreSummary> restore_backup(const std::string& file, const RestoreOptions& o) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error{"not_found", "找不到备份文件：" + file, ""};
  in.seekg(0, std::ios::end);
  const auto size = static_cast<std::uint64_t>(in.tellg());
  in.seekg(0);
  std::string magic(kMagic.size(), '\0');
  in.read(magic.data(), static_cast<std::streamsize>(magic.size()));
  if (!in || magic != kMagic) return damaged("不是 anjian 备份文件");
  std::string header_line;
  if (!std::getline(in, header_line) || header_line.size() > 4096) return damaged("文件头损坏");
  json::object header;
  try {
    header = json::parse(header_line).as_object();
  } catch (...) {
    return damaged("文件头损坏");
  }
  const std::uint64_t payload_at = kMagic.size() + header_line.size() + 1;
  if (size < payload_at + kTrailer) return damaged("文件不完整");
  const bool encrypted = header.contains("encrypted") && header.at("encrypted").is_bool() && header.at("encrypted").as_bool();
  std::string iv;
  if (encrypted) {
    if (!o.key) return Error{"invalid_argument", "备份已加密：须提供密钥（[backup] key_file 或 --key-file）", "key"};
    const auto* key_id = header.if_contains("key_id");
    if (key_id && key_id->is_string() && key_id->as_string() != o.key->id)
      return Error{"invalid_argument", "备份以密钥 " + std::string(key_id->as_string()) + " 加密，所给密钥为 " + o.key->id, "key"};
    auto raw = header.contains("iv") && header.at("iv").is_string() ? from_hex(header.at("iv").as_string()) : std::nullopt;
    if (!raw || raw->size() != 16) return damaged("文件头缺少初始向量");
    iv = *raw;
  }

  // The digest over everything before the trailer, before a single byte is written.
  std::string trailer(kTrailer, '\0');
  in.seekg(static_cast<std::streamoff>(size - kTrailer));
  in.read(trailer.data(), static_cast<std::streamsize>(kTrailer));
  if (!trailer.starts_with("\nSM3 ") || trailer.back() != '\n') return damaged("缺少校验值（文件被截断？）");
  {
    sm4::Sm3Stream digest(encrypted ? o.key->mac_key() : std::string());
    in.seekg(0);
    std::string buf(kChunk, '\0');
    for (std::uint64_t left = size - kTrailer; left > 0;) {
      in.read(buf.data(), static_cast<std::streamsize>(std::min<std::uint64_t>(left, kChunk)));
      const auto n = static_cast<std::uint64_t>(in.gcount());
      if (n == 0) return damaged("读取失败");
      digest.update(std::string_view(buf.data(), static_cast<size_t>(n)));
      left -= n;
    }
    if (!constant_time_equal(digest.hex(), trailer.substr(5, 64)))
      return damaged(encrypted ? "HMAC-SM3 校验不符（文件被改动或密钥不符）" : "SM3 校验不符（文件被改动或损坏）");
  }

  const fs::path dir = fs::absolute(o.data_dir);
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec))
    return Error{"conflict", "恢复目标目录不是空的：" + dir.string() + "（为免覆盖现有数据，请指定新目录）", "data"};
  fs::create_directories(dir, ec);
  if (ec) return storage("无法创建目录 " + dir.string() + "：" + ec.message());

  PayloadReader reader(dir, encrypted ? o.key : std::nullopt, iv);
  in.clear();
  in.seekg(static_cast<std::streamoff>(payload_at));
  std::string buf(kChunk, '\0');
  Status status;
  for (std::uint64_t left = size - kTrailer - payload_at; status.ok() && left > 0;) {
    in.read(buf.data(), static_cast<std::streamsize>(std::min<std::uint64_t>(left, kChunk)));
    const auto n = static_cast<std::uint64_t>(in.gcount());
    if (n == 0) {
      status = damaged("读取失败");
      break;
    }
    status = reader.feed(std::string_view(buf.data(), static_cast<size_t>(n)));
    left -= n;
  }
  if (status.ok()) status = reader.finish();
  if (!status.ok()) {
    // Half a restore is worse than none: what was written goes.
    for (const auto& p : reader.written_) fs::remove(p, ec);
    return status.error();
  }
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
    if (it->is_directory(ec)) files::sync_dir(it->path().string());
  files::sync_dir(dir.string());

  RestoreSummary summary;
  summary.entries = reader.entries();
  summary.backend = header.contains("backend") && header.at("backend").is_string() ? std::string(header.at("backend").as_string()) : "sqlite";
  summary.created_at = header.contains("created_at") && header.at("created_at").is_string() ? std::string(header.at("created_at").as_string()) : "";
  summary.settings_restored = reader.has("settings/anjian.toml");
  if (summary.backend == "postgres") {
    summary.database_file = (dir / "anjian.pgdump").string();
    if (o.db_url.starts_with("postgres")) {
      ANJIAN_TRY(run_program({"pg_restore", "--no-owner", "--exit-on-error", "--single-transaction", "--dbname", o.db_url, summary.database_file}));
      fs::remove(summary.database_file, ec);
      summary.database_file.clear();
    }
  } else {
    summary.database_file = (dir / "anjian.db").string();
  }
  return summary;
}

}  // namespace anjian::app
