#pragma once
// What an IT office types: `anjian backup --to FILE`, `anjian restore FILE --data DIR`,
// `anjian keys init|rotate`. They run beside a serving anjian (backup reads a snapshot, rotation
// re-seals in small transactions) and do not start one.
#include <CLI/CLI.hpp>

#include <functional>
#include <string>

#include "app/app.h"
#include "app/config.h"

namespace anjian::app {

struct OpsCli {
  CLI::App *backup = nullptr, *restore = nullptr, *keys = nullptr, *keys_init = nullptr, *keys_rotate = nullptr;
  std::string to, file, key_file, restore_data, restore_db;
  bool drop_old = false;
};

void add_ops_commands(CLI::App& cli, OpsCli& o, const std::function<void(CLI::App*)>& add_common);
bool ops_command_given(const OpsCli& o);
// Runs the given command with the loaded settings: the process's exit code (0, 1, 2).
int run_ops_command(const OpsCli& o, const Flags& flags);
// `anjian keys rotate`: a new current key first in the key file, every sealed value re-sealed
// with it (a running server picks the new key up within seconds), the old keys dropped on asking.
int run_keys_rotate(const OpsCli& o, App& app);

}  // namespace anjian::app
