#include "exchange/batch_format.h"

#include <boost/json.hpp>

#include <algorithm>

#include "base/crypto.h"
#include "base/json_text.h"
#include "base/signature.h"
#include "base/zstd.h"

namespace anjian::exchange {
namespace json = boost::json;
namespace {

constexpr std::string_view kMagic = "ANJIAN-BATCH/1\n";
constexpr size_t kMaxManifest = 64 * 1024;

Error malformed(std::string why) { return {"batch_malformed", "批次文件格式错误：" + std::move(why), {}}; }

const json::value* member(const json::object& o, std::string_view key) { return o.if_contains(key); }

constexpr auto str = member_string;
constexpr auto num = member_int;

Result<Manifest> manifest_of(const json::object& o) {
  Manifest m;
  auto format = str(o, "format");
  if (format != "anjian-batch/1") return malformed("未知的格式版本");
  auto sender = str(o, "sender"), receiver = str(o, "receiver"), lane = str(o, "lane"), key = str(o, "key");
  auto from = num(o, "from_seq"), to = num(o, "to_seq"), count = num(o, "count"), created = num(o, "created_at");
  auto sha = str(o, "payload_sha256"), sm3 = str(o, "payload_sm3"), zsm3 = str(o, "compressed_sm3");
  auto bytes = num(o, "payload_bytes");
  if (!sender || sender->empty() || !receiver || receiver->empty() || !lane || !parse_lane(*lane) || !key ||
      !from || !to || !count || !created || !sha || !sm3 || !zsm3 || !bytes)
    return malformed("清单缺少字段");
  if (*from < 1 || *to < *from || *count < 0 || *count > *to - *from + 1 || *bytes < 0)
    return malformed("清单的序号范围或数量不合理");
  m.sender = *sender;
  m.receiver = *receiver;
  m.lane = *parse_lane(*lane);
  m.from_seq = *from;
  m.to_seq = *to;
  m.count = *count;
  m.created_at = *created;
  m.key = *key;
  m.payload_sha256 = *sha;
  m.payload_sm3 = *sm3;
  m.compressed_sm3 = *zsm3;
  m.payload_bytes = *bytes;
  if (const auto* head = member(o, "audit_head"); head && head->is_object()) {
    auto seq = num(head->as_object(), "seq"), anchor_seq = num(head->as_object(), "anchor_seq");
    auto hash = str(head->as_object(), "hash"), anchor_hash = str(head->as_object(), "anchor_hash");
    if (!seq || !hash || !anchor_seq || !anchor_hash) return malformed("审计链头格式错误");
    m.audit_head = AuditHead{*seq, *hash, *anchor_seq, *anchor_hash};
  }
  return m;
}

Result<Change> change_of(std::string_view line) {
  boost::system::error_code ec;
  json::value v = json::parse(line, ec);
  if (ec || !v.is_object()) return malformed("变更行不是 JSON 对象");
  const auto& o = v.as_object();
  Change c;
  auto seq = num(o, "seq"), version = num(o, "version");
  auto type = str(o, "type"), id = str(o, "id"), owner = str(o, "owner"), region = str(o, "region_code");
  const auto* deleted = member(o, "deleted");
  if (!seq || !version || !type || !id || !owner || !region || (deleted && !deleted->is_bool()))
    return malformed("变更行缺少字段");
  c.seq = *seq;
  c.version = *version;
  c.type = std::move(*type);
  c.id = std::move(*id);
  c.owner = std::move(*owner);
  c.region_code = std::move(*region);
  c.deleted = deleted && deleted->as_bool();
  if (const auto* data = member(o, "data")) {
    if (!data->is_object()) return malformed("变更数据不是对象");
    c.data = data->as_object();
  }
  if (c.id.empty() || c.type.empty() || c.owner.empty() || c.version < 1) return malformed("变更行字段为空");
  return c;
}

std::string change_line(const Change& c) {
  json::object o;
  o["seq"] = c.seq;
  o["type"] = c.type;
  o["id"] = c.id;
  o["owner"] = c.owner;
  o["version"] = c.version;
  o["region_code"] = c.region_code;
  if (c.deleted)
    o["deleted"] = true;
  else
    o["data"] = c.data;
  return json_text(o);
}

}  // namespace

std::string_view lane_name(Lane lane) { return lane == Lane::priority ? "priority" : "bulk"; }

std::optional<Lane> parse_lane(std::string_view name) {
  if (name == "priority") return Lane::priority;
  if (name == "bulk") return Lane::bulk;
  return std::nullopt;
}

json::object manifest_json(const Manifest& m) {
  json::object o;
  o["format"] = "anjian-batch/1";
  o["sender"] = m.sender;
  o["receiver"] = m.receiver;
  o["lane"] = lane_name(m.lane);
  o["from_seq"] = m.from_seq;
  o["to_seq"] = m.to_seq;
  o["count"] = m.count;
  o["created_at"] = m.created_at;
  o["key"] = m.key;
  if (m.audit_head)
    o["audit_head"] = json::object{{"seq", m.audit_head->seq}, {"hash", m.audit_head->hash}, {"anchor_seq", m.audit_head->anchor_seq},
                                   {"anchor_hash", m.audit_head->anchor_hash}};
  o["payload_sha256"] = m.payload_sha256;
  o["payload_sm3"] = m.payload_sm3;
  o["compressed_sm3"] = m.compressed_sm3;
  o["payload_bytes"] = m.payload_bytes;
  return o;
}

Result<std::string> seal_batch(Manifest manifest, const std::vector<Change>& changes, std::string_view private_pem) {
  std::string raw;
  for (const auto& c : changes) {
    raw += change_line(c);
    raw += '\n';
  }
  ANJIAN_ASSIGN(const std::string public_key, public_key_of(private_pem));
  manifest.key = key_fingerprint(public_key);
  manifest.count = static_cast<std::int64_t>(changes.size());
  manifest.payload_bytes = static_cast<std::int64_t>(raw.size());
  manifest.payload_sha256 = sha256_hex(raw);
  manifest.payload_sm3 = sm3_hex(raw);
  const std::string compressed = zstd_compress(raw);
  manifest.compressed_sm3 = sm3_hex(compressed);
  std::string head(kMagic);
  head += json_text(manifest_json(manifest));
  head += '\n';
  ANJIAN_ASSIGN(const std::string signature, sign_message(private_pem, head));
  std::string out = head;
  out += base64_encode(signature);
  out += '\n';
  out += compressed;
  return out;
}

Result<std::vector<Change>> parse_changes(std::string_view ndjson, const Manifest& manifest) {
  std::vector<Change> out;
  out.reserve(static_cast<size_t>(std::min<std::int64_t>(manifest.count, 1'000'000)));
  std::string_view rest(ndjson);
  while (!rest.empty()) {
    const size_t nl = rest.find('\n');
    if (nl == std::string_view::npos) return malformed("变更行未以换行结束");
    ANJIAN_ASSIGN(Change c, change_of(rest.substr(0, nl)));
    if (c.seq < manifest.from_seq || c.seq > manifest.to_seq) return malformed("变更序号超出清单范围");
    out.push_back(std::move(c));
    rest.remove_prefix(nl + 1);
  }
  if (static_cast<std::int64_t>(out.size()) != manifest.count) return malformed("变更数量与清单不符");
  return out;
}

Result<Manifest> peek_manifest(std::string_view file) {
  if (file.substr(0, kMagic.size()) != kMagic) return malformed("不是 anjian 批次文件");
  const size_t end = file.find('\n', kMagic.size());
  if (end == std::string_view::npos || end - kMagic.size() > kMaxManifest) return malformed("清单不完整");
  boost::system::error_code ec;
  json::value v = json::parse(file.substr(kMagic.size(), end - kMagic.size()), ec);
  if (ec || !v.is_object()) return malformed("清单不是 JSON 对象");
  return manifest_of(v.as_object());
}

Result<OpenedBatch> open_batch(std::string_view file, const KeyLookup& keys, std::int64_t max_payload) {
  ANJIAN_ASSIGN(Manifest manifest, peek_manifest(file));
  const size_t head_end = file.find('\n', kMagic.size()) + 1;
  const size_t sig_end = file.find('\n', head_end);
  if (sig_end == std::string_view::npos || sig_end - head_end > 1024) return malformed("签名行不完整");
  auto signature = base64_decode(file.substr(head_end, sig_end - head_end));
  if (!signature.ok()) return malformed("签名不是 base64");

  const KnownKey key = keys(manifest.sender, manifest.key);
  if (key.state == KnownKey::State::unknown)
    return Error{"batch_unknown_key", "批次由未登记的节点或密钥签名（节点 " + manifest.sender + "，密钥 " + manifest.key + "）", {}};
  if (key.state == KnownKey::State::revoked)
    return Error{"batch_revoked_key", "批次由已吊销的密钥签名（节点 " + manifest.sender + "，密钥 " + manifest.key + "）", {}};
  if (!verify_message(key.public_key, file.substr(0, head_end), *signature))
    return Error{"batch_bad_signature", "批次签名校验失败：文件被改动或不是该节点所签", {}};

  // The manifest is authentic from here; the payload must be what it names.
  const std::string_view compressed = file.substr(sig_end + 1);
  if (manifest.payload_bytes > max_payload)
    return Error{"batch_too_large", "批次解压后超过上限（" + std::to_string(max_payload) + " 字节）", {}};
  if (sm3_hex(compressed) != manifest.compressed_sm3)
    return Error{"batch_digest_mismatch", "批次内容与清单的摘要不符：文件已损坏或被改动", {}};
  auto decompressed = zstd_decompress(compressed, static_cast<size_t>(manifest.payload_bytes));
  if (!decompressed || decompressed->size() != static_cast<size_t>(manifest.payload_bytes))
    return Error{"batch_digest_mismatch", "批次内容与清单不符（长度）", {}};
  std::string raw = std::move(*decompressed);
  if (sha256_hex(raw) != manifest.payload_sha256 || sm3_hex(raw) != manifest.payload_sm3)
    return Error{"batch_digest_mismatch", "批次内容与清单的摘要不符：文件已损坏或被改动", {}};

  OpenedBatch out;
  ANJIAN_ASSIGN(out.changes, parse_changes(raw, manifest));
  out.manifest = std::move(manifest);
  return out;
}

namespace {

// What a pull's signature covers: every field, in a fixed order, under a name of its own so that
// no other signed text (a batch's manifest) can pass for a pull.
std::string pull_message(const PullRequest& r) {
  return "ANJIAN-PULL/1\n" + r.sender + "\n" + r.receiver + "\n" + std::string(lane_name(r.lane)) + "\n" + std::to_string(r.after) + "\n" +
         std::to_string(r.at) + "\n" + r.key;
}

}  // namespace

Result<std::string> sign_pull(PullRequest request, std::string_view private_pem) {
  ANJIAN_ASSIGN(const std::string signature, sign_message(private_pem, pull_message(request)));
  return json_text(json::object{{"sender", request.sender}, {"receiver", request.receiver}, {"lane", lane_name(request.lane)},
                                {"after", request.after}, {"at", request.at}, {"key", request.key},
                                {"signature", base64_encode(signature)}});
}

Result<PullRequest> open_pull(std::string_view body, const KeyLookup& keys, Millis now, Millis max_skew_ms) {
  if (body.size() > 4096) return malformed("拉取请求过长");
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return malformed("拉取请求不是 JSON 对象");
  const auto& o = v.as_object();
  auto text = [&](const char* k) -> std::optional<std::string> {
    const auto* x = o.if_contains(k);
    if (!x || !x->is_string() || x->as_string().size() > 256) return std::nullopt;
    return std::string(x->as_string());
  };
  auto number = [&](const char* k) -> std::optional<std::int64_t> {
    const auto* x = o.if_contains(k);
    if (!x || !x->is_int64() || x->as_int64() < 0) return std::nullopt;
    return x->as_int64();
  };
  const auto sender = text("sender"), receiver = text("receiver"), lane = text("lane"), key = text("key"), signature = text("signature");
  const auto after = number("after"), at = number("at");
  if (!sender || !receiver || !lane || !key || !signature || !after || !at || !parse_lane(*lane)) return malformed("拉取请求缺少字段或字段不合格");
  PullRequest r{*sender, *receiver, *parse_lane(*lane), *after, *at, *key, *signature};
  auto raw = base64_decode(r.signature);
  if (!raw.ok()) return malformed("签名不是 base64");
  const KnownKey k = keys(r.sender, r.key);
  if (k.state == KnownKey::State::unknown) return Error{"batch_unknown_key", "拉取请求来自未登记的节点或密钥（节点 " + r.sender + "）", {}};
  if (k.state == KnownKey::State::revoked) return Error{"batch_revoked_key", "拉取请求由已吊销的密钥签名（节点 " + r.sender + "）", {}};
  if (!verify_message(k.public_key, pull_message(r), *raw)) return Error{"batch_bad_signature", "拉取请求的签名校验失败", {}};
  if (r.at < now - max_skew_ms || r.at > now + max_skew_ms)
    return Error{"batch_stale", "拉取请求的时间与本节点相差超过 5 分钟：请核对两节点的时钟", {}};
  return r;
}

}  // namespace anjian::exchange
