#include "files/durable_file.h"

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
}  // namespace

bool sync_dir(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

Status write_file_durably(const std::string& path, std::string_view bytes, unsigned mode, IfExists if_exists) {
  const fs::path final_path(path);
  const fs::path folder = final_path.has_parent_path() ? final_path.parent_path() : fs::path(".");
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) return disk("无法创建目录");
  const fs::path temp = folder / (".tmp-" + random_hex(8));
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
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
  if (if_exists == IfExists::keep) {
    // link refuses an existing name: a file already there is never replaced.
    const int linked = ::link(temp.c_str(), final_path.c_str());
    const int link_errno = errno;
    ::unlink(temp.c_str());
    if (linked != 0 && link_errno != EEXIST) {
      errno = link_errno;
      return disk("无法保存");
    }
  } else if (::rename(temp.c_str(), final_path.c_str()) != 0) {
    const int rename_errno = errno;
    ::unlink(temp.c_str());
    errno = rename_errno;
    return disk("无法保存");
  }
  if (!sync_dir(folder.string())) return disk("无法同步目录");
  return {};
}

Result<std::string> read_whole_file(const std::string& path, size_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT ? Result<std::string>(Error{"not_found", "文件不存在：" + path, ""}) : Result<std::string>(disk("无法读取"));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || static_cast<size_t>(st.st_size) > max_bytes) {
    ::close(fd);
    return disk("无法读取或文件过大");
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
