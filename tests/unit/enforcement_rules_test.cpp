// The procedure of a penalty case as data (tests/data/case_transitions.csv: every legal step and
// the illegal ones next to them), and the 文号 of DOMAIN.md §11.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "modules/enforcement/case_rules.h"
#include "modules/enforcement/document_rules.h"
#include "modules/enforcement/publication_rules.h"
#include "modules/enforcement/calendar_rules.h"
#include "base/time.h"

using namespace anjian::enforcement;

TEST(CaseRules, TransitionsFromTheTable) {
  std::ifstream in(std::string(ANJIAN_TEST_DATA) + "/case_transitions.csv");
  ASSERT_TRUE(in) << "tests/data/case_transitions.csv";
  std::string line;
  int rows = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::stringstream s(line);
    std::string state, action, next;
    std::getline(s, state, ',');
    std::getline(s, action, ',');
    std::getline(s, next, ',');
    EXPECT_EQ(case_next_state(state, action), next == "-" ? "" : next) << line;
    const auto actions = case_actions(state);
    const bool offered = std::find(actions.begin(), actions.end(), action) != actions.end();
    EXPECT_EQ(offered, next != "-") << "offered actions disagree with the transition: " << line;
    ++rows;
  }
  EXPECT_GE(rows, 30);
}

TEST(CaseRules, EveryStateReachableAndOnlyClosedIsFinal) {
  std::set<std::string> reached = {"filed"};
  for (int round = 0; round < 10; ++round)
    for (const auto& s : std::set<std::string>(reached))
      for (const auto& a : case_actions(s)) reached.insert(case_next_state(s, a));
  for (auto s : kCaseStates) {
    EXPECT_TRUE(reached.count(std::string(s))) << s;
    EXPECT_EQ(case_actions(s).empty(), s == "closed") << s;
  }
}

TEST(CaseRules, DocumentsOfActions) {
  EXPECT_EQ(case_action_document("notify", "unit"), "penalty_notice");
  EXPECT_EQ(case_action_document("decide", "unit"), "penalty_decision_unit");
  EXPECT_EQ(case_action_document("decide", "person"), "penalty_decision_person");
  EXPECT_EQ(case_action_document("close", "person"), "case_closing");
  EXPECT_EQ(case_action_document("serve", "unit"), "");
}

TEST(DocumentRules, NumbersAsDomainSaysThem) {
  // DOMAIN.md §11's examples.
  EXPECT_EQ(document_number(issuer_abbreviation("330106", "西湖区"), "责改", 2026, 12), "（西湖）应急责改〔2026〕12号");
  EXPECT_EQ(document_number(issuer_abbreviation("330106", "西湖区"), "检记", 2026, 3), "（西湖）应急检记〔2026〕3号");
  EXPECT_EQ(document_number("西湖", "罚告", 2026, 7), "（西湖）应急罚告〔2026〕7号");
  EXPECT_EQ(issuer_abbreviation("330100", "杭州市"), "杭州");
  EXPECT_EQ(issuer_abbreviation("330000", "浙江省"), "浙");
  EXPECT_EQ(issuer_abbreviation("450000", "广西壮族自治区"), "桂");
  EXPECT_EQ(issuer_abbreviation("110000", "北京市"), "京");
  EXPECT_EQ(issuer_abbreviation("", ""), "应急部");
  EXPECT_EQ(issuer_abbreviation("522631", "黄平县"), "黄平");
  EXPECT_EQ(issuer_abbreviation("152921", "阿拉善左旗"), "阿拉善左");
  EXPECT_EQ(issuer_abbreviation("632322", "循化撒拉族自治县"), "循化撒拉族");
  EXPECT_EQ(issuer_abbreviation("140402", "城区"), "城区") << "two characters at least are left";
  EXPECT_EQ(issuer_abbreviation("320322", "沛县"), "沛县");
}

TEST(DocumentRules, KindsAndTheirOrder) {
  std::set<std::string_view> codes;
  for (const auto& k : document_kinds()) {
    EXPECT_TRUE(codes.insert(k.code).second) << k.code;
    EXPECT_FALSE(k.counter.empty()) << k.code;
  }
  EXPECT_GE(codes.size(), 10u);  // the nine of §11, the decision in its two forms
  ASSERT_NE(document_kind("penalty_decision_person"), nullptr);
  EXPECT_EQ(document_kind("penalty_decision_person")->counter, document_kind("penalty_decision_unit")->counter)
      << "a decision is numbered in one sequence whatever the party";
  EXPECT_EQ(document_kind("nonsense"), nullptr);
  const auto& follow = must_follow("recheck_opinion");
  EXPECT_EQ(follow.size(), 3u);
  EXPECT_TRUE(must_follow("rectify_order").empty());
}

// 公开 within 20 working days (DOMAIN.md §7), counted across 国庆 and its 调休 working Saturday.
TEST(PublicationRules, TwentyWorkingDaysAcrossHolidays) {
  const auto d = [](const char* s) { return *anjian::parse_date(s); };
  // Concluded Tuesday 2026-09-29: 30 Sep works, 1–7 Oct are 国庆 (2026), so the 20th working day
  // falls late in October — the calendar decides, not 28 calendar days.
  const auto due = publication_due(d("2026-09-29"), d("2026-09-29"));
  EXPECT_EQ(due.deadline, add_working_days(d("2026-09-29"), 20));
  EXPECT_GT(due.deadline - d("2026-09-29"), 28) << "holidays lengthen it";
  EXPECT_EQ(due.working_days_left, 20);
  EXPECT_EQ(due.flag, "ok");
  // Five working days left: due soon; six: not yet.
  std::int64_t five = due.deadline, six = due.deadline;
  while (working_days_between(five, due.deadline) < 5) --five;
  while (working_days_between(six, due.deadline) < 6) --six;
  EXPECT_EQ(publication_due(d("2026-09-29"), five).flag, "due_soon");
  EXPECT_EQ(publication_due(d("2026-09-29"), six).flag, "ok");
  EXPECT_EQ(publication_due(d("2026-09-29"), due.deadline).flag, "due_soon") << "the last day still counts";
  EXPECT_EQ(publication_due(d("2026-09-29"), due.deadline).working_days_left, 0);
  const auto late = publication_due(d("2026-09-29"), due.deadline + 3);
  EXPECT_EQ(late.flag, "overdue");
  EXPECT_LT(late.working_days_left, 0);
}
