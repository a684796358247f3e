#pragma once
// Files that must survive a crash once written: whole or absent, synced with their directory
// entry. The one way the program writes such files (the evidence store's blobs, the node's key,
// exchange batches handed to a 网闸's folder).
#include <string>
#include <string_view>

#include "base/result.h"

namespace anjian::files {

enum class IfExists { keep, replace };

// Writes `bytes` to a temporary name in `path`'s folder (created if missing), syncs it, then puts
// it at `path` — linked (an existing file is kept: IfExists::keep) or renamed over it — and syncs
// the folder. A reader never sees half a file. Errors: storage_error with the reason.
Status write_file_durably(const std::string& path, std::string_view bytes, unsigned mode = 0640,
                          IfExists if_exists = IfExists::replace);

// The whole file; not_found when absent; storage_error when unreadable or over `max_bytes`.
Result<std::string> read_whole_file(const std::string& path, size_t max_bytes = 1ull << 31);

// Syncs a folder so that names created, renamed or removed in it are durable.
bool sync_dir(const std::string& dir);

}  // namespace anjian::files
