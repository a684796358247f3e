#include "exchange/push.h"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include "http/client.h"

namespace anjian::exchange {
namespace {

struct Target {
  bool tls = false;
  std::string host, prefix;
  unsigned short port = 0;
};

Result<Target> target_of(const std::string& url) {
  auto u = boost::urls::parse_uri(url);
  if (!u || (u->scheme() != "http" && u->scheme() != "https") || u->host().empty())
    return Error::invalid_field("url", "上级节点地址须为 http:// 或 https:// 开头的网址：" + url);
  Target t;
  t.tls = u->scheme() == "https";
  t.host = std::string(u->host());
  t.port = u->has_port() ? u->port_number() : (t.tls ? 443 : 80);
  t.prefix = std::string(u->path());
  while (!t.prefix.empty() && t.prefix.back() == '/') t.prefix.pop_back();
  return t;
}

}  // namespace

PushReport push_to_parents(ExchangeService& exchange, Nodes& nodes, const std::string& ca_file, int max_batches) {
  PushReport report;
  auto peers = nodes.peers();
  if (!peers.ok()) {
    report.error = peers.error().message;
    return report;
  }
  for (const auto& p : *peers) {
    if (p.relation != "parent" || p.url.empty()) continue;
    auto target = target_of(p.url);
    if (!target.ok()) {
      report.error = target.error().message;
      exchange.note_link_error(p.node_id, report.error);
      continue;
    }
    http::HttpClient client = target->tls ? http::HttpClient::tls(target->host, target->port, ca_file)
                                          : http::HttpClient(target->host, target->port);
    int sent = 0;
    for (Lane lane : {Lane::priority, Lane::bulk}) {
      std::optional<std::int64_t> after;
      while (sent < max_batches) {
        auto batch = exchange.next_batch(p.node_id, lane, after);
        if (!batch.ok()) {
          report.error = batch.error().message;
          break;
        }
        if (batch->empty()) break;
        auto m = peek_manifest(*batch);
        if (!m.ok()) break;
        http::HttpResult r;
        try {
          r = client.request("POST", target->prefix + "/api/v1/exchange/batches", *batch, {{"Content-Type", "application/octet-stream"}});
        } catch (const std::exception& e) {
          report.error = std::string("无法连接上级节点 ") + p.url + "：" + e.what();
          break;
        }
        // Whatever answers (a proxy's error page, say) is read defensively: nothing here may throw.
        const auto answer = r.json();
        const auto* obj = answer.if_object();
        if (r.status != 200) {
          const auto* err = obj ? obj->if_contains("error") : nullptr;
          const auto* msg = err && err->is_object() ? err->as_object().if_contains("message") : nullptr;
          report.error = "上级节点拒收批次（HTTP " + std::to_string(r.status) + "）" +
                         (msg && msg->is_string() ? "：" + std::string(msg->as_string()) : std::string());
          break;
        }
        const auto* waiting = obj ? obj->if_contains("waiting") : nullptr;
        if (waiting && waiting->is_bool() && waiting->as_bool()) {
          // The parent lost an earlier batch (restored, say): send again from where it stands.
          const auto* from = obj->if_contains("expected_from");
          const std::int64_t expected = from && from->is_int64() ? from->as_int64() : 0;
          if (expected > m->from_seq || expected < 1) {
            report.error = "上级节点期待的序号不合理：" + std::to_string(expected);
            break;
          }
          after = expected - 1;
          continue;
        }
        if (auto s = exchange.mark_sent(*m); !s.ok()) {
          report.error = s.error().message;
          break;
        }
        report.batches += 1;
        report.changes += m->count;
        ++sent;
        after = m->to_seq;
      }
      if (!report.error.empty()) break;
    }
    if (!report.error.empty()) exchange.note_link_error(p.node_id, report.error);
  }
  return report;
}

}  // namespace anjian::exchange
