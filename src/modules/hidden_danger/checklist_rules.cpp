#include "modules/hidden_danger/checklist_rules.h"

#include <set>

#include "base/embedded_table.h"
#include "base/text.h"

namespace anjian::hidden_danger {

const std::vector<Standard>& standards() {
  static const std::vector<Standard> list = [] {
    std::vector<Standard> out;
    Standard hazchem{"hazchem_2017", "化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）", "", {}};
    for (auto& r : embedded::csv_rows("checklists/hazchem-major-hidden-dangers-2017.csv", 3)) {
      hazchem.source = r[2];
      hazchem.items.push_back({r[0], r[1]});
    }
    // Coal: the 15 categories of 第三条, then each one's situations of 第四条–第十八条 ("2.3").
    Standard coal{"coal_2020", "煤矿重大事故隐患判定标准", "应急管理部令第4号", {}};
    for (auto& r : embedded::csv_rows("checklists/coal-major-hidden-dangers-2020.csv", 3)) coal.items.push_back({r[0], r[1]});
    for (auto& r : embedded::csv_rows("checklists/coal-major-hidden-dangers-2020-items.csv", 5)) coal.items.push_back({r[0], r[3]});
    // 工贸: the items of each article ("11.3" is 第十一条第（三）项), as far as they are shipped.
    Standard trade{"gongmao_2023", "工贸企业重大事故隐患判定标准", "应急管理部令第10号", {}};
    for (auto& r : embedded::csv_rows("checklists/gongmao-major-hidden-dangers-2023.csv", 5)) trade.items.push_back({r[0], r[3]});
    out.push_back(std::move(hazchem));
    out.push_back(std::move(coal));
    out.push_back(std::move(trade));
    return out;
  }();
  return list;
}

const Standard* find_standard(std::string_view id) {
  for (const auto& s : standards())
    if (s.id == id) return &s;
  return nullptr;
}

const StandardItem* find_standard_item(std::string_view standard, std::string_view item) {
  const Standard* s = find_standard(standard);
  if (!s) return nullptr;
  for (const auto& i : s->items)
    if (i.item == item) return &i;
  return nullptr;
}

const std::vector<TemplateDefinition>& builtin_templates() {
  static const std::vector<TemplateDefinition> list = [] {
    std::vector<TemplateDefinition> out;
    for (auto& r : embedded::csv_rows("checklists/templates/index.csv", 6)) {
      TemplateDefinition t;
      t.code = r[0];
      t.version = std::stoi(r[1]);
      t.name = r[2];
      t.industries = split_list(r[3], '|');
      t.source = r[5];
      for (auto& i : embedded::csv_rows("checklists/templates/" + r[4], 7))
        t.items.push_back({i[0], i[1], i[2], i[3], i[4] == "1", i[5], i[6]});
      out.push_back(std::move(t));
    }
    return out;
  }();
  return list;
}

Status check_items(const std::vector<ChecklistItem>& items) {
  if (items.empty() || items.size() > 500) return Error::invalid_field("items", "排查表须有 1 至 500 个条目");
  std::set<std::string> numbers;
  for (size_t i = 0; i < items.size(); ++i) {
    const auto& it = items[i];
    const std::string at = "items[" + std::to_string(i) + "]";
    if (it.number.empty()) return Error::invalid_field(at + ".number", "第 " + std::to_string(i + 1) + " 个条目缺少编号");
    if (!numbers.insert(it.number).second) return Error::invalid_field(at + ".number", "条目编号 " + it.number + " 重复");
    if (it.text.empty()) return Error::invalid_field(at + ".text", "条目 " + it.number + " 缺少内容");
    if (!it.standard.empty() && !find_standard_item(it.standard, it.standard_item))
      return Error::invalid_field(at + ".standard_item", "条目 " + it.number + " 所指的判定标准条目不存在：" + it.standard + " 第 " +
                                                             it.standard_item + " 项");
    if (!it.standard.empty() && !it.major)
      return Error::invalid_field(at + ".major", "条目 " + it.number + " 指向重大事故隐患判定标准，不符合时应为重大事故隐患");
  }
  return {};
}

}  // namespace anjian::hidden_danger
