#include "base/xlsx.h"

#include <expat.h>
#include <minizip/unzip.h>

#include <cstring>
#include <memory>
#include <string>

#include "base/time.h"

namespace anjian {
namespace {

// minizip reads through these callbacks from a buffer in memory.
struct MemoryFile {
  std::string_view data;
  ZPOS64_T pos = 0;
};

voidpf mem_open(voidpf opaque, const void*, int) { return opaque; }
uLong mem_read(voidpf, voidpf stream, void* buf, uLong size) {
  auto* f = static_cast<MemoryFile*>(stream);
  const ZPOS64_T left = f->data.size() > f->pos ? f->data.size() - f->pos : 0;
  const uLong n = static_cast<uLong>(std::min<ZPOS64_T>(size, left));
  std::memcpy(buf, f->data.data() + f->pos, n);
  f->pos += n;
  return n;
}
uLong mem_write(voidpf, voidpf, const void*, uLong) { return 0; }
ZPOS64_T mem_tell(voidpf, voidpf stream) { return static_cast<MemoryFile*>(stream)->pos; }
long mem_seek(voidpf, voidpf stream, ZPOS64_T offset, int origin) {
  auto* f = static_cast<MemoryFile*>(stream);
  ZPOS64_T base = origin == ZLIB_FILEFUNC_SEEK_SET ? 0 : origin == ZLIB_FILEFUNC_SEEK_CUR ? f->pos : f->data.size();
  if (base + offset > f->data.size()) return -1;
  f->pos = base + offset;
  return 0;
}
int mem_close(voidpf, voidpf) { return 0; }
int mem_error(voidpf, voidpf) { return 0; }

Error bad(std::string why) { return Error{"invalid_xlsx", "XLSX 文件无法读取：" + why, "file"}; }

// Reads one member of the archive; an absent member is "" with found = false.
Result<std::string> read_member(unzFile zip, const char* name, bool& found) {
  found = false;
  if (unzLocateFile(zip, name, 0) != UNZ_OK) return std::string();
  unz_file_info64 info;
  if (unzGetCurrentFileInfo64(zip, &info, nullptr, 0, nullptr, 0, nullptr, 0) != UNZ_OK) return bad(name);
  // A zip bomb would claim (or inflate to) far more than any enterprise list needs.
  constexpr ZPOS64_T kMax = 512ULL * 1024 * 1024;
  if (info.uncompressed_size > kMax) return bad(std::string(name) + " 过大");
  if (unzOpenCurrentFile(zip) != UNZ_OK) return bad(name);
  std::string out;
  char buf[65536];
  int n;
  while ((n = unzReadCurrentFile(zip, buf, sizeof buf)) > 0) {
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > kMax) break;
  }
  unzCloseCurrentFile(zip);
  if (n < 0 || out.size() > kMax) return bad(name);
  found = true;
  return out;
}

struct Closer {
  void operator()(XML_Parser p) const { XML_ParserFree(p); }
};
using Parser = std::unique_ptr<std::remove_pointer_t<XML_Parser>, Closer>;

const char* local_name(const char* name) {
  const char* colon = std::strrchr(name, ':');
  return colon ? colon + 1 : name;
}
const char* attr(const char** atts, const char* key) {
  for (int i = 0; atts[i]; i += 2)
    if (std::strcmp(local_name(atts[i]), key) == 0) return atts[i + 1];
  return nullptr;
}

// sharedStrings.xml: <si> holds <t> directly or inside runs <r><t>; phonetic <rPh> is skipped.
struct SharedStrings {
  std::vector<std::string> items;
  std::string current;
  bool in_si = false, in_t = false;
  int phonetic = 0;
};

// sheet1.xml: rows of cells; <v> holds the value, t="s" means an index into shared strings.
struct Sheet {
  const std::vector<std::string>* shared = nullptr;
  std::vector<CsvRecord> rows;
  std::string type, text;
  size_t column = 0;
  bool in_value = false, in_inline = false;
  size_t next_row = 1;
  std::string error;
};

size_t column_of(const char* ref, size_t fallback) {
  if (!ref) return fallback;
  size_t col = 0;
  for (const char* p = ref; *p >= 'A' && *p <= 'Z'; ++p) col = col * 26 + static_cast<size_t>(*p - 'A' + 1);
  return col == 0 ? fallback : col - 1;
}
}  // namespace

bool looks_like_zip(std::string_view bytes) { return bytes.size() >= 4 && bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4); }

std::string excel_serial_to_date(std::string_view serial) {
  double d = 0;
  try {
    size_t used = 0;
    d = std::stod(std::string(serial), &used);
    if (used != serial.size()) return "";
  } catch (...) {
    return "";
  }
  // 25569 is 1970-01-01; before 1900-03-01 Excel counts a day (1900-02-29) that never was.
  if (d < 61 || d > 2958465) return "";
  return format_date(static_cast<std::int64_t>(d) - 25569);
}

Result<std::vector<CsvRecord>> read_xlsx_first_sheet(std::string_view bytes) {
  MemoryFile file{bytes, 0};
  zlib_filefunc64_def io{};
  io.zopen64_file = mem_open;
  io.zread_file = mem_read;
  io.zwrite_file = mem_write;
  io.ztell64_file = mem_tell;
  io.zseek64_file = mem_seek;
  io.zclose_file = mem_close;
  io.zerror_file = mem_error;
  io.opaque = &file;
  unzFile zip = unzOpen2_64("memory", &io);
  if (!zip) return bad("不是有效的 ZIP 压缩包");
  std::unique_ptr<void, int (*)(unzFile)> guard(zip, unzClose);

  bool found = false;
  auto strings_xml = read_member(zip, "xl/sharedStrings.xml", found);
  if (!strings_xml.ok()) return strings_xml.take_error();
  SharedStrings ss;
  if (found) {
    Parser p(XML_ParserCreate("UTF-8"));
    XML_SetUserData(p.get(), &ss);
    XML_SetElementHandler(
        p.get(),
        [](void* u, const char* name, const char**) {
          auto* s = static_cast<SharedStrings*>(u);
          const char* n = local_name(name);
          if (!std::strcmp(n, "si")) { s->in_si = true; s->current.clear(); }
          else if (!std::strcmp(n, "rPh")) ++s->phonetic;
          else if (!std::strcmp(n, "t") && s->in_si && !s->phonetic) s->in_t = true;
        },
        [](void* u, const char* name) {
          auto* s = static_cast<SharedStrings*>(u);
          const char* n = local_name(name);
          if (!std::strcmp(n, "si")) { s->items.push_back(std::move(s->current)); s->in_si = false; }
          else if (!std::strcmp(n, "rPh")) --s->phonetic;
          else if (!std::strcmp(n, "t")) s->in_t = false;
        });
    XML_SetCharacterDataHandler(p.get(), [](void* u, const char* text, int len) {
      auto* s = static_cast<SharedStrings*>(u);
      if (s->in_t) s->current.append(text, static_cast<size_t>(len));
    });
    if (XML_Parse(p.get(), strings_xml->data(), static_cast<int>(strings_xml->size()), 1) == XML_STATUS_ERROR)
      return bad(std::string("sharedStrings.xml: ") + XML_ErrorString(XML_GetErrorCode(p.get())));
  }

  auto sheet_xml = read_member(zip, "xl/worksheets/sheet1.xml", found);
  if (!sheet_xml.ok()) return sheet_xml.take_error();
  if (!found) return bad("找不到第一个工作表");
  Sheet sh;
  sh.shared = &ss.items;
  Parser p(XML_ParserCreate("UTF-8"));
  XML_SetUserData(p.get(), &sh);
  XML_SetElementHandler(
      p.get(),
      [](void* u, const char* name, const char** atts) {
        auto* s = static_cast<Sheet*>(u);
        const char* n = local_name(name);
        if (!std::strcmp(n, "row")) {
          CsvRecord r;
          const char* ref = attr(atts, "r");
          r.line = ref ? static_cast<size_t>(std::strtoul(ref, nullptr, 10)) : s->next_row;
          s->next_row = r.line + 1;
          s->rows.push_back(std::move(r));
        } else if (!std::strcmp(n, "c") && !s->rows.empty()) {
          const char* t = attr(atts, "t");
          s->type = t ? t : "n";
          s->column = column_of(attr(atts, "r"), s->rows.back().fields.size());
          s->text.clear();
        } else if (!std::strcmp(n, "v")) {
          s->in_value = true;
        } else if (!std::strcmp(n, "is")) {
          s->in_inline = true;
        } else if (!std::strcmp(n, "t") && s->in_inline) {
          s->in_value = true;
        }
      },
      [](void* u, const char* name) {
        auto* s = static_cast<Sheet*>(u);
        const char* n = local_name(name);
        if (!std::strcmp(n, "v") || (!std::strcmp(n, "t") && s->in_inline)) {
          s->in_value = false;
        } else if (!std::strcmp(n, "is")) {
          s->in_inline = false;
        } else if (!std::strcmp(n, "c") && !s->rows.empty()) {
          std::string value = s->text;
          if (s->type == "s") {
            char* end = nullptr;
            unsigned long i = std::strtoul(value.c_str(), &end, 10);
            if (end == value.c_str() || i >= s->shared->size()) {
              s->error = "共享字符串索引越界";
              value.clear();
            } else {
              value = (*s->shared)[i];
            }
          } else if (s->type == "b") {
            value = value == "1" ? "TRUE" : "FALSE";
          }
          if (s->column > 16384) return;  // Excel's own column limit; beyond it is not a sheet
          auto& fields = s->rows.back().fields;
          if (fields.size() <= s->column) fields.resize(s->column + 1);
          fields[s->column] = std::move(value);
        }
      });
  XML_SetCharacterDataHandler(p.get(), [](void* u, const char* text, int len) {
    auto* s = static_cast<Sheet*>(u);
    if (s->in_value) s->text.append(text, static_cast<size_t>(len));
  });
  if (XML_Parse(p.get(), sheet_xml->data(), static_cast<int>(sheet_xml->size()), 1) == XML_STATUS_ERROR)
    return bad(std::string("sheet1.xml: ") + XML_ErrorString(XML_GetErrorCode(p.get())));
  if (!sh.error.empty()) return bad(sh.error);
  // Rows with no cell at all are blank lines.
  std::vector<CsvRecord> out;
  for (auto& r : sh.rows) {
    bool any = false;
    for (const auto& f : r.fields) any = any || !f.empty();
    if (any) out.push_back(std::move(r));
  }
  return out;
}

}  // namespace anjian
