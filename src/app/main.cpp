// anjian: the work-safety supervision platform. Subcommands as in API.md, Command line.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <atomic>
#include <filesystem>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "app/app.h"
#include "base/json_text.h"
#include "app/demo.h"
#include "app/demo_federation.h"
#include "app/exchange_cli.h"
#include "app/ops_cli.h"
#include "app/service_notify.h"
#include "app/demo_monitoring.h"
#include "app/simulator.h"
#include "auth/password.h"
#include "http/server.h"
#include "modules/enforcement/draw_rules.h"
#include "modules/enterprise/import.h"
#include "modules/hidden_danger/import.h"

using namespace anjian;

namespace {
constexpr int kOk = 0, kFailure = 1, kUsage = 2;

int fail(const Error& e, int code = kFailure) {
  std::cerr << "anjian: " << e.message;
  if (!e.field.empty()) std::cerr << " (" << e.field << ")";
  std::cerr << " [" << e.code << "]\n";
  return code;
}

// Bad input is exit 2, the rest 1 (API.md).
int exit_code_for(const Error& e) {
  return e.code.starts_with("invalid") || e.code == "weak_password" || e.code == "unknown_region" ||
                 e.code == "not_found" || e.code == "conflict"
             ? kUsage
             : kFailure;
}

void print_ready(std::uint16_t port, const app::Config& c) {
  auto listen = app::split_listen(c.listen);
  std::printf("anjian listening on http://%s:%u\n", listen->first.c_str(), port);
  std::fflush(stdout);
}

auth::Principal cli_principal() {
  auth::Principal p;
  p.user_id = "cli";
  p.username = "cli";
  p.org_kind = "regulator";
  p.roles = {"admin"};
  p.scope = auth::Scope::all();
  return p;
}

Result<std::unique_ptr<app::App>> open_app(const app::Flags& flags) {
  auto config = app::load_config(flags);
  if (!config.ok()) return config.take_error();
  return app::App::open(*config);
}

int serve(app::App& a) {
  http::StopSignals signals;
  auto bootstrap = a.identity().bootstrap_admins(std::getenv("ANJIAN_ADMIN_PASSWORD")
                                                     ? std::optional<std::string>(std::getenv("ANJIAN_ADMIN_PASSWORD"))
                                                     : std::nullopt);
  if (!bootstrap.ok()) return fail(bootstrap.error());
  for (const auto& b : *bootstrap) {
    if (b.password.empty()) std::printf("created user %s (%s)\n", b.username.c_str(), b.role.c_str());
    else std::printf("created user %s (%s) with password %s (shown once; it must be changed at the first login)\n", b.username.c_str(),
                     b.role.c_str(), b.password.c_str());
  }
  auto port = a.start_http();
  if (!port.ok()) return fail(port.error());
  print_ready(*port, a.config());
  app::notify_service_manager("READY=1");
  signals.wait();
  app::notify_service_manager("STOPPING=1");
  a.stop_http();
  return kOk;
}
}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"anjian 安监 — 安全生产监管信息平台"};
  cli.require_subcommand(1);
  app::Flags flags;
  auto add_common = [&](CLI::App* sub) {
    sub->add_option("--config", flags.config_file, "TOML 配置文件");
    sub->add_option("--data", flags.data_dir, "数据目录（默认 ./var）");
    sub->add_option("--db", flags.db_url, "数据库：sqlite:PATH 或 postgres://user:pass@host:port/db");
  };

  auto* serve_cmd = cli.add_subcommand("serve", "启动服务");
  add_common(serve_cmd);
  serve_cmd->add_option("--listen", flags.listen, "监听地址 HOST:PORT（默认 127.0.0.1:8080）");
  serve_cmd->add_option("--web", flags.web_dir, "Web 控制台目录（默认 web/dist）");
  serve_cmd->add_option("--mqtt", flags.mqtt_url, "订阅 MQTT 读数：tcp://HOST:PORT");
  serve_cmd->add_option("--coal-dir", flags.coal_dir, "监视该目录中的煤矿联网文件");

  auto* migrate_cmd = cli.add_subcommand("migrate", "执行数据库迁移");
  add_common(migrate_cmd);

  auto* demo_cmd = cli.add_subcommand("demo", "以生成的演示省份数据启动服务");
  add_common(demo_cmd);
  demo_cmd->add_option("--listen", flags.listen, "监听地址 HOST:PORT");
  demo_cmd->add_option("--web", flags.web_dir, "Web 控制台目录");
  demo_cmd->add_option("--mqtt", flags.mqtt_url, "订阅 MQTT 读数：tcp://HOST:PORT");
  app::DemoOptions demo;
  demo_cmd->add_option("--province", demo.province, "省级行政区划代码（默认 330000 浙江）");
  demo_cmd->add_option("--seed", demo.seed, "随机种子");
  demo_cmd->add_option("--enterprises", demo.enterprises, "企业数量（默认 2000）");
  bool demo_federation = false;
  demo_cmd->add_flag("--federation", demo_federation, "联网演示：省级节点在 PORT，其一个区县节点在 PORT+1，互相登记并交换数据");
  bool demo_only = false;
  demo_cmd->add_flag("--generate-only", demo_only, "只生成数据，不启动服务");
  double demo_rate = -1;
  demo_cmd->add_option("--simulate-rate", demo_rate, "内置模拟器每秒读数（默认每个测点 10 秒一条；0 关闭）");

  auto* sim_cmd = cli.add_subcommand("simulate", "模拟企业传感器网关上传读数（演示与压测）");
  app::SimulateOptions sim;
  sim_cmd->add_option("--target", sim.target, "anjian 的地址（默认 http://127.0.0.1:8080）");
  sim_cmd->add_option("--user", sim.username, "登录的监管用户（能看到企业的用户，如单位管理员）");
  sim_cmd->add_option("--password", sim.password, "其密码（或环境变量 ANJIAN_PASSWORD）");
  sim_cmd->add_option("--enterprises", sim.enterprises, "企业数（默认：所有已有测点的企业）");
  sim_cmd->add_option("--points-per-enterprise", sim.points_per_enterprise, "每家企业的测点数（不足则定义储罐液位测点）");
  sim_cmd->add_option("--rate", sim.rate, "每秒读数（默认 100）");
  sim_cmd->add_option("--duration", sim.duration_s, "运行秒数（默认一直运行）");
  sim_cmd->add_option("--connections", sim.connections, "HTTP 连接数（默认 4）");
  sim_cmd->add_option("--mqtt", sim.mqtt, "改为发布到 MQTT：tcp://HOST:PORT");
  sim_cmd->add_option("--mqtt-password", sim.mqtt_password, "网关在代理上的口令（用户名为统一社会信用代码）");
  sim_cmd->add_option("--seed", sim.seed, "随机种子");

  auto* user_cmd = cli.add_subcommand("user", "用户管理");
  user_cmd->require_subcommand(1);
  std::string username, password, display_name, org_id, roles;
  auto* user_add = user_cmd->add_subcommand("add", "新建用户");
  add_common(user_add);
  user_add->add_option("username", username)->required();
  user_add->add_option("--password", password, "密码（或环境变量 ANJIAN_PASSWORD）");
  user_add->add_option("--name", display_name, "姓名");
  user_add->add_option("--org", org_id, "机构 ID")->required();
  user_add->add_option("--roles", roles, "角色，逗号分隔")->required();
  auto* user_passwd = user_cmd->add_subcommand("passwd", "重置密码");
  add_common(user_passwd);
  user_passwd->add_option("username", username)->required();
  user_passwd->add_option("--password", password, "新密码（或环境变量 ANJIAN_PASSWORD）");
  auto* user_disable = user_cmd->add_subcommand("disable", "停用用户");
  add_common(user_disable);
  user_disable->add_option("username", username)->required();

  auto* import_cmd = cli.add_subcommand("import", "批量导入");
  import_cmd->require_subcommand(1);
  auto* import_ent = import_cmd->add_subcommand("enterprises", "导入企业（CSV，UTF-8 或 GB18030）");
  add_common(import_ent);
  std::string file;
  enterprise::ImportOptions import_options;
  bool json_report = false;
  import_ent->add_option("FILE", file)->required();
  import_ent->add_flag("--dry-run", import_options.dry_run, "只检查，不写入");
  import_ent->add_flag("--all-or-nothing", import_options.all_or_nothing, "有任何错误则一行也不导入");
  import_ent->add_flag("--json", json_report, "以 JSON 输出报告");
  auto* import_hd = import_cmd->add_subcommand("hidden-dangers", "导入原系统的隐患台账（CSV：UTF-8 或 GB18030；XLSX）");
  add_common(import_hd);
  import_hd->add_option("FILE", file)->required();
  import_hd->add_flag("--dry-run", import_options.dry_run, "只检查，不写入");
  import_hd->add_flag("--all-or-nothing", import_options.all_or_nothing, "有任何错误则一行也不导入");
  import_hd->add_flag("--json", json_report, "以 JSON 输出报告");

  auto* audit_cmd = cli.add_subcommand("audit", "审计日志");
  audit_cmd->require_subcommand(1);
  auto* audit_verify = audit_cmd->add_subcommand("verify", "校验审计日志的哈希链");
  add_common(audit_verify);
  std::string audit_archive_dir;
  audit_verify->add_option("--archive", audit_archive_dir, "连同该目录中的归档文件一起，从第 1 条记录校验到最新一条");

  auto* draw_cmd = cli.add_subcommand("draw", "双随机抽取");
  draw_cmd->require_subcommand(1);
  auto* draw_verify = draw_cmd->add_subcommand("verify", "按导出的抽取记录重新抽取并核对（不需要数据库）");
  std::string draw_file;
  draw_verify->add_option("FILE", draw_file, "抽取记录（JSON，GET /api/v1/draws/{id}/record 导出）")->required();

  app::ExchangeCli exchange_cli;
  app::add_exchange_commands(cli, exchange_cli, add_common);

  app::OpsCli ops_cli;
  app::add_ops_commands(cli, ops_cli, add_common);

  cli.add_subcommand("version", "显示版本");

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e) == 0 ? kOk : kUsage;
  }

  if (cli.got_subcommand("version")) {
    std::printf("anjian %s\n", ANJIAN_VERSION);
    return kOk;
  }
  if (draw_verify->parsed()) {
    // Anyone outside can check a draw: from the record alone, no database, no server.
    std::ifstream in(draw_file, std::ios::binary);
    if (!in) return fail({"invalid_file", "无法读取文件：" + draw_file, "FILE"}, kUsage);
    std::ostringstream text;
    text << in.rdbuf();
    boost::system::error_code ec;
    auto parsed = boost::json::parse(text.str(), ec);
    if (ec || !parsed.is_object()) return fail({"invalid_json", "抽取记录不是 JSON 对象", "FILE"}, kUsage);
    auto record = enforcement::record_from_json(parsed.as_object());
    if (!record.ok()) return fail(record.error(), kUsage);
    const std::string differs = enforcement::verify(*record);
    if (!differs.empty()) {
      std::printf("不一致：%s\n", differs.c_str());
      return kFailure;
    }
    std::printf("一致：结果由记录中的输入和种子按 %s 得出（%zu 个检查对象）\n", record->algorithm.c_str(), record->result.size());
    return kOk;
  }
  if (app::ops_command_given(ops_cli) && !ops_cli.keys_rotate->parsed()) {
    app::init_logging(true);
    return app::run_ops_command(ops_cli, flags);
  }
  if (cli.got_subcommand(sim_cmd)) {
    app::init_logging();
    if (sim.password.empty() && std::getenv("ANJIAN_PASSWORD")) sim.password = std::getenv("ANJIAN_PASSWORD");
    static std::atomic<bool> stop{false};
    std::signal(SIGINT, [](int) { stop = true; });
    std::signal(SIGTERM, [](int) { stop = true; });
    auto stats = app::simulate(sim, stop, [](const app::SimulateStats& s) {
      std::printf("%.0f s: sent %lu, accepted %lu (%.0f/s), alarms %lu, failed requests %lu\n", s.seconds, s.sent, s.accepted,
                  s.seconds > 0 ? static_cast<double>(s.accepted) / s.seconds : 0.0, s.alarms_raised, s.failures);
      std::fflush(stdout);
    });
    if (!stats.ok()) return fail(stats.error(), stats.error().code == "invalid_config" ? kUsage : kFailure);
    std::printf("simulated %zu points of %zu enterprises for %.1f s: sent %lu, accepted %lu (%.0f readings/s), duplicates %lu, "
                "rejected %lu, alarms raised %lu, requests %lu, failed %lu\n",
                stats->points, stats->enterprises, stats->seconds, stats->sent, stats->accepted,
                stats->seconds > 0 ? static_cast<double>(stats->accepted) / stats->seconds : 0.0, stats->duplicates,
                stats->rejected, stats->alarms_raised, stats->requests, stats->failures);
    return stats->failures == 0 ? kOk : kFailure;
  }
  if (!cli.got_subcommand(serve_cmd) && !cli.got_subcommand(demo_cmd)) app::init_logging(true);
  // The demo's platform administrators log in with the printed password alone, so that one can look
  // around at once; each can still enrol TOTP under 两步验证. A deployment (serve) requires it.
  if (cli.got_subcommand(demo_cmd)) setenv("ANJIAN_ADMINS_NEED_SECOND_FACTOR", "0", 0);
  if (cli.got_subcommand(demo_cmd) && demo_federation) {
    app::init_logging();
    auto config = app::load_config(flags);
    if (!config.ok()) return fail(config.error(), kUsage);
    return app::run_federation_demo(*config, demo);
  }

  auto a = open_app(flags);
  if (!a.ok()) return fail(a.error(), a.error().code == "invalid_config" ? kUsage : kFailure);
  app::App& app = **a;

  if (cli.got_subcommand(migrate_cmd)) {
    std::printf("database %s is up to date\n", app.db().describe().c_str());
    return kOk;
  }
  if (cli.got_subcommand(serve_cmd)) return serve(app);
  if (cli.got_subcommand(demo_cmd)) {
    // The demo's admin starts with the demo's password (printed in the block below), no change asked.
    auto pw = app.identity().bootstrap_admins(std::getenv("ANJIAN_ADMIN_PASSWORD") ? std::string(std::getenv("ANJIAN_ADMIN_PASSWORD")) : demo.password,
                                              false);
    if (!pw.ok()) return fail(pw.error());
    auto summary = app::generate_demo(app, demo);
    if (!summary.ok()) return fail(summary.error(), exit_code_for(summary.error()));
    std::printf("演示数据：%zu 家企业%s\n", summary->enterprises, summary->created ? "（新生成）" : "（已存在）");
    std::fflush(stdout);
    if (demo_only) {
      std::printf("登录账号（演示密码均为 %s）：\n", demo.password.c_str());
      for (const auto& l : summary->logins) std::printf("  %-22s %-20s %s\n", l.username.c_str(), l.role.c_str(), l.org.c_str());
      return kOk;
    }
    // The access log goes to a file under the data folder: the terminal keeps the short block below.
    const std::string access_log = (std::filesystem::path(app.config().data_dir) / "access.log").string();
    if (app.config().access_log)
      if (auto s = app::log_access_to(access_log); !s.ok()) return fail(s.error());
    http::StopSignals signals;
    auto port = app.start_http();
    if (!port.ok()) return fail(port.error());
    print_ready(*port, app.config());
    const auto listen = app::split_listen(app.config().listen);
    const std::string url = "http://" + (listen.ok() ? listen->first : std::string("127.0.0.1")) + ":" + std::to_string(*port);
    std::printf("\n  安监演示已启动：%s\n", url.c_str());
    std::printf("  试用账号（密码均为 %s）：\n", demo.password.c_str());
    for (const std::string level : {"province", "city", "county", "department"})
      for (const auto& l : summary->logins)
        if (l.level == level && l.role == (level == "province" ? "admin" : level == "department" ? "leader" : "inspector")) {
          std::printf("    %-6s %-20s %s\n", level == "province" ? "省级" : level == "city" ? "市级" : level == "county" ? "区县级" : "部门",
                      l.username.c_str(), l.org.c_str());
          break;
        }
    std::printf("    平台管理员（三权分立）：admin 系统管理员、secadmin 安全管理员、auditadmin 审计管理员\n");
    for (const auto& b : *pw)
      if (!b.password.empty()) std::printf("  %s 的密码：%s\n", b.username.c_str(), b.password.c_str());
    std::printf("  全部演示账号：build/anjian demo --generate-only 列出；访问日志：%s\n\n", app.config().access_log ? access_log.c_str() : "（已关闭）");
    std::fflush(stdout);
    // The demo's gateways: live readings and now and then an alarm, through the real HTTP door.
    std::atomic<bool> stop_sim{false};
    std::thread simulator;
    if (demo_rate != 0) {
      app::SimulateOptions o;
      o.target = "http://127.0.0.1:" + std::to_string(*port);
      o.username = "p" + demo.province + "_admin";
      o.password = demo.password;
      o.rate = demo_rate > 0 ? demo_rate : std::max(1.0, static_cast<double>(summary->points) / 10.0);
      o.connections = 2;
      // One mine stays silent: its 联网中断 is there to be found.
      if (auto silent = app::demo_silent_mines(app); silent.ok()) o.silent_enterprises.insert(silent->begin(), silent->end());
      simulator = std::thread([o, &stop_sim] {
        auto s = app::simulate(o, stop_sim);
        if (!s.ok()) spdlog::warn("demo simulator stopped: {}", s.error().message);
      });
    }
    signals.wait();
    // The simulator first, while the server still answers: it revokes its keys as it stops.
    stop_sim = true;
    if (simulator.joinable()) simulator.join();
    app.stop_http();
    return kOk;
  }
  if (cli.got_subcommand(import_cmd)) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return fail({"invalid_file", "无法读取文件：" + file, "FILE"}, kUsage);
    std::ostringstream ss;
    ss << in.rdbuf();
    auto report = import_hd->parsed()
                      ? hidden_danger::import_hidden_dangers(app.hidden_dangers(), app.db(), app.audit(), cli_principal(), ss.str(),
                                                             import_options, "cli")
                      : enterprise::import_enterprises(app.enterprises(), cli_principal(), ss.str(), import_options);
    if (!report.ok()) return fail(report.error(), exit_code_for(report.error()));
    if (json_report) std::printf("%s\n", json_text(anjian::to_json(*report)).c_str());
    else std::printf("%s", anjian::to_text(*report).c_str());
    return report->issues.empty() ? kOk : kUsage;
  }
  if (ops_cli.keys_rotate->parsed()) return app::run_keys_rotate(ops_cli, app);
  if (app::exchange_command_given(exchange_cli)) {
    auto r = app::run_exchange_command(exchange_cli, app);
    if (!r.ok()) return fail(r.error(), exit_code_for(r.error()));
    return *r;
  }
  if (cli.got_subcommand(audit_cmd)) {
    auto r = audit_archive_dir.empty()
                 ? app.audit().verify()
                 : audit::verify_with_archive(app.audit(), audit_archive_dir, app::audit_archive_of(app.config()).key_file);
    if (!r.ok()) return fail(r.error(), exit_code_for(r.error()));
    auto boundary = app.audit().boundary();
    if (r->ok) {
      if (r->archived > 0)
        std::printf("审计日志完整：归档 %lld 条、在线 %lld 条，哈希链从第 1 条到最新一条校验通过\n", static_cast<long long>(r->archived),
                    static_cast<long long>(r->records - r->archived));
      else if (boundary.ok() && boundary->seq > 0)
        std::printf("在线审计日志完整：%lld 条记录（序号 %lld 起；更早的已归档，用 --archive 目录一并校验）\n",
                    static_cast<long long>(r->records), static_cast<long long>(boundary->seq + 1));
      else
        std::printf("审计日志完整：%lld 条记录，哈希链校验通过\n", static_cast<long long>(r->records));
      return kOk;
    }
    std::printf("审计日志校验失败：%s（共 %lld 条记录）\n", r->problem.c_str(), static_cast<long long>(r->records));
    return kFailure;
  }
  if (cli.got_subcommand(user_cmd)) {
    if (password.empty() && std::getenv("ANJIAN_PASSWORD")) password = std::getenv("ANJIAN_PASSWORD");
    auto who = cli_principal();
    auto users = app.identity().list_users(auth::Scope::all());
    if (!users.ok()) return fail(users.error());
    const auth::User* found = nullptr;
    for (const auto& u : *users)
      if (u.username == username) found = &u;
    if (user_cmd->got_subcommand(user_add)) {
      auth::NewUser u{username, password, display_name.empty() ? username : display_name, org_id, {}, true};
      std::stringstream rs(roles);
      for (std::string r; std::getline(rs, r, ',');) u.roles.push_back(r);
      auto made = app.identity().create_user(who, u, "cli");
      if (!made.ok()) return fail(made.error(), exit_code_for(made.error()));
      std::printf("created user %s (%s)\n", made->username.c_str(), made->id.c_str());
      return kOk;
    }
    if (!found) return fail({"not_found", "用户不存在：" + username, "username"}, kUsage);
    if (user_cmd->got_subcommand(user_passwd)) {
      auto s = app.identity().reset_password(who, found->id, password, "cli");
      if (!s.ok()) return fail(s.error(), exit_code_for(s.error()));
      std::printf("password of %s reset; it must be changed at the next login\n", username.c_str());
      return kOk;
    }
    auto u = app.identity().update_user(who, found->id, found->version, std::nullopt, std::nullopt, true, "cli");
    if (!u.ok()) return fail(u.error(), exit_code_for(u.error()));
    std::printf("user %s disabled\n", username.c_str());
    return kOk;
  }
  return kUsage;
}
