#pragma once
// The small integer coding of anjian's binary formats (the packed readings log, compressed
// chunks): LEB128 varints, zigzag for signed values, and wrapping arithmetic so that hostile input
// can never be undefined behaviour.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace anjian::varint {

inline void put(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>(v | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}
inline std::uint64_t zigzag(std::int64_t v) { return (static_cast<std::uint64_t>(v) << 1) ^ (v < 0 ? ~std::uint64_t{0} : 0); }
inline std::int64_t unzigzag(std::uint64_t v) { return static_cast<std::int64_t>((v >> 1) ^ (~(v & 1) + 1)); }
inline std::int64_t wrap_add(std::int64_t a, std::int64_t b) {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b));
}
inline std::int64_t wrap_sub(std::int64_t a, std::int64_t b) {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) - static_cast<std::uint64_t>(b));
}

// Reads varints and raw bytes from untrusted input; `ok` turns false at the first overrun.
struct Reader {
  std::string_view in;
  size_t at = 0;
  bool ok = true;
  std::uint64_t next() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at >= in.size()) { ok = false; return 0; }
      const auto b = static_cast<std::uint8_t>(in[at++]);
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    ok = false;
    return 0;
  }
  bool bytes(void* out, size_t n) {
    if (in.size() - at < n) { ok = false; return false; }
    std::memcpy(out, in.data() + at, n);
    at += n;
    return true;
  }
};

}  // namespace anjian::varint
