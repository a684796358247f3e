// The exchange's signatures (Ed25519 against RFC 8032's vector, SM2 with SM3) and its batch file:
// sealed and opened, then every kind of damage and every wrong key refused before any change is read.
#include <gtest/gtest.h>

#include "base/signature.h"
#include "exchange/batch_format.h"

using namespace anjian;
using namespace anjian::exchange;

namespace {

std::string unhex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  return out;
}

std::vector<Change> sample_changes() {
  std::vector<Change> out;
  for (int i = 1; i <= 3; ++i) {
    Change c;
    c.seq = 10 + i;
    c.type = "enterprise";
    c.id = "91330102MA2KC1XX0" + std::to_string(i);
    c.owner = "county-330102";
    c.version = 10 + i;
    c.region_code = "330102";
    c.data = {{"name", "杭州测试化工有限公司" + std::to_string(i)}, {"employees", 120 + i}};
    out.push_back(c);
  }
  Change tomb;
  tomb.seq = 20;
  tomb.type = "enterprise";
  tomb.id = "91330102MA2KC1XX09";
  tomb.owner = "county-330102";
  tomb.version = 20;
  tomb.region_code = "330102";
  tomb.deleted = true;
  out.push_back(tomb);
  return out;
}

Manifest sample_manifest() {
  Manifest m;
  m.sender = "county-330102";
  m.receiver = "province-330000";
  m.lane = Lane::bulk;
  m.from_seq = 11;
  m.to_seq = 20;
  m.created_at = 1'796'000'000'000;
  m.audit_head = AuditHead{42, std::string(64, 'a')};
  return m;
}

KeyLookup holding(const SigningKey& key, KnownKey::State state = KnownKey::State::active) {
  return [key, state](const std::string& sender, const std::string& fingerprint) {
    if (sender != "county-330102" || fingerprint != key_fingerprint(key.public_key)) return KnownKey{};
    return KnownKey{state, key.public_key};
  };
}

}  // namespace

TEST(Signature, Ed25519VerifiesRfc8032Vector1AndNothingElse) {
  // RFC 8032 §7.1 TEST 1: the public key as DER SubjectPublicKeyInfo, the empty message.
  const std::string spki = unhex("302a300506032b6570032100") +
                           unhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  const std::string signature = unhex(
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  const std::string pub = base64_encode(spki);
  EXPECT_EQ(key_algorithm(pub).value(), "ed25519");
  EXPECT_TRUE(verify_message(pub, "", signature));
  EXPECT_FALSE(verify_message(pub, "x", signature)) << "another message";
  std::string flipped = signature;
  flipped[5] ^= 1;
  EXPECT_FALSE(verify_message(pub, "", flipped));
  EXPECT_FALSE(verify_message(pub, "", signature.substr(0, 63))) << "short signature";
  EXPECT_FALSE(verify_message("not base64!", "", signature));
  EXPECT_FALSE(verify_message(base64_encode("garbage der"), "", signature));
}

TEST(Signature, BothAlgorithmsSignAndVerifyAndRefuseAnotherKey) {
  for (auto alg : {SignatureAlgorithm::ed25519, SignatureAlgorithm::sm2}) {
    const auto a = generate_signing_key(alg).value();
    const auto b = generate_signing_key(alg).value();
    EXPECT_EQ(key_algorithm(a.public_key).value(), alg == SignatureAlgorithm::sm2 ? "sm2" : "ed25519");
    EXPECT_EQ(public_key_of(a.private_pem).value(), a.public_key);
    const auto sig = sign_message(a.private_pem, "企业 91330102MA2KC1XX01 的变更").value();
    EXPECT_TRUE(verify_message(a.public_key, "企业 91330102MA2KC1XX01 的变更", sig));
    EXPECT_FALSE(verify_message(b.public_key, "企业 91330102MA2KC1XX01 的变更", sig)) << "another node's key";
    EXPECT_FALSE(verify_message(a.public_key, "企业 91330102MA2KC1XX02 的变更", sig));
    EXPECT_NE(key_fingerprint(a.public_key), key_fingerprint(b.public_key));
    EXPECT_EQ(key_fingerprint(a.public_key).size(), 16u);
  }
  EXPECT_FALSE(sign_message("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "m").ok());
}

TEST(Signature, Base64RoundTripsAndRefusesWhatIsNotBase64) {
  for (const std::string& s : std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string("\0\xff\x10", 3)})
    EXPECT_EQ(base64_decode(base64_encode(s)).value(), s);
  EXPECT_EQ(base64_encode("abcd"), "YWJjZA==");
  EXPECT_FALSE(base64_decode("YW Jj").ok());
  EXPECT_FALSE(base64_decode("Y").ok());
  EXPECT_FALSE(base64_decode("YWJj*A==").ok());
}

TEST(Batch, SealedBatchOpensToTheSameChanges) {
  const auto key = generate_signing_key(SignatureAlgorithm::ed25519).value();
  const auto changes = sample_changes();
  const auto file = seal_batch(sample_manifest(), changes, key.private_pem).value();
  const auto opened = open_batch(file, holding(key)).value();
  EXPECT_EQ(opened.manifest.sender, "county-330102");
  EXPECT_EQ(opened.manifest.count, 4);
  EXPECT_EQ(opened.manifest.from_seq, 11);
  EXPECT_EQ(opened.manifest.to_seq, 20);
  ASSERT_TRUE(opened.manifest.audit_head);
  EXPECT_EQ(opened.manifest.audit_head->seq, 42);
  ASSERT_EQ(opened.changes.size(), 4u);
  EXPECT_EQ(opened.changes[0].data.at("name").as_string(), "杭州测试化工有限公司1");
  EXPECT_EQ(opened.changes[0].data.at("employees").as_int64(), 121);
  EXPECT_TRUE(opened.changes[3].deleted);
  EXPECT_TRUE(opened.changes[3].data.empty());
  EXPECT_EQ(peek_manifest(file).value().payload_sha256, opened.manifest.payload_sha256);
}

TEST(Batch, Sm2SignedBatchOpens) {
  const auto key = generate_signing_key(SignatureAlgorithm::sm2).value();
  const auto file = seal_batch(sample_manifest(), sample_changes(), key.private_pem).value();
  EXPECT_TRUE(open_batch(file, holding(key)).ok());
}

TEST(Batch, AnyChangedByteIsRefusedWhole) {
  const auto key = generate_signing_key(SignatureAlgorithm::ed25519).value();
  const auto file = seal_batch(sample_manifest(), sample_changes(), key.private_pem).value();
  // Every byte of the file, flipped in turn: none opens (a few positions in each part are enough
  // to show each check; all of them keeps the test honest about the boundaries).
  size_t refused = 0;
  for (size_t i = 0; i < file.size(); ++i) {
    std::string bad = file;
    bad[i] = static_cast<char>(bad[i] ^ 0x20);
    if (!open_batch(bad, holding(key)).ok()) ++refused;
    else ADD_FAILURE() << "byte " << i << " of " << file.size() << " (" << int(static_cast<unsigned char>(file[i])) << ") changed unnoticed";
  }
  EXPECT_EQ(refused, file.size());
  EXPECT_FALSE(open_batch(file.substr(0, file.size() - 1), holding(key)).ok()) << "truncated";
  EXPECT_FALSE(open_batch(file + "x", holding(key)).ok()) << "appended";
}

TEST(Batch, RefusesUnknownRevokedAndForeignKeysWithTheirCodes) {
  const auto key = generate_signing_key(SignatureAlgorithm::ed25519).value();
  const auto other = generate_signing_key(SignatureAlgorithm::ed25519).value();
  const auto file = seal_batch(sample_manifest(), sample_changes(), key.private_pem).value();
  EXPECT_EQ(open_batch(file, holding(other)).error().code, "batch_unknown_key");
  EXPECT_EQ(open_batch(file, holding(key, KnownKey::State::revoked)).error().code, "batch_revoked_key");
  // A lookup that answers with the wrong public key under the right fingerprint.
  auto liar = [&](const std::string&, const std::string&) { return KnownKey{KnownKey::State::active, other.public_key}; };
  EXPECT_EQ(open_batch(file, liar).error().code, "batch_bad_signature");
  // Signed by another key that claims the sender's fingerprint: the signature does not verify.
  const auto forged = seal_batch(sample_manifest(), sample_changes(), other.private_pem).value();
  auto only_key = [&](const std::string&, const std::string&) { return KnownKey{KnownKey::State::active, key.public_key}; };
  EXPECT_EQ(open_batch(forged, only_key).error().code, "batch_bad_signature");
}

TEST(Batch, HostileInputIsRefusedNotCrashed) {
  const auto key = generate_signing_key(SignatureAlgorithm::ed25519).value();
  for (std::string bad : {std::string(), std::string("ANJIAN-BATCH/1\n"), std::string("ANJIAN-BATCH/1\n{}\n\n"),
                          std::string("ANJIAN-BATCH/2\n{}\n"), std::string(100000, 'A'),
                          std::string("ANJIAN-BATCH/1\n[1,2]\nAAAA\n")})
    EXPECT_EQ(open_batch(bad, holding(key)).error().code, "batch_malformed") << bad.substr(0, 30);
  // A manifest that claims a payload larger than the receiver accepts.
  const auto file = seal_batch(sample_manifest(), sample_changes(), key.private_pem).value();
  EXPECT_EQ(open_batch(file, holding(key), 10).error().code, "batch_too_large");
  // Changes outside the manifest's range are refused even when properly signed.
  auto m = sample_manifest();
  m.to_seq = 15;
  const auto out_of_range = seal_batch(m, sample_changes(), key.private_pem).value();
  EXPECT_EQ(open_batch(out_of_range, holding(key)).error().code, "batch_malformed");
}
