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

Error too_large(const std::string& why) {
  return Error{"file_too_large", "文件超过导入上限：" + why, "file"};
}

struct Closer {
  void operator()(XML_Parser p) const { XML_ParserFree(p); }
};
using Parser = std::unique_ptr<std::remove_pointer_t<XML_Parser>, Closer>;

// Feeds one member of the archive to `parser` as it is unpacked, never holding it whole; an
// absent member is found = false. `unpacked` counts the bytes of every member read against the
// limit (a deflate bomb is stopped the moment it passes it). `stopped` says why the handlers
// stopped the parser, if they did.
Status parse_member(unzFile zip, const char* name, XML_Parser parser, size_t& unpacked, size_t max_unpacked, bool& found,
                    const std::string& stopped) {
  found = false;
  if (unzLocateFile(zip, name, 0) != UNZ_OK) return {};
  unz_file_info64 info;
  if (unzGetCurrentFileInfo64(zip, &info, nullptr, 0, nullptr, 0, nullptr, 0) != UNZ_OK) return bad(name);
  auto limit = [&] { return too_large("解压后超过 " + std::to_string(max_unpacked / (1024 * 1024)) + " MB"); };
  if (info.uncompressed_size > max_unpacked - std::min(unpacked, max_unpacked)) return limit();
  if (unzOpenCurrentFile(zip) != UNZ_OK) return bad(name);
  std::unique_ptr<void, int (*)(unzFile)> closing(zip, unzCloseCurrentFile);
  char buf[65536];
  int n;
  while ((n = unzReadCurrentFile(zip, buf, sizeof buf)) > 0) {
    unpacked += static_cast<size_t>(n);
    if (unpacked > max_unpacked) return limit();  // the size the archive claimed was a lie
    if (XML_Parse(parser, buf, n, 0) == XML_STATUS_ERROR) {
      if (!stopped.empty()) return too_large(stopped);
      return bad(std::string(name) + "：" + XML_ErrorString(XML_GetErrorCode(parser)));
    }
  }
  if (n < 0) return bad(name);
  if (XML_Parse(parser, buf, 0, 1) == XML_STATUS_ERROR) {
    if (!stopped.empty()) return too_large(stopped);
    return bad(std::string(name) + "：" + XML_ErrorString(XML_GetErrorCode(parser)));
  }
  found = true;
  return {};
}

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
  XML_Parser parser = nullptr;
  size_t memory = 0, max_memory = SIZE_MAX;
  std::string stopped;  // why the parser was stopped: a limit passed
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
  XML_Parser parser = nullptr;
  const TableLimits* limits = nullptr;
  size_t memory = 0;    // of the rows and their texts (csv.h's text_memory), shared strings included
  std::string stopped;  // why the parser was stopped: a limit passed
  void stop(std::string why) {
    if (stopped.empty()) stopped = std::move(why);
    XML_StopParser(parser, XML_FALSE);
  }
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

Result<std::vector<CsvRecord>> read_xlsx_first_sheet(std::string_view bytes, const TableLimits& limits) {
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
  size_t unpacked = 0;
  SharedStrings ss;
  ss.max_memory = limits.max_memory;
  {
    Parser p(XML_ParserCreate("UTF-8"));
    ss.parser = p.get();
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
          if (!std::strcmp(n, "si")) {
            s->memory += text_memory(s->current);
            const size_t before = s->items.capacity();
            s->items.push_back(std::move(s->current));
            s->memory += (s->items.capacity() - before) * sizeof(std::string);
            s->in_si = false;
            if (s->memory > s->max_memory) {
              s->stopped = "共享字符串展开后超过 " + std::to_string(s->max_memory / (1024 * 1024)) + " MB";
              XML_StopParser(s->parser, XML_FALSE);
            }
          }
          else if (!std::strcmp(n, "rPh")) --s->phonetic;
          else if (!std::strcmp(n, "t")) s->in_t = false;
        });
    XML_SetCharacterDataHandler(p.get(), [](void* u, const char* text, int len) {
      auto* s = static_cast<SharedStrings*>(u);
      if (s->in_t) s->current.append(text, static_cast<size_t>(len));
      if (s->current.size() > s->max_memory && s->stopped.empty()) {  // one string larger than every limit
        s->stopped = "单个文本超过 " + std::to_string(s->max_memory / (1024 * 1024)) + " MB";
        XML_StopParser(s->parser, XML_FALSE);
      }
    });
    ANJIAN_TRY(parse_member(zip, "xl/sharedStrings.xml", p.get(), unpacked, limits.max_unpacked, found, ss.stopped));
  }

  Sheet sh;
  sh.shared = &ss.items;
  sh.limits = &limits;
  sh.memory = ss.memory;  // the shared strings are held while the sheet is read
  Parser p(XML_ParserCreate("UTF-8"));
  sh.parser = p.get();
  XML_SetUserData(p.get(), &sh);
  XML_SetElementHandler(
      p.get(),
      [](void* u, const char* name, const char** atts) {
        auto* s = static_cast<Sheet*>(u);
        const char* n = local_name(name);
        if (!std::strcmp(n, "row")) {
          if (s->rows.size() >= s->limits->max_records)
            return s->stop("超过 " + std::to_string(s->limits->max_records - 1) + " 行");
          const size_t before = s->rows.capacity();
          CsvRecord r;
          const char* ref = attr(atts, "r");
          r.line = ref ? static_cast<size_t>(std::strtoul(ref, nullptr, 10)) : s->next_row;
          s->next_row = r.line + 1;
          s->rows.push_back(std::move(r));
          s->memory += (s->rows.capacity() - before) * sizeof(CsvRecord);
        } else if (!std::strcmp(n, "c") && !s->rows.empty()) {
          const char* t = attr(atts, "t");
          s->type = t ? t : "n";
          s->column = column_of(attr(atts, "r"), s->rows.back().fields.size());
          s->text.clear();
          // The highest column, before a field is made for it (a cell at XFD made 16,384 of them).
          if (s->column >= s->limits->max_fields)
            return s->stop("第 " + std::to_string(s->rows.back().line) + " 行超过 " + std::to_string(s->limits->max_fields) + " 列");
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
          auto& fields = s->rows.back().fields;
          if (fields.size() <= s->column) {
            const size_t before = fields.capacity();
            fields.resize(s->column + 1);
            s->memory += (fields.capacity() - before) * sizeof(std::string);
          }
          s->memory += text_memory(value);
          fields[s->column] = std::move(value);
          // Every cell counted as it is made: a shared string used by every cell is copied each time.
          if (s->memory > s->limits->max_memory)
            return s->stop("内容展开后超过 " + std::to_string(s->limits->max_memory / (1024 * 1024)) + " MB");
        }
      });
  XML_SetCharacterDataHandler(p.get(), [](void* u, const char* text, int len) {
    auto* s = static_cast<Sheet*>(u);
    if (s->in_value) s->text.append(text, static_cast<size_t>(len));
    if (s->text.size() > s->limits->max_memory && s->stopped.empty())
      s->stop("单个单元格超过 " + std::to_string(s->limits->max_memory / (1024 * 1024)) + " MB");
  });
  ANJIAN_TRY(parse_member(zip, "xl/worksheets/sheet1.xml", p.get(), unpacked, limits.max_unpacked, found, sh.stopped));
  if (!found) return bad("找不到第一个工作表");
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
