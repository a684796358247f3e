#pragma once
// The coal-mine door: the networking files of the provincial coal-mine monitoring networks
// (DOMAIN.md §8a) — CDDY defines the mine's points, CDSS carries their real-time values — uploaded
// over HTTP or dropped into a watched folder. The file's mine code names the enterprise through
// the link set on it (PUT /api/v1/enterprises/{uscc}/coal-mine). A bad record is reported with its
// number and the rest of the file is taken.
#include <boost/json/object.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "auth/audit_sink.h"
#include "auth/principal.h"
#include "codes/coal_file.h"
#include "db/database.h"
#include "modules/enterprise/service.h"
#include "modules/monitoring/pipeline.h"
#include "modules/monitoring/point_service.h"

namespace anjian::ingest {
using monitoring::IngestReport;
using monitoring::Pipeline;
using monitoring::PointService;

struct CoalFileReport {
  std::string file, kind, mine_code, mine_name, enterprise_uscc;
  size_t records = 0;  // data records (the header not counted)
  size_t points_created = 0, points_updated = 0;  // CDDY
  std::vector<codes::CoalIssue> warnings;         // CDDY: settings looser than the rules (the points are kept)
  IngestReport readings;                          // CDSS
  std::vector<codes::CoalIssue> issues;           // every record not taken, with its number
};
boost::json::object to_json(const CoalFileReport& r);

// An enterprise's link to the coal-mine network: its mine code, and how often its system uploads
// (the sampling period of the points its CDDY files define; 30 s unless set).
struct CoalMine {
  std::optional<std::string> mine_code;
  std::int64_t upload_interval_s = 30;
};
boost::json::object to_json(const std::string& uscc, const CoalMine& m);

class CoalFiles {
 public:
  CoalFiles(db::Database& db, enterprise::Service& enterprises, PointService& points, Pipeline& pipeline, AuditSink& audit)
      : db_(db), enterprises_(enterprises), points_(points), pipeline_(pipeline), audit_(audit) {}

  // The mine linked to an enterprise, if any. Errors: not_found (outside the scope).
  Result<CoalMine> mine_of(const auth::Scope& scope, const std::string& uscc);
  // Links (or with "" unlinks) a mine code, with its upload interval (5 s to 1 h). Errors:
  // not_found, invalid_field, conflict (the code belongs to another enterprise).
  Result<CoalMine> link(const auth::Principal& who, const std::string& uscc, const std::string& mine_code,
                        std::string_view source, std::int64_t upload_interval_s = 30);

  // Takes one file. `who` must see the mine's enterprise; a machine (API key) is limited to its own.
  // Errors (nothing taken): invalid_coal_file_name, not_found (mine not linked or outside the scope),
  // invalid_encoding, invalid_coal_file, storage errors.
  Result<CoalFileReport> take(const auth::Principal& who, const std::string& file_name, std::string_view bytes,
                              std::string_view source);

  // Watches a folder: each `*.txt` file that has not changed for 2 s is taken as the system, then
  // moved to done/ (or failed/) beside a NAME.report.json.
  void watch(const std::string& dir);
  void stop_watching();
  // One pass over the folder (the watcher's step; tests call it directly). Returns files taken.
  size_t scan(const std::string& dir);

 private:
  // The enterprise a mine code names, and the mine's upload interval.
  Result<std::pair<std::string, std::int64_t>> enterprise_of_mine(const std::string& mine_code);
  db::Database& db_;
  enterprise::Service& enterprises_;
  PointService& points_;
  Pipeline& pipeline_;
  AuditSink& audit_;
  std::thread watcher_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
};

// The principal a machine acts as: an enterprise's API key (the watched folder acts as
// auth::system_principal).
auth::Principal machine_principal(const std::string& key_id, const std::string& uscc, const std::string& region_code);

}  // namespace anjian::ingest
