#pragma once
// Whole-buffer zstd (libzstd): exchange batches and audit archives. Level 3 and the frame's own
// checksum, so that a damaged file fails to decompress rather than decompressing to other bytes.
#include <optional>
#include <string>
#include <string_view>

namespace anjian {

std::string zstd_compress(std::string_view raw);
// The frame's content, or nothing when it is not one whole frame, fails its checksum, or would
// be larger than `max_bytes` (a small file must not claim gigabytes).
std::optional<std::string> zstd_decompress(std::string_view compressed, size_t max_bytes);

}  // namespace anjian
