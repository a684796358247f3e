#pragma once
// `anjian node init|show|register|revoke-key|rotate-key` and `anjian exchange status|export|import`:
// what an administrator types to join nodes and to carry batches through a 网闸's folders.
#include <CLI/CLI.hpp>

#include <functional>
#include <optional>
#include <string>

#include "app/app.h"

namespace anjian::app {

struct ExchangeCli {
  CLI::App *node = nullptr, *node_init = nullptr, *node_show = nullptr, *node_register = nullptr, *node_revoke = nullptr,
           *node_rotate = nullptr;
  CLI::App *exchange = nullptr, *status = nullptr, *export_cmd = nullptr, *import_cmd = nullptr;
  std::string id, region, name, algorithm = "ed25519", relation, public_key, url, fingerprint, dir, peer;
  std::int64_t from = 0;
};

// Adds the commands; `add_common` adds --config/--data/--db to each.
void add_exchange_commands(CLI::App& cli, ExchangeCli& x, const std::function<void(CLI::App*)>& add_common);
bool exchange_command_given(const ExchangeCli& x);
// Runs the given command: the exit code (0, or 1 when a batch was refused), or the error.
Result<int> run_exchange_command(const ExchangeCli& x, App& app);

}  // namespace anjian::app
