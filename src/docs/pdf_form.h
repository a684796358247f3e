#pragma once
// An official form as PDF (A4, the layout of the unified 行政执法文书: the issuer, the title, the
// 文号, a table of fields, paragraphs, the rights notice, the people with their 证号, signature
// lines and the seal box), drawn with Pango on a cairo PDF surface in a CJK serif font
// (fonts-noto-cjk). Text wraps across pages line by line, so no character is lost however long a
// paragraph is; every page carries 第 N 页 共 M 页.
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"

namespace anjian::docs {

struct PdfForm {
  std::string issuer;  // 杭州市西湖区应急管理局
  std::string title;   // 责令限期整改指令书
  std::string number;  // （西湖）应急责改〔2026〕12号
  std::vector<std::pair<std::string, std::string>> fields;
  std::vector<std::pair<std::string, std::string>> sections;  // heading, text ("\n" breaks lines)
  std::string rights;
  std::vector<std::pair<std::string, std::string>> people;  // 执法人员: name, 证号
  std::vector<std::string> signatures;
  bool seal = true;
  std::string date;  // 2026年11月30日
};

// The PDF's bytes. Errors: internal (cairo failed).
Result<std::string> render_pdf(const PdfForm& form);

}  // namespace anjian::docs
