#pragma once
// The resource catalog (issue 17 §4; GB/T 21063, 国发〔2016〕51号, DOMAIN §9): what this node offers
// to other departments (安委会成员单位) and to the public, one entry per shared record type, and
// the departments' requests, each of which, once approved, is a grant with its own key.
#include <optional>
#include <string>
#include <vector>

#include "base/time.h"
#include "exchange/registry.h"

namespace anjian::catalog {

// 共享类型 (国发〔2016〕51号): given to any department that asks, given after the provider approves,
// or not given at all (with the legal basis).
inline constexpr const char* kShareTypes[] = {"unconditional", "conditional", "none"};

struct Entry {
  std::string code;         // 信息资源代码: the provider's region code, "-", a sequence (no "/": it is a path segment)
  std::string record_type;  // the shared type it publishes (exchange registry)
  std::string category, name, provider, provider_code, summary, format;
  std::vector<exchange::SharedField> items;  // 信息项, from the registry
  std::string share_type = "conditional";
  std::string share_condition, share_basis, share_method;
  bool open = false;  // 开放属性: exported for the public portal, without personal items
  std::string open_condition, update_cycle;
  std::vector<std::string> related_codes;
  Millis published_at = 0, updated_at = 0;
  std::string updated_by;
};

// A department's request for an entry and, once approved, its grant: the fields and the region it
// may read, until when, under which conditions; its key (shown once) and whether it was revoked.
struct Grant {
  std::string id, entry_code, entry_name, record_type;
  std::string department_org, department_name, requested_by, purpose;
  std::vector<std::string> fields;
  std::string region_code;
  Millis requested_at = 0;
  std::string status = "pending";  // pending | approved | refused | revoked (expired is derived)
  std::string conditions, reason;
  std::optional<std::int64_t> expires_on;  // days since the epoch: valid through that date
  std::string decided_by;
  std::optional<Millis> decided_at;
  std::string key_prefix;
  std::optional<Millis> key_issued_at, revoked_at;
  std::string revoked_by, revoke_reason;

  // pending | approved | refused | revoked | expired, as of `today` (days, Asia/Shanghai).
  std::string state(std::int64_t today) const {
    if (status == "approved" && expires_on && today > *expires_on) return "expired";
    return status;
  }
};

struct Usage {
  Millis at = 0;
  std::string remote, query;
  std::int64_t records = 0;
};

std::string_view share_type_label(std::string_view type);
std::string_view grant_state_label(std::string_view state);

}  // namespace anjian::catalog
