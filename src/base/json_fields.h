#pragma once
// Strict reading of a JSON object from a request: types, ranges, lengths, unknown fields.
// Each accessor marks its key as known; finish() returns the first error met, or unknown_field
// for any key no accessor asked for. Field names in errors carry their path ("licence.number").
#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace anjian {

// Parses a request body that must be a JSON object; invalid_json otherwise.
Result<boost::json::object> parse_json_object(std::string_view body);

// The Chinese name of an API field for the messages people read ("cause" → 原因); a path keeps
// its place in brackets ("substances[2].quantity_t" → 数量（吨）（substances[2].quantity_t）).
std::string field_label(std::string_view key);

class JsonFields {
 public:
  explicit JsonFields(const boost::json::object& obj, std::string prefix = {});

  bool has(std::string_view key) const;      // present, even if null
  bool is_null(std::string_view key) const;  // present and null

  // A string, trimmed; refuses other types, empty strings when required, and over max_chars.
  std::optional<std::string> string(std::string_view key, bool required, size_t max_chars = 200);
  std::optional<std::int64_t> integer(std::string_view key, bool required, std::int64_t min,
                                      std::int64_t max);
  std::optional<double> number(std::string_view key, bool required, double min, double max);
  std::optional<bool> boolean(std::string_view key, bool required);
  std::optional<std::vector<std::string>> strings(std::string_view key, bool required,
                                                  size_t max_items, size_t max_chars = 100);
  // A string or an array of strings, as a list: "W5.3" → {"W5.3"}; ["J3", "W2"] as is.
  std::optional<std::vector<std::string>> string_or_strings(std::string_view key, bool required,
                                                            size_t max_items, size_t max_chars = 100);
  // An array of objects (null counts as absent), each read by `each(reader, index)` with a child
  // reader whose errors are merged; an item that is not an object is invalid_field. Returns
  // whether the array was there.
  template <typename Each>
  bool objects(std::string_view key, bool required, size_t max_items, Each&& each) {
    const boost::json::array* items = array(key, required, max_items);
    if (!items) return false;
    for (size_t i = 0; i < items->size(); ++i) {
      const std::string item = std::string(key) + "[" + std::to_string(i) + "]";
      if (!(*items)[i].is_object()) {
        fail(Error::invalid_field(path(item), path(item) + " 必须是对象"));
        break;
      }
      JsonFields g = child(item, (*items)[i].as_object());
      each(g, i);
      absorb(g);
    }
    return true;
  }
  // One of `allowed`; invalid_field naming the allowed values otherwise.
  std::optional<std::string> one_of(std::string_view key, bool required,
                                    const std::vector<std::string_view>& allowed);
  // A nested object (null counts as absent); nullptr when absent or of the wrong type.
  const boost::json::object* object(std::string_view key, bool required);
  // An array of at most max_items (null counts as absent); nullptr when absent, too long or not an array.
  const boost::json::array* array(std::string_view key, bool required, size_t max_items);

  // Records an error found by the caller's own check (kept only if it is the first).
  void fail(Error e);
  bool failed() const { return error_.has_value(); }
  std::string path(std::string_view key) const;

  // The first error, or unknown_field. Also merges the state of nested readers made with child().
  Status finish();
  JsonFields child(std::string_view key, const boost::json::object& obj);
  void absorb(JsonFields& nested);

 private:
  const boost::json::value* get(std::string_view key, bool required);
  const boost::json::object& obj_;
  std::string prefix_;
  std::vector<std::string> known_;
  std::optional<Error> error_;
};

// Sets a field given as "a" or "a.b" (one level of nesting), making the parent object if needed:
// how imports turn a table's columns into the API's JSON.
void set_json_path(boost::json::object& o, const std::string& dotted, boost::json::value v);

}  // namespace anjian
