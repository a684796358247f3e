#pragma once
// The exchange's wiring: this node and its peers, the change feed, its routes, and the jobs of the
// file-drop transport. Opened after every module that shares records, so that the outbox triggers
// cover all of them.
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "exchange/nodes.h"
#include "exchange/service.h"
#include "modules/module.h"

namespace anjian::exchange {

struct ExchangeConfig {
  ExchangeSettings settings;
  // [exchange] inbox_dir: batches arriving through a 网闸 are taken from here; outbox_dir: batches
  // for the peers are written here (empty: that direction of the file drop is off).
  std::string inbox_dir, outbox_dir;
  // [exchange] push_interval_ms: how often pending batches go to the parent over HTTP(S) (0: never;
  // the parent's URL is the one registered with it); ca_file: trust only this CA for the parent.
  int push_interval_ms = 1000;
  std::string ca_file;
};

class ExchangeModule final : public modules::Module {
 public:
  ExchangeModule(std::string key_file, ExchangeConfig config) : key_file_(std::move(key_file)), config_(std::move(config)) {}
  std::string_view name() const override { return "exchange"; }
  Status open(modules::Context& ctx) override;
  void routes(http::Router& router, modules::Context& ctx) override;
  // The pusher: its own thread, so that an accident report does not wait for the jobs' tick.
  Status start(modules::Context& ctx) override;
  void stop() override;

 private:
  std::string key_file_;
  ExchangeConfig config_;
  std::thread pusher_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

}  // namespace anjian::exchange
