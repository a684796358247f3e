#pragma once
// The grade of a production safety accident (生产安全事故报告和调查处理条例, 国务院令第493号, 第三条)
// and 较大涉险事故 (安监总局令第21号, 第二十六条), as DOMAIN.md §6 states them: the grade is the
// highest any one criterion reaches; 以上 includes the number, 以下 excludes it; missing persons
// (下落不明) count as deaths while unresolved, which makes the grade provisional.
#include <cstdint>
#include <string>
#include <string_view>

namespace anjian::accident {

struct Casualties {
  std::int64_t deaths = 0, missing = 0, serious_injuries = 0;  // serious injuries include acute poisoning
  std::int64_t direct_loss_yuan = 0;                           // the estimate, in 元
  // 较大涉险 facts: people endangered (涉险), trapped, evacuated.
  std::int64_t endangered = 0, trapped = 0, evacuated = 0;
};

// general 一般 < larger 较大 < major 重大 < extraordinary 特别重大 (the contract's words).
enum class Grade { general = 0, larger = 1, major = 2, extraordinary = 3 };

struct Grading {
  Grade grade = Grade::general;
  std::string_view criterion;        // deaths | serious_injuries | direct_loss: the one that decided it
  bool provisional = false;          // missing persons were counted as deaths
  bool larger_endangerment = false;  // 较大涉险: reported like a 较大 accident even with nobody dead
};

Grading grade(const Casualties& c);

std::string_view to_string(Grade g);        // general | larger | major | extraordinary
std::string_view grade_label(Grade g);      // 一般 | 较大 | 重大 | 特别重大
bool parse_grade(std::string_view s, Grade& out);
// Why, in words a duty officer reads: "死亡（含下落不明）3 人，达到较大事故标准（3 人以上）".
std::string grade_reason(const Casualties& c, const Grading& g);

}  // namespace anjian::accident
