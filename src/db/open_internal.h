#pragma once
// Driver entry points used by open_database().
#include <memory>
#include <string>

#include "db/database.h"

namespace anjian::db {
Result<std::unique_ptr<Database>> open_sqlite(const std::string& path, const StorageOptions& options);
Result<std::unique_ptr<Database>> open_postgres(const std::string& url, const StorageOptions& options);
}  // namespace anjian::db
