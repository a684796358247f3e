#include <filesystem>

#include "db/database.h"
#include "db/open_internal.h"

namespace anjian::db {

Result<std::unique_ptr<Database>> open_database(std::string_view url, const StorageOptions& options) {
  if (url.starts_with("sqlite:")) {
    std::string path(url.substr(7));
    if (path.starts_with("//")) path = path.substr(2);
    if (path.empty()) return Error{"invalid_config", "SQLite 数据库路径为空", "db"};
    std::error_code ec;
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    return open_sqlite(path, options);
  }
  if (url.starts_with("postgres://") || url.starts_with("postgresql://"))
    return open_postgres(std::string(url), options);
  return Error{"invalid_config", "不支持的数据库地址（应以 sqlite: 或 postgres:// 开头）", "db"};
}

}  // namespace anjian::db
