// libFuzzer: the exchange's batch file as it arrives from another node or a 网闸's folder. Any
// input is opened against a key of ours (it must be refused, never crash: it cannot carry our
// signature), its manifest peeked, and read as a payload of changes, which must give changes
// within the range or an error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "base/signature.h"
#include "exchange/batch_format.h"

using namespace anjian;
using namespace anjian::exchange;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const SigningKey key = generate_signing_key(SignatureAlgorithm::ed25519).value();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto opened = open_batch(input, [](const std::string&, const std::string&) { return KnownKey{KnownKey::State::active, key.public_key}; });
  if (opened.ok()) std::abort();  // nobody but us holds the private key
  (void)peek_manifest(input);
  Manifest m;
  m.from_seq = 1;
  m.to_seq = 1'000'000;
  m.count = 3;
  auto changes = parse_changes(input, m);
  if (changes.ok()) {
    if (changes->size() != 3) std::abort();
    for (const auto& c : *changes)
      if (c.seq < 1 || c.seq > 1'000'000 || c.id.empty() || c.version < 1) std::abort();
  }
  return 0;
}
