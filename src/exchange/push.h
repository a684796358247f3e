#pragma once
// The HTTPS transport. Up: a node pushes its pending batches to its parent's
// POST /api/v1/exchange/batches, priority lane first, and moves its cursor only on the parent's
// answer; a parent that waits for an earlier batch (its answer names the position it expects) is
// sent again from there. Down: the node pulls from its parent (POST /api/v1/exchange/pull, signed
// with its key, naming what it holds), so that a parent never needs to reach into a county's
// network. Between two nodes on split networks the file drop does the same work.
#include <string>

#include "exchange/service.h"

namespace anjian::exchange {

struct PushReport {
  std::int64_t batches = 0, changes = 0;
  std::string error;  // the last failure, for the link's state ("" when all went)
};

// Pushes up to `max_batches` batches per lane to every parent with a URL (http:// or https://).
// `ca_file`: trust only this CA for the parent's certificate (empty: the system's).
PushReport push_to_parents(ExchangeService& exchange, Nodes& nodes, const std::string& ca_file = {}, int max_batches = 100);
// Pulls and applies up to `max_batches` batches per lane from every parent with a URL; `changes` counts
// those applied.
PushReport pull_from_parents(ExchangeService& exchange, Nodes& nodes, const std::string& ca_file = {}, int max_batches = 100);

}  // namespace anjian::exchange
