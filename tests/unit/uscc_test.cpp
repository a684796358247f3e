#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "codes/uscc.h"

using anjian::codes::Uscc;

TEST(Uscc, VectorsFromDomainFile) {
  std::ifstream in(ANJIAN_TEST_DATA "/uscc_vectors.txt");
  ASSERT_TRUE(in) << "missing vectors file";
  std::string line;
  int cases = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto sp = line.find(' ');
    std::string kind = line.substr(0, sp);
    std::string rest = line.substr(sp + 1);
    if (kind == "valid") {
      auto r = Uscc::parse(rest);
      EXPECT_TRUE(r.ok()) << line << ": " << (r.ok() ? "" : r.error().message);
    } else {
      std::istringstream ss(rest);
      std::string code, expected;
      ss >> code >> expected;
      auto r = Uscc::parse(code);
      ASSERT_FALSE(r.ok()) << line;
      EXPECT_EQ(r.error().code, "invalid_uscc");
      EXPECT_EQ(r.error().field, "uscc");
      if (expected != "-") {
        EXPECT_NE(r.error().message.find("应为 " + expected), std::string::npos) << r.error().message;
      }
    }
    ++cases;
  }
  EXPECT_GE(cases, 15);
}

TEST(Uscc, NormalisesCaseAndSpaces) {
  auto r = Uscc::parse("  91330108ma28n5e2xt ");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->str(), "91330108MA28N5E2XT");
  EXPECT_EQ(r->registration_region(), "330108");
}

TEST(Uscc, CheckCharRefusesCharactersOutsideAlphabet) {
  EXPECT_EQ(Uscc::check_char("91330106MA2H3K8LI"), '\0');
  EXPECT_EQ(Uscc::check_char("91330106MA2H3K8L"), '\0');
  EXPECT_EQ(Uscc::check_char("91330106MA2H3K8L4"), 'A');
}

TEST(Uscc, OrganizationCodeCheckIsAWarningOnly) {
  // Organization code MA2H3K8L with its GB 11714 check character X.
  EXPECT_EQ(anjian::codes::organization_code_check("MA2H3K8L"), 'X');
  std::string good = "91330106MA2H3K8LX";
  good += Uscc::check_char(good);
  auto ok = Uscc::parse(good);
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok->organization_code_valid());
  // The DOMAIN.md vectors are valid GB 32100 codes whose organization part fails GB 11714.
  EXPECT_TRUE(Uscc::parse("12100000400010271A").ok());
  EXPECT_FALSE(Uscc::parse("12100000400010271A")->organization_code_valid());
  // A code whose organization part fails GB 11714 is still accepted by GB 32100.
  std::string body = "91330106MA2H3K8L9";
  body += Uscc::check_char(body);
  auto warn = Uscc::parse(body);
  ASSERT_TRUE(warn.ok());
  EXPECT_FALSE(warn->organization_code_valid());
}
