// Accident reports between nodes (issue 17): a county's 快报 and its 续报 travel up in the priority
// lane, ahead of any backlog, with the chain and the timeline as the county holds them. Above they
// are kept as replicas (the exchange's records, read through GET /api/v1/exchange/records): the
// province's own chain is the one its duty room works, and the report's owner stays the county.
#include <boost/json.hpp>

#include "modules/accident/service.h"

namespace anjian::accident {

exchange::SharedType AccidentService::shared_type() {
  exchange::SharedType t;
  t.type = "accident";
  t.label = "生产安全事故报告（快报、续报）";
  t.direction = exchange::Direction::up;
  t.lane = exchange::Lane::priority;
  t.tables = {{"accidents", "id"}, {"accident_hops", "accident_id"}, {"accident_events", "accident_id"}};
  t.region_column = "region_code";
  t.fields = {
      {"id", "报告编号", "string", false},           {"grade", "事故等级", "string", false},        {"kind", "事故类别（GB 6441）", "string", false},
      {"occurred_at", "发生时间", "date", false},    {"region_code", "发生地行政区划代码", "string", false},
      {"enterprise_uscc", "企业统一社会信用代码", "string", false},
      {"deaths", "死亡人数", "integer", false},       {"missing", "失踪人数", "integer", false},
      {"serious_injuries", "重伤人数（含急性工业中毒）", "integer", false}, {"minor_injuries", "轻伤人数", "integer", false},
      {"direct_loss_yuan", "直接经济损失（元）", "integer", false},
      {"reporter", "报告人（姓名、电话）", "json", true},
      {"hops", "报送链（各级接收、上报时间与时限）", "json", false},
      {"timeline", "续报、补报与处置记录", "json", false},
  };
  t.read = [this](db::Connection& c, const std::vector<std::string>& ids)
      -> Result<std::vector<std::pair<std::string, exchange::SharedType::Read>>> {
    std::vector<std::pair<std::string, exchange::SharedType::Read>> out;
    const Millis now = now_ms();
    for (const auto& id : ids) {
      auto a = load(c, id);
      if (!a.ok()) {
        if (a.error().code == "not_found") continue;  // deleted: a tombstone
        return a.take_error();
      }
      out.push_back({id, {a->region_code, to_json(*a, now, true)}});
    }
    return out;
  };
  return t;  // no apply: kept as a replica by the exchange
}

}  // namespace anjian::accident
