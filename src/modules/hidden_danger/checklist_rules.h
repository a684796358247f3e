#pragma once
// The national 重大事故隐患判定标准 and the checklist templates anjian ships (data/checklists/),
// compiled in: which items a 重大 hidden danger may name, and how a template's items are checked.
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace anjian::hidden_danger {

struct StandardItem {
  std::string item;  // "5" (hazchem), "2" (coal's category)
  std::string text;
};

struct Standard {
  std::string id;    // hazchem_2017 | coal_2020
  std::string name;  // 化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）
  std::string source;
  std::vector<StandardItem> items;
};

// The 判定标准 shipped, in a fixed order.
const std::vector<Standard>& standards();
// nullptr when the standard or its item is unknown.
const Standard* find_standard(std::string_view id);
const StandardItem* find_standard_item(std::string_view standard, std::string_view item);

struct ChecklistItem {
  std::string number;    // as printed on the form: 1, 2, 3.1 …
  std::string text;      // the requirement, or the situation that is a defect
  std::string basis;     // law and article
  std::string method;    // how to check it
  bool major = false;    // failing it is a 重大事故隐患
  std::string standard, standard_item;  // the 判定标准 item it is (a major item of a national list)
};

struct TemplateDefinition {
  std::string code;        // stable across versions: hazchem_2017
  int version = 1;
  std::string name;
  std::vector<std::string> industries;  // the enterprises' industries it applies to (empty: all)
  std::string source;
  std::vector<ChecklistItem> items;
};

// The built-in templates (data/checklists/templates/index.csv).
const std::vector<TemplateDefinition>& builtin_templates();

// A template's items as a checklist needs them: 1 to 500 items, each with a number (unique) and a
// text; a named standard item exists in the shipped standard. Errors: invalid_field naming
// items[i].field.
Status check_items(const std::vector<ChecklistItem>& items);

}  // namespace anjian::hidden_danger
