#include "auth/keyring.h"

#include "base/crypto.h"
#include "base/text.h"

#include <fstream>
#include <sstream>

namespace anjian::auth {
namespace {
Result<std::string> unhex(std::string_view h) {
  if (h.size() != 64) return Error{"invalid_config", "密钥须为 64 位十六进制（256 位）", "keys"};
  std::string out;
  for (size_t i = 0; i < h.size(); i += 2) {
    auto nibble = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    const int hi = nibble(h[i]), lo = nibble(h[i + 1]);
    if (hi < 0 || lo < 0) return Error{"invalid_config", "密钥须为十六进制", "keys"};
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

std::string hex(std::string_view b) {
  static const char k[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : b) (out += k[c >> 4]) += k[c & 15];
  return out;
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
  return std::string(kHeader) + key.id + " " + hex(key.secret) + "\nindex " + hex(sm4::generate("index").secret) + "\n";
}

const sm4::Key* Keyring::find(std::string_view id) const {
  for (const auto& k : keys_)
    if (k.id == id) return &k;
  return nullptr;
}

std::string Keyring::text_with_new_key(const std::string& id) const {
  std::string out(kHeader);
  out += id + " " + hex(sm4::generate(id).secret) + "\n";
  for (const auto& k : keys_) out += k.id + " " + hex(k.secret) + "\n";
  return out + "index " + hex(index_) + "\n";
}

std::string Keyring::text_current_only() const {
  return std::string(kHeader) + current().id + " " + hex(current().secret) + "\nindex " + hex(index_) + "\n";
}

}  // namespace anjian::auth
