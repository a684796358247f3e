#pragma once
// The HTTPS transport: a node pushes its pending batches to its parent's
// POST /api/v1/exchange/batches, priority lane first, and moves its cursor only on the parent's
// answer. A parent that waits for an earlier batch (its answer names the position it expects) is
// sent again from there. Between two nodes on split networks the file drop does the same work.
#include <string>

#include "exchange/service.h"

namespace anjian::exchange {

struct PushReport {
  std::int64_t batches = 0, changes = 0;
  std::string error;  // the last failure, for the link's state ("" when all went)
};

// Pushes up to `max_batches` batches to every parent with a URL (http:// or https://).
// `ca_file`: trust only this CA for the parent's certificate (empty: the system's).
PushReport push_to_parents(ExchangeService& exchange, Nodes& nodes, const std::string& ca_file = {}, int max_batches = 100);

}  // namespace anjian::exchange
