#pragma once
// The catalog's first wording of each shared type (administrators edit it afterwards): category,
// summary, 共享类型 and its basis, 开放属性, 更新周期. A type not listed here is described from the
// registry alone and shared only on approval, not opened.
#include <string_view>

namespace anjian::catalog {

struct EntryDefaults {
  std::string_view category, summary, share_type, share_condition, share_basis, share_method;
  bool open;
  std::string_view open_condition, update_cycle;
};

EntryDefaults defaults_for(std::string_view record_type);

}  // namespace anjian::catalog
