// 双随机 draws (issue 15 §2): the keystream is RFC 8439's ChaCha20; over thousands of random draws no
// recused pair is drawn, every target has its distinct inspectors, the load bound holds, the record
// verifies and a changed input never does; equal weights draw uniformly (chi-square at 1 %) and
// weights weigh.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <map>
#include <random>
#include <set>

#include "base/crypto.h"
#include "modules/enforcement/draw_rules.h"

using namespace anjian;
using namespace anjian::enforcement;

namespace {
std::string seed_of(std::uint64_t n) { return sha256_hex("seed" + std::to_string(n)); }
}  // namespace

TEST(DrawStream, IsChaCha20OfRfc8439) {
  // RFC 8439 A.1, test vectors 1 and 2: key and nonce zero, block counter 0 and then 1.
  DrawStream s(std::string(64, '0'));
  EXPECT_EQ(s.next(), 0x903df1a0ade0b876ULL);  // 76 b8 e0 ad a0 f1 3d 90
  EXPECT_EQ(s.next(), 0x28bd8653e56a5d40ULL);  // 40 5d 6a e5 53 86 bd 28
  for (int i = 2; i < 8; ++i) s.next();
  EXPECT_EQ(s.next(), 0x7a385155bee7079fULL);  // block 1: 9f 07 e7 be 55 51 38 7a
  EXPECT_THROW(DrawStream("xyz"), std::invalid_argument);
}

TEST(Draw, RandomDrawsKeepEveryRule) {
  std::mt19937_64 rng(42);
  size_t failed = 0;
  for (std::uint64_t n = 0; n < 10'000; ++n) {
    DrawInputs in;
    const size_t targets = 1 + rng() % 40, inspectors = 3 + rng() % 12;
    for (size_t i = 0; i < targets; ++i) in.targets.push_back({"T" + std::to_string(i), static_cast<std::uint32_t>(1 + rng() % 5)});
    for (size_t i = 0; i < inspectors; ++i) in.inspectors.push_back("I" + std::to_string(i));
    in.per_target = 2 + static_cast<std::uint32_t>(rng() % 2);
    in.count = 1 + rng() % targets;
    for (size_t k = rng() % (targets + 1); k > 0; --k)
      in.recusals.push_back({in.inspectors[rng() % inspectors], in.targets[rng() % targets].uscc, "曾任职"});
    auto r = draw(in, seed_of(n));
    if (!r.ok()) {
      // Refused up front when recusals leave a target short; otherwise a rare dead end of the bound.
      EXPECT_TRUE(r.error().code == "invalid_field" || r.error().code == "draw_failed") << r.error().message;
      failed += r.error().code == "draw_failed";
      continue;
    }
    std::set<std::pair<std::string, std::string>> recused;
    for (const auto& x : in.recusals) recused.insert({x.inspector, x.enterprise_uscc});
    std::map<std::string, std::uint64_t> load;
    std::set<std::string> drawn;
    ASSERT_EQ(r->result.size(), in.count);
    for (const auto& a : r->result) {
      EXPECT_TRUE(drawn.insert(a.enterprise_uscc).second) << "a target drawn twice";
      EXPECT_EQ(a.inspectors.size(), in.per_target);
      EXPECT_EQ(std::set<std::string>(a.inspectors.begin(), a.inspectors.end()).size(), a.inspectors.size()) << "an inspector twice";
      for (const auto& i : a.inspectors) {
        EXPECT_FALSE(recused.count({i, a.enterprise_uscc})) << i << " recused for " << a.enterprise_uscc;
        ++load[i];
      }
    }
    for (const auto& [i, l] : load) EXPECT_LE(l, load_bound(in.count, in.per_target, in.inspectors.size())) << i;
    EXPECT_EQ(verify(*r), "");
    // Any change of the inputs is seen.
    DrawRecord changed = *r;
    changed.inputs.targets[0].weight += 1;
    EXPECT_NE(verify(changed), "");
    changed = *r;
    changed.inputs.inspectors.back() += "x";
    EXPECT_NE(verify(changed), "");
  }
  EXPECT_LT(failed, 10u) << "dead ends of the load bound should be rare";
}

TEST(Draw, EqualWeightsDrawUniformly) {
  // 10 targets, one drawn, 20,000 seeds: chi-square with 9 degrees of freedom below 21.666 (1 %).
  DrawInputs in;
  for (int i = 0; i < 10; ++i) in.targets.push_back({"T" + std::to_string(i), 1});
  in.inspectors = {"A", "B", "C"};
  in.count = 1;
  std::map<std::string, double> seen;
  const int draws = 20'000;
  for (int n = 0; n < draws; ++n) ++seen[draw(in, seed_of(100'000 + n))->result[0].enterprise_uscc];
  double chi2 = 0;
  for (int i = 0; i < 10; ++i) {
    const double o = seen["T" + std::to_string(i)], e = draws / 10.0;
    chi2 += (o - e) * (o - e) / e;
  }
  EXPECT_LT(chi2, 21.666);
  // A weight of 3 against 1: drawn about three times as often.
  DrawInputs w;
  w.targets = {{"heavy", 3}, {"light", 1}};
  w.inspectors = {"A", "B"};
  w.count = 1;
  int heavy = 0;
  for (int n = 0; n < 4000; ++n) heavy += draw(w, seed_of(900'000 + n))->result[0].enterprise_uscc == "heavy";
  EXPECT_NEAR(heavy / 4000.0, 0.75, 0.03);
}

TEST(Draw, BadInputsAreNamed) {
  DrawInputs in;
  in.targets = {{"A", 1}, {"B", 1}};
  in.inspectors = {"x", "y", "z"};
  in.count = 1;
  const std::string seed = seed_of(1);
  EXPECT_TRUE(draw(in, seed).ok());
  EXPECT_EQ(draw(in, "12ab").error().field, "seed");
  auto more = in;
  more.count = 3;
  EXPECT_EQ(draw(more, seed).error().field, "count");
  auto one = in;
  one.per_target = 1;
  EXPECT_EQ(draw(one, seed).error().field, "per_target");
  auto recused = in;
  recused.recusals = {{"x", "A", "亲属"}, {"y", "A", "曾任职"}};
  auto r = draw(recused, seed);
  EXPECT_EQ(r.error().field, "recusals");
  EXPECT_NE(r.error().message.find("A"), std::string::npos);
  auto twice = in;
  twice.targets.push_back({"A", 1});
  EXPECT_EQ(draw(twice, seed).error().field, "targets");
  auto heavy = in;
  heavy.targets[0].weight = 0;
  EXPECT_EQ(draw(heavy, seed).error().field, "weights");
}

TEST(Draw, TheRecordTravelsAsJsonAndVerifiesAnywhere) {
  DrawInputs in;
  for (int i = 0; i < 30; ++i) in.targets.push_back({"9133010" + std::to_string(1000 + i), static_cast<std::uint32_t>(1 + i % 3)});
  for (int i = 0; i < 8; ++i) in.inspectors.push_back("inspector-" + std::to_string(i));
  in.count = 10;
  in.recusals = {{"inspector-0", "91330101000", "曾任该企业安全员"}};
  auto r = draw(in, seed_of(7));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const std::string text = boost::json::serialize(to_json(*r));
  auto back = record_from_json(boost::json::parse(text).as_object());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(verify(*back), "");
  // The same inputs in another order are the same draw.
  std::reverse(in.targets.begin(), in.targets.end());
  std::reverse(in.inspectors.begin(), in.inspectors.end());
  auto again = draw(in, seed_of(7));
  EXPECT_EQ(boost::json::serialize(to_json(*again)), text);
  // A result edited after the fact does not verify, and says where.
  back->result[0].inspectors[0] = back->result[0].inspectors[0] == "inspector-1" ? "inspector-2" : "inspector-1";
  EXPECT_NE(verify(*back), "");
  EXPECT_EQ(record_from_json(boost::json::object{{"algorithm", "x"}}).error().field, "record");
}
