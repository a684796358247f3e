#include "app/exchange_cli.h"

#include <cstdio>

#include "exchange/file_drop.h"

namespace anjian::app {

void add_exchange_commands(CLI::App& cli, ExchangeCli& x, const std::function<void(CLI::App*)>& add_common) {
  x.node = cli.add_subcommand("node", "本节点与上下级节点（数据交换）");
  x.node->require_subcommand(1);
  x.node_init = x.node->add_subcommand("init", "初始化本节点：标识、行政区划、名称，生成签名密钥");
  x.node_init->add_option("--region", x.region, "本节点的行政区划代码")->required();
  x.node_init->add_option("--id", x.id, "节点标识（默认为行政区划代码）");
  x.node_init->add_option("--name", x.name, "节点名称");
  x.node_init->add_option("--algorithm", x.algorithm, "签名算法：ed25519（默认）或 sm2（国密）")->check(CLI::IsMember({"ed25519", "sm2"}));
  x.node_show = x.node->add_subcommand("show", "显示本节点（含公钥，交给对端管理员登记）和已登记的节点");
  x.node_register = x.node->add_subcommand("register", "登记上级或下级节点及其公钥（再次登记新公钥即为更换）");
  x.node_register->add_option("--id", x.id, "对端节点标识")->required();
  x.node_register->add_option("--relation", x.relation, "parent（上级）或 child（下级）")->required()->check(CLI::IsMember({"parent", "child"}));
  x.node_register->add_option("--region", x.region, "对端的行政区划代码")->required();
  x.node_register->add_option("--public-key", x.public_key, "对端公钥（anjian node show 显示的一行）")->required();
  x.node_register->add_option("--name", x.name, "对端名称");
  x.node_register->add_option("--url", x.url, "对端地址（HTTPS 交换）");
  x.node_revoke = x.node->add_subcommand("revoke-key", "吊销对端的一把公钥：此后以它签名的批次一律拒收");
  x.node_revoke->add_option("--id", x.id, "对端节点标识")->required();
  x.node_revoke->add_option("--fingerprint", x.fingerprint, "公钥指纹")->required();
  x.node_rotate = x.node->add_subcommand("rotate-key", "更换本节点的签名密钥（新公钥须交对端登记）");
  for (auto* c : {x.node_init, x.node_show, x.node_register, x.node_revoke, x.node_rotate}) add_common(c);

  x.exchange = cli.add_subcommand("exchange", "数据交换");
  x.exchange->require_subcommand(1);
  x.status = x.exchange->add_subcommand("status", "各链路的滞后、积压与拒收");
  x.export_cmd = x.exchange->add_subcommand("export", "把待发批次写入文件夹（经网闸摆渡）");
  x.export_cmd->add_option("--to", x.dir, "目标文件夹")->required();
  x.export_cmd->add_option("--peer", x.peer, "只导出给该节点");
  x.export_cmd->add_option("--from", x.from, "从该序号起重新导出（对端缺失批次时）");
  x.import_cmd = x.exchange->add_subcommand("import", "接收文件夹中发给本节点的批次");
  x.import_cmd->add_option("DIR", x.dir, "来源文件夹")->required();
  for (auto* c : {x.status, x.export_cmd, x.import_cmd}) add_common(c);
}

bool exchange_command_given(const ExchangeCli& x) { return x.node->parsed() || x.exchange->parsed(); }

namespace {

void print_node(const exchange::NodeInfo& n) {
  std::printf("节点 %s（%s，%s，行政区划 %s）\n签名算法 %s，公钥指纹 %s\n公钥：%s\n", n.node_id.c_str(), n.name.c_str(),
              std::string(exchange::level_label(n.level)).c_str(), n.region_code.c_str(), n.algorithm.c_str(), n.fingerprint.c_str(),
              n.public_key.c_str());
}

}  // namespace

Result<int> run_exchange_command(const ExchangeCli& x, App& app) {
  auto& nodes = app.nodes();
  auto& exchange = app.exchange();
  const std::string by = "cli";
  if (x.node_init->parsed()) {
    ANJIAN_ASSIGN(const auto n, nodes.init(x.id, x.region, x.name,
                                           x.algorithm == "sm2" ? SignatureAlgorithm::sm2 : SignatureAlgorithm::ed25519, by));
    print_node(n);
    std::printf("请把上面的公钥交给上级（或下级）节点的管理员，用 anjian node register 登记。\n");
    return 0;
  }
  if (x.node_show->parsed()) {
    ANJIAN_ASSIGN(const auto n, nodes.self());
    print_node(n);
    ANJIAN_ASSIGN(const auto peers, nodes.peers());
    for (const auto& p : peers) {
      std::printf("%s %s（%s，行政区划 %s）%s\n", p.relation == "parent" ? "上级" : "下级", p.node_id.c_str(), p.name.c_str(),
                  p.region_code.c_str(), p.url.c_str());
      for (const auto& k : p.keys)
        std::printf("  公钥 %s %s %s\n", k.fingerprint.c_str(), k.algorithm.c_str(), k.state == "active" ? "有效" : "已吊销");
    }
    return 0;
  }
  if (x.node_register->parsed()) {
    const bool new_link = !nodes.peer(x.id).ok();
    ANJIAN_ASSIGN(const auto p, nodes.register_peer({x.id, x.relation, x.name, x.region, x.url, x.public_key}, by));
    // What this node already holds goes first on a new link (a new key or URL for a known peer
    // changes nothing of what it has had).
    if (new_link) ANJIAN_TRY(exchange.enqueue_snapshot(p.node_id));
    std::printf("已登记%s节点 %s（%s），公钥 %zu 把\n", p.relation == "parent" ? "上级" : "下级", p.node_id.c_str(), p.name.c_str(),
                p.keys.size());
    return 0;
  }
  if (x.node_revoke->parsed()) {
    ANJIAN_TRY(nodes.revoke_key(x.id, x.fingerprint, by));
    std::printf("已吊销节点 %s 的公钥 %s\n", x.id.c_str(), x.fingerprint.c_str());
    return 0;
  }
  if (x.node_rotate->parsed()) {
    ANJIAN_ASSIGN(const auto n, nodes.rotate_key(by));
    print_node(n);
    std::printf("请把新公钥交给对端管理员登记；旧私钥保存在 node.key.old。\n");
    return 0;
  }
  if (x.status->parsed()) {
    ANJIAN_ASSIGN(const auto links, exchange.links());
    if (links.empty()) std::printf("尚未登记任何上下级节点\n");
    for (const auto& l : links)
      std::printf("%s %s：积压 %lld，滞后 %lld 秒，拒收 %lld 批，已接收 %lld 条，最近联系 %s%s%s\n", l.direction == "up" ? "上级" : "下级",
                  l.node_id.c_str(), static_cast<long long>(l.backlog), static_cast<long long>(l.lag_s),
                  static_cast<long long>(l.refused_batches), static_cast<long long>(l.applied_changes),
                  l.last_contact_at ? format_minute(*l.last_contact_at).c_str() : "—", l.last_error.empty() ? "" : "；最近错误：",
                  l.last_error.c_str());
    return 0;
  }
  if (x.export_cmd->parsed()) {
    ANJIAN_ASSIGN(const auto r, exchange::export_batches(exchange, nodes, x.dir, x.peer,
                                                         x.from > 0 ? std::optional<std::int64_t>(x.from) : std::nullopt));
    std::printf("导出 %lld 个批次，%lld 条变更，到 %s\n", static_cast<long long>(r.files), static_cast<long long>(r.changes), x.dir.c_str());
    return 0;
  }
  if (x.import_cmd->parsed()) {
    ANJIAN_ASSIGN(const auto r, exchange::import_batches(exchange, nodes, x.dir));
    std::printf("接收 %lld 个批次（%lld 条变更），重复 %lld 个，等待前序批次 %lld 个，拒收 %lld 个\n",
                static_cast<long long>(r.applied_files), static_cast<long long>(r.changes), static_cast<long long>(r.duplicate_files),
                static_cast<long long>(r.waiting_files), static_cast<long long>(r.refused_files));
    for (const auto& why : r.refused) std::printf("拒收：%s\n", why.c_str());
    return r.refused_files > 0 ? 1 : 0;
  }
  return Error{"invalid_usage", "未知的命令", {}};
}

}  // namespace anjian::app
