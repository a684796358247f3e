#pragma once
// The steps of a dispatch (调度): a team is assigned, accepts, sets out, arrives and finishes — in
// that order, none skipped backwards; it can be called off (撤回) until it is done. Pure, so the
// sanitizer tests read it.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace anjian::emergency {

// assigned → accepted → en_route → on_site → done; cancelled from any step before done.
const std::vector<std::string_view>& dispatch_statuses();
std::string_view dispatch_status_label(std::string_view status);
// Whether a dispatch at `from` may move to `to`: forward only (steps may be skipped, as a team
// reached by phone may already be on its way), or cancelled before done.
bool dispatch_may_move(std::string_view from, std::string_view to);
// Whether the dispatch holds its team (the team is then 已出动).
bool dispatch_active(std::string_view status);

// Where an incident was opened from: accident | alarm | manual.
std::string_view incident_source_label(std::string_view source);
// The timeline's kinds: opened | instruction | report | note | dispatch | dispatch_status | closed.
std::string_view incident_event_label(std::string_view kind);

}  // namespace anjian::emergency
