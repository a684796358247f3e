#include "modules/enforcement/document_rules.h"

#include <array>

namespace anjian::enforcement {

const std::vector<DocumentKind>& document_kinds() {
  static const std::vector<DocumentKind> kinds = {
      {"inspection_record", "现场检查记录", "检记", "inspection"},
      {"on_site_decision", "现场处理措施决定书", "现决", "measure"},
      {"rectify_order", "责令限期整改指令书", "责改", "measure"},
      {"coercive_decision", "强制措施决定书", "强制", "measure"},
      {"recheck_opinion", "整改复查意见书", "复查", "measure"},
      {"case_filing", "立案审批表", "立", "case"},
      {"penalty_notice", "行政处罚告知书", "罚告", "case"},
      {"penalty_decision_unit", "行政处罚决定书（单位）", "罚", "case"},
      {"penalty_decision_person", "行政处罚决定书（个人）", "罚", "case"},
      {"case_closing", "结案审批表", "结", "case"},
  };
  return kinds;
}

const DocumentKind* document_kind(std::string_view code) {
  for (const auto& k : document_kinds())
    if (k.code == code) return &k;
  return nullptr;
}

namespace {
// GB/T 2260's provinces by their first two digits, with the 简称 of the 文号.
constexpr std::array<std::pair<std::string_view, std::string_view>, 34> kProvinceShort = {{
    {"11", "京"}, {"12", "津"}, {"13", "冀"}, {"14", "晋"}, {"15", "蒙"}, {"21", "辽"}, {"22", "吉"},
    {"23", "黑"}, {"31", "沪"}, {"32", "苏"}, {"33", "浙"}, {"34", "皖"}, {"35", "闽"}, {"36", "赣"},
    {"37", "鲁"}, {"41", "豫"}, {"42", "鄂"}, {"43", "湘"}, {"44", "粤"}, {"45", "桂"}, {"46", "琼"},
    {"50", "渝"}, {"51", "川"}, {"52", "黔"}, {"53", "滇"}, {"54", "藏"}, {"61", "陕"}, {"62", "甘"},
    {"63", "青"}, {"64", "宁"}, {"65", "新"}, {"71", "台"}, {"81", "港"}, {"82", "澳"},
}};

// At least two characters (six UTF-8 bytes) must be left: 城区 and 沛县 keep their whole names.
bool strippable(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() + 6 && s.substr(s.size() - tail.size()) == tail;
}
}  // namespace

std::string issuer_abbreviation(std::string_view region_code, std::string_view region_name) {
  if (region_code.empty()) return "应急部";
  const bool province = region_code.size() >= 6 && region_code.substr(2) == "0000";
  if (province)
    for (const auto& [code, short_name] : kProvinceShort)
      if (region_code.substr(0, 2) == code) return std::string(short_name);
  // Longest suffix first: 自治县 before 县.
  for (std::string_view suffix : {"自治县", "自治州", "自治旗", "地区", "林区", "特区", "新区", "市", "区", "县", "旗", "盟"})
    if (strippable(region_name, suffix)) return std::string(region_name.substr(0, region_name.size() - suffix.size()));
  return std::string(region_name);
}

std::string document_number(std::string_view abbreviation, std::string_view counter, int year, std::int64_t seq) {
  return "（" + std::string(abbreviation) + "）应急" + std::string(counter) + "〔" + std::to_string(year) + "〕" + std::to_string(seq) + "号";
}

const std::vector<std::string_view>& must_follow(std::string_view kind) {
  static const std::vector<std::string_view> none;
  static const std::vector<std::string_view> recheck = {"rectify_order", "on_site_decision", "coercive_decision"};
  return kind == "recheck_opinion" ? recheck : none;
}

}  // namespace anjian::enforcement
