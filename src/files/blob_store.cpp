#include "files/blob_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "base/crypto.h"

namespace anjian::files {
namespace fs = std::filesystem;

namespace {
Error disk(const std::string& what) { return Error{"storage_error", "文件存储失败：" + what + "（" + std::strerror(errno) + "）", ""}; }

bool is_sha256(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// A directory's entries are durable only once the directory itself is synced.
bool sync_dir(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
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
  fs::create_directories(final_path.parent_path(), ec);
  if (ec) return disk("无法创建目录");
  // Written whole to a temporary name, synced, then linked into place: a reader never sees half a
  // file, and a file already there is never replaced (link refuses an existing name).
  const fs::path temp = final_path.parent_path() / (".tmp-" + random_hex(8));
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return disk("无法写入");
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      ::unlink(temp.c_str());
      return disk("写入中断");
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    ::close(fd);
    ::unlink(temp.c_str());
    return disk("无法同步到磁盘");
  }
  ::close(fd);
  const int linked = ::link(temp.c_str(), final_path.c_str());
  const int link_errno = errno;
  ::unlink(temp.c_str());
  if (linked != 0 && link_errno != EEXIST) {
    errno = link_errno;
    return disk("无法保存");
  }
  if (!sync_dir(final_path.parent_path())) return disk("无法同步目录");
  return b;
}

Result<std::string> BlobStore::get(std::string_view sha256) const {
  if (!is_sha256(sha256)) return Error{"not_found", "文件不存在", ""};
  const std::string path = path_of(sha256);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT ? Result<std::string>(Error{"not_found", "文件不存在", ""}) : Result<std::string>(disk("无法读取"));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return disk("无法读取");
  }
  std::string out(static_cast<size_t>(st.st_size), '\0');
  size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::read(fd, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  if (done != out.size()) return disk("读取不完整");
  return out;
}

}  // namespace anjian::files
