#include "app/ops_cli.h"

#include <cstdio>
#include <filesystem>
#include <thread>
#include <iostream>

#include "app/backup.h"
#include "auth/keyring.h"
#include "auth/personal_data.h"
#include "base/crypto.h"
#include "base/time.h"
#include "files/durable_file.h"

namespace anjian::app {

void add_ops_commands(CLI::App& cli, OpsCli& o, const std::function<void(CLI::App*)>& add_common) {
  o.backup = cli.add_subcommand("backup", "在线备份：数据库快照、证据文件、节点密钥与配置，压缩并以 SM3 校验（可 SM4 加密）");
  add_common(o.backup);
  o.backup->add_option("--to", o.to, "备份文件")->required();
  o.backup->add_option("--key-file", o.key_file, "SM4 密钥文件（默认 [backup] key_file；不给则不加密）");

  o.restore = cli.add_subcommand("restore", "把备份恢复到一个空目录（先校验，损坏的备份一字不写）");
  o.restore->add_option("FILE", o.file, "备份文件")->required();
  o.restore->add_option("--data", o.restore_data, "恢复到的数据目录（须为空或不存在）")->required();
  o.restore->add_option("--db", o.restore_db, "PostgreSQL 备份：恢复到的空数据库 postgres://…");
  o.restore->add_option("--key-file", o.key_file, "加密备份的 SM4 密钥文件");

  o.keys = cli.add_subcommand("keys", "个人信息加密密钥（SM4）");
  o.keys->require_subcommand(1);
  o.keys_init = o.keys->add_subcommand("init", "生成新的密钥文件（0600；用于个人信息或备份加密）");
  o.keys_init->add_option("--to", o.to, "密钥文件")->required();
  o.keys_rotate = o.keys->add_subcommand("rotate", "更换当前密钥并把个人信息重新加密（服务运行时可执行）");
  add_common(o.keys_rotate);
  o.keys_rotate->add_flag("--drop-old", o.drop_old, "重新加密完成后从密钥文件中删去旧密钥");
}

bool ops_command_given(const OpsCli& o) { return o.backup->parsed() || o.restore->parsed() || o.keys->parsed(); }

namespace {
int fail(const Error& e) {
  std::cerr << "anjian: " << e.message;
  if (!e.field.empty()) std::cerr << " (" << e.field << ")";
  std::cerr << " [" << e.code << "]\n";
  return e.code.starts_with("invalid") || e.code == "conflict" || e.code == "not_found" ? 2 : 1;
}

Result<std::optional<sm4::Key>> backup_key(const std::string& path) {
  if (path.empty()) return std::optional<sm4::Key>();
  auto ring = auth::Keyring::load(path);
  if (!ring.ok()) return ring.take_error();
  return std::optional<sm4::Key>(ring->current());
}
}  // namespace

int run_ops_command(const OpsCli& o, const Flags& flags) {
  if (o.keys_init && o.keys_init->parsed()) {
    // Never over an existing key file: what it sealed would be lost with it.
    if (std::filesystem::exists(o.to)) return fail({"conflict", "密钥文件已存在，不覆盖：" + o.to, "to"});
    auto s = files::write_file_durably(o.to, auth::Keyring::generate_text(), 0600, files::IfExists::keep);
    if (!s.ok()) return fail({"storage_error", "无法写密钥文件 " + o.to + "：" + s.error().message, ""});
    std::printf("密钥文件已生成：%s（权限 0600）。请另行离线保存一份：丢失它，用它加密的数据与备份将无法恢复。\n", o.to.c_str());
    return 0;
  }
  if (o.restore->parsed()) {
    auto key = backup_key(o.key_file);
    if (!key.ok()) return fail(key.error());
    auto r = restore_backup(o.file, {o.restore_data, o.restore_db, *key});
    if (!r.ok()) return fail(r.error());
    std::printf("已恢复 %llu 个条目（%s 备份，生成于 %s）到 %s\n", static_cast<unsigned long long>(r->entries),
                r->backend == "postgres" ? "PostgreSQL" : "SQLite",
                parse_instant(r->created_at) ? format_minute(*parse_instant(r->created_at)).c_str() : r->created_at.c_str(),
                o.restore_data.c_str());
    if (r->backend == "postgres" && !r->database_file.empty())
      std::printf("数据库转储留在 %s：以 pg_restore --no-owner --dbname postgres://… %s 恢复到空数据库\n", r->database_file.c_str(),
                  r->database_file.c_str());
    if (r->settings_restored) std::printf("配置文件在 %s/settings/anjian.toml，请核对其中的路径后使用\n", o.restore_data.c_str());
    return 0;
  }
  auto config = load_config(flags);
  if (!config.ok()) return fail(config.error());
  if (o.backup->parsed()) {
    auto key = backup_key(!o.key_file.empty() ? o.key_file : config->backup.key_file);
    if (!key.ok()) return fail(key.error());
    auto r = make_backup({config->data_dir, config->db_url, config->config_file, keys_file_of(*config), *key}, o.to);
    if (!r.ok()) return fail(r.error());
    if (!key->has_value())
      std::printf("注意：备份未加密，个人信息密钥（%s）未放入备份，请另行保存；恢复后放回原处，或以 [security] keys_file 指向它\n",
                  keys_file_of(*config).c_str());
    std::printf("备份完成：%s，%llu 个条目，%.1f MB，用时 %.1f 秒%s\nSM3 %s\n", o.to.c_str(), static_cast<unsigned long long>(r->entries),
                static_cast<double>(r->bytes) / 1e6, static_cast<double>(r->took_ms) / 1000, key->has_value() ? "，已 SM4 加密" : "",
                r->digest.c_str());
    return 0;
  }
  return 2;
}

int run_keys_rotate(const OpsCli& o, App& app) {
  auto& pd = auth::PersonalData::instance();
  const std::string path = keys_file_of(app.config());
  auto ring = auth::Keyring::load(path);
  if (!ring.ok()) return fail(ring.error());
  std::string date = format_date(today_shanghai(now_ms()));
  std::erase(date, '-');
  const std::string id_clean = "k" + date + random_hex(2);  // k20261202a7: when, and apart from another the same day
  if (auto s = files::write_file_durably(path, ring->text_with_new_key(id_clean), 0600); !s.ok()) return fail(s.error());
  const Millis written = now_ms();
  std::printf("新密钥 %s 已写入 %s；正在重新加密……\n", id_clean.c_str(), path.c_str());
  std::fflush(stdout);
  if (pd.current_key_id() != id_clean) return fail({"storage_error", "新密钥未能生效", ""});
  // Until every server has switched (they re-read the file within kReloadEveryMs), one may still
  // seal with the old key: passes go on until one finds nothing and that time has passed.
  std::int64_t total = 0, unreadable = 0;
  for (;;) {
    auto r = auth::reseal_columns(app.db());
    if (!r.ok()) return fail(r.error());
    total += r->resealed;
    unreadable = r->unreadable;
    if (r->resealed == 0 && now_ms() - written > 2 * auth::PersonalData::kReloadEveryMs) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  std::printf("已以新密钥重新加密 %lld 个值%s\n", static_cast<long long>(total),
              unreadable ? ("；" + std::to_string(unreadable) + " 个值无法解密，保持原样").c_str() : "");
  if (o.drop_old) {
    auto now_ring = auth::Keyring::load(path);
    if (!now_ring.ok()) return fail(now_ring.error());
    if (unreadable > 0) return fail({"conflict", "仍有无法解密的值，未删除旧密钥", ""});
    if (auto s = files::write_file_durably(path, now_ring->text_current_only(), 0600); !s.ok()) return fail(s.error());
    std::printf("旧密钥已从 %s 删除\n", path.c_str());
  }
  return 0;
}

}  // namespace anjian::app
