#include "docs/xlsx_table.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace anjian::docs {

namespace {
// Display width in Excel's character units: a CJK character is two.
double width_of(const std::string& text) {
  double w = 0;
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    w += len >= 3 ? 2 : 1;
    i += len;
  }
  return w;
}
}  // namespace

Result<std::string> write_xlsx(const XlsxTable& table) { return write_xlsx(std::vector<XlsxTable>{table}); }

Result<std::string> write_xlsx(const std::vector<XlsxTable>& tables) {
  // libxlsxwriter 1.1.4 (Debian 12) writes to a file only: a private temporary one.
  std::string path = (std::filesystem::temp_directory_path() / "anjian-xlsx.XXXXXX").string();
  const int fd = mkstemp(path.data());
  if (fd < 0) return Error{"internal", "无法创建临时文件", ""};
  close(fd);
  struct Remove {
    std::string p;
    ~Remove() { std::filesystem::remove(p); }
  } remove{path};

  lxw_workbook* wb = workbook_new(path.c_str());
  if (!wb) return Error{"internal", "无法生成 XLSX", ""};
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  lxw_format* percent = workbook_add_format(wb);
  format_set_num_format(percent, "0.0%");
  for (const XlsxTable& table : tables) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, table.sheet.c_str());
    std::vector<double> widths(table.headers.size(), 8);
    for (size_t c = 0; c < table.headers.size(); ++c) {
      worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), table.headers[c].c_str(), bold);
      widths[c] = std::max(widths[c], width_of(table.headers[c]));
    }
    for (size_t r = 0; r < table.rows.size(); ++r) {
      const auto& row = table.rows[r];
      for (size_t c = 0; c < row.size() && c < widths.size(); ++c) {
        const char kind = c < table.kinds.size() ? table.kinds[c] : 't';
        double number = 0;
        const auto [end, ec] = std::from_chars(row[c].data(), row[c].data() + row[c].size(), number);
        if (kind != 't' && !row[c].empty() && ec == std::errc() && end == row[c].data() + row[c].size())
          worksheet_write_number(ws, static_cast<lxw_row_t>(r + 1), static_cast<lxw_col_t>(c), number, kind == 'p' ? percent : nullptr);
        else
          worksheet_write_string(ws, static_cast<lxw_row_t>(r + 1), static_cast<lxw_col_t>(c), row[c].c_str(), nullptr);
        widths[c] = std::max(widths[c], std::min(60.0, width_of(row[c])));
      }
    }
    for (size_t c = 0; c < widths.size(); ++c)
      worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), widths[c] + 2, nullptr);
    worksheet_freeze_panes(ws, 1, 0);
  }
  if (workbook_close(wb) != LXW_NO_ERROR) return Error{"internal", "无法生成 XLSX", ""};
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace anjian::docs
