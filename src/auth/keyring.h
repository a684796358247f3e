#pragma once
// The SM4 keys of a deployment, kept in a file outside the database and the data folder (0600;
// GB/T 39786: keys apart from what they protect), or in ANJIAN_KEYS (the file's text). One key
// per line, "ID HEX64"; the first is the current one (new data is sealed with it), the others
// open what was sealed before a rotation; the line "index HEX64" keys the digests that searches
// use and never rotates (a digest must stay comparable with the one computed for a query).
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/sm4.h"

namespace anjian::auth {

class Keyring {
 public:
  // Errors: invalid_config (unreadable, malformed, no key, a short secret, duplicate ids).
  static Result<Keyring> parse(std::string_view text);
  static Result<Keyring> load(const std::string& path);
  // A new file's text with a current key and an index key.
  static std::string generate_text();

  const sm4::Key& current() const { return keys_.front(); }
  const sm4::Key* find(std::string_view id) const;
  const std::vector<sm4::Key>& keys() const { return keys_; }
  const std::string& index_secret() const { return index_; }
  // The text with a new current key before the others (rotation's first step).
  std::string text_with_new_key(const std::string& id) const;
  // The text without the keys other than the current one (rotation's last step).
  std::string text_current_only() const;

 private:
  std::vector<sm4::Key> keys_;
  std::string index_;
};

}  // namespace anjian::auth
