#pragma once
// How large an evidence file may be ([files] max_mb in the config file).
#include <cstddef>

namespace anjian::files {
struct FileLimits {
  size_t max_bytes = 20 * 1024 * 1024;
};
}  // namespace anjian::files
