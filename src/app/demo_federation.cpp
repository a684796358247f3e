#include "app/demo_federation.h"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include <cstdio>
#include <filesystem>

#include "app/app.h"
#include "http/server.h"

namespace anjian::app {
namespace json = boost::json;
namespace fs = std::filesystem;
namespace {

int fail(const std::string& what, const Error& e) {
  std::fprintf(stderr, "anjian: %s：%s [%s]\n", what.c_str(), e.message.c_str(), e.code.c_str());
  return 1;
}

// The county node's own regulator, its users (the demo's names, so that one login works on both
// nodes) and a few enterprises of its own (codes the province's demo does not use).
Status seed_county(App& county, const std::string& region, const std::string& region_name, const DemoOptions& demo) {
  const auto system = auth::system_principal("demo");
  auto orgs = county.identity().list_orgs(auth::Scope::all());
  if (!orgs.ok()) return orgs.take_error();
  for (const auto& o : *orgs)
    if (o.region_code == region) return {};  // seeded before
  auth::Org org;
  org.name = region_name + "应急管理局";
  org.kind = "regulator";
  org.level = "county";
  org.region_code = region;
  org.regulator_kind = "emergency";
  ANJIAN_ASSIGN(const auth::Org made, county.identity().create_org(system, org, "demo"));
  for (const auto& [suffix, role, title] : {std::tuple{"_admin", "admin", "管理员"}, std::tuple{"_inspector", "inspector", "执法人员"}}) {
    auth::NewUser u{"x" + region + suffix, demo.password, org.name + title, made.id, {role}, false};
    ANJIAN_TRY(county.identity().create_user(system, u, "demo"));
  }
  const char* names[] = {"联网演示化工有限公司", "联网演示仓储有限公司", "联网演示机械制造有限公司"};
  for (size_t i = 0; i < 3; ++i) {
    json::object fields{{"uscc", make_uscc(region, 9'000'000 + i)}, {"name", region_name + names[i]}, {"region_code", region},
                        {"industry", i == 0 ? "hazchem_use" : i == 1 ? "hazchem_operation" : "machinery"}};
    ANJIAN_TRY(county.enterprises().create(system, fields, "demo"));
  }
  // Supervision records of its own, so that the province's 下级报送的数据 shows them at once: a
  // hazard source, a 重大 hidden danger (the priority lane) and a 一般 one.
  const std::string chem = make_uscc(region, 9'000'000);
  ANJIAN_TRY(county.hazards().create(system, json::object{{"enterprise_uscc", chem}, {"code", "HS01"}, {"name", "液氯储罐区"}, {"kind", "tank_farm"},
                                                          {"substances", json::array{json::object{{"name", "液氯"}, {"cas", "7782-50-5"}, {"quantity_t", 30}}}}},
                                     "demo"));
  const Millis now = now_ms();
  ANJIAN_TRY(county.hidden_dangers().report(system, json::object{{"enterprise_uscc", chem}, {"description", "液氯储罐区未设置紧急切断装置"},
                                                                  {"grade", "major"}, {"major_reason", "涉及毒性气体的储罐区未设置紧急切断装置"},
                                                                  {"found_by", "inspection"}, {"found_at", format_iso(now - 86'400'000)}},
                                            "demo"));
  ANJIAN_TRY(county.hidden_dangers().report(system, json::object{{"enterprise_uscc", chem}, {"description", "配电室应急照明损坏"}, {"grade", "general"},
                                                                  {"found_by", "self_inspection"}, {"found_at", format_iso(now - 3 * 86'400'000)}},
                                            "demo"));
  return {};
}

Status join(App& province, App& county, const std::string& province_url, const std::string& county_url) {
  ANJIAN_ASSIGN(const auto p, province.nodes().self());
  ANJIAN_ASSIGN(const auto c, county.nodes().self());
  // Registering again only updates the address; the first time, what the county holds goes first.
  const bool new_link = !county.nodes().peer(p.node_id).ok();
  ANJIAN_TRY(province.nodes().register_peer({c.node_id, "child", c.name, c.region_code, county_url, c.public_key}, "demo"));
  ANJIAN_TRY(county.nodes().register_peer({p.node_id, "parent", p.name, p.region_code, province_url, p.public_key}, "demo"));
  if (new_link) ANJIAN_TRY(county.exchange().enqueue_snapshot(p.node_id));
  return {};
}

}  // namespace

int run_federation_demo(const Config& base, const DemoOptions& demo) {
  auto listen = split_listen(base.listen);
  if (!listen.ok()) return fail("监听地址", listen.error());
  const std::string host = listen->first;
  const std::uint16_t port = listen->second;  // 0: both on free ports (tests)

  Config pc = base, cc = base;
  pc.data_dir = (fs::path(base.data_dir) / "province").string();
  cc.data_dir = (fs::path(base.data_dir) / "county").string();
  fs::create_directories(pc.data_dir);
  fs::create_directories(cc.data_dir);
  // The province on PostgreSQL when one is given (--db postgres://…), else on its own file.
  pc.db_url = base.db_url.starts_with("postgres") ? base.db_url : "sqlite:" + pc.data_dir + "/anjian.db";
  cc.db_url = "sqlite:" + cc.data_dir + "/anjian.db";  // a county on its embedded file, as counties run
  pc.listen = host + ":" + std::to_string(port);
  cc.listen = host + ":" + std::to_string(port == 0 ? 0 : port + 1);
  pc.access_log = cc.access_log = false;

  auto province = App::open(pc);
  if (!province.ok()) return fail("省级节点", province.error());
  auto county = App::open(cc);
  if (!county.ok()) return fail("区县节点", county.error());
  App& p = **province;
  App& c = **county;
  for (App* a : {&p, &c})
    if (auto pw = a->identity().bootstrap_admins(demo.password, false); !pw.ok()) return fail("管理员", pw.error());
  auto summary = generate_demo(p, demo);
  if (!summary.ok()) return fail("演示数据", summary.error());

  // The province's first county is the county node.
  std::string county_region, county_name;
  for (const auto* city : p.regions().children(demo.province)) {
    for (const auto* k : p.regions().children(city->code))
      if (!k->retired) {
        county_region = k->code;
        county_name = k->name;
        break;
      }
    if (!county_region.empty()) break;
  }
  if (county_region.empty()) return fail("区县节点", Error{"invalid_field", "该省没有区县", "province"});
  if (auto s = seed_county(c, county_region, county_name, demo); !s.ok()) return fail("区县节点数据", s.error());
  const auto* province_region = p.regions().find(demo.province);
  if (!p.nodes().self().ok())
    if (auto n = p.nodes().init(demo.province, demo.province, province_region ? province_region->name + "安全生产监管节点" : "",
                                SignatureAlgorithm::ed25519, "demo");
        !n.ok())
      return fail("省级节点初始化", n.error());
  if (!c.nodes().self().ok())
    if (auto n = c.nodes().init(county_region, county_region, county_name + "安全生产监管节点", SignatureAlgorithm::ed25519, "demo"); !n.ok())
      return fail("区县节点初始化", n.error());

  http::StopSignals signals;
  auto pp = p.start_http();
  if (!pp.ok()) return fail("省级节点启动", pp.error());
  auto cp = c.start_http();
  if (!cp.ok()) return fail("区县节点启动", cp.error());
  // Registered with the addresses they listen on now (free ports differ from run to run).
  const std::string province_url = "http://" + host + ":" + std::to_string(*pp), county_url = "http://" + host + ":" + std::to_string(*cp);
  if (auto s = join(p, c, province_url, county_url); !s.ok()) return fail("节点互相登记", s.error());
  std::printf("anjian listening on http://%s:%u\n", host.c_str(), *pp);
  std::printf("anjian listening on http://%s:%u\n", host.c_str(), *cp);
  std::printf("\n  安监联网演示已启动（密码均为 %s）：\n", demo.password.c_str());
  std::printf("    省级节点  http://%s:%u   %s（p%s_admin 省级管理员，x%s_inspector 也可登录）\n", host.c_str(), *pp,
              province_region ? province_region->name.c_str() : demo.province.c_str(), demo.province.c_str(), county_region.c_str());
  std::printf("    区县节点  http://%s:%u   %s（x%s_inspector 执法人员，x%s_admin 管理员）\n", host.c_str(), *cp, county_name.c_str(),
              county_region.c_str(), county_region.c_str());
  std::printf("  在区县节点登记或修改企业，数秒内出现在省级节点（标明由区县节点维护）；admin 在“数据交换”页查看链路。\n\n");
  std::fflush(stdout);
  signals.wait();
  c.stop_http();
  p.stop_http();
  return 0;
}

}  // namespace anjian::app
