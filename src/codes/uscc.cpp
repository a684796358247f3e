#include "codes/uscc.h"

#include "base/text.h"

namespace anjian::codes {
namespace {
constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr int kWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

int value_of(char c) {
  auto pos = kAlphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}
}  // namespace

char Uscc::check_char(std::string_view first17) {
  if (first17.size() != 17) return '\0';
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    int v = value_of(first17[i]);
    if (v < 0) return '\0';
    sum += v * kWeights[i];
  }
  int c = 31 - sum % 31;
  if (c == 31) c = 0;
  return kAlphabet[static_cast<size_t>(c)];
}

Result<Uscc> Uscc::parse(std::string_view input) {
  std::string code(trim(input));
  for (char& c : code)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (code.size() != 18)
    return Error{"invalid_uscc", "统一社会信用代码应为 18 位，实为 " + std::to_string(utf8_length(code)) + " 位", "uscc"};
  for (size_t i = 0; i < 18; ++i) {
    if (value_of(code[i]) < 0)
      return Error{"invalid_uscc",
                   "统一社会信用代码第 " + std::to_string(i + 1) + " 位字符不合法（不使用 I、O、Z、S、V）", "uscc"};
  }
  char expected = check_char(std::string_view(code).substr(0, 17));
  if (code[17] != expected)
    return Error{"invalid_uscc",
                 std::string("统一社会信用代码校验位错误，应为 ") + expected, "uscc"};
  return Uscc(std::move(code));
}

char organization_code_check(std::string_view first8) {
  static const int kW[8] = {3, 7, 9, 10, 5, 8, 4, 2};
  if (first8.size() != 8) return '\0';
  int sum = 0;
  for (size_t i = 0; i < 8; ++i) {
    char c = first8[i];
    int v;
    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'A' && c <= 'Z') v = c - 'A' + 10;
    else return '\0';
    sum += v * kW[i];
  }
  int c = 11 - sum % 11;
  if (c == 10) return 'X';
  if (c == 11) return '0';
  return static_cast<char>('0' + c);
}

bool Uscc::organization_code_valid() const {
  return organization_code_check(std::string_view(code_).substr(8, 8)) == code_[16];
}

}  // namespace anjian::codes
