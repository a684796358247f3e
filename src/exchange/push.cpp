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

Result<Target> target_of(const std::string &url) {
  auto u = boost::urls::parse_uri(url);
  if (!u || (u->scheme() != "http" && u->scheme() != "https") ||
      u->host().empty())
    return Error::invalid_field(
        "url", "上级节点地址须为 http:// 或 https:// 开头的网址：" + url);
  Target t;
  t.tls = u->scheme() == "https";
  t.host = std::string(u->host());
  t.port = u->has_port() ? u->port_number() : (t.tls ? 443 : 80);
  t.prefix = std::string(u->path());
  while (!t.prefix.empty() && t.prefix.back() == '/')
    t.prefix.pop_back();
  return t;
}

http::HttpClient client_for(const Target &t, const std::string &ca_file) {
  return t.tls ? http::HttpClient::tls(t.host, t.port, ca_file)
               : http::HttpClient(t.host, t.port);
}

// The message of an error answer, whatever answered (a proxy's error page,
// say): nothing here may throw.
std::string refusal(const http::HttpResult &r, const char *what) {
  const auto answer = r.json();
  const auto *obj = answer.if_object();
  const auto *err = obj ? obj->if_contains("error") : nullptr;
  const auto *msg = err && err->is_object()
                        ? err->as_object().if_contains("message")
                        : nullptr;
  return std::string(what) + "（HTTP " + std::to_string(r.status) + "）" +
         (msg && msg->is_string() ? "：" + std::string(msg->as_string())
                                  : std::string());
}

// Runs `one_lane` for each lane, priority first, against every parent that has
// a URL, stopping at a parent's first error, which is noted on its link.
template <class Fn>
PushReport with_each_parent(ExchangeService &exchange,
                            const std::vector<Peer> &peers,
                            const std::string &ca_file, Fn &&one_lane) {
  PushReport report;
  for (const auto &p : peers) {
    if (p.relation != "parent" || p.url.empty())
      continue;
    auto target = target_of(p.url);
    if (!target.ok()) {
      report.error = target.error().message;
      exchange.note_link_error(p.node_id, report.error);
      continue;
    }
    http::HttpClient client = client_for(*target, ca_file);
    for (Lane lane : {Lane::priority, Lane::bulk}) {
      one_lane(p, *target, client, lane, report);
      if (!report.error.empty())
        break;
    }
    if (!report.error.empty())
      exchange.note_link_error(p.node_id, report.error);
  }
  return report;
}

} // namespace

PushReport pull_from_parents(ExchangeService &exchange, Nodes &nodes,
                             const std::string &ca_file, int max_batches) {
  auto peers = nodes.peers();
  auto me = nodes.self();
  auto key = nodes.private_key();
  if (!peers.ok() || !me.ok() || !key.ok()) {
    PushReport report;
    report.error = !peers.ok() ? peers.error().message
                   : !me.ok()  ? me.error().message
                               : key.error().message;
    return report;
  }
  return with_each_parent(
      exchange, *peers, ca_file,
      [&](const Peer &p, const Target &target, http::HttpClient &client,
          Lane lane, PushReport &report) {
        for (int got = 0; got < max_batches;) {
          auto after = exchange.received_seq(p.node_id, lane);
          if (!after.ok()) {
            report.error = after.error().message;
            break;
          }
          auto body = sign_pull(PullRequest{me->node_id,
                                            p.node_id,
                                            lane,
                                            *after,
                                            now_ms(),
                                            me->fingerprint,
                                            {}},
                                *key);
          if (!body.ok()) {
            report.error = body.error().message;
            break;
          }
          http::HttpResult r;
          try {
            r = client.request("POST", target.prefix + "/api/v1/exchange/pull",
                               *body, {{"Content-Type", "application/json"}});
          } catch (const std::exception &e) {
            report.error =
                std::string("无法连接上级节点 ") + p.url + "：" + e.what();
            break;
          }
          if (r.status == 204)
            break;
          if (r.status != 200) {
            report.error = refusal(r, "上级节点拒绝拉取");
            break;
          }
          auto applied = exchange.receive(r.body, "https:" + p.url);
          if (!applied.ok()) {
            report.error =
                "上级节点发来的批次被拒收：" + applied.error().message;
            break;
          }
          ++got;
          report.batches += 1;
          report.changes += applied->applied;
          if (applied->duplicate || applied->waiting)
            break; // nothing new came: ask again next time
        }
      });
}

PushReport push_to_parents(ExchangeService &exchange, Nodes &nodes,
                           const std::string &ca_file, int max_batches) {
  auto peers = nodes.peers();
  if (!peers.ok()) {
    PushReport report;
    report.error = peers.error().message;
    return report;
  }
  return with_each_parent(
      exchange, *peers, ca_file,
      [&](const Peer &p, const Target &target, http::HttpClient &client,
          Lane lane, PushReport &report) {
        std::optional<std::int64_t> after;
        for (int sent = 0; sent < max_batches;) {
          auto batch = exchange.next_batch(p.node_id, lane, after);
          if (!batch.ok()) {
            report.error = batch.error().message;
            break;
          }
          if (batch->empty())
            break;
          auto m = peek_manifest(*batch);
          if (!m.ok())
            break;
          http::HttpResult r;
          try {
            r = client.request(
                "POST", target.prefix + "/api/v1/exchange/batches", *batch,
                {{"Content-Type", "application/octet-stream"}});
          } catch (const std::exception &e) {
            report.error =
                std::string("无法连接上级节点 ") + p.url + "：" + e.what();
            break;
          }
          if (r.status != 200) {
            report.error = refusal(r, "上级节点拒收批次");
            break;
          }
          const auto answer = r.json();
          const auto *obj = answer.if_object();
          const auto *waiting = obj ? obj->if_contains("waiting") : nullptr;
          if (waiting && waiting->is_bool() && waiting->as_bool()) {
            // The parent lost an earlier batch (restored, say): send again from
            // where it stands.
            const auto *from = obj->if_contains("expected_from");
            const std::int64_t expected =
                from && from->is_int64() ? from->as_int64() : 0;
            if (expected > m->from_seq || expected < 1) {
              report.error =
                  "上级节点期待的序号不合理：" + std::to_string(expected);
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
      });
}

} // namespace anjian::exchange
