#pragma once
// The text files of the coal-mine monitoring networks (煤矿安全监控系统联网, the MT/T 1116 family;
// DOMAIN.md §8a, dialect `cd`): point definitions (CDDY) and real-time values (CDSS). Records end
// with `~`, fields are separated by `;`, the first record names the mine and when the file was
// made (Asia/Shanghai); the file may end with `||` or `‖`. GB18030 or UTF-8.
//
// Pure parsing: a bad record is reported with its number and reason and the others are taken.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/time.h"

namespace anjian::codes {

// "{mine_code}_{KIND}_{yyyyMMddHHmmss}.txt". Errors: invalid_coal_file_name.
struct CoalFileName {
  std::string mine_code, kind;  // kind: CDDY or CDSS
  Millis made_at = 0;
};
Result<CoalFileName> parse_coal_file_name(std::string_view name);

struct CoalPointDef {
  std::string point_code, substation, sensor_type, indicator, location, unit, poweroff_area;
  bool is_switch = false;  // 1xxx sensor types: 开停, 馈电, 风门 carry 0/1
  std::optional<double> range_low, range_high, alarm_high, alarm_low, poweroff, restore;
  size_t record = 0;  // its record number in the file (1 is the header)
};

// state bits: 1 报警, 2 断电, 4 馈电异常, 8 故障, 16 标校, 32 断线 (0 正常).
struct CoalReading {
  std::string point_code;
  double value = 0;
  unsigned state = 0;
  Millis ts = 0;
  size_t record = 0;
};

struct CoalIssue {
  size_t record = 0;  // 1 is the header record
  std::string reason;
};

struct CoalFile {
  std::string kind, mine_code, mine_name;
  Millis made_at = 0;
  std::vector<CoalPointDef> points;     // CDDY
  std::vector<CoalReading> readings;    // CDSS
  std::vector<CoalIssue> issues;
};

// Parses a whole file of the given kind ("CDDY" or "CDSS", from its name). Errors (the whole file
// refused): invalid_encoding, invalid_coal_file (no or bad header, unknown kind).
Result<CoalFile> parse_coal_file(std::string_view kind, std::string_view bytes);

// anjian's indicator for a sensor type code ("0001" → "methane"), or "" for an unknown code.
std::string_view coal_indicator(std::string_view sensor_type);

}  // namespace anjian::codes
