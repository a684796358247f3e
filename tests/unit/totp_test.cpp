// HOTP and TOTP against the RFCs' own vectors, Base32 against RFC 4648's.
#include "base/totp.h"

#include <gtest/gtest.h>

namespace anjian::totp {
namespace {

// RFC 6238 Appendix B: the seeds are ASCII "1234567890" repeated to the hash's length.
const std::string kSeed20 = "12345678901234567890";
const std::string kSeed32 = "12345678901234567890123456789012";
const std::string kSeed64 = "1234567890123456789012345678901234567890123456789012345678901234";

TEST(Totp, Rfc6238AppendixBVectors) {
  struct Row { std::int64_t t; const char *sha1, *sha256, *sha512; };
  const Row rows[] = {
      {59, "94287082", "46119246", "90693936"},
      {1111111109, "07081804", "68084774", "25091201"},
      {1111111111, "14050471", "67062674", "99943326"},
      {1234567890, "89005924", "91819424", "93441116"},
      {2000000000, "69279037", "90698825", "38618901"},
      {20000000000, "65353130", "77737706", "47863826"},
  };
  for (const auto& r : rows) {
    EXPECT_EQ(at(kSeed20, r.t, 8, Hash::sha1), r.sha1) << r.t;
    EXPECT_EQ(at(kSeed32, r.t, 8, Hash::sha256), r.sha256) << r.t;
    EXPECT_EQ(at(kSeed64, r.t, 8, Hash::sha512), r.sha512) << r.t;
  }
  // The step the RFC lists for those times (T in hex).
  EXPECT_EQ(step_of(59), 1u);
  EXPECT_EQ(step_of(1111111109), 0x23523ECu);
  EXPECT_EQ(step_of(20000000000), 0x27BC86AAu);
}

TEST(Totp, Rfc4226AppendixDVectors) {
  const char* expected[] = {"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"};
  for (std::uint64_t i = 0; i < 10; ++i) EXPECT_EQ(hotp(kSeed20, i), expected[i]) << i;
}

TEST(Totp, VerifyAcceptsOneStepEitherSideAndNothingElse) {
  const std::int64_t t = 1234567890;  // step 41152263
  EXPECT_EQ(verify(kSeed20, at(kSeed20, t), t), step_of(t));
  EXPECT_EQ(verify(kSeed20, at(kSeed20, t - 30), t), step_of(t) - 1);  // the phone's clock a little behind
  EXPECT_EQ(verify(kSeed20, at(kSeed20, t + 30), t), step_of(t) + 1);
  EXPECT_FALSE(verify(kSeed20, at(kSeed20, t - 60), t));
  EXPECT_FALSE(verify(kSeed20, at(kSeed20, t + 60), t));
  EXPECT_EQ(verify(kSeed20, at(kSeed20, t), t, 0), step_of(t));  // no window: the current step only
  EXPECT_FALSE(verify(kSeed20, at(kSeed20, t - 30), t, 0));
  // Malformed codes are refused, not crashed on.
  for (const char* bad : {"", "12345", "1234567", "12345a", " 12345", "１２３４５６"}) EXPECT_FALSE(verify(kSeed20, bad, t)) << bad;
  // A code of another key does not pass (the chance of a collision at these values is checked once here).
  EXPECT_FALSE(verify("another key entirely", at(kSeed20, t), t));
  // Time zero and before does not underflow.
  EXPECT_TRUE(verify(kSeed20, at(kSeed20, 0), 0).has_value());
  EXPECT_TRUE(verify(kSeed20, at(kSeed20, 0), -100).has_value());
}

TEST(Totp, Base32Rfc4648Vectors) {
  const std::pair<const char*, const char*> v[] = {{"", ""},           {"f", "MY"},          {"fo", "MZXQ"},          {"foo", "MZXW6"},
                                                   {"foob", "MZXW6YQ"}, {"fooba", "MZXW6YTB"}, {"foobar", "MZXW6YTBOI"}};
  for (const auto& [plain, coded] : v) {
    EXPECT_EQ(base32_encode(plain), coded);
    EXPECT_EQ(base32_decode(coded), std::string(plain));
  }
  EXPECT_EQ(base32_decode("mzxw 6ytb oi======"), std::string("foobar"));  // as a person types it from the screen
  EXPECT_FALSE(base32_decode("MZXW1"));  // 1 is not in the alphabet
  EXPECT_FALSE(base32_decode("MZ✓"));
  EXPECT_EQ(base32_encode(kSeed20), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

TEST(Totp, OtpauthUriEscapesNames) {
  EXPECT_EQ(otpauth_uri("安监", "sec admin", "foobar"),
            "otpauth://totp/%E5%AE%89%E7%9B%91:sec%20admin?secret=MZXW6YTBOI&issuer=%E5%AE%89%E7%9B%91&algorithm=SHA1&digits=6&period=30");
}

}  // namespace
}  // namespace anjian::totp

#include <regex>
#include <set>

#include "base/qr_svg.h"

namespace anjian {
namespace {

// The dark modules an SVG from qr_svg draws, as (x, y) in modules from the code's corner.
std::set<std::pair<int, int>> modules_of(const std::string& svg, int px, int* side) {
  std::smatch m;
  EXPECT_TRUE(std::regex_search(svg, m, std::regex(R"re(width="(\d+)")re")));
  *side = std::stoi(m[1]) / px - 8;
  std::set<std::pair<int, int>> out;
  const std::regex cell(R"re(M(\d+) (\d+)h)re");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), cell); it != std::sregex_iterator(); ++it)
    out.insert({std::stoi((*it)[1]) / px - 4, std::stoi((*it)[2]) / px - 4});
  return out;
}

TEST(QrSvg, DrawsTheThreeFinderPatternsOfASquareCode) {
  const std::string uri = totp::otpauth_uri("安监", "secadmin", "12345678901234567890");
  const std::string svg = qr_svg(uri, 4);
  ASSERT_TRUE(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  int n = 0;
  const auto dark = modules_of(svg, 4, &n);
  ASSERT_GE(n, 21);
  EXPECT_EQ((n - 17) % 4, 0) << "a QR code's side is 17 + 4 × version modules";
  // A finder: a dark 7×7 ring, a light ring inside it, a dark 3×3 centre.
  auto finder_at = [&](int x0, int y0) {
    for (int y = 0; y < 7; ++y)
      for (int x = 0; x < 7; ++x) {
        const bool ring = x == 0 || y == 0 || x == 6 || y == 6, centre = x >= 2 && x <= 4 && y >= 2 && y <= 4;
        if (dark.count({x0 + x, y0 + y}) != static_cast<size_t>(ring || centre)) return false;
      }
    return true;
  };
  EXPECT_TRUE(finder_at(0, 0));
  EXPECT_TRUE(finder_at(n - 7, 0));
  EXPECT_TRUE(finder_at(0, n - 7));
  EXPECT_FALSE(finder_at(n - 7, n - 7)) << "the fourth corner has none";
  EXPECT_EQ(svg, qr_svg(uri, 4)) << "the same text, the same picture";
}

}  // namespace
}  // namespace anjian
