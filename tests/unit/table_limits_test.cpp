// Tables from outside within their limits: crafted XLSX files (a cell at column XFD on every row,
// many rows, one shared string in every cell, a deflate bomb) and CSV files (wide rows, many rows)
// are refused while they are read, and the memory the reading took stays small.
#include <gtest/gtest.h>

#include <minizip/zip.h>
#include <sys/resource.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "base/table_file.h"
#include "base/xlsx.h"

using namespace anjian;

namespace {
// A ZIP archive whose members are written by functions (so that a bomb is never held whole).
using Writer = std::function<void(const std::function<void(const std::string&)>&)>;
std::string zip_of(const std::vector<std::pair<std::string, Writer>>& members) {
  const std::string path = (std::filesystem::temp_directory_path() / ("anjian-limits-" + std::to_string(::getpid()) + ".xlsx")).string();
  zipFile z = zipOpen64(path.c_str(), APPEND_STATUS_CREATE);
  for (const auto& [name, write] : members) {
    zip_fileinfo info{};
    zipOpenNewFileInZip64(z, name.c_str(), &info, nullptr, 0, nullptr, 0, nullptr, Z_DEFLATED, 9, 1);
    write([&](const std::string& chunk) { zipWriteInFileInZip(z, chunk.data(), static_cast<unsigned>(chunk.size())); });
    zipCloseFileInZip(z);
  }
  zipClose(z, nullptr);
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::filesystem::remove(path);
  return ss.str();
}
Writer text(std::string s) {
  return [s](const auto& put) { put(s); };
}
const char* kSheetHead = R"(<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)";
const char* kSheetTail = "</sheetData></worksheet>";

long peak_kb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}
// The file is refused with file_too_large naming `limit`, and reading it grew the peak memory of
// the process by less than 100 MB.
void expect_refused(std::string_view bytes, const TableLimits& limits, const std::string& limit) {
  const long before = peak_kb();
  auto r = read_table(bytes, limits);
  const long grown_mb = (peak_kb() - before) / 1024;
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "file_too_large") << r.error().message;
  EXPECT_NE(r.error().message.find(limit), std::string::npos) << r.error().message;
#if defined(__SANITIZE_ADDRESS__)
  (void)grown_mb;  // AddressSanitizer pads and quarantines every allocation: memory is measured without it
#else
  EXPECT_LT(grown_mb, 100) << "peak memory grew by " << grown_mb << " MB for a " << bytes.size() << "-byte file";
#endif
}
}  // namespace

TEST(TableLimits, ACellAtColumnXfdOnEveryRowIsRefusedBeforeItsColumnsAreMade) {
  // The audit's file: 1,000 rows (here 20,000), each with one cell at XFD (column 16,384).
  const std::string file = zip_of({{"xl/worksheets/sheet1.xml", [](const auto& put) {
                                      put(kSheetHead);
                                      for (int r = 1; r <= 20000; ++r)
                                        put("<row r=\"" + std::to_string(r) + "\"><c r=\"XFD" + std::to_string(r) + "\" t=\"inlineStr\"><is><t>x</t></is></c></row>");
                                      put(kSheetTail);
                                    }}});
  EXPECT_LT(file.size(), 200'000u);
  expect_refused(file, import_limits(file.size(), 1'000'001, 20 + kExtraColumns), "列");
}

TEST(TableLimits, MoreRowsThanTheImportTakesAreRefusedAsTheyCome) {
  const std::string file = zip_of({{"xl/worksheets/sheet1.xml", [](const auto& put) {
                                      put(kSheetHead);
                                      for (int r = 1; r <= 300000; ++r) put("<row r=\"" + std::to_string(r) + "\"><c r=\"A" + std::to_string(r) + "\"><v>1</v></c></row>");
                                      put(kSheetTail);
                                    }}});
  expect_refused(file, import_limits(file.size(), 100'001, 84), "100000 行");
}

TEST(TableLimits, OneSharedStringInEveryCellIsCountedEachTime) {
  const std::string big(100'000, 'a');
  const std::string file = zip_of({{"xl/sharedStrings.xml", text(std::string("<sst><si><t>") + big + "</t></si></sst>")},
                                   {"xl/worksheets/sheet1.xml", [](const auto& put) {
                                      put(kSheetHead);
                                      for (int r = 1; r <= 20000; ++r) {
                                        std::string row = "<row r=\"" + std::to_string(r) + "\">";
                                        for (char col : std::string("ABCDEFGHIJ")) row += std::string("<c r=\"") + col + std::to_string(r) + "\" t=\"s\"><v>0</v></c>";
                                        put(row + "</row>");
                                      }
                                      put(kSheetTail);
                                    }}});
  expect_refused(file, import_limits(file.size(), 1'000'001, 84), "MB");
}

TEST(TableLimits, ADeflateBombIsStoppedOnceItUnpacksPastTheLimit) {
  // 96 MB of blank space inside the sheet compresses to about 100 KB.
  const std::string file = zip_of({{"xl/worksheets/sheet1.xml", [](const auto& put) {
                                      put(kSheetHead);
                                      const std::string blank(1 << 20, ' ');
                                      for (int i = 0; i < 96; ++i) put(blank);
                                      put(kSheetTail);
                                    }}});
  EXPECT_LT(file.size(), 1'000'000u);
  TableLimits limits = import_limits(file.size(), 1'000'001, 84);
  limits.max_unpacked = 64 * 1024 * 1024;
  expect_refused(file, limits, "解压后超过 64 MB");
}

TEST(TableLimits, CsvHasTheSameLimits) {
  std::string wide = "a";
  for (int i = 0; i < 200000; ++i) wide += ',';
  expect_refused(wide, import_limits(wide.size(), 1'000'001, 84), "列");
  std::string tall;
  for (int i = 0; i < 200000; ++i) tall += "x\n";
  expect_refused(tall, import_limits(tall.size(), 1001, 84), "1000 行");
  // Commas only: every byte a field — more memory than 16 times the file allows.
  std::string commas;
  for (int r = 0; r < 20000; ++r) commas += std::string(80, ',') + "\n";
  expect_refused(commas, import_limits(commas.size(), 1'000'001, 84), "MB");
}

TEST(TableLimits, AnOrdinaryFileStaysWithinThem) {
  std::string csv = "统一社会信用代码,企业名称\n";
  for (int i = 0; i < 1000; ++i) csv += "91330106MA2H3K8L4A,杭州某某化工有限公司" + std::to_string(i) + "\n";
  auto r = read_table(csv, import_limits(csv.size(), 1'000'001, 84));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->size(), 1001u);
  const std::string file = zip_of({{"xl/sharedStrings.xml", text("<sst><si><t>名称</t></si><si><t>甲公司</t></si></sst>")},
                                   {"xl/worksheets/sheet1.xml", text(std::string(kSheetHead) +
                                                                     R"(<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c><c r="C2"><v>35.5</v></c></row>)" +
                                                                     kSheetTail)}});
  auto x = read_table(file, import_limits(file.size(), 1'000'001, 84));
  ASSERT_TRUE(x.ok()) << x.error().message;
  ASSERT_EQ(x->size(), 2u);
  EXPECT_EQ((*x)[1].fields[0], "甲公司");
  EXPECT_EQ((*x)[1].fields[2], "35.5");
}
