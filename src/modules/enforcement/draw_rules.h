#pragma once
// 双随机 draws that anyone can re-run (DOMAIN.md §7; docs/DRAW-ALGORITHM.md): targets drawn from a
// list, weighted or not, then inspectors for each target — never a recused pair, never one
// inspector twice for a target, no inspector above the load bound — from a 256-bit seed through a
// named, versioned algorithm with integer arithmetic only. The same inputs and seed give the same
// result on any machine; verify() checks a record from nothing but the record.
#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"

namespace anjian::enforcement {

inline constexpr const char* kDrawAlgorithm = "anjian-draw-1";

struct DrawTarget {
  std::string uscc;
  std::uint32_t weight = 1;  // 1 … 1,000,000 (by risk level, when weighted)
};

struct Recusal {
  std::string inspector, enterprise_uscc, reason;
};

struct DrawInputs {
  std::vector<DrawTarget> targets;   // any order: canonicalised (sorted by USCC) before drawing
  std::uint64_t count = 0;           // how many targets to draw (≤ targets)
  std::vector<std::string> inspectors;
  std::uint32_t per_target = 2;      // ≥ 2 (行政处罚法第四十二条)
  std::vector<Recusal> recusals;
};

struct DrawAssignment {
  std::string enterprise_uscc;
  std::vector<std::string> inspectors;
};

struct DrawRecord {
  std::string algorithm = kDrawAlgorithm;
  std::string seed_hex;  // 64 hex digits
  DrawInputs inputs;     // canonical
  std::string targets_digest, inspectors_digest, recusals_digest, inputs_digest;  // SHA-256 hex
  std::vector<DrawAssignment> result;
};

// The load bound: no inspector gets more than ⌈per_target·targets ÷ inspectors⌉ + 1 targets.
std::uint64_t load_bound(std::uint64_t drawn_targets, std::uint32_t per_target, std::uint64_t inspectors);

// Draws. Errors: invalid_field naming why (count above the list, per_target below 2, a target with
// fewer than per_target inspectors once its recusals are out, duplicate targets or inspectors, a
// weight out of range, a seed that is not 64 hex digits), draw_failed (the load bound left a target
// without enough inspectors — rare; another seed draws).
Result<DrawRecord> draw(DrawInputs inputs, const std::string& seed_hex);

// Whether the record's digests are those of its inputs and its result follows from them and its
// seed. Returns "" when it does, else what differs (in Chinese).
std::string verify(const DrawRecord& record);

boost::json::object to_json(const DrawRecord& r);
// Errors: invalid_field (a field missing or of the wrong type).
Result<DrawRecord> record_from_json(const boost::json::object& o);

// The keystream of the algorithm (ChaCha20, key = seed, nonce and counter 0), as 64-bit words: for
// tests and the documentation's vectors.
class DrawStream {
 public:
  explicit DrawStream(const std::string& seed_hex);
  std::uint64_t next();
  // Uniform in [0, n), by rejection (no modulo bias). REQUIRES: n > 0.
  std::uint64_t below(std::uint64_t n);

 private:
  unsigned char key_[32];
  std::uint64_t block_ = 0;
  unsigned char buf_[64];
  size_t used_ = 64;
};

}  // namespace anjian::enforcement
