#pragma once
// What a file's bytes say it is (its magic bytes), whatever its name or its sender claims: the
// evidence file store takes photos and PDFs only, and an .exe named .jpg is not a photo.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace anjian {

struct FileType {
  std::string_view mime;                     // image/jpeg …
  std::vector<std::string_view> extensions;  // without the dot, lower case; the first is the usual one
  std::string_view label;                    // 照片 / PDF 文件, for messages
};

// The types the store takes: JPEG, PNG, WebP, HEIC (a phone's camera) and PDF.
const std::vector<FileType>& evidence_types();
// The type of these bytes, or nullopt when they are none of evidence_types().
const FileType* sniff_file_type(std::string_view bytes);
// A file name's extension, lower case, without the dot ("IMG_1.JPG" → "jpg"; "" when none).
std::string extension_of(std::string_view name);
// A name safe to keep and to send back: the last path component (no / or \), no control
// characters or quotes, at most 120 bytes of whole UTF-8 characters; "" when nothing is left.
std::string safe_file_name(std::string_view name);

}  // namespace anjian
