#include "base/file_type.h"

#include <algorithm>

#include "base/text.h"

namespace anjian {

const std::vector<FileType>& evidence_types() {
  static const std::vector<FileType> types = {
      {"image/jpeg", {"jpg", "jpeg"}, "JPEG 照片"},
      {"image/png", {"png"}, "PNG 图片"},
      {"image/webp", {"webp"}, "WebP 图片"},
      {"image/heic", {"heic", "heif"}, "HEIC 照片"},
      {"application/pdf", {"pdf"}, "PDF 文件"},
  };
  return types;
}

const FileType* sniff_file_type(std::string_view b) {
  auto type = [](std::string_view mime) {
    for (const auto& t : evidence_types())
      if (t.mime == mime) return &t;
    return static_cast<const FileType*>(nullptr);
  };
  if (b.starts_with("\xFF\xD8\xFF")) return type("image/jpeg");
  if (b.starts_with(std::string_view("\x89PNG\r\n\x1A\n", 8))) return type("image/png");
  if (b.size() >= 12 && b.starts_with("RIFF") && b.substr(8, 4) == "WEBP") return type("image/webp");
  // ISO base media: size (4 bytes), "ftyp", then the major brand.
  if (b.size() >= 12 && b.substr(4, 4) == "ftyp") {
    const std::string_view brand = b.substr(8, 4);
    if (brand == "heic" || brand == "heix" || brand == "mif1" || brand == "msf1" || brand == "heim" || brand == "heis")
      return type("image/heic");
  }
  if (b.starts_with("%PDF-")) return type("application/pdf");
  return nullptr;
}

std::string extension_of(std::string_view name) {
  const auto slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name = name.substr(slash + 1);
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == name.size()) return "";
  std::string ext(name.substr(dot + 1));
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

std::string safe_file_name(std::string_view name) {
  const auto slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name = name.substr(slash + 1);
  std::string out;
  for (char32_t cp : code_points(name)) {
    if (cp < 0x20 || cp == 0x7F || cp == '"' || cp == '\'' || cp == '`' || cp == '<' || cp == '>' || cp == ':' || cp == '*' ||
        cp == '?' || cp == '|')
      continue;
    const std::string piece = to_utf8(cp);
    if (out.size() + piece.size() > 120) break;
    out += piece;
  }
  // Nothing but dots ("..", "...") names no file.
  if (std::all_of(out.begin(), out.end(), [](char c) { return c == '.' || c == ' '; })) return "";
  return out;
}

}  // namespace anjian
