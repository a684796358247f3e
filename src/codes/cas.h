#pragma once
// CAS registry numbers (化学文摘社登记号) of substances: the hazard sources' inventories and the
// GB 18218 tables name substances by them.
#include <string_view>

namespace anjian::codes {

// "7782-50-5": 2–7 digits, 2 digits, a check digit (CAS's own rule), verified.
bool valid_cas(std::string_view cas);

}  // namespace anjian::codes
