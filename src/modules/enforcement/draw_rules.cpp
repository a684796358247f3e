#include "modules/enforcement/draw_rules.h"

#include <openssl/evp.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <tuple>
#include <unordered_map>

#include "base/crypto.h"
#include "base/json_text.h"

namespace anjian::enforcement {
namespace json = boost::json;

// ---- the stream: ChaCha20 (RFC 8439) keyed by the seed, nonce 0, block counter from 0 ----

namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
bool valid_seed(const std::string& hex) {
  return hex.size() == 64 && std::all_of(hex.begin(), hex.end(), [](char c) { return hex_value(c) >= 0; });
}
}  // namespace

DrawStream::DrawStream(const std::string& seed_hex) {
  if (!valid_seed(seed_hex)) throw std::invalid_argument("seed: 64 hex digits");
  for (size_t i = 0; i < 32; ++i) key_[i] = static_cast<unsigned char>(hex_value(seed_hex[2 * i]) * 16 + hex_value(seed_hex[2 * i + 1]));
}

std::uint64_t DrawStream::next() {
  if (used_ == 64) {
    // Block n of the keystream: ChaCha20 of 64 zero bytes with the counter at n (OpenSSL's IV is
    // the 32-bit little-endian counter followed by the 96-bit nonce, here all zero).
    unsigned char iv[16] = {};
    for (int i = 0; i < 4; ++i) iv[i] = static_cast<unsigned char>(block_ >> (8 * i));
    std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
    const unsigned char zeros[64] = {};
    int out = 0;
    if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_chacha20(), nullptr, key_, iv) != 1 ||
        EVP_EncryptUpdate(ctx.get(), buf_, &out, zeros, 64) != 1 || out != 64)
      throw std::runtime_error("ChaCha20 unavailable");
    ++block_;
    used_ = 0;
  }
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(buf_[used_ + i]) << (8 * i);  // little-endian
  used_ += 8;
  return v;
}

std::uint64_t DrawStream::below(std::uint64_t n) {
  // Reject the top 2^64 mod n values: what is left divides evenly by n.
  const std::uint64_t reject_from = std::uint64_t(0) - (std::uint64_t(0) - n) % n;  // 2^64 - (2^64 mod n), 0 meaning 2^64
  for (;;) {
    const std::uint64_t x = next();
    if (reject_from == 0 || x < reject_from) return x % n;
  }
}

// ---- the draw ----

std::uint64_t load_bound(std::uint64_t drawn, std::uint32_t per_target, std::uint64_t inspectors) {
  if (inspectors == 0) return 0;
  return (drawn * per_target + inspectors - 1) / inspectors + 1;
}

namespace {
// Weighted choice without replacement over a Fenwick tree of the remaining weights (exact sums).
class Fenwick {
 public:
  explicit Fenwick(const std::vector<std::uint64_t>& w) : t_(w.size() + 1, 0) {
    for (size_t i = 0; i < w.size(); ++i) add(i, w[i]);
  }
  void add(size_t i, std::int64_t d) {
    for (size_t k = i + 1; k < t_.size(); k += k & (~k + 1)) t_[k] += static_cast<std::uint64_t>(d);
  }
  // The index i whose cumulative range [sum(0..i-1), sum(0..i)) holds r. REQUIRES: r < total.
  size_t find(std::uint64_t r) const {
    size_t pos = 0, step = 1;
    while (step * 2 < t_.size()) step *= 2;
    for (; step > 0; step /= 2)
      if (pos + step < t_.size() && t_[pos + step] <= r) {
        pos += step;
        r -= t_[pos];
      }
    return pos;  // 0-based index
  }

 private:
  std::vector<std::uint64_t> t_;
};

std::string digest_of(const json::value& v) { return sha256_hex(json_text(v)); }

void canonicalise(DrawInputs& in) {
  std::sort(in.targets.begin(), in.targets.end(), [](const DrawTarget& a, const DrawTarget& b) { return a.uscc < b.uscc; });
  std::sort(in.inspectors.begin(), in.inspectors.end());
  std::sort(in.recusals.begin(), in.recusals.end(), [](const Recusal& a, const Recusal& b) {
    return std::tie(a.inspector, a.enterprise_uscc, a.reason) < std::tie(b.inspector, b.enterprise_uscc, b.reason);
  });
}

json::array targets_json(const DrawInputs& in) {
  json::array a;
  for (const auto& t : in.targets) a.push_back(json::array{json::value(t.uscc), json::value(t.weight)});
  return a;
}
json::array inspectors_json(const DrawInputs& in) { return json::array(in.inspectors.begin(), in.inspectors.end()); }
json::array recusals_json(const DrawInputs& in) {
  json::array a;
  for (const auto& r : in.recusals) a.push_back(json::array{json::value(r.inspector), json::value(r.enterprise_uscc), json::value(r.reason)});
  return a;
}

void digest(DrawRecord& r) {
  r.targets_digest = digest_of(targets_json(r.inputs));
  r.inspectors_digest = digest_of(inspectors_json(r.inputs));
  r.recusals_digest = digest_of(recusals_json(r.inputs));
  r.inputs_digest = digest_of(json::array{json::value(r.algorithm), json::value(r.targets_digest), json::value(r.inspectors_digest),
                                          json::value(r.recusals_digest), json::value(r.inputs.count), json::value(r.inputs.per_target)});
}

Status check(const DrawInputs& in) {
  if (in.targets.empty()) return Error::invalid_field("targets", "检查对象名录为空");
  if (in.count < 1 || in.count > in.targets.size())
    return Error::invalid_field("count", "抽取数量须在 1 至 " + std::to_string(in.targets.size()) + "（检查对象数）之间");
  if (in.per_target < 2) return Error::invalid_field("per_target", "每个检查对象至少抽取 2 名执法人员（行政处罚法第四十二条）");
  if (in.per_target > in.inspectors.size())
    return Error::invalid_field("inspectors", "执法人员只有 " + std::to_string(in.inspectors.size()) + " 名，不足每个对象 " +
                                                  std::to_string(in.per_target) + " 名");
  for (size_t i = 0; i < in.targets.size(); ++i) {
    if (in.targets[i].weight < 1 || in.targets[i].weight > 1'000'000) return Error::invalid_field("weights", "权重须在 1 至 1000000 之间");
    if (i > 0 && in.targets[i].uscc == in.targets[i - 1].uscc) return Error::invalid_field("targets", "检查对象重复：" + in.targets[i].uscc);
  }
  for (size_t i = 1; i < in.inspectors.size(); ++i)
    if (in.inspectors[i] == in.inspectors[i - 1]) return Error::invalid_field("inspectors", "执法人员重复：" + in.inspectors[i]);
  // Every target keeps at least per_target inspectors once its recusals are out.
  std::map<std::string, size_t> recused;
  std::set<std::pair<std::string, std::string>> pairs;
  for (const auto& r : in.recusals)
    if (pairs.insert({r.inspector, r.enterprise_uscc}).second && std::binary_search(in.inspectors.begin(), in.inspectors.end(), r.inspector))
      ++recused[r.enterprise_uscc];
  for (const auto& t : in.targets)
    if (in.inspectors.size() - recused[t.uscc] < in.per_target)
      return Error::invalid_field("recusals", "检查对象 " + t.uscc + " 回避后只剩 " + std::to_string(in.inspectors.size() - recused[t.uscc]) +
                                                  " 名执法人员，不足 " + std::to_string(in.per_target) + " 名");
  return {};
}

// The draw proper, on canonical inputs. Errors: draw_failed.
Result<std::vector<DrawAssignment>> run(const DrawInputs& in, const std::string& seed_hex) {
  DrawStream s(seed_hex);
  // Targets: successive weighted choice without replacement (an integer in [0, remaining weight)).
  std::vector<std::uint64_t> w;
  std::uint64_t total = 0;
  for (const auto& t : in.targets) {
    w.push_back(t.weight);
    total += t.weight;
  }
  Fenwick tree(w);
  std::vector<size_t> chosen;
  for (std::uint64_t k = 0; k < in.count; ++k) {
    const size_t i = tree.find(s.below(total));
    chosen.push_back(i);
    tree.add(i, -static_cast<std::int64_t>(w[i]));
    total -= w[i];
    w[i] = 0;
  }
  // Inspectors, target by target in the order drawn: uniform among those not recused and below the
  // load bound, without repetition. When recusals and the bound leave a target short, the
  // assignment starts again from the first target, the stream continuing (at most kAttempts times).
  // Each target's recused inspectors as indices into the canonical list (a province draws over
  // thousands of targets and inspectors: no string comparisons in the inner loop).
  std::unordered_map<std::string, std::vector<size_t>> recused;
  for (const auto& r : in.recusals) {
    auto it = std::lower_bound(in.inspectors.begin(), in.inspectors.end(), r.inspector);
    if (it != in.inspectors.end() && *it == r.inspector) recused[r.enterprise_uscc].push_back(static_cast<size_t>(it - in.inspectors.begin()));
  }
  std::vector<char> blocked(in.inspectors.size(), 0);
  const std::uint64_t bound = load_bound(in.count, in.per_target, in.inspectors.size());
  constexpr int kAttempts = 16;
  std::string short_of;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    std::vector<std::uint64_t> load(in.inspectors.size(), 0);
    std::vector<DrawAssignment> out;
    bool dead_end = false;
    for (size_t i : chosen) {
      const std::string& uscc = in.targets[i].uscc;
      const auto rec = recused.find(uscc);
      if (rec != recused.end())
        for (size_t j : rec->second) blocked[j] = 1;
      std::vector<size_t> eligible;
      for (size_t j = 0; j < in.inspectors.size(); ++j)
        if (load[j] < bound && !blocked[j]) eligible.push_back(j);
      if (rec != recused.end())
        for (size_t j : rec->second) blocked[j] = 0;
      if (eligible.size() < in.per_target) {
        dead_end = true;
        short_of = uscc;
        break;
      }
      DrawAssignment a{uscc, {}};
      for (std::uint32_t p = 0; p < in.per_target; ++p) {
        const size_t pick = s.below(eligible.size());
        const size_t j = eligible[pick];
        eligible[pick] = eligible.back();
        eligible.pop_back();
        ++load[j];
        a.inspectors.push_back(in.inspectors[j]);
      }
      out.push_back(std::move(a));
    }
    if (!dead_end) return out;
  }
  return Error{"draw_failed", "检查对象 " + short_of + " 可抽取的执法人员不足（回避与负荷上限），请增加执法人员或重新抽取", ""};
}
}  // namespace

Result<DrawRecord> draw(DrawInputs inputs, const std::string& seed_hex) {
  if (!valid_seed(seed_hex)) return Error::invalid_field("seed", "种子须为 64 位十六进制数");
  canonicalise(inputs);
  ANJIAN_TRY(check(inputs));
  DrawRecord r;
  r.seed_hex = seed_hex;
  std::transform(r.seed_hex.begin(), r.seed_hex.end(), r.seed_hex.begin(), [](unsigned char c) { return std::tolower(c); });
  r.inputs = std::move(inputs);
  digest(r);
  auto result = run(r.inputs, r.seed_hex);
  if (!result.ok()) return result.take_error();
  r.result = std::move(*result);
  return r;
}

std::string verify(const DrawRecord& record) {
  if (record.algorithm != kDrawAlgorithm) return "算法 " + record.algorithm + " 不是 " + kDrawAlgorithm;
  if (!valid_seed(record.seed_hex)) return "种子不是 64 位十六进制数";
  DrawRecord again;
  again.inputs = record.inputs;
  canonicalise(again.inputs);
  again.algorithm = record.algorithm;
  digest(again);
  if (again.targets_digest != record.targets_digest) return "检查对象名录的摘要不符";
  if (again.inspectors_digest != record.inspectors_digest) return "执法人员名录的摘要不符";
  if (again.recusals_digest != record.recusals_digest) return "回避名单的摘要不符";
  if (again.inputs_digest != record.inputs_digest) return "抽取参数的摘要不符";
  if (auto s = check(again.inputs); !s.ok()) return "输入不合规：" + s.error().message;
  auto result = run(again.inputs, record.seed_hex);
  if (!result.ok()) return "按记录重新抽取失败：" + result.error().message;
  if (result->size() != record.result.size()) return "抽取结果的对象数不符";
  for (size_t i = 0; i < result->size(); ++i) {
    if ((*result)[i].enterprise_uscc != record.result[i].enterprise_uscc)
      return "第 " + std::to_string(i + 1) + " 个抽中对象不符：记录为 " + record.result[i].enterprise_uscc + "，重算为 " +
             (*result)[i].enterprise_uscc;
    if ((*result)[i].inspectors != record.result[i].inspectors)
      return "检查对象 " + record.result[i].enterprise_uscc + " 的执法人员不符";
  }
  return "";
}

json::object to_json(const DrawRecord& r) {
  json::array result;
  for (const auto& a : r.result)
    result.push_back(json::object{{"enterprise_uscc", a.enterprise_uscc}, {"inspectors", json::array(a.inspectors.begin(), a.inspectors.end())}});
  return {{"algorithm", r.algorithm},
          {"seed", r.seed_hex},
          {"inputs",
           {{"targets", targets_json(r.inputs)}, {"count", r.inputs.count}, {"inspectors", inspectors_json(r.inputs)},
            {"per_target", r.inputs.per_target}, {"recusals", recusals_json(r.inputs)}}},
          {"targets_digest", r.targets_digest},
          {"inspectors_digest", r.inspectors_digest},
          {"recusals_digest", r.recusals_digest},
          {"inputs_digest", r.inputs_digest},
          {"result", std::move(result)}};
}

Result<DrawRecord> record_from_json(const json::object& o) {
  try {
    DrawRecord r;
    r.algorithm = std::string(o.at("algorithm").as_string());
    r.seed_hex = std::string(o.at("seed").as_string());
    const auto& in = o.at("inputs").as_object();
    for (const auto& t : in.at("targets").as_array())
      r.inputs.targets.push_back({std::string(t.as_array().at(0).as_string()), static_cast<std::uint32_t>(t.as_array().at(1).to_number<std::uint64_t>())});
    r.inputs.count = in.at("count").to_number<std::uint64_t>();
    for (const auto& i : in.at("inspectors").as_array()) r.inputs.inspectors.emplace_back(i.as_string());
    r.inputs.per_target = static_cast<std::uint32_t>(in.at("per_target").to_number<std::uint64_t>());
    for (const auto& x : in.at("recusals").as_array())
      r.inputs.recusals.push_back({std::string(x.as_array().at(0).as_string()), std::string(x.as_array().at(1).as_string()),
                                   std::string(x.as_array().at(2).as_string())});
    r.targets_digest = std::string(o.at("targets_digest").as_string());
    r.inspectors_digest = std::string(o.at("inspectors_digest").as_string());
    r.recusals_digest = std::string(o.at("recusals_digest").as_string());
    r.inputs_digest = std::string(o.at("inputs_digest").as_string());
    for (const auto& a : o.at("result").as_array()) {
      DrawAssignment d{std::string(a.at("enterprise_uscc").as_string()), {}};
      for (const auto& i : a.at("inspectors").as_array()) d.inspectors.emplace_back(i.as_string());
      r.result.push_back(std::move(d));
    }
    return r;
  } catch (const std::exception& e) {
    return Error::invalid_field("record", std::string("抽取记录格式错误：") + e.what());
  }
}

}  // namespace anjian::enforcement
