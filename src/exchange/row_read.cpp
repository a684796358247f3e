#include "exchange/row_read.h"

#include <boost/json.hpp>

#include "base/time.h"

namespace anjian::exchange {
namespace json = boost::json;

namespace {
constexpr size_t kChunk = 500;  // ids per IN (…): under both backends' parameter limits

json::value field_value(const db::Row& row, size_t i, const SharedField& f) {
  if (row.null(i)) return nullptr;
  if (f.type == "integer") return row.i64(i);
  if (f.type == "number") return row.f64(i);
  if (f.type == "boolean") return row.i64(i) != 0;
  if (f.type == "date") return json::string(format_iso(row.i64(i)));
  if (f.type == "json") {
    std::error_code ec;
    auto v = json::parse(row.str(i), ec);
    if (!ec) return v;
  }
  return json::string(row.str(i));
}
}  // namespace

decltype(SharedType::read) read_rows(RowShape shape) {
  std::string select = "SELECT r." + shape.key_column + ", " + shape.region_sql;
  for (const auto& f : shape.fields) select += ", r." + f.name;
  select += " FROM " + shape.table + " r WHERE r." + shape.key_column + " IN (";
  return [shape = std::move(shape), select = std::move(select)](db::Connection& c, const std::vector<std::string>& ids)
             -> Result<std::vector<std::pair<std::string, SharedType::Read>>> {
    std::vector<std::pair<std::string, SharedType::Read>> out;
    for (size_t i = 0; i < ids.size(); i += kChunk) {
      std::vector<db::Value> params(ids.begin() + static_cast<long>(i), ids.begin() + static_cast<long>(std::min(ids.size(), i + kChunk)));
      ANJIAN_ASSIGN(auto rows, c.query(select + db::placeholders(params.size()) + ")", params));
      for (const auto& row : rows) {
        SharedType::Read rd;
        rd.region_code = row.str(1);
        for (size_t f = 0; f < shape.fields.size(); ++f) {
          const auto& field = shape.fields[f];
          rd.data[field.name] = field_value(row, f + 2, field);
          if (field.value_label && !row.null(f + 2)) rd.data[field.name + "_label"] = field.value_label(row.str(f + 2));
        }
        out.emplace_back(row.str(0), std::move(rd));
      }
    }
    return out;
  };
}

SharedType row_type(std::string type, std::string label, RowShape shape) {
  SharedType t;
  t.type = std::move(type);
  t.label = std::move(label);
  t.tables = {{shape.table, shape.key_column}};
  t.region_column = shape.region_sql;
  t.fields = shape.fields;
  t.read = read_rows(std::move(shape));
  return t;
}

}  // namespace anjian::exchange
