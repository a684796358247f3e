// SM4 and SM3 as used for data at rest: the standards' own vectors, HMAC-SM3 against RFC 2104's
// definition, seal/open round trips, and every kind of tampering refused.
#include <gtest/gtest.h>

#include "base/crypto.h"
#include "base/sm4.h"

#include <atomic>
#include <thread>
#include <vector>

using namespace anjian;

namespace {
std::string unhex(std::string_view h) { return from_hex(h).value(); }
}  // namespace

TEST(Sm4, TheStandardsExampleBlock) {
  // GB/T 32907-2016 附录 A 示例 1: key = plaintext = 0123456789abcdeffedcba9876543210.
  const std::string key = unhex("0123456789abcdeffedcba9876543210");
  sm4::CbcStream enc(key, std::string(16, '\0'), true);  // CBC with a zero IV: the first block is ECB's
  std::string out = enc.update(key);
  out += enc.finish().value();
  EXPECT_EQ(to_hex(out.substr(0, 16)), "681edf34d206965e86b3e94f536e4246");
  sm4::CbcStream dec(key, std::string(16, '\0'), false);
  std::string back = dec.update(out);
  back += dec.finish().value();
  EXPECT_EQ(back, key);
}

TEST(Sm3, TheStandardsExampleAndStreamingAgree) {
  // GB/T 32905-2016 附录 A 示例 1.
  EXPECT_EQ(sm3_hex("abc"), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  sm4::Sm3Stream s;
  s.update("a");
  s.update("bc");
  EXPECT_EQ(s.hex(), sm3_hex("abc"));
}

TEST(Sm3, HmacIsRfc2104OverSm3) {
  const std::string key = "anjian-key", msg = "13800138000";
  std::string k = key + std::string(64 - key.size(), '\0');  // SM3's block is 64 bytes
  std::string ipad = k, opad = k;
  for (auto& c : ipad) c = static_cast<char>(c ^ 0x36);
  for (auto& c : opad) c = static_cast<char>(c ^ 0x5c);
  const std::string expected = sm3_hex(opad + unhex(sm3_hex(ipad + msg)));
  EXPECT_EQ(sm4::hmac_sm3_hex(key, msg), expected);
  sm4::Sm3Stream s(key);
  s.update("13800");
  s.update("138000");
  EXPECT_EQ(s.hex(), expected);
}

TEST(Sm4, SealedDataOpensOnlyWithItsKeyAndUnchanged) {
  const auto key = sm4::generate("k1"), other = sm4::generate("k2");
  for (const std::string& plain : {std::string(), std::string("13800138000"), std::string("浙江省杭州市西湖区文三路 90 号"),
                                  std::string(16, 'x'), std::string(100000, '\0')}) {
    const std::string sealed = sm4::seal(key, plain);
    EXPECT_EQ(sm4::open(key, sealed), plain);
    EXPECT_EQ(sealed.find(plain.empty() ? std::string("\x01\x02") : plain), std::string::npos);
    EXPECT_EQ(sm4::open(other, sealed), std::nullopt) << "another key";
    for (size_t at : {size_t{0}, size_t{16}, sealed.size() - 1}) {
      std::string bad = sealed;
      bad[at] = static_cast<char>(bad[at] ^ 1);
      EXPECT_EQ(sm4::open(key, bad), std::nullopt) << "byte " << at << " changed";
    }
    EXPECT_EQ(sm4::open(key, sealed.substr(0, sealed.size() - 1)), std::nullopt) << "cut";
  }
  EXPECT_NE(sm4::seal(key, "same"), sm4::seal(key, "same")) << "a fresh IV each time";
  EXPECT_EQ(sm4::open(key, ""), std::nullopt);
  EXPECT_EQ(sm4::open(key, std::string(63, 'a')), std::nullopt);
}

// The prepared key (keyed once, shared by request threads) reads what the one-call functions
// sealed and the other way round, and four threads opening with it at once all get the right text.
TEST(Sm4, APreparedKeyAgreesWithTheOneCallFunctionsAcrossThreads) {
  const auto key = sm4::generate("k1");
  const sm4::Sealer sealer(key);
  EXPECT_EQ(sealer.id(), "k1");
  std::vector<std::string> plain, sealed;
  for (int i = 0; i < 64; ++i) {
    plain.push_back("1380571" + std::to_string(1000 + i));
    sealed.push_back(i % 2 ? sealer.seal(plain.back()) : sm4::seal(key, plain.back()));
    EXPECT_EQ(sm4::open(key, sealed.back()), plain.back());
  }
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int round = 0; round < 200; ++round)
        for (size_t i = 0; i < sealed.size(); ++i)
          if (sealer.open(sealed[i]) != plain[i]) ++wrong;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
  std::string bad = sealed[3];
  bad[20] = static_cast<char>(bad[20] ^ 1);
  EXPECT_EQ(sealer.open(bad), std::nullopt);
  EXPECT_EQ(sm4::Sealer(sm4::generate("k2")).open(sealed[3]), std::nullopt);
}
