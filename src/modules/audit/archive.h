#pragma once
// Audit retention (等保 level 3, 安全审计: records kept and protected; issue 18 §6). The online log
// keeps [audit] online_days (never fewer than 180); older records move, oldest first, to archive
// files that continue the same SM3 chain:
//
//   audit-000000000001.jsonl.zst   the records, one JSON object a line, zstd-compressed
//   audit-000000000001.json        its manifest: seq range, first previous and last hash, the
//                                  file's SM3, signed with the archive key (SM2, 国密) over the
//                                  lines "anjian-audit-archive/1", file, sm3, records, first_seq,
//                                  last_seq, prev_hash, last_hash (each ending in "\n")
//
// A file and its manifest are on disk (synced) before their records leave the database, in the
// same transaction that moves the boundary and records `audit.archive` with the file's digest —
// so the chain itself remembers every archive and the check below finds one changed, removed or
// re-signed.
#include <string>

#include "base/result.h"
#include "base/time.h"
#include "modules/audit/audit_log.h"

namespace anjian::audit {

struct ArchiveSettings {
  int online_days = 180;                   // [audit] online_days: 180 at least
  std::string dir;                         // [audit] archive_dir (default DATA/audit-archive)
  std::string key_file;                    // the SM2 private key (default DATA/keys/audit-archive.pem)
  std::int64_t records_per_file = 50'000;  // a file holds at most this many records
};

struct ArchiveRun {
  int files = 0;
  std::int64_t records = 0;
};

// Archives every record older than `now` minus the online window. The key is made at the first
// archiving when its file is missing. Errors: storage_error, conflict (another archiver), and
// integrity_error when the records to archive do not chain (a broken log is not archived).
Result<ArchiveRun> archive_old_records(AuditLog& log, const ArchiveSettings& settings, Millis now);

// Checks the archive files in `dir` and then the online log as one chain from record 1: every
// manifest signed by the key in `key_file`, every file matching its digest, no record missing
// between files or at the boundary, and each `audit.archive` note matching its file.
Result<VerifyReport> verify_with_archive(AuditLog& log, const std::string& dir, const std::string& key_file);

}  // namespace anjian::audit
