#pragma once
// The demo province of `anjian demo`: regulators at province, every city and a few counties, their
// users, and about 2,000 enterprises with valid generated codes. Deterministic for a given seed.
#include <string>
#include <vector>

#include "app/app.h"

namespace anjian::app {

struct DemoOptions {
  std::string province = "330000";
  unsigned seed = 20261129;
  size_t enterprises = 2000;
  std::string password = "Demo@2026";  // every demo user's password (a demo, not a deployment)
};

struct DemoLogin {
  std::string username, role, org;
  std::string level;  // province | city | county | enterprise
};

struct DemoSummary {
  bool created = false;  // false when the database already held the demo
  size_t enterprises = 0;
  size_t points = 0;  // monitoring points
  std::vector<DemoLogin> logins;
};

// Errors: unknown_region when `province` is not a province.
Result<DemoSummary> generate_demo(App& app, const DemoOptions& options);

// A valid USCC for a county code and a seed-derived organization code (GB 32100 and GB 11714 checks).
std::string make_uscc(const std::string& county, unsigned long long n);

}  // namespace anjian::app
