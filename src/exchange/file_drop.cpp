#include "exchange/file_drop.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "files/durable_file.h"

namespace anjian::exchange {
namespace fs = std::filesystem;
namespace {

std::string file_name(const Manifest& m) {
  return fmt::format("{}__{}__{}__{:012}-{:012}.batch", m.sender, m.receiver, lane_name(m.lane), m.from_seq, m.to_seq);
}

Status move_to(const fs::path& file, const fs::path& folder) {
  std::error_code ec;
  fs::create_directories(folder, ec);
  fs::rename(file, folder / file.filename(), ec);
  if (ec) return Error{"storage_error", "无法移动批次文件 " + file.string() + "：" + ec.message(), {}};
  files::sync_dir(folder.string());
  files::sync_dir(file.parent_path().string());
  return {};
}

}  // namespace

Result<ExportReport> export_batches(ExchangeService& exchange, Nodes& nodes, const std::string& dir, const std::string& peer,
                                    std::optional<std::int64_t> from_seq) {
  ANJIAN_ASSIGN(const auto peers, nodes.peers());
  ExportReport report;
  for (const auto& p : peers) {
    if (!peer.empty() && p.node_id != peer) continue;
    for (Lane lane : {Lane::priority, Lane::bulk}) {
      std::optional<std::int64_t> after = from_seq ? std::optional<std::int64_t>(*from_seq - 1) : std::nullopt;
      for (;;) {
        ANJIAN_ASSIGN(const std::string batch, exchange.next_batch(p.node_id, lane, after));
        if (batch.empty()) break;
        ANJIAN_ASSIGN(const Manifest m, peek_manifest(batch));
        const std::string path = (fs::path(dir) / file_name(m)).string();
        ANJIAN_TRY(files::write_file_durably(path, batch, 0640, files::IfExists::replace));
        ANJIAN_TRY(exchange.mark_sent(m));
        report.files += 1;
        report.changes += m.count;
        report.paths.push_back(path);
        after = m.to_seq;
      }
    }
  }
  if (!peer.empty() && std::none_of(peers.begin(), peers.end(), [&](const Peer& p) { return p.node_id == peer; }))
    return Error::not_found("没有登记该节点：" + peer);
  return report;
}

Result<ImportReport> import_batches(ExchangeService& exchange, Nodes& nodes, const std::string& dir, std::chrono::milliseconds settle_for) {
  ANJIAN_ASSIGN(const NodeInfo me, nodes.self());
  ImportReport report;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Error::invalid_field("dir", "文件夹不存在：" + dir);
  struct Item {
    fs::path path;
    Manifest m;
  };
  std::vector<Item> items;
  std::vector<std::pair<fs::path, std::int64_t>> too_large;
  const auto settle = fs::file_time_type::clock::now() - settle_for;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const auto& entry = *it;
    std::error_code fec;
    if (!entry.is_regular_file(fec) || entry.path().extension() != ".batch") continue;
    // A file still being written (a 网闸 copying it in) is taken on the next pass.
    if (const auto t = entry.last_write_time(fec); fec || (settle_for.count() > 0 && t > settle)) continue;
    // Larger than any batch may be: not read, set aside and reported (skipped, it would wait there
    // unseen, tried again every pass).
    if (const auto size = entry.file_size(fec); !fec && static_cast<std::int64_t>(size) > exchange.settings().max_batch_bytes) {
      // Its first line (the manifest) says whose it is: another node's mail stays where it is.
      std::string head(65 * 1024, '\0');
      std::ifstream in(entry.path(), std::ios::binary);
      in.read(head.data(), static_cast<std::streamsize>(head.size()));
      head.resize(static_cast<size_t>(in.gcount()));
      if (auto m = peek_manifest(head); m.ok() && m->receiver != me.node_id) continue;
      too_large.emplace_back(entry.path(), static_cast<std::int64_t>(size));
      continue;
    }
    auto bytes = files::read_whole_file(entry.path().string(), static_cast<size_t>(exchange.settings().max_batch_bytes));
    if (!bytes.ok()) continue;
    auto m = peek_manifest(*bytes);
    if (m.ok() && m->receiver != me.node_id) continue;  // another node's mail in a shared folder
    items.push_back({entry.path(), m.ok() ? *m : Manifest{}});
  }
  for (const auto& [path, size] : too_large) {
    const Error e = exchange.refuse_file("file:" + path.filename().string(), size);
    report.refused_files += 1;
    report.refused.push_back(path.filename().string() + "：" + e.message);
    ANJIAN_TRY(move_to(path, fs::path(dir) / "refused"));
  }
  // Priority first, then each sender's batches in order: a waiting one may become next.
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return std::tie(a.m.lane, a.m.sender, a.m.from_seq, a.path) < std::tie(b.m.lane, b.m.sender, b.m.from_seq, b.path);
  });
  bool progress = true;
  std::vector<bool> done(items.size(), false);
  while (progress) {
    progress = false;
    report.waiting_files = 0;
    for (size_t i = 0; i < items.size(); ++i) {
      if (done[i]) continue;
      auto bytes = files::read_whole_file(items[i].path.string(), static_cast<size_t>(exchange.settings().max_batch_bytes));
      if (!bytes.ok()) continue;
      auto r = exchange.receive(*bytes, "file:" + items[i].path.filename().string());
      if (!r.ok() && r.error().code.rfind("batch_", 0) != 0) {
        report.refused.push_back(items[i].path.filename().string() + "：" + r.error().message + "（稍后重试）");
        continue;  // the database busy or down: the file stays for the next pass
      }
      if (!r.ok()) {
        report.refused_files += 1;
        report.refused.push_back(items[i].path.filename().string() + "：" + r.error().message);
        ANJIAN_TRY(move_to(items[i].path, fs::path(dir) / "refused"));
        done[i] = true;
        continue;
      }
      if (r->waiting) {
        report.waiting_files += 1;
        continue;
      }
      if (r->duplicate) report.duplicate_files += 1;
      else report.applied_files += 1;
      report.changes += r->applied;
      ANJIAN_TRY(move_to(items[i].path, fs::path(dir) / "done"));
      done[i] = true;
      progress = true;
    }
  }
  return report;
}

}  // namespace anjian::exchange
