#pragma once
// 执法文书 (DOMAIN.md §11): the kinds a first version renders, their 文号 and the order of the
// procedure — which document may follow which. Pure: the numbering itself (gapless per regulator,
// kind and year) is taken by DocumentService in the issuing transaction.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace anjian::enforcement {

struct DocumentKind {
  std::string_view code;     // penalty_notice
  std::string_view title;    // 行政处罚告知书
  std::string_view counter;  // 罚告: the 〈种类〉 of the 文号; kinds sharing it share the sequence
  std::string_view source;   // what it is issued from: inspection | measure | case
};

const std::vector<DocumentKind>& document_kinds();
// nullptr for an unknown code.
const DocumentKind* document_kind(std::string_view code);

// The issuer's 简称 in a 文号: a province by its one-character 简称 (浙), the national ministry 应急部,
// a city or county by its name without the suffix (西湖区 → 西湖, 杭州市 → 杭州).
std::string issuer_abbreviation(std::string_view region_code, std::string_view region_name);

// 「（西湖）应急责改〔2026〕12号」. REQUIRES: seq >= 1.
std::string document_number(std::string_view abbreviation, std::string_view counter, int year, std::int64_t seq);

// The kinds a document of `kind` must follow (refer to); empty when it stands alone. An
// 整改复查意见书 only follows an order it re-inspects (责改, 现场处理, 强制措施).
const std::vector<std::string_view>& must_follow(std::string_view kind);

}  // namespace anjian::enforcement
