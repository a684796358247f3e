#pragma once
// The file-drop transport: batches written to a folder that a 网闸 (one-way gateway) or a person
// with a removable disk carries to the other network, and taken from a folder on the other side.
// The files are the same bytes as over HTTPS. Names say who sends to whom, the lane and the range
// (county-330102__province-330000__bulk__000000000001-000000010000.batch), so that a folder shared
// by several nodes is read only for the batches addressed to the reader.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "exchange/service.h"

namespace anjian::exchange {

struct ExportReport {
  std::int64_t files = 0, changes = 0;
  std::vector<std::string> paths;
};

// Writes every pending batch for `peer` (all peers when empty), priority lane first, durably, and
// moves each link's cursor past what it wrote. `from_seq`: write again from that position (a
// receiver's folder lost a file).
Result<ExportReport> export_batches(ExchangeService& exchange, Nodes& nodes, const std::string& dir,
                                    const std::string& peer = {}, std::optional<std::int64_t> from_seq = std::nullopt);

struct ImportReport {
  std::int64_t applied_files = 0, duplicate_files = 0, waiting_files = 0, refused_files = 0;
  std::int64_t changes = 0;
  std::vector<std::string> refused;  // "file: reason"
};

// Applies the batches in `dir` addressed to this node: applied and duplicate ones move to done/,
// refused ones to refused/; ones waiting for an earlier batch stay until it arrives, and so do all
// when the database is unavailable. `settle_for`: files written more recently are left for the
// next pass (a watched folder that a 网闸 is still copying into).
Result<ImportReport> import_batches(ExchangeService& exchange, Nodes& nodes, const std::string& dir,
                                    std::chrono::milliseconds settle_for = std::chrono::milliseconds(0));

}  // namespace anjian::exchange
