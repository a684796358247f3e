#include "codes/coal_file.h"

#include <charconv>
#include <cmath>

#include "base/text.h"

namespace anjian::codes {
namespace {

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.push_back(trim(s.substr(start, i - start)));
      start = i + 1;
    }
  }
  return out;
}

// "2026-11-29 08:30:00" in Asia/Shanghai.
std::optional<Millis> local_time(std::string_view s) {
  if (s.size() != 19 || s[10] != ' ') return std::nullopt;
  std::string iso(s);
  iso[10] = 'T';
  return parse_instant(iso + "+08:00");
}

// An empty field means "not set"; anything else must be a finite number.
bool optional_number(std::string_view s, std::optional<double>& out) {
  if (s.empty()) return true;
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) return false;
  out = v;
  return true;
}
}  // namespace

std::string_view coal_indicator(std::string_view t) {
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {"0001", "methane"}, {"0002", "carbon_monoxide"}, {"0003", "wind_speed"}, {"0004", "temperature"},
      {"0005", "oxygen"}, {"0006", "pressure"}, {"0007", "dust"}, {"1001", "switch"}, {"1002", "feed"},
      {"1003", "switch"}};
  for (const auto& [code, name] : kTypes)
    if (code == t) return name;
  return {};
}

Result<CoalFileName> parse_coal_file_name(std::string_view name) {
  auto bad = Error{"invalid_coal_file_name", "文件名应为 {矿井编码}_{CDDY|CDSS}_{yyyyMMddHHmmss}.txt：" + std::string(name), "file"};
  if (!name.ends_with(".txt") && !name.ends_with(".TXT")) return bad;
  auto parts = split(name.substr(0, name.size() - 4), '_');
  if (parts.size() != 3 || parts[0].empty() || (parts[1] != "CDDY" && parts[1] != "CDSS") || parts[2].size() != 14)
    return bad;
  const auto d = parts[2];
  std::string t = std::string(d.substr(0, 4)) + "-" + std::string(d.substr(4, 2)) + "-" + std::string(d.substr(6, 2)) + " " +
                  std::string(d.substr(8, 2)) + ":" + std::string(d.substr(10, 2)) + ":" + std::string(d.substr(12, 2));
  auto at = local_time(t);
  if (!at) return bad;
  return CoalFileName{std::string(parts[0]), std::string(parts[1]), *at};
}

Result<CoalFile> parse_coal_file(std::string_view kind, std::string_view bytes) {
  if (kind != "CDDY" && kind != "CDSS") return Error{"invalid_coal_file", "未知的文件类型：" + std::string(kind), "file"};
  auto text = decode_utf8_or_gb18030(bytes);
  if (!text) return Error{"invalid_encoding", "文件既不是 UTF-8 也不是 GB18030 编码", "file"};
  std::string_view body = trim(*text);
  // The end mark: `||`, or `‖` as some networks write it, or none.
  for (std::string_view mark : {std::string_view("||"), std::string_view("\xE2\x80\x96")})
    if (body.ends_with(mark)) body = trim(body.substr(0, body.size() - mark.size()));
  std::vector<std::string_view> records = split(body, '~');
  while (!records.empty() && records.back().empty()) records.pop_back();
  if (records.empty()) return Error{"invalid_coal_file", "文件为空", "file"};

  CoalFile file;
  file.kind = std::string(kind);
  auto header = split(records[0], ';');
  auto made = header.size() == 3 ? local_time(header[2]) : std::nullopt;
  if (header.size() != 3 || header[0].empty() || !made)
    return Error{"invalid_coal_file", "首条记录应为 矿井编码;矿井名称;yyyy-MM-dd HH:mm:ss~", "file"};
  file.mine_code = std::string(header[0]);
  file.mine_name = std::string(header[1]);
  file.made_at = *made;

  for (size_t i = 1; i < records.size(); ++i) {
    const size_t number = i + 1;
    auto f = split(records[i], ';');
    auto issue = [&](std::string reason) { file.issues.push_back({number, std::move(reason)}); };
    if (f.empty() || f[0].empty()) { issue("测点编码为空"); continue; }
    if (kind == "CDSS") {
      if (f.size() != 4) { issue("应有 4 个字段，实有 " + std::to_string(f.size()) + " 个"); continue; }
      std::optional<double> value;
      if (!optional_number(f[1], value) || !value) { issue("数值不是数字：" + std::string(f[1])); continue; }
      unsigned state = 0;
      auto [p, ec] = std::from_chars(f[2].data(), f[2].data() + f[2].size(), state);
      if (ec != std::errc() || p != f[2].data() + f[2].size() || state > 63) { issue("状态不是 0–63 的整数：" + std::string(f[2])); continue; }
      auto ts = local_time(f[3]);
      if (!ts) { issue("时间格式应为 yyyy-MM-dd HH:mm:ss：" + std::string(f[3])); continue; }
      file.readings.push_back({std::string(f[0]), *value, state, *ts, number});
    } else {
      if (f.size() != 12) { issue("应有 12 个字段，实有 " + std::to_string(f.size()) + " 个"); continue; }
      CoalPointDef d;
      d.record = number;
      d.point_code = std::string(f[0]);
      d.substation = std::string(f[1]);
      d.sensor_type = std::string(f[2]);
      d.indicator = std::string(coal_indicator(f[2]));
      if (d.indicator.empty()) { issue("未知的传感器类型：" + std::string(f[2])); continue; }
      d.is_switch = d.sensor_type.starts_with("1");
      d.location = std::string(f[3]);
      d.unit = std::string(f[4]);
      d.poweroff_area = std::string(f[11]);
      const char* names[] = {"量程下限", "量程上限", "报警上限", "报警下限", "断电值", "复电值"};
      std::optional<double>* targets[] = {&d.range_low, &d.range_high, &d.alarm_high, &d.alarm_low, &d.poweroff, &d.restore};
      bool ok = true;
      for (size_t k = 0; k < 6 && ok; ++k) {
        if (!optional_number(f[5 + k], *targets[k])) {
          issue(std::string(names[k]) + "不是数字：" + std::string(f[5 + k]));
          ok = false;
        }
      }
      if (ok) file.points.push_back(std::move(d));
    }
  }
  return file;
}

}  // namespace anjian::codes
