// The 判定标准 and checklist templates shipped in data/checklists/: every table reads, every
// template passes the checks a regulator's own would, and every 重大 item names an item that exists.
#include <gtest/gtest.h>

#include <set>

#include "base/text.h"
#include "base/time.h"
#include "modules/hidden_danger/checklist_rules.h"

using namespace anjian;
using namespace anjian::hidden_danger;

TEST(ChecklistRules, TheStandardsHaveTheirItems) {
  ASSERT_NE(find_standard("hazchem_2017"), nullptr);
  EXPECT_EQ(find_standard("hazchem_2017")->items.size(), 20u);
  EXPECT_NE(find_standard_item("hazchem_2017", "20"), nullptr);
  EXPECT_EQ(find_standard_item("hazchem_2017", "21"), nullptr);
  EXPECT_EQ(find_standard_item("hazchem_2017", "0"), nullptr);
  // Coal: 15 categories (第三条) and 80 situations of 第四条–第十八条 (the 81st is not shipped: data/README.md).
  EXPECT_EQ(find_standard("coal_2020")->items.size(), 95u);
  ASSERT_NE(find_standard_item("coal_2020", "2"), nullptr);
  EXPECT_EQ(find_standard_item("coal_2020", "2")->text, "瓦斯超限作业");
  EXPECT_NE(find_standard_item("coal_2020", "1.6"), nullptr);
  EXPECT_EQ(find_standard_item("coal_2020", "1.7"), nullptr);
  EXPECT_NE(find_standard_item("gongmao_2023", "3.1"), nullptr);
  EXPECT_EQ(find_standard("spaceships"), nullptr);
  for (const auto& s : standards()) {
    std::set<std::string> seen;
    for (const auto& i : s.items) {
      EXPECT_TRUE(seen.insert(i.item).second) << s.id << " item " << i.item << " twice";
      EXPECT_FALSE(i.text.empty()) << s.id << " " << i.item;
    }
  }
}

TEST(ChecklistRules, EveryShippedTemplatePassesItsChecks) {
  std::set<std::string> codes;
  for (const auto& t : builtin_templates()) {
    EXPECT_TRUE(codes.insert(t.code).second) << t.code;
    EXPECT_TRUE(check_items(t.items).ok()) << t.code << ": " << check_items(t.items).error().message;
    for (const auto& i : t.items) {
      EXPECT_FALSE(i.basis.empty()) << t.code << " " << i.number << " has no legal basis";
      EXPECT_FALSE(i.method.empty()) << t.code << " " << i.number << " has no method";
    }
  }
  EXPECT_TRUE(codes.count("hazchem_2017") && codes.count("coal_2020") && codes.count("gongmao_general"));
}

TEST(ChecklistRules, BadItemsAreNamed) {
  std::vector<ChecklistItem> items = {{"1", "a", "", "", false, "", ""}, {"1", "b", "", "", false, "", ""}};
  EXPECT_EQ(check_items(items).error().field, "items[1].number");
  items[1].number = "2";
  items[1].standard = "hazchem_2017";
  items[1].standard_item = "5";
  EXPECT_EQ(check_items(items).error().field, "items[1].major") << "a 判定标准 item failed is 重大";
  items[1].major = true;
  EXPECT_TRUE(check_items(items).ok());
  items[1].standard_item = "50";
  EXPECT_EQ(check_items(items).error().field, "items[1].standard_item");
  items[0].text.clear();
  EXPECT_EQ(check_items(items).error().field, "items[0].text");
  EXPECT_EQ(check_items({}).error().field, "items");
}

TEST(Text, SplitListKeepsTheNonEmptyParts) {
  EXPECT_EQ(split_list("a|b||c|", '|'), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(split_list("", '|').empty());
}

TEST(Time, MonthsAreShanghaiMonths) {
  EXPECT_EQ(month_shanghai(*parse_instant("2026-11-30T16:30:00Z")), 202612);  // 00:30 on 1 December in Shanghai
  EXPECT_EQ(month_shanghai(*parse_instant("2026-11-30T15:59:59Z")), 202611);
  EXPECT_EQ(month_shanghai(*parse_instant("2026-12-31T16:00:00Z")), 202701);
}
