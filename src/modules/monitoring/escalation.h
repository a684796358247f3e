#pragma once
// When a severe monitoring condition goes up to the regulator above (DOMAIN.md §8): by how long it
// lasts unrecovered, acknowledged or not; settings per condition ([monitoring] in the config file).
#include "base/time.h"

namespace anjian::monitoring {

// How long each severe condition may last unrecovered before it goes up a level (0: at once).
struct EscalationSettings {
  Millis unacknowledged_ms = 10 * 60'000;   // a highest-level alarm nobody acknowledged
  Millis no_power_off_ms = 0;               // 超限未断电: the most serious finding, at once
  Millis power_off_ms = 10 * 60'000;        // 断电 (anjian's, or the coal system's own)
  Millis gas_sensor_ms = 30 * 60'000;       // a methane or CO sensor offline or faulty (断线, 故障)
  Millis network_down_ms = 30 * 60'000;     // 联网中断 of a mine or gateway
};

}  // namespace anjian::monitoring
