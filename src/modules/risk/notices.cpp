#include "modules/risk/notices.h"

#include <fmt/format.h>

namespace anjian::risk {

notification::Notification rose_to_red_notice(const LevelChange& ch) {
  notification::Notification n;
  n.region_code = ch.region_code;  // the enterprise's county: its regulator
  n.kind = "risk.rose_to_red";
  n.enterprise_uscc = ch.uscc;
  n.title = ch.enterprise_name + " 风险升至重大风险（红）";
  n.body = fmt::format("{}（{}）的动态风险由{}升至重大风险，{:g} 分。原因：{}。", ch.enterprise_name, ch.uscc,
                       ch.previous ? chinese(*ch.previous) : "未评估", ch.score.score,
                       main_reason(ch.score.override_reason, ch.score.breakdown));
  n.link = "/enterprises/" + ch.uscc + "?tab=risk";
  return n;
}

}  // namespace anjian::risk
