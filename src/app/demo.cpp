#include "app/demo.h"
#include "base/json_text.h"

#include <map>

#include "app/demo_accidents.h"
#include "app/demo_emergency.h"
#include "app/demo_enforcement.h"
#include "app/demo_hidden_dangers.h"
#include "app/demo_monitoring.h"
#include "app/demo_risk.h"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <random>
#include <unordered_map>

#include "base/crypto.h"
#include "base/csv.h"
#include "base/embedded.h"
#include "codes/uscc.h"
#include "modules/enterprise/repo.h"

namespace anjian::app {
namespace json = boost::json;

namespace {
struct Box {
  const char* province;
  double lon0, lat0, lon1, lat1;
};
// Rough extents, enough to put demo points inside the province on the map.
constexpr Box kBoxes[] = {
    {"330000", 118.1, 27.2, 122.5, 31.1}, {"320000", 116.4, 30.8, 121.8, 35.0}, {"440000", 109.8, 20.3, 117.1, 25.4},
    {"370000", 114.9, 34.5, 122.6, 38.3}, {"110000", 115.5, 39.5, 117.4, 41.0}, {"140000", 110.3, 34.7, 114.5, 40.6},
    {"510000", 97.4, 26.1, 108.5, 34.3},  {"420000", 108.4, 29.1, 116.1, 33.2}, {"410000", 110.4, 31.4, 116.6, 36.3},
};
constexpr Box kChina = {"", 100.0, 24.0, 120.0, 40.0};

// Weights roughly like the enterprises a provincial regulator of an industrial province watches.
const std::vector<std::pair<const char*, int>> kIndustryWeights = {
    {"hazchem_use", 12}, {"hazchem_operation", 10}, {"hazchem_production", 6}, {"machinery", 15},
    {"light_industry", 12}, {"textile", 8}, {"building_materials", 6}, {"metallurgy", 4}, {"nonferrous", 3},
    {"commerce", 12}, {"metal_nonmetal_mine", 3}, {"fireworks", 2}, {"coal_mine", 1}, {"oil_gas", 1},
    {"tobacco", 1}, {"other", 4}};
const char* kWords[] = {"恒达", "华盛", "永安", "宏远", "新能", "金泰", "利民", "东方", "汇丰", "瑞丰", "天成", "明华",
                        "信达", "鑫源", "中正", "嘉禾", "正泰", "远洋", "富春", "钱江", "之江", "海德", "群力", "安和",
                        "博源", "立新", "诚信", "众合", "星辰", "万象", "同创", "德邦", "兴业", "长兴", "龙盛", "宝丰"};
const char* kPeople[] = {"张伟", "李娜", "王强", "刘洋", "陈静", "杨帆", "赵敏", "黄磊", "周杰", "吴芳", "徐立", "孙丽"};
const char* kSuffix(const std::string& industry) {
  if (industry.starts_with("hazchem")) return "化工";
  if (industry == "machinery") return "机械";
  if (industry == "light_industry") return "轻工制品";
  if (industry == "textile") return "纺织";
  if (industry == "building_materials") return "建材";
  if (industry == "metallurgy") return "钢铁";
  if (industry == "nonferrous") return "铜业";
  if (industry == "commerce") return "商贸";
  if (industry == "metal_nonmetal_mine") return "矿业";
  if (industry == "fireworks") return "烟花";
  if (industry == "coal_mine") return "煤业";
  if (industry == "oil_gas") return "石化";
  if (industry == "tobacco") return "烟草";
  return "实业";
}
bool needs_licence(const std::string& industry) {
  return industry == "hazchem_production" || industry == "hazchem_operation" || industry == "metal_nonmetal_mine" ||
         industry == "fireworks" || industry == "coal_mine" || industry == "oil_gas";
}
std::string strip_suffix(std::string name) {
  for (const char* s : {"市", "区", "县"})
    if (name.size() > 3 && name.ends_with(s)) return name.substr(0, name.size() - 3);
  return name;
}
// Centres of cities and counties (data/regions/centres.csv), so that demo points fall inside
// their county on the map.
std::unordered_map<std::string, std::pair<double, double>> centres() {
  std::unordered_map<std::string, std::pair<double, double>> out;
  for (const auto& r : parse_csv(embedded::file("regions/centres.csv")))
    if (r.fields.size() == 3 && r.fields[0] != "code") out[r.fields[0]] = {std::stod(r.fields[1]), std::stod(r.fields[2])};
  return out;
}
}  // namespace

std::string make_uscc(const std::string& county, unsigned long long n) {
  static const std::string kOrgAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWY";  // X is reserved for the check
  std::string body;
  for (int i = 0; i < 8; ++i) {
    body += kOrgAlphabet[n % kOrgAlphabet.size()];
    n /= kOrgAlphabet.size();
  }
  body += codes::organization_code_check(body);
  std::string first17 = "91" + county + body;
  return first17 + codes::Uscc::check_char(first17);
}

namespace {
// Monitoring for the enterprises of a demo made before it existed (rows: uscc, industry, scale,
// status, region_code, lon, lat in the order they were made).
std::vector<enterprise::Enterprise> existing_enterprises(const db::Rows& rows) {
  std::vector<enterprise::Enterprise> existing;
  for (const auto& row : rows) {
    enterprise::Enterprise e;
    e.uscc = row.str(0);
    e.industry = row.str(1);
    e.scale = row.opt_str(2);
    e.status = row.str(3);
    e.region_code = row.str(4);
    e.lon = row.opt_f64(5);
    e.lat = row.opt_f64(6);
    existing.push_back(std::move(e));
  }
  return existing;
}
}  // namespace

Result<DemoSummary> generate_demo(App& app, const DemoOptions& options) {
  const codes::RegionTable& regions = app.regions();
  const codes::Region* province = regions.find(options.province);
  if (!province || province->level != codes::RegionLevel::province)
    return Error{"unknown_region", "不是省级行政区划代码：" + options.province, "province"};
  DemoSummary summary;
  std::mt19937_64 rng(options.seed);

  // The regulators: province, every city, and the first two counties of the first three cities.
  struct OrgPlan {
    std::string level, region, name, prefix;
  };
  std::vector<OrgPlan> orgs = {{"province", province->code, province->name + "应急管理厅", "p" + province->code}};
  std::vector<const codes::Region*> counties;
  int cities_with_counties = 0;
  for (const auto* city : regions.children(province->code)) {
    if (city->level == codes::RegionLevel::county) {  // municipalities and 省直辖县
      counties.push_back(city);
      continue;
    }
    orgs.push_back({"city", city->code, city->name + "应急管理局", "c" + city->code});
    auto kids = regions.children(city->code);
    if (kids.empty()) counties.push_back(city);  // 东莞: the city is its own county
    for (size_t i = 0; i < kids.size(); ++i) {
      counties.push_back(kids[i]);
      if (cities_with_counties < 3 && i < 2) orgs.push_back({"county", kids[i]->code, kids[i]->name + "应急管理局", "x" + kids[i]->code});
    }
    if (!kids.empty()) ++cities_with_counties;
  }
  if (counties.empty()) return Error{"unknown_region", "该省没有县级行政区划", "province"};

  auto& identity = app.identity();
  // The demo's own administrator acts for the generator.
  auth::Principal system;
  system.user_id = "demo";
  system.username = "demo";
  system.scope = auth::Scope::all();
  system.roles = {"admin"};
  system.org_kind = "regulator";

  bool exists = false;
  {
    auto r = app.db().read();
    if (!r.ok()) return r.take_error();
    auto count = (*r)->query_one("SELECT COUNT(*) FROM users WHERE username = ?", {orgs[0].prefix + "_admin"});
    if (!count.ok()) return count.take_error();
    exists = count->i64(0) > 0;
  }

  for (const auto& o : orgs) {
    const std::vector<std::pair<std::string, std::string>> users =
        o.level == "province" ? std::vector<std::pair<std::string, std::string>>{{"admin", "admin"}, {"leader", "leader"}, {"inspector", "inspector"}}
        : o.level == "city"   ? std::vector<std::pair<std::string, std::string>>{{"admin", "admin"}, {"inspector", "inspector"}}
                              // A county's 执法大队 has more than one inspector: two are needed for any inspection.
                              : std::vector<std::pair<std::string, std::string>>{{"inspector", "inspector"}, {"inspector2", "inspector"}, {"duty", "duty_officer"}};
    for (const auto& [suffix, role] : users) summary.logins.push_back({o.prefix + "_" + suffix, role, o.name, o.level});
  }
  // The first city's 公安局, a member department (安委会成员单位): it sees what the resource catalog
  // grants it, nothing else.
  std::string dept_region;
  for (const auto& o : orgs)
    if (o.level == "city" && dept_region.empty()) {
      dept_region = o.region;
      const auto* r = regions.find(o.region);
      summary.logins.push_back({o.prefix + "_dept", "leader", (r ? r->name : o.region) + "公安局", "department"});
    }
  summary.logins.push_back({"e_manager", "enterprise_manager", "演示企业", "enterprise"});
  if (exists) {
    auto r = app.db().read();
    if (!r.ok()) return r.take_error();
    std::vector<db::Value> params;
    auto scope = auth::Scope::region(regions, province->code);
    auto n = (*r)->query_one("SELECT COUNT(*) FROM enterprises e WHERE " + scope.sql("e.region_code", "e.uscc", params), params);
    if (!n.ok()) return n.take_error();
    summary.enterprises = static_cast<size_t>(n->i64(0));
    auto points = (*r)->query_one("SELECT COUNT(*) FROM monitoring_points WHERE active = 1");
    if (!points.ok()) return points.take_error();
    summary.points = static_cast<size_t>(points->i64(0));
    auto inventories = (*r)->query_one("SELECT COUNT(*) FROM risk_points");
    if (!inventories.ok()) return inventories.take_error();
    auto dangers = (*r)->query_one("SELECT COUNT(*) FROM hidden_dangers");
    if (!dangers.ok()) return dangers.take_error();
    auto draws = (*r)->query_one("SELECT COUNT(*) FROM draws");
    if (!draws.ok()) return draws.take_error();
    auto tasks = (*r)->query_one("SELECT COUNT(*) FROM inspection_tasks");
    if (!tasks.ok()) return tasks.take_error();
    auto accidents = (*r)->query_one("SELECT COUNT(*) FROM accidents");
    if (!accidents.ok()) return accidents.take_error();
    auto resources = (*r)->query_one("SELECT COUNT(*) FROM emergency_resources");
    if (!resources.ok()) return resources.take_error();
    auto shifts = (*r)->query_one("SELECT COUNT(*) FROM duty_shifts");
    if (!shifts.ok()) return shifts.take_error();
    auto plans = (*r)->query_one("SELECT COUNT(*) FROM emergency_plans");
    if (!plans.ok()) return plans.take_error();
    if (summary.points > 0 && inventories->i64(0) > 0 && dangers->i64(0) > 0 && draws->i64(0) > 0 && tasks->i64(0) > 0 && accidents->i64(0) > 0 &&
        resources->i64(0) > 0 && shifts->i64(0) > 0 && plans->i64(0) > 0)
      return summary;
    // A demo made by an earlier version (before monitoring, before risk inventories): what it
    // lacks comes to its enterprises now.
    auto rows = (*r)->query("SELECT uscc, industry, scale, status, region_code, lon, lat FROM enterprises ORDER BY id");
    if (!rows.ok()) return rows.take_error();
    const auto existing = existing_enterprises(*rows);
    if (summary.points == 0) {
      auto made = generate_demo_monitoring(app, system, existing, rng);
      if (!made.ok()) return made.take_error();
      summary.points = *made;
    }
    if (inventories->i64(0) == 0) {
      auto made = generate_demo_risk_points(app, system, existing, rng);
      if (!made.ok()) return made.take_error();
    }
    if (dangers->i64(0) == 0) {
      auto made = generate_demo_hidden_dangers(app, existing, rng);
      if (!made.ok()) return made.take_error();
    }
    if (draws->i64(0) == 0) {
      auto made = generate_demo_draws(app);
      if (!made.ok()) return made.take_error();
    }
    if (tasks->i64(0) == 0) {
      auto made = generate_demo_inspections(app);
      if (!made.ok()) return made.take_error();
    }
    if (accidents->i64(0) == 0) {
      auto made = generate_demo_accidents(app);
      if (!made.ok()) return made.take_error();
    }
    if (resources->i64(0) == 0) {
      auto made = generate_demo_resources(app);
      if (!made.ok()) return made.take_error();
    }
    if (shifts->i64(0) == 0) {
      auto made = generate_demo_rosters(app);
      if (!made.ok()) return made.take_error();
    }
    if (plans->i64(0) == 0) {
      auto made = generate_demo_plans_and_drill(app);
      if (!made.ok()) return made.take_error();
    }
    return summary;
  }

  for (const auto& o : orgs) {
    auth::Org org;
    org.name = o.name;
    org.kind = "regulator";
    org.level = o.level;
    org.region_code = o.region;
    org.regulator_kind = "emergency";
    auto made = identity.create_org(system, org, "demo");
    if (!made.ok()) return made.take_error();
    for (const auto& l : summary.logins) {
      if (!l.username.starts_with(o.prefix + "_") || l.role == "enterprise_manager" || l.level == "department") continue;
      const std::string title = l.role == "admin" ? "管理员" : l.role == "leader" ? "领导" : l.role == "duty_officer" ? "值班员" : "执法人员";
      auth::NewUser u{l.username, options.password, o.name + title + (l.username.ends_with("2") ? "（二）" : ""),
                      made->id, {l.role}, false};
      auto user = identity.create_user(system, u, "demo");
      if (!user.ok()) return user.take_error();
    }
  }
  for (const auto& l : summary.logins) {
    if (l.level != "department") continue;
    auth::Org org;
    org.name = l.org;
    org.kind = "regulator";
    org.level = "city";
    org.region_code = dept_region;
    org.regulator_kind = "member_department";
    auto made = identity.create_org(system, org, "demo");
    if (!made.ok()) return made.take_error();
    auto user = identity.create_user(system, auth::NewUser{l.username, options.password, l.org + "数据专员", made->id, {l.role}, false}, "demo");
    if (!user.ok()) return user.take_error();
  }

  // Enterprises.
  Box box = kChina;
  for (const auto& b : kBoxes)
    if (options.province == b.province) box = b;
  // Each county's trades: most are mixed, some are chemical parks or mining districts, some mostly
  // commerce and light industry — so that regional risk differs as it does in a real province.
  struct Profile {
    int share;  // of 100 counties
    std::vector<std::pair<std::string_view, int>> times;  // industry weight × this (others × 1)
  };
  const std::vector<Profile> profiles = {
      {50, {}},
      {15, {{"hazchem_production", 5}, {"hazchem_operation", 3}, {"hazchem_use", 3}}},
      {10, {{"coal_mine", 20}, {"metal_nonmetal_mine", 6}, {"metallurgy", 3}, {"nonferrous", 3}}},
      {25, {{"commerce", 3}, {"light_industry", 2}, {"textile", 3}, {"hazchem_use", 0}, {"hazchem_production", 0}}},
  };
  std::map<std::string, std::vector<std::pair<std::string, int>>> weights_of;  // county → its industry weights
  for (const auto* county : counties) {
    int p = static_cast<int>(rng() % 100);
    size_t chosen = 0;
    while (p >= profiles[chosen].share) p -= profiles[chosen++].share;
    auto& w = weights_of[county->code];
    for (const auto& [industry, weight] : kIndustryWeights) {
      int times = 1;
      for (const auto& [k, t] : profiles[chosen].times)
        if (k == industry) times = t;
      w.emplace_back(industry, weight * times);
    }
  }
  const std::int64_t today = app.enterprises().today();
  const auto centre_of = centres();
  std::normal_distribution<double> spread(0.0, 0.015);  // about 1.5 km around the centre: most points fall inside even a small district
  std::vector<enterprise::Enterprise> batch;
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (size_t i = 0; i < options.enterprises; ++i) {
    const codes::Region* county = counties[rng() % counties.size()];
    const auto& weights = weights_of[county->code];
    int total_weight = 0;
    for (const auto& [k, w] : weights) total_weight += w;
    int pick = static_cast<int>(rng() % static_cast<unsigned>(total_weight));
    std::string industry;
    for (const auto& [k, w] : weights) {
      if (pick < w) { industry = k; break; }
      pick -= w;
    }
    enterprise::Enterprise e;
    e.uscc = make_uscc(county->code, rng());
    const codes::Region* city = county->parent.empty() ? nullptr : regions.find(county->parent);
    std::string place = strip_suffix(city && city->level == codes::RegionLevel::city ? city->name : county->name);
    std::string word = std::string(kWords[rng() % std::size(kWords)]) + kWords[rng() % std::size(kWords)];
    e.name = place + word + kSuffix(industry) + "有限公司";
    e.short_name = word + kSuffix(industry);
    e.region_code = county->code;
    e.address = county->name + std::string(kWords[rng() % std::size(kWords)]) + "路" + std::to_string(1 + rng() % 300) + "号";
    if (auto c = centre_of.find(county->code); c != centre_of.end()) {
      e.lon = round_coordinate(c->second.first + spread(rng));
      e.lat = round_coordinate(c->second.second + spread(rng));
    } else {
      e.lon = round_coordinate(box.lon0 + unit(rng) * (box.lon1 - box.lon0));
      e.lat = round_coordinate(box.lat0 + unit(rng) * (box.lat1 - box.lat0));
    }
    e.industry = industry;
    const unsigned size = static_cast<unsigned>(rng() % 100);
    e.scale = size < 5 ? "large" : size < 20 ? "medium" : size < 70 ? "small" : "micro";
    e.employees = static_cast<std::int64_t>(*e.scale == "large" ? 1000 + rng() % 5000 : *e.scale == "medium" ? 300 + rng() % 700
                                            : *e.scale == "small" ? 20 + rng() % 280 : 1 + rng() % 19);
    e.legal_representative = kPeople[rng() % std::size(kPeople)];
    e.safety_manager_name = kPeople[rng() % std::size(kPeople)];
    e.safety_manager_phone = "13" + std::to_string(100000000 + rng() % 899999999);
    if (needs_licence(industry)) {
      const std::int64_t expires = today - 60 + static_cast<std::int64_t>(rng() % (3 * 365));
      e.licence_number = "（浙）WH安许证字〔" + format_date(expires - 3 * 365).substr(0, 4) + "〕" + std::to_string(1000 + i);
      e.licence_issued_on = format_date(expires - 3 * 365);
      e.licence_expires_on = format_date(expires);
    }
    const unsigned g = static_cast<unsigned>(rng() % 10);
    if (g < 1) e.standardization_grade = "1";
    else if (g < 3) e.standardization_grade = "2";
    else if (g < 6) e.standardization_grade = "3";
    const unsigned st = static_cast<unsigned>(rng() % 100);
    e.status = st < 92 ? "operating" : st < 97 ? "suspended" : "closed";
    batch.push_back(std::move(e));
  }
  auto done = db::with_transaction(app.db(), [&](db::Connection& tx) -> Result<bool> {
    ANJIAN_TRY(app.enterprises().insert_batch(tx, system, batch));
    return true;
  });
  if (!done.ok()) return done.take_error();

  // One enterprise gets its own manager, to show the enterprise's view of anjian.
  auth::Org eorg;
  eorg.name = batch.front().name;
  eorg.kind = "enterprise";
  eorg.uscc = batch.front().uscc;
  eorg.region_code = batch.front().region_code;
  auto made = identity.create_org(system, eorg, "demo");
  if (!made.ok()) return made.take_error();
  auth::NewUser mgr{"e_manager", options.password, "企业安全管理员", made->id, {"enterprise_manager"}, false};
  auto user = identity.create_user(system, mgr, "demo");
  if (!user.ok()) return user.take_error();

  summary.logins.back().org = eorg.name;
  auto points = generate_demo_monitoring(app, system, batch, rng);
  if (!points.ok()) return points.take_error();
  summary.points = *points;
  auto risk_points = generate_demo_risk_points(app, system, batch, rng);
  if (!risk_points.ok()) return risk_points.take_error();
  auto dangers = generate_demo_hidden_dangers(app, batch, rng);
  if (!dangers.ok()) return dangers.take_error();
  auto draws = generate_demo_draws(app);
  if (!draws.ok()) return draws.take_error();
  auto tasks = generate_demo_inspections(app);
  if (!tasks.ok()) return tasks.take_error();
  auto accidents = generate_demo_accidents(app);
  if (!accidents.ok()) return accidents.take_error();
  auto resources = generate_demo_resources(app);
  if (!resources.ok()) return resources.take_error();
  auto rosters = generate_demo_rosters(app);
  if (!rosters.ok()) return rosters.take_error();
  auto plans = generate_demo_plans_and_drill(app);
  if (!plans.ok()) return plans.take_error();
  summary.created = true;
  summary.enterprises = batch.size();
  return summary;
}

}  // namespace anjian::app
