#include "auth/keyring.h"

#include "base/crypto.h"
#include "base/text.h"

#include <fstream>
#include <sstream>

namespace anjian::auth {
namespace {
Result<std::string> unhex(std::string_view h) {
  if (h.size() != 64) return Error{"invalid_config", "密钥须为 64 位十六进制（256 位）", "keys"};
  auto bytes = from_hex(h);
  if (!bytes) return Error{"invalid_config", "密钥须为十六进制", "keys"};
  return *bytes;
}

constexpr std::string_view kHeader = "# anjian 数据密钥（SM4）：首行为当前密钥；index 行为检索摘要密钥，不得更换。权限 0600，不随数据备份。\n";
}  // namespace

Result<Keyring> Keyring::parse(std::string_view text) {
  Keyring k;
  for (const auto& raw : split_list(text, '\n')) {
    std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#') continue;
    auto parts = split_list(line, ' ');
    if (parts.size() != 2) return Error{"invalid_config", "密钥文件每行须为「标识 十六进制密钥」", "keys"};
    auto secret = unhex(parts[1]);
    if (!secret.ok()) return secret.take_error();
    if (parts[0] == "index") {
      k.index_ = *secret;
      continue;
    }
    if (parts[0].size() > 32 || parts[0].find(':') != std::string::npos)
      return Error{"invalid_config", "密钥标识过长或含冒号：" + parts[0], "keys"};
    if (k.find(parts[0])) return Error{"invalid_config", "密钥标识重复：" + parts[0], "keys"};
    k.keys_.push_back({parts[0], *secret});
  }
  if (k.keys_.empty()) return Error{"invalid_config", "密钥文件中没有密钥", "keys"};
  if (k.index_.empty()) return Error{"invalid_config", "密钥文件缺少 index 行（检索摘要密钥）", "keys"};
  return k;
}

Result<Keyring> Keyring::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"invalid_config", "无法读取密钥文件 " + path, "keys"};
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().size() > 64 * 1024) return Error{"invalid_config", "密钥文件过大：" + path, "keys"};
  return parse(text.str());
}

std::string Keyring::generate_text() {
  const auto key = sm4::generate("k" + random_hex(4));
  return std::string(kHeader) + key.id + " " + to_hex(key.secret) + "\nindex " + to_hex(sm4::generate("index").secret) + "\n";
}

const sm4::Key* Keyring::find(std::string_view id) const {
  for (const auto& k : keys_)
    if (k.id == id) return &k;
  return nullptr;
}

std::string Keyring::text_with_new_key(const std::string& id) const {
  std::string out(kHeader);
  out += id + " " + to_hex(sm4::generate(id).secret) + "\n";
  for (const auto& k : keys_) out += k.id + " " + to_hex(k.secret) + "\n";
  return out + "index " + to_hex(index_) + "\n";
}

std::string Keyring::text_current_only() const {
  return std::string(kHeader) + current().id + " " + to_hex(current().secret) + "\nindex " + to_hex(index_) + "\n";
}

}  // namespace anjian::auth
