// Enterprise API keys: created in scope, shown once, stored hashed, rotated and revoked.
#include <gtest/gtest.h>

#include "support/world.h"

using namespace anjian;
using namespace anjian::test;
namespace json = boost::json;

class ApiKeysApi : public ApiTest {};

TEST_P(ApiKeysApi, CreateAuthenticateRotateRevoke) {
  auto m = w_->as("ent_mgr");
  const std::string base = "/api/v1/enterprises/" + w_->uscc["E_XIHU"] + "/api-keys";
  auto made = m.post(base, json::object{{"name", "DCS 网关"}});
  ASSERT_EQ(made.status, 201u) << made.body;
  const std::string key(made.json().at("key").as_string()), id(made.json().at("id").as_string());
  EXPECT_TRUE(key.starts_with("ajk_"));
  auto& keys = w_->app->api_keys();
  auto who = keys.authenticate(key);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->enterprise_uscc, w_->uscc["E_XIHU"]);
  EXPECT_EQ(who->region_code, "330106");
  // Listed without the secret.
  auto list = m.get(base);
  ASSERT_EQ(list.status, 200u);
  EXPECT_EQ(list.body.find(key), std::string::npos);
  // Rotation: the old key stops working, the new one works.
  auto rotated = m.post(base + "/" + id + "/rotate", json::object{});
  ASSERT_EQ(rotated.status, 201u) << rotated.body;
  const std::string key2(rotated.json().at("key").as_string());
  EXPECT_FALSE(keys.authenticate(key).ok());
  EXPECT_TRUE(keys.authenticate(key2).ok());
  EXPECT_EQ(rotated.json().at("name").as_string(), "DCS 网关");
  // Revocation.
  EXPECT_EQ(m.request("DELETE", base + "/" + std::string(rotated.json().at("id").as_string())).status, 204u);
  EXPECT_FALSE(keys.authenticate(key2).ok());
  EXPECT_EQ(m.request("DELETE", base + "/" + id).status, 404u);  // already revoked
  EXPECT_EQ(keys.authenticate("ajk_forged").error().code, "unauthenticated");
  EXPECT_EQ(keys.authenticate("Bearer something").error().code, "unauthenticated");
}

TEST_P(ApiKeysApi, OnlyInScopeAndWithTheRight) {
  const std::string other = "/api/v1/enterprises/" + w_->uscc["E_BINJIANG"] + "/api-keys";
  EXPECT_EQ(w_->as("ent_mgr").post(other, json::object{}).status, 404u);
  EXPECT_EQ(w_->as("xihu_insp").get(other).status, 404u);
  EXPECT_EQ(w_->as("binjiang_insp").post(other, json::object{}).status, 201u);
  EXPECT_EQ(w_->as("xihu_duty").get("/api/v1/enterprises/" + w_->uscc["E_XIHU"] + "/api-keys").status, 403u);
  auto bad = w_->as("binjiang_insp").post(other, json::object{{"name", std::string(200, 'x')}});
  EXPECT_EQ(bad.status, 400u);
  EXPECT_EQ(bad.error_field(), "name");
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiKeysApi, ::testing::Values("sqlite", "postgres"));
