#pragma once
// Which of a series of dated copies to keep, as restic's --keep-last/--keep-weekly count them: the
// newest `daily` copies, and the newest copy of each of the `weekly` most recent weeks (Monday to
// Sunday, Beijing time) that have one. Pure: the caller lists and deletes.
#include <cstddef>
#include <set>
#include <vector>

#include "base/time.h"

namespace anjian {

// Indexes into `made_at` (any order) of the copies to keep.
std::set<size_t> copies_to_keep(const std::vector<Millis>& made_at, int daily, int weekly);

}  // namespace anjian
