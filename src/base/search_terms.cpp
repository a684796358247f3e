#include "base/search_terms.h"

#include <algorithm>
#include <unordered_set>

#include "base/text.h"

namespace anjian {
namespace {

bool is_han(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x20000 && c <= 0x2FA1F) || (c >= 0xF900 && c <= 0xFAFF);
}
bool is_ascii_alnum(char32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
char32_t fold(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c - 'A' + 'a';
  if (c >= 0xFF10 && c <= 0xFF19) return c - 0xFF10 + '0';       // full-width digits
  if (c >= 0xFF21 && c <= 0xFF3A) return c - 0xFF21 + 'a';       // full-width upper case
  if (c >= 0xFF41 && c <= 0xFF5A) return c - 0xFF41 + 'a';       // full-width lower case
  return c;
}

template <typename Emit>
void scan(std::string_view text, bool unigrams_always, Emit emit) {
  std::vector<char32_t> cps = code_points(text);
  for (auto& c : cps) c = fold(c);
  size_t i = 0;
  while (i < cps.size()) {
    if (is_han(cps[i])) {
      size_t j = i;
      while (j < cps.size() && is_han(cps[j])) ++j;
      if (j - i == 1 || unigrams_always)
        for (size_t k = i; k < j; ++k) emit(to_utf8(cps[k]));
      for (size_t k = i; k + 1 < j; ++k) emit(to_utf8(cps[k]) + to_utf8(cps[k + 1]));
      i = j;
    } else if (is_ascii_alnum(cps[i])) {
      std::string word;
      while (i < cps.size() && is_ascii_alnum(cps[i])) word += static_cast<char>(cps[i++]);
      emit(std::move(word));
    } else {
      ++i;
    }
  }
}

std::vector<std::string> unique_terms(std::string_view text, bool unigrams_always) {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  scan(text, unigrams_always, [&](std::string t) {
    if (seen.insert(t).second) out.push_back(std::move(t));
  });
  return out;
}
}  // namespace

std::vector<std::string> document_terms(std::string_view text) { return unique_terms(text, true); }

std::vector<std::string> query_terms(std::string_view query) {
  if (!is_valid_utf8(query)) return {};
  return unique_terms(query, false);
}

std::string join_terms(const std::vector<std::string>& terms) {
  std::string out;
  for (const auto& t : terms) {
    if (!out.empty()) out += ' ';
    out += t;
  }
  return out;
}

}  // namespace anjian
