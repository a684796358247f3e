#pragma once
// Full-text terms for Chinese text, computed here so that SQLite (FTS5) and PostgreSQL (GIN over
// a text array) index exactly the same terms and return the same results.
//
// Chinese has no spaces, so a run of Han characters becomes its overlapping character bigrams
// (杭州化工 → 杭州 州化 化工) plus its single characters; a run of ASCII letters and digits becomes
// one lower-cased word. A query matches a document that holds every term of the query.
#include <string>
#include <string_view>
#include <vector>

namespace anjian {

// Terms of a document field, deduplicated, in first-seen order. REQUIRES: valid UTF-8.
std::vector<std::string> document_terms(std::string_view text);

// Terms a query must all match: a run of one Han character gives that character, a longer run its
// bigrams; ASCII words as in documents. Empty when the query has nothing searchable.
std::vector<std::string> query_terms(std::string_view query);

// Joins terms with single spaces (the stored form).
std::string join_terms(const std::vector<std::string>& terms);

}  // namespace anjian
