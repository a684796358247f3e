#include "base/json_fields.h"

#include <algorithm>
#include <cmath>

#include "base/text.h"

namespace anjian {
namespace json = boost::json;

Result<json::object> parse_json_object(std::string_view body) {
  json::error_code ec;
  json::parse_options opt;
  opt.max_depth = 32;  // hostile nesting is refused long before the stack is at risk
  json::value v = json::parse(body, ec, {}, opt);
  if (ec) return Error{"invalid_json", "请求体不是合法的 JSON：" + ec.message(), ""};
  if (!v.is_object()) return Error{"invalid_json", "请求体必须是 JSON 对象", ""};
  return std::move(v.as_object());
}

JsonFields::JsonFields(const json::object& obj, std::string prefix)
    : obj_(obj), prefix_(std::move(prefix)) {}

std::string JsonFields::path(std::string_view key) const { return prefix_ + std::string(key); }

std::string field_label(std::string_view key) {
  // What a person filling in the form calls the field: "原因 不能为空", not "cause 不能为空".
  static const std::pair<std::string_view, std::string_view> kLabels[] = {
      {"cause", "原因"}, {"measures", "措施"}, {"person", "处置人"}, {"name", "名称"}, {"code", "编码"},
      {"uscc", "统一社会信用代码"}, {"enterprise_uscc", "企业统一社会信用代码"}, {"short_name", "简称"},
      {"region_code", "行政区划"}, {"address", "地址"}, {"lon", "经度"}, {"lat", "纬度"}, {"industry", "监管行业"},
      {"industry_code", "国民经济行业代码"}, {"scale", "企业规模"}, {"employees", "从业人员数"},
      {"legal_representative", "法定代表人"}, {"phone", "电话"}, {"number", "编号"}, {"issued_on", "发证日期"},
      {"expires_on", "有效期至"}, {"standardization_grade", "标准化等级"}, {"status", "经营状态"}, {"kind", "类型"},
      {"grade", "等级"}, {"people_exposed", "厂区边界外 500 米内常住人口"}, {"substances", "危险化学品"},
      {"quantity_t", "数量（吨）"}, {"category", "危险性类别"}, {"cas", "CAS 号"}, {"unit_type", "单元类型"},
      {"active", "是否启用"}, {"indicator", "监测类型"}, {"unit", "单位"}, {"location", "位置"},
      {"hazard_source_id", "所属重大危险源"}, {"period_s", "上报周期（秒）"}, {"offline_periods", "离线判定周期数"},
      {"delay_s", "报警延时（秒）"}, {"deadband", "回差"}, {"rate_per_min", "变化率（每分钟）"}, {"stuck_s", "数值不变判定（秒）"},
      {"username", "用户名"}, {"display_name", "姓名"}, {"password", "密码"}, {"old_password", "原密码"},
      {"new_password", "新密码"}, {"roles", "角色"}, {"org_id", "所属机构"}, {"disabled", "停用"},
      {"must_change_password", "须修改密码"}, {"regulator_kind", "监管部门类别"}, {"level", "级别"},
      {"responsible_level", "管控层级"}, {"responsible_person", "责任人"}, {"hazards", "危险因素"},
      {"l", "可能性 L"}, {"e", "暴露频率 E"}, {"c", "后果 C"}, {"s", "严重程度 S"}, {"mixture", "混合物"},
      {"description", "隐患描述"}, {"place", "部位"}, {"found_by", "发现来源"}, {"found_at", "发现时间"}, {"finder", "发现人"},
      {"standard_item", "判定标准条目"}, {"standard", "判定标准"}, {"item", "条目序号"}, {"major_reason", "认定理由"},
      {"risk_point_id", "所属风险点"}, {"responsible", "负责人"}, {"deadline", "期限"}, {"funds_yuan", "经费（元）"},
      {"materials", "物资"}, {"goals", "目标和任务"}, {"organization", "负责的机构和人员"},
      {"safety_measures", "安全措施和应急预案"}, {"production_suspended", "停产情况"}, {"note", "说明"}, {"reason", "理由"},
      {"requirements", "要求"}, {"authority_org_id", "督办单位"}, {"accepted", "验收结论"}, {"files", "文件"},
      {"gas", "气体"}, {"feed_point", "馈电测点"}, {"upload_interval_s", "上传周期（秒）"}, {"thresholds", "报警值"},
      {"text", "内容"}, {"basis", "依据"}, {"method", "检查方法"}, {"major", "是否重大事故隐患"}, {"items", "条目"},
      {"industries", "适用行业"}, {"source", "来源"}, {"template_id", "排查表"}, {"inspected_at", "排查时间"},
      {"inspector", "排查人"}, {"results", "排查结果"}, {"seq", "条目序号"}, {"result", "结果"},
      {"occurred_at", "事故发生时间"}, {"deaths", "死亡人数"}, {"missing", "下落不明人数"}, {"serious_injuries", "重伤人数"},
      {"minor_injuries", "轻伤人数"}, {"direct_loss_yuan", "直接经济损失（元）"}, {"endangered", "涉险人数"},
      {"trapped", "被困人数"}, {"evacuated", "疏散人数"}, {"party", "事故单位"}, {"reporter", "报告人"},
      {"road_traffic", "是否道路交通事故"}, {"to_level", "报送级别"}, {"stable", "事态是否稳定"},
  };
  // The last part of a path ("substances[2].quantity_t"), named; an unknown field keeps its name.
  std::string_view last = key.substr(key.find_last_of('.') == std::string_view::npos ? 0 : key.find_last_of('.') + 1);
  if (auto b = last.find('['); b != std::string_view::npos) last = last.substr(0, b);
  for (const auto& [k, label] : kLabels)
    if (k == last) {
      std::string out(label);
      if (key != last) out += "（" + std::string(key) + "）";
      return out;
    }
  return std::string(key);
}

bool JsonFields::has(std::string_view key) const { return obj_.contains(key); }
bool JsonFields::is_null(std::string_view key) const {
  auto it = obj_.find(key);
  return it != obj_.end() && it->value().is_null();
}

void JsonFields::fail(Error e) {
  if (!error_) error_ = std::move(e);
}

const json::value* JsonFields::get(std::string_view key, bool required) {
  known_.emplace_back(key);
  auto it = obj_.find(key);
  if (it == obj_.end() || it->value().is_null()) {
    if (required) fail(Error::invalid_field(path(key), "缺少必填字段：" + field_label(path(key))));
    return nullptr;
  }
  return &it->value();
}

std::optional<std::string> JsonFields::string(std::string_view key, bool required, size_t max_chars) {
  const json::value* v = get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    fail(Error::invalid_field(path(key), field_label(path(key)) + " 必须是字符串"));
    return std::nullopt;
  }
  std::string s(trim(std::string_view(v->as_string())));
  if (s.empty() && required) {
    fail(Error::invalid_field(path(key), field_label(path(key)) + " 不能为空"));
    return std::nullopt;
  }
  if (utf8_length(s) > max_chars) {
    fail(Error::invalid_field(path(key), field_label(path(key)) + " 超过 " + std::to_string(max_chars) + " 个字符"));
    return std::nullopt;
  }
  return s;
}

std::optional<std::int64_t> JsonFields::integer(std::string_view key, bool required,
                                                std::int64_t min, std::int64_t max) {
  const json::value* v = get(key, required);
  if (!v) return std::nullopt;
  std::int64_t n;
  if (v->is_int64()) n = v->as_int64();
  else if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) n = static_cast<std::int64_t>(v->as_uint64());
  else if (v->is_double() && std::trunc(v->as_double()) == v->as_double() && std::fabs(v->as_double()) < 9e15) n = static_cast<std::int64_t>(v->as_double());
  else {
    fail(Error::invalid_field(path(key), field_label(path(key)) + " 必须是整数"));
    return std::nullopt;
  }
  if (n < min || n > max) {
    fail(Error::invalid_field(path(key), field_label(path(key)) + " 超出范围 [" + std::to_string(min) + ", " +
                                             std::to_string(max) + "]"));
    return std::nullopt;
  }
  return n;
}

std::optional<double> JsonFields::number(std::string_view key, bool required, double min, double max) {
  const json::value* v = get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_number()) {
    fail(Error::invalid_field(path(key), field_label(path(key)) + " 必须是数字"));
    return std::nullopt;
  }
  double d = v->to_number<double>();
  if (!std::isfinite(d) || d < min || d > max) {
    fail(Error::invalid_field(path(key), field_label(path(key)) + " 超出范围"));
    return std::nullopt;
  }
  return d;
}

std::optional<bool> JsonFields::boolean(std::string_view key, bool required) {
  const json::value* v = get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_bool()) {
    fail(Error::invalid_field(path(key), field_label(path(key)) + " 必须是布尔值"));
    return std::nullopt;
  }
  return v->as_bool();
}

std::optional<std::vector<std::string>> JsonFields::strings(std::string_view key, bool required,
                                                            size_t max_items, size_t max_chars) {
  const json::value* v = get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_array() || v->as_array().size() > max_items) {
    fail(Error::invalid_field(path(key), field_label(path(key)) + " 必须是不超过 " + std::to_string(max_items) +
                                             " 项的字符串数组"));
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& item : v->as_array()) {
    if (!item.is_string() || utf8_length(item.as_string()) > max_chars) {
      fail(Error::invalid_field(path(key), field_label(path(key)) + " 的每一项必须是字符串"));
      return std::nullopt;
    }
    out.emplace_back(item.as_string());
  }
  return out;
}

std::optional<std::vector<std::string>> JsonFields::string_or_strings(std::string_view key, bool required,
                                                                      size_t max_items, size_t max_chars) {
  const json::value* v = obj_.if_contains(key);
  if (v && v->is_string()) {
    auto one = string(key, required, max_chars);
    return one ? std::optional<std::vector<std::string>>(std::vector<std::string>{*one}) : std::nullopt;
  }
  return strings(key, required, max_items, max_chars);
}

std::optional<std::string> JsonFields::one_of(std::string_view key, bool required,
                                              const std::vector<std::string_view>& allowed) {
  auto s = string(key, required, 64);
  if (!s) return std::nullopt;
  if (std::find(allowed.begin(), allowed.end(), *s) == allowed.end()) {
    std::string list;
    for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    fail(Error::invalid_field(path(key), field_label(path(key)) + " 必须是以下之一：" + list));
    return std::nullopt;
  }
  return s;
}

const json::object* JsonFields::object(std::string_view key, bool required) {
  const json::value* v = get(key, required);
  if (!v) return nullptr;
  if (!v->is_object()) {
    fail(Error::invalid_field(path(key), field_label(path(key)) + " 必须是对象"));
    return nullptr;
  }
  return &v->as_object();
}

const json::array* JsonFields::array(std::string_view key, bool required, size_t max_items) {
  const json::value* v = get(key, required);
  if (!v) return nullptr;
  if (!v->is_array()) {
    fail(Error::invalid_field(path(key), field_label(path(key)) + " 必须是数组"));
    return nullptr;
  }
  if (v->as_array().size() > max_items) {
    fail(Error::invalid_field(path(key), field_label(path(key)) + " 最多 " + std::to_string(max_items) + " 项"));
    return nullptr;
  }
  return &v->as_array();
}

JsonFields JsonFields::child(std::string_view key, const json::object& obj) {
  return JsonFields(obj, path(key) + ".");
}

void JsonFields::absorb(JsonFields& nested) {
  Status s = nested.finish();
  if (!s.ok()) fail(s.take_error());
}

Status JsonFields::finish() {
  if (error_) return *error_;
  for (const auto& kv : obj_) {
    if (std::find(known_.begin(), known_.end(), std::string_view(kv.key())) == known_.end()) {
      std::string p = path(kv.key());
      return Error{"unknown_field", "未知字段 " + p, p};
    }
  }
  return {};
}

void set_json_path(json::object& o, const std::string& dotted, json::value v) {
  auto dot = dotted.find('.');
  if (dot == std::string::npos) {
    o[dotted] = std::move(v);
    return;
  }
  auto& child = o[dotted.substr(0, dot)];
  if (!child.is_object()) child = json::object();
  child.as_object()[dotted.substr(dot + 1)] = std::move(v);
}

}  // namespace anjian
