#pragma once
// A replica's facets: the values of its type's enumerations and yes/no fields, kept beside the
// record as one short text ("|grade=major|state=reported|supervised=false"), so that counting a
// province's million copies by them groups a short column and parses no JSON.
#include <boost/json/object.hpp>

#include <map>
#include <string>
#include <string_view>

#include "exchange/registry.h"

namespace anjian::exchange {

// Every computed facets text starts with it (a record without such fields has just the mark): ''
// is a row kept before facets were, still to fill.
inline constexpr std::string_view kFacetsMark = "|";

// The fields counted by: enumerations (they have Chinese names) and booleans.
bool is_facet(const SharedField& f);
// The facets of a record of `t` (a sender's values, escaped and cut to 64 bytes each).
std::string facets_of(const SharedType& t, const boost::json::object& data);
// Field → value. Malformed parts are skipped.
std::map<std::string, std::string> parse_facets(std::string_view text);

}  // namespace anjian::exchange
