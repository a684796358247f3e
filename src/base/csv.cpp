#include "base/csv.h"

namespace anjian {

std::vector<CsvRecord> parse_csv(std::string_view text) {
  std::string why;
  return *parse_csv(text, TableLimits{}, why);
}

std::optional<std::vector<CsvRecord>> parse_csv(std::string_view text, const TableLimits& limits, std::string& why) {
  std::vector<CsvRecord> records;
  size_t memory = 0;
  CsvRecord current;
  std::string field;
  size_t line = 1;
  current.line = 1;
  bool in_quotes = false, field_started = false, any_in_record = false;

  auto end_field = [&] {
    memory += text_memory(field);
    const size_t before = current.fields.capacity();
    current.fields.push_back(std::move(field));
    memory += (current.fields.capacity() - before) * sizeof(std::string);
    field.clear();
    field_started = false;
    any_in_record = true;
  };
  auto end_record = [&] {
    end_field();
    // A record that is a single empty field is a blank line: skip it.
    const size_t before = records.capacity();
    if (!(current.fields.size() == 1 && current.fields[0].empty())) records.push_back(std::move(current));
    memory += (records.capacity() - before) * sizeof(CsvRecord);
    current = CsvRecord{};
    current.line = line;
    any_in_record = false;
  };

  for (size_t i = 0; i < text.size(); ++i) {
    // The limits, checked as the records grow (not after the whole text is parsed).
    if (current.fields.size() >= limits.max_fields) {
      why = "第 " + std::to_string(current.line) + " 行超过 " + std::to_string(limits.max_fields) + " 列";
      return std::nullopt;
    }
    if (records.size() >= limits.max_records) {
      why = "超过 " + std::to_string(limits.max_records - 1) + " 行";
      return std::nullopt;
    }
    if (memory > limits.max_memory) {
      why = "内容展开后超过 " + std::to_string(limits.max_memory / (1024 * 1024)) + " MB";
      return std::nullopt;
    }
    char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') { field += '"'; ++i; }
        else in_quotes = false;
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"' && !field_started) { in_quotes = true; field_started = true; }
    else if (c == ',') end_field();
    else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') { ++i; ++line; end_record(); }
    else if (c == '\n' || c == '\r') { ++line; end_record(); }
    else { field += c; field_started = true; }
  }
  if (field_started || !field.empty() || any_in_record) end_record();
  if (records.size() > limits.max_records || memory > limits.max_memory) {
    why = records.size() > limits.max_records ? "超过 " + std::to_string(limits.max_records - 1) + " 行"
                                               : "内容展开后超过 " + std::to_string(limits.max_memory / (1024 * 1024)) + " MB";
    return std::nullopt;
  }
  return records;
}

std::string csv_field(std::string_view value) {
  // A cell Excel would read as a formula (=, +, -, @, or a tab or CR first) is written as text:
  // an enterprise's own short name must not run a command on the regulator's machine.
  std::string guarded;
  if (!value.empty() && std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos) {
    guarded = "'" + std::string(value);
    value = guarded;
  }
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

}  // namespace anjian
