#include "modules/monitoring/chunk_format.h"

#include "base/varint.h"

#include <zstd.h>

#include <cmath>
#include <cstring>

namespace anjian::monitoring {
using varint::put;
using varint::Reader;
using varint::unzigzag;
using varint::wrap_add;
using varint::wrap_sub;
using varint::zigzag;

namespace {
constexpr std::uint8_t kVersion = 1;
constexpr std::uint8_t kRawDoubles = 255;  // the value scale that means "XOR of doubles"
const Error kBad{"invalid_chunk", "压缩数据块已损坏", ""};

// The fewest decimal places (0..6) that hold every value exactly, or kRawDoubles.
std::uint8_t scale_of(const std::vector<Sample>& samples) {
  for (std::uint8_t k = 0; k <= 6; ++k) {
    const double f = std::pow(10.0, k);
    bool fits = true;
    for (const auto& s : samples) {
      const double x = s.value * f;
      // -0.0 would come back as 0.0: only raw doubles keep every bit.
      if (!std::isfinite(x) || std::abs(x) > 9e15 || std::round(x) / f != s.value || (s.value == 0 && std::signbit(s.value))) {
        fits = false;
        break;
      }
    }
    if (fits) return k;
  }
  return kRawDoubles;
}

std::uint64_t bits(double d) {
  std::uint64_t b;
  std::memcpy(&b, &d, sizeof b);
  return b;
}
double from_bits(std::uint64_t b) {
  double d;
  std::memcpy(&d, &b, sizeof d);
  return d;
}
}  // namespace

std::string encode_chunk(const std::vector<Sample>& samples) {
  std::string raw;
  raw.reserve(samples.size() * 4 + 16);
  const std::uint8_t scale = scale_of(samples);
  put(raw, samples.size());
  raw += static_cast<char>(scale);
  // Timestamps: the first, then delta-of-delta (0 for a regular sensor).
  Millis prev = 0, prev_delta = 0;
  for (size_t i = 0; i < samples.size(); ++i) {
    if (i == 0) {
      put(raw, zigzag(samples[0].ts));
    } else {
      const Millis delta = wrap_sub(samples[i].ts, prev);
      put(raw, zigzag(wrap_sub(delta, prev_delta)));
      prev_delta = delta;
    }
    prev = samples[i].ts;
  }
  // Values.
  if (scale == kRawDoubles) {
    std::uint64_t last = 0;
    for (const auto& s : samples) {
      put(raw, bits(s.value) ^ last);
      last = bits(s.value);
    }
  } else {
    const double f = std::pow(10.0, scale);
    std::int64_t last = 0;
    for (const auto& s : samples) {
      const auto x = static_cast<std::int64_t>(std::llround(s.value * f));
      put(raw, zigzag(wrap_sub(x, last)));
      last = x;
    }
  }
  // Quality as runs.
  for (size_t i = 0; i < samples.size();) {
    size_t j = i;
    while (j < samples.size() && samples[j].quality == samples[i].quality) ++j;
    put(raw, j - i);
    put(raw, static_cast<std::uint64_t>(samples[i].quality));
    i = j;
  }
  std::string out(1 + ZSTD_compressBound(raw.size()), '\0');
  out[0] = static_cast<char>(kVersion);
  // With zstd's checksum: a damaged chunk is refused, not decoded into wrong readings.
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 3);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
  const size_t n = ZSTD_compress2(cctx, out.data() + 1, out.size() - 1, raw.data(), raw.size());
  ZSTD_freeCCtx(cctx);
  out.resize(ZSTD_isError(n) ? 1 : 1 + n);
  return out;
}

Result<std::vector<Sample>> decode_chunk(std::string_view bytes) {
  if (bytes.size() < 2 || static_cast<std::uint8_t>(bytes[0]) != kVersion) return kBad;
  bytes.remove_prefix(1);
  const unsigned long long size = ZSTD_getFrameContentSize(bytes.data(), bytes.size());
  // A reading takes at least 3 bytes raw: a frame claiming more than that for kMaxChunk is hostile.
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > kMaxChunk * 40) return kBad;
  std::string raw(size, '\0');
  const size_t got = ZSTD_decompress(raw.data(), raw.size(), bytes.data(), bytes.size());
  if (ZSTD_isError(got) || got != size) return kBad;
  Reader r{raw};
  const std::uint64_t count = r.next();
  if (!r.ok || count == 0 || count > kMaxChunk || count > raw.size()) return kBad;
  if (r.at >= raw.size()) return kBad;
  const auto scale = static_cast<std::uint8_t>(raw[r.at++]);
  if (scale > 6 && scale != kRawDoubles) return kBad;
  std::vector<Sample> out(count);
  Millis prev = 0, delta = 0;
  for (size_t i = 0; i < count; ++i) {
    const std::int64_t v = unzigzag(r.next());
    if (i == 0) {
      out[0].ts = v;
    } else {
      delta = wrap_add(delta, v);
      out[i].ts = wrap_add(prev, delta);
    }
    prev = out[i].ts;
  }
  if (scale == kRawDoubles) {
    std::uint64_t last = 0;
    for (auto& s : out) {
      last ^= r.next();
      s.value = from_bits(last);
    }
  } else {
    const double f = std::pow(10.0, scale);
    std::int64_t last = 0;
    for (auto& s : out) {
      last = wrap_add(last, unzigzag(r.next()));
      s.value = static_cast<double>(last) / f;
    }
  }
  for (size_t i = 0; i < count;) {
    const std::uint64_t run = r.next(), q = r.next();
    if (!r.ok || run == 0 || run > count - i || q > 3) return kBad;  // 3: 标校
    for (size_t j = 0; j < run; ++j) out[i + j].quality = static_cast<int>(q);
    i += run;
  }
  if (!r.ok || r.at != raw.size()) return kBad;
  return out;
}

}  // namespace anjian::monitoring
