#include "modules/audit/archive.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>

#include "base/crypto.h"
#include "base/json_text.h"
#include "base/signature.h"
#include "base/zstd.h"
#include "files/durable_file.h"

namespace anjian::audit {
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {
constexpr std::string_view kFormat = "anjian-audit-archive/1";
constexpr size_t kMaxArchiveBytes = size_t{1} << 30;  // a file of 50,000 records is a few MB

Error integrity(std::string message) { return {"integrity_error", std::move(message), {}}; }

std::string file_stem(std::int64_t first_seq) {
  char name[40];
  std::snprintf(name, sizeof name, "audit-%012lld", static_cast<long long>(first_seq));
  return name;
}

json::object record_json(const AuditRecord& a) {
  const AuditEvent& e = a.event;
  return {{"seq", a.seq},          {"at", e.at},         {"user_id", e.user_id}, {"username", e.username}, {"org_id", e.org_id},
          {"region_code", e.region_code}, {"uscc", e.uscc}, {"source", e.source},   {"action", e.action},     {"target", e.target},
          {"outcome", e.outcome},  {"detail", e.detail}, {"prev_hash", a.prev_hash}, {"hash", a.hash}};
}

std::optional<AuditRecord> record_of(const json::object& o) {
  auto seq = member_int(o, "seq"), at = member_int(o, "at");
  if (!seq || !at) return std::nullopt;
  AuditRecord a;
  a.seq = *seq;
  a.event.at = *at;
  for (auto [key, target] : {std::pair{"user_id", &a.event.user_id}, std::pair{"username", &a.event.username},
                             std::pair{"org_id", &a.event.org_id}, std::pair{"region_code", &a.event.region_code},
                             std::pair{"uscc", &a.event.uscc}, std::pair{"source", &a.event.source}, std::pair{"action", &a.event.action},
                             std::pair{"target", &a.event.target}, std::pair{"outcome", &a.event.outcome},
                             std::pair{"detail", &a.event.detail}, std::pair{"prev_hash", &a.prev_hash}, std::pair{"hash", &a.hash}}) {
    auto v = member_string(o, key);
    if (!v) return std::nullopt;
    *target = std::move(*v);
  }
  return a;
}

struct Manifest {
  std::string file, sm3, prev_hash, last_hash, public_key, signature;
  std::int64_t records = 0, first_seq = 0, last_seq = 0;
  Millis from = 0, to = 0;
};

// What the signature covers: every field that says what the file is and where it sits in the chain.
std::string signed_text(const Manifest& m) {
  return std::string(kFormat) + "\n" + m.file + "\n" + m.sm3 + "\n" + std::to_string(m.records) + "\n" + std::to_string(m.first_seq) +
         "\n" + std::to_string(m.last_seq) + "\n" + m.prev_hash + "\n" + m.last_hash + "\n";
}

std::optional<Manifest> manifest_of(std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.as_object();
  if (member_string(o, "format") != std::string(kFormat)) return std::nullopt;
  Manifest m;
  for (auto [key, target] : {std::pair{"file", &m.file}, std::pair{"sm3", &m.sm3}, std::pair{"prev_hash", &m.prev_hash},
                             std::pair{"last_hash", &m.last_hash}, std::pair{"public_key", &m.public_key},
                             std::pair{"signature", &m.signature}}) {
    auto s = member_string(o, key);
    if (!s) return std::nullopt;
    *target = std::move(*s);
  }
  for (auto [key, target] : {std::pair{"records", &m.records}, std::pair{"first_seq", &m.first_seq}, std::pair{"last_seq", &m.last_seq}}) {
    auto n = member_int(o, key);
    if (!n) return std::nullopt;
    *target = *n;
  }
  // A manifest names a file beside it, never a path elsewhere.
  if (m.file != file_stem(m.first_seq) + ".jsonl.zst") return std::nullopt;
  return m;
}

// The archive key, made (SM2) when missing; the private key stays in its 0600 file.
Result<std::string> archive_key(const std::string& key_file, bool make) {
  if (make && !fs::exists(key_file)) {
    ANJIAN_ASSIGN(const SigningKey key, generate_signing_key(SignatureAlgorithm::sm2));
    ANJIAN_TRY(files::write_file_durably(key_file, key.private_pem, 0600, files::IfExists::keep));
  }
  auto pem = files::read_whole_file(key_file, 64 * 1024);
  if (!pem.ok()) return Error{"invalid_argument", "无法读取审计归档签名密钥 " + key_file + "：" + pem.error().message, "key_file"};
  return *pem;
}
}  // namespace

Result<ArchiveRun> archive_old_records(AuditLog& log, const ArchiveSettings& s, Millis now) {
  const Millis before = now - static_cast<Millis>(s.online_days) * 86'400'000;
  ArchiveRun run;
  std::string pem;
  // Each file's note is itself a record: a run stops at the records there were when it began.
  ANJIAN_ASSIGN(const std::int64_t up_to, log.last_seq());
  for (;;) {
    ANJIAN_ASSIGN(const ArchiveBoundary from, log.boundary());
    ANJIAN_ASSIGN(auto records, log.oldest(from.seq, before, s.records_per_file));
    std::erase_if(records, [up_to](const AuditRecord& a) { return a.seq > up_to; });
    if (records.empty()) return run;
    // Only an intact chain is archived: a broken one stays where verify() points at it.
    std::string prev = from.hash, lines;
    std::int64_t expected = from.seq + 1;
    for (const AuditRecord& a : records) {
      if (a.seq != expected || a.prev_hash != prev || AuditLog::chain_hash(prev, a.seq, a.event) != a.hash)
        return integrity("审计日志在序号 " + std::to_string(expected) + " 处校验不通过，暂不归档（请先运行 anjian audit verify）");
      prev = a.hash;
      ++expected;
      lines += json_text(record_json(a));
      lines += '\n';
    }
    if (pem.empty()) {
      ANJIAN_ASSIGN(pem, archive_key(s.key_file, true));
    }
    Manifest m;
    m.file = file_stem(records.front().seq) + ".jsonl.zst";
    const std::string compressed = zstd_compress(lines);
    m.sm3 = sm3_hex(compressed);
    m.records = static_cast<std::int64_t>(records.size());
    m.first_seq = records.front().seq;
    m.last_seq = records.back().seq;
    m.prev_hash = from.hash;
    m.last_hash = records.back().hash;
    ANJIAN_ASSIGN(m.public_key, public_key_of(pem));
    ANJIAN_ASSIGN(const std::string signature, sign_message(pem, signed_text(m)));
    m.signature = base64_encode(signature);
    const json::object manifest{{"format", kFormat},
                                {"file", m.file},
                                {"sm3", m.sm3},
                                {"records", m.records},
                                {"first_seq", m.first_seq},
                                {"last_seq", m.last_seq},
                                {"prev_hash", m.prev_hash},
                                {"last_hash", m.last_hash},
                                {"from", format_iso(records.front().event.at)},
                                {"to", format_iso(records.back().event.at)},
                                {"created_at", format_iso(now_ms())},
                                {"algorithm", "sm2"},
                                {"public_key", m.public_key},
                                {"signature", m.signature}};
    // A file left by an archiving that stopped before its records left the database is replaced.
    const fs::path dir(s.dir);
    ANJIAN_TRY(files::write_file_durably((dir / m.file).string(), compressed, 0640, files::IfExists::replace));
    ANJIAN_TRY(files::write_file_durably((dir / (file_stem(m.first_seq) + ".json")).string(), json_text(manifest) + "\n", 0640,
                                         files::IfExists::replace));
    AuditEvent note;
    note.username = "system";
    note.source = "system";
    note.action = "audit.archive";
    note.target = "audit-archive:" + m.file;
    note.outcome = "success";
    note.detail = json_text(json::object{{"file", m.file}, {"sm3", m.sm3}, {"first_seq", m.first_seq}, {"last_seq", m.last_seq}, {"records", m.records}});
    ANJIAN_TRY(log.drop_archived(from, records.back(), note));
    ++run.files;
    run.records += m.records;
  }
}

Result<VerifyReport> verify_with_archive(AuditLog& log, const std::string& dir, const std::string& key_file) {
  ANJIAN_ASSIGN(const ArchiveBoundary boundary, log.boundary());
  // Nothing archived yet: no key is needed (and none may have been made).
  std::string our_key;
  if (boundary.seq > 0) {
    ANJIAN_ASSIGN(const std::string pem, archive_key(key_file, false));
    ANJIAN_ASSIGN(our_key, public_key_of(pem));
  }

  std::vector<Manifest> manifests;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with("audit-") || entry.path().extension() != ".json") continue;
    auto text = files::read_whole_file(entry.path().string(), 64 * 1024);
    auto m = text.ok() ? manifest_of(*text) : std::nullopt;
    if (!m) return VerifyReport{0, 0, false, 0, "归档清单 " + name + " 无法读取或格式不符"};
    // One an archiving left behind when it stopped before the database moved on: not yet an archive.
    if (m->first_seq > boundary.seq) continue;
    manifests.push_back(std::move(*m));
  }
  if (ec && boundary.seq > 0) return Error{"invalid_argument", "无法读取归档目录 " + dir + "：" + ec.message(), "archive"};
  std::sort(manifests.begin(), manifests.end(), [](const Manifest& a, const Manifest& b) { return a.first_seq < b.first_seq; });

  VerifyReport report;
  auto fail = [&](std::int64_t seq, std::string problem) {
    report.ok = false;
    report.first_bad_seq = seq;
    report.problem = std::move(problem);
    return report;
  };
  std::map<std::string, std::string> digests;  // file → SM3, for the log's notes
  std::vector<std::pair<AuditRecord, json::object>> notes;
  auto note_of = [&](const AuditRecord& a) {
    if (a.event.action != "audit.archive") return;
    boost::system::error_code pec;
    auto d = json::parse(a.event.detail, pec);
    notes.emplace_back(a, !pec && d.is_object() ? d.as_object() : json::object{});
  };
  std::string prev(64, '0');
  std::int64_t next = 1;
  for (const Manifest& m : manifests) {
    const auto signature = base64_decode(m.signature);
    if (m.public_key != our_key || !signature.ok() || !verify_message(m.public_key, signed_text(m), *signature))
      return fail(m.first_seq, "归档 " + m.file + " 的签名无效（不是本机归档密钥所签，或清单被改动）");
    if (m.first_seq != next || m.prev_hash != prev)
      return fail(next, "归档缺失：序号 " + std::to_string(next) + " 起的记录不在任何归档文件中");
    auto compressed = files::read_whole_file((fs::path(dir) / m.file).string(), kMaxArchiveBytes);
    if (!compressed.ok()) return fail(m.first_seq, "归档文件 " + m.file + " 无法读取：" + compressed.error().message);
    if (sm3_hex(*compressed) != m.sm3) return fail(m.first_seq, "归档文件 " + m.file + " 已损坏或被改动（SM3 摘要不符）");
    auto lines = zstd_decompress(*compressed, kMaxArchiveBytes);
    if (!lines) return fail(m.first_seq, "归档文件 " + m.file + " 无法解压");
    digests[m.file] = m.sm3;
    std::string_view rest(*lines);
    while (!rest.empty()) {
      const size_t end = rest.find('\n');
      const std::string_view line = rest.substr(0, end);
      rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
      boost::system::error_code pec;
      auto v = json::parse(line, pec);
      auto a = !pec && v.is_object() ? record_of(v.as_object()) : std::nullopt;
      if (!a) return fail(next, "归档文件 " + m.file + " 中有无法读取的记录");
      if (a->seq != next) return fail(next, "记录缺失：序号 " + std::to_string(next) + " 不在归档 " + m.file + " 中");
      if (a->prev_hash != prev || AuditLog::chain_hash(prev, a->seq, a->event) != a->hash)
        return fail(a->seq, "记录被篡改：归档 " + m.file + " 中序号 " + std::to_string(a->seq) + " 的摘要不符");
      note_of(*a);
      prev = a->hash;
      ++next;
      ++report.records;
      ++report.archived;
    }
    if (next - 1 != m.last_seq || prev != m.last_hash) return fail(next, "归档文件 " + m.file + " 与其清单不符");
  }
  if (next - 1 != boundary.seq || prev != boundary.hash)
    return fail(next, "归档与在线日志不衔接：在线日志从序号 " + std::to_string(boundary.seq + 1) + " 开始，归档只到序号 " + std::to_string(next - 1));

  ANJIAN_ASSIGN(VerifyReport live, log.verify(note_of));
  const std::int64_t archived = report.archived;
  report = live;
  report.records += archived;
  report.archived = archived;
  if (!report.ok) return report;
  // The chain remembers each archive's digest: a file re-made and re-signed with a stolen key
  // still differs from what the log wrote down when it was made.
  for (const auto& [a, detail] : notes) {
    const auto file = member_string(detail, "file"), sm3 = member_string(detail, "sm3");
    const auto it = file ? digests.find(*file) : digests.end();
    if (it == digests.end()) return fail(a.seq, "日志记载的归档 " + file.value_or("?") + " 不在归档目录中");
    if (it->second != sm3) return fail(a.seq, "归档 " + *file + " 与日志记载的摘要不符（文件被替换）");
  }
  return report;
}

}  // namespace anjian::audit
