#pragma once
// The outbox written by hand, for records no table trigger notes: what a node forwards of the
// batches it received, and a module's records made of rows without a key of their own (a point's
// 1-minute rollups). Inside the caller's transaction, like the triggers' writes.
#include <string>
#include <vector>

#include "base/result.h"
#include "db/database.h"
#include "exchange/batch_format.h"

namespace anjian::exchange {

// Notes records `ids` of `type` as changed, in `lane`, in one go (a batch's worth at a time).
Status note_outbox(db::Connection& c, Lane lane, const std::string& type, const std::vector<std::string>& ids);

}  // namespace anjian::exchange
