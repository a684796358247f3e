#pragma once
// The kinds of accident of GB 6441-1986 企业职工伤亡事故分类 (its 20 categories, data/accident/
// gb6441-kinds.csv), named as people name them: 爆炸 is 其他爆炸, 瓦斯 瓦斯爆炸, 中毒 中毒和窒息.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace anjian::accident {

struct AccidentKind {
  std::string code;  // 01 … 20
  std::string name;  // 物体打击 …
};

const std::vector<AccidentKind>& accident_kinds();
// By its name, an alias or its code ("15", "瓦斯", "瓦斯爆炸"); none when unknown.
std::optional<AccidentKind> find_kind(std::string_view name_or_code);
// 补报 has 7 days, not 30, for fire and road traffic accidents (DOMAIN.md §6).
bool fire_kind(std::string_view code);

}  // namespace anjian::accident
