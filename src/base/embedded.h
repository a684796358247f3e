#pragma once
// Reference data files compiled into the binary (see cmake/embed.cmake).
#include <string_view>

namespace anjian::embedded {
// Returns the bytes of data/NAME, or an empty view when NAME was not embedded.
std::string_view file(std::string_view name);
}  // namespace anjian::embedded
