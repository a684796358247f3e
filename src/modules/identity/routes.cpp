#include "modules/identity/routes.h"

#include <boost/json.hpp>

#include "base/json_fields.h"
#include "http/params.h"

namespace anjian::identity {
namespace json = boost::json;
using auth::Action;
using http::Request;
using http::Response;

namespace {
json::object user_json(const auth::User& u) {
  json::array roles;
  for (const auto& r : u.roles) roles.emplace_back(r);
  return {{"id", u.id}, {"username", u.username}, {"display_name", u.display_name}, {"org_id", u.org_id},
          {"org_name", u.org_name}, {"roles", std::move(roles)}, {"disabled", u.disabled},
          {"must_change_password", u.must_change_password}, {"version", u.version},
          {"created_at", format_iso(u.created_at)}, {"updated_at", format_iso(u.updated_at)},
          {"locked_until", u.locked_until ? json::value(format_iso(u.locked_until)) : json::value(nullptr)},
          {"last_login_at", u.last_login_at ? json::value(format_iso(u.last_login_at)) : json::value(nullptr)},
          {"second_factor", u.second_factor}};
}

json::object org_json(const auth::Org& o) {
  json::object j{{"id", o.id}, {"name", o.name}, {"kind", o.kind}, {"version", o.version},
                 {"created_at", format_iso(o.created_at)}};
  j["region_code"] = o.region_code.empty() ? json::value(nullptr) : json::value(o.region_code);
  if (o.kind == "regulator") {
    j["level"] = o.level;
    j["regulator_kind"] = o.regulator_kind;
  } else {
    j["uscc"] = o.uscc;
  }
  return j;
}

json::object me_json(const auth::Principal& p) {
  json::array roles, permissions;
  for (const auto& r : p.roles) roles.emplace_back(r);
  for (auto a : {Action::enterprise_read, Action::enterprise_create, Action::enterprise_write, Action::enterprise_import,
                 Action::org_manage, Action::user_manage, Action::audit_read, Action::user_read, Action::security_manage,
                 Action::system_manage})
    if (p.can(a)) permissions.emplace_back(auth::action_name(a));
  json::object org{{"id", p.org_id}, {"name", p.org_name}, {"kind", p.org_kind}};
  org["level"] = p.org_level.empty() ? json::value(nullptr) : json::value(p.org_level);
  org["region_code"] = p.region_code.empty() ? json::value(nullptr) : json::value(p.region_code);
  org["uscc"] = p.uscc.empty() ? json::value(nullptr) : json::value(p.uscc);
  org["regulator_kind"] = p.regulator_kind.empty() ? json::value(nullptr) : json::value(p.regulator_kind);
  return {{"id", p.user_id}, {"username", p.username}, {"display_name", p.display_name}, {"roles", std::move(roles)},
          {"permissions", std::move(permissions)}, {"org", std::move(org)},
          {"must_change_password", p.must_change_password}, {"must_enrol_second_factor", p.must_enrol_second_factor}};
}

bool is_platform(const auth::Principal& p) {
  return std::any_of(p.roles.begin(), p.roles.end(), [](const auto& r) { return auth::is_platform_role(r); });
}

json::object session_json(const auth::LoginResult& l) {
  return json::object{{"token", l.token}, {"expires_at", format_iso(l.expires_at)}, {"user", me_json(l.principal)}};
}
}  // namespace

json::object key_json(const auth::ApiKey& k) {
  auto t = [](const std::optional<Millis>& v) { return v ? json::value(format_iso(*v)) : json::value(nullptr); };
  return {{"id", k.id}, {"enterprise_uscc", k.enterprise_uscc}, {"name", k.name}, {"prefix", k.prefix},
          {"created_by", k.created_by}, {"created_at", format_iso(k.created_at)}, {"revoked_at", t(k.revoked_at)},
          {"last_used_at", t(k.last_used_at)}};
}
json::object new_key_json(const auth::NewApiKey& k) {
  json::object o = key_json(k.record);
  o["key"] = k.key;
  return o;
}

void register_api_key_routes(http::Router& router, auth::ApiKeys& keys, enterprise::Service& enterprises) {
  // Every key route first finds the enterprise in the caller's scope: outside it, 404.
  router.get("/api/v1/enterprises/{uscc}/api-keys", [&keys, &enterprises](Request& req) {
    auto e = enterprises.get(req.who().scope, req.param("uscc"));
    if (!e.ok()) return Response::error(e.error());
    return http::respond(keys.list(e->uscc), [](const std::vector<auth::ApiKey>& list) {
      json::array items;
      for (const auto& k : list) items.push_back(key_json(k));
      return json::object{{"items", std::move(items)}};
    });
  }, {.permission = Action::enterprise_write});

  router.post("/api/v1/enterprises/{uscc}/api-keys", [&keys, &enterprises](Request& req) {
    auto e = enterprises.get(req.who().scope, req.param("uscc"));
    if (!e.ok()) return Response::error(e.error());
    std::string name = "数据上传";
    if (!req.body.empty()) {
      auto body = http::json_body(req);
      if (!body.ok()) return Response::error(body.error());
      JsonFields f(*body);
      name = f.string("name", false, 50).value_or(name);
      if (auto s = f.finish(); !s.ok()) return Response::error(s.error());
    }
    return http::respond(keys.create(req.who(), e->uscc, e->region_code, name, req.remote), new_key_json, 201);
  }, {.permission = Action::enterprise_write});

  router.post("/api/v1/enterprises/{uscc}/api-keys/{id}/rotate", [&keys, &enterprises](Request& req) {
    auto e = enterprises.get(req.who().scope, req.param("uscc"));
    if (!e.ok()) return Response::error(e.error());
    return http::respond(keys.rotate(req.who(), e->uscc, e->region_code, req.param("id"), req.remote), new_key_json, 201);
  }, {.permission = Action::enterprise_write});

  router.del("/api/v1/enterprises/{uscc}/api-keys/{id}", [&keys, &enterprises](Request& req) {
    auto e = enterprises.get(req.who().scope, req.param("uscc"));
    if (!e.ok()) return Response::error(e.error());
    return http::respond(keys.revoke(req.who(), e->uscc, e->region_code, req.param("id"), req.remote));
  }, {.permission = Action::enterprise_write});
}

void register_routes(http::Router& router, auth::Identity& identity, auth::ApiKeys& keys, enterprise::Service& enterprises) {
  register_api_key_routes(router, keys, enterprises);
  router.post("/api/v1/auth/login", [&identity](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    JsonFields f(*body);
    auto username = f.string("username", true, 64);
    auto password = f.string("password", true, 256);
    auto code = f.string("code", false, 64);
    if (auto s = f.finish(); !s.ok()) return Response::error(s.error());
    auto r = identity.login(*username, *password, req.remote, code.value_or(""));
    return http::respond(r, [](const auth::LoginResult& l) {
      // The password was right; the second factor is asked next, with this challenge.
      if (!l.challenge.empty())
        return json::object{{"second_factor_required", true}, {"challenge", l.challenge}, {"expires_at", format_iso(l.expires_at)}};
      return session_json(l);
    });
  }, {.public_route = true, .allowed_before_password_change = true});

  router.post("/api/v1/auth/login/second-factor", [&identity](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    JsonFields f(*body);
    auto challenge = f.string("challenge", true, 128);
    auto code = f.string("code", true, 64);
    if (auto s = f.finish(); !s.ok()) return Response::error(s.error());
    return http::respond(identity.complete_login(*challenge, *code, req.remote), session_json);
  }, {.public_route = true, .allowed_before_password_change = true});

  router.get("/api/v1/auth/second-factor", [&identity](Request& req) {
    return http::respond(identity.second_factor_state(req.who().user_id), [&req](const auth::Identity::SecondFactorState& s) {
      return json::object{{"enabled", s.enabled}, {"enabled_at", s.enabled ? json::value(format_iso(s.enabled_at)) : json::value(nullptr)},
                          {"recovery_codes_left", s.recovery_codes_left}, {"required", req.who().must_enrol_second_factor || is_platform(req.who())}};
    });
  }, {.allowed_before_second_factor = true});

  router.post("/api/v1/auth/second-factor/enrol", [&identity](Request& req) {
    return http::respond(identity.begin_totp_enrolment(req.who(), req.remote), [](const auth::TotpEnrolment& e) {
      return json::object{{"secret", e.secret}, {"otpauth_uri", e.otpauth_uri}, {"qr_svg", e.qr_svg}};
    });
  }, {.allowed_before_second_factor = true});

  router.post("/api/v1/auth/second-factor/confirm", [&identity](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    JsonFields f(*body);
    auto code = f.string("code", true, 16);
    if (auto s = f.finish(); !s.ok()) return Response::error(s.error());
    return http::respond(identity.confirm_totp_enrolment(req.who(), *code, req.remote), [](const std::vector<std::string>& codes) {
      json::array items;
      for (const auto& c : codes) items.emplace_back(c);
      return json::object{{"recovery_codes", std::move(items)}};
    });
  }, {.allowed_before_second_factor = true});

  router.post("/api/v1/auth/logout", [&identity](Request& req) {
    return http::respond(identity.logout(req.who(), req.remote));
  }, {.allowed_before_password_change = true});

  router.get("/api/v1/auth/me", [](Request& req) { return Response::json(me_json(req.who())); },
             {.allowed_before_password_change = true});

  router.post("/api/v1/auth/password", [&identity](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    JsonFields f(*body);
    auto old_pw = f.string("old_password", true, 256);
    auto new_pw = f.string("new_password", true, 256);
    if (auto s = f.finish(); !s.ok()) return Response::error(s.error());
    return http::respond(identity.change_password(req.who(), *old_pw, *new_pw, req.remote));
  }, {.allowed_before_password_change = true});

  // ---- organizations ----
  router.get("/api/v1/orgs", [&identity](Request& req) {
    return http::respond(identity.list_orgs(req.who().scope), [](const std::vector<auth::Org>& orgs) {
      json::array items;
      for (const auto& o : orgs) items.push_back(org_json(o));
      return json::object{{"items", std::move(items)}, {"total", orgs.size()}};
    });
  }, {.permission = Action::org_manage});

  router.get("/api/v1/orgs/{id}", [&identity](Request& req) {
    return http::respond(identity.get_org(req.who().scope, req.param("id")), org_json);
  }, {.permission = Action::org_manage});

  router.post("/api/v1/orgs", [&identity, &enterprises](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    JsonFields f(*body);
    auth::Org org;
    org.name = f.string("name", true, 100).value_or("");
    org.kind = f.one_of("kind", true, {"regulator", "enterprise"}).value_or("");
    if (org.kind == "enterprise") {
      auto uscc = f.string("uscc", true, 40);
      (void)f.string("level", false, 0);
      if (uscc) {
        // The enterprise must exist in the caller's jurisdiction; its county is the org's region.
        auto e = enterprises.get(req.who().scope, *uscc);
        if (!e.ok()) f.fail({"not_found", "企业不存在或不在您的管辖范围内", "uscc"});
        else {
          org.uscc = e->uscc;
          org.region_code = e->region_code;
        }
      }
    } else if (org.kind == "regulator") {
      org.level = f.one_of("level", true, {"national", "province", "city", "county"}).value_or("");
      org.regulator_kind =
          f.one_of("regulator_kind", true, {"safety", "coal_mine_inspection", "emergency", "member_department"}).value_or("");
      org.region_code = f.string("region_code", org.level != "national", 6).value_or("");
    }
    if (auto s = f.finish(); !s.ok()) return Response::error(s.error());
    return http::respond(identity.create_org(req.who(), org, req.remote), org_json, 201);
  }, {.permission = Action::org_manage});

  // ---- users ----
  router.get("/api/v1/users", [&identity](Request& req) {
    return http::respond(identity.list_users(req.who().scope), [](const std::vector<auth::User>& users) {
      json::array items;
      for (const auto& u : users) items.push_back(user_json(u));
      return json::object{{"items", std::move(items)}, {"total", users.size()}};
    });
  }, {.permission = Action::user_read});

  router.post("/api/v1/users", [&identity](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    JsonFields f(*body);
    auth::NewUser u;
    u.username = f.string("username", true, 64).value_or("");
    u.password = f.string("password", true, 256).value_or("");
    u.display_name = f.string("display_name", true, 50).value_or("");
    u.org_id = f.string("org_id", true, 64).value_or("");
    u.roles = f.strings("roles", true, 6, 32).value_or(std::vector<std::string>{});
    u.must_change_password = f.boolean("must_change_password", false).value_or(true);
    if (auto s = f.finish(); !s.ok()) return Response::error(s.error());
    return http::respond(identity.create_user(req.who(), u, req.remote), user_json, 201);
  }, {.permission = Action::user_read});  // create_user: user_manage, or security_manage for a platform role

  router.get("/api/v1/users/{id}", [&identity](Request& req) {
    auto u = identity.get_user(req.who().scope, req.param("id"));
    if (!u.ok()) return Response::error(u.error());
    return Response::json(user_json(*u)).with_header("ETag", http::etag(u->version));
  }, {.permission = Action::user_read});

  router.patch("/api/v1/users/{id}", [&identity](Request& req) {
    auto change = http::versioned_change(req);
    if (!change.ok()) return Response::error(change.error());
    JsonFields f(change->body);
    auto display_name = f.string("display_name", false, 50);
    auto roles = f.strings("roles", false, 6, 32);
    auto disabled = f.boolean("disabled", false);
    if (auto s = f.finish(); !s.ok()) return Response::error(s.error());
    auto u = identity.update_user(req.who(), req.param("id"), change->version, display_name, roles, disabled, req.remote);
    if (!u.ok()) return Response::error(u.error());
    return Response::json(user_json(*u)).with_header("ETag", http::etag(u->version));
  }, {.permission = Action::user_read});

  router.post("/api/v1/users/{id}/password", [&identity](Request& req) {
    auto body = http::json_body(req);
    if (!body.ok()) return Response::error(body.error());
    JsonFields f(*body);
    auto pw = f.string("password", true, 256);
    if (auto s = f.finish(); !s.ok()) return Response::error(s.error());
    return http::respond(identity.reset_password(req.who(), req.param("id"), *pw, req.remote));
  }, {.permission = Action::security_manage});

  router.post("/api/v1/users/{id}/second-factor/reset", [&identity](Request& req) {
    return http::respond(identity.reset_second_factor(req.who(), req.param("id"), req.remote));
  }, {.permission = Action::security_manage});

  router.post("/api/v1/users/{id}/unlock", [&identity](Request& req) {
    return http::respond(identity.unlock(req.who(), req.param("id"), req.remote));
  }, {.permission = Action::security_manage});

  router.get("/api/v1/users/{id}/sessions", [&identity](Request& req) {
    return http::respond(identity.list_sessions(req.who().scope, req.param("id")), [](const std::vector<auth::SessionInfo>& s) {
      json::array items;
      for (const auto& x : s)
        items.push_back(json::object{{"id", x.id}, {"source", x.source}, {"created_at", format_iso(x.created_at)},
                                     {"last_seen_at", format_iso(x.last_seen_at)}, {"expires_at", format_iso(x.expires_at)}});
      return json::object{{"items", std::move(items)}};
    });
  }, {.permission = Action::security_manage});

  router.del("/api/v1/users/{id}/sessions/{session_id}", [&identity](Request& req) {
    return http::respond(identity.revoke_session(req.who(), req.param("id"), req.param("session_id"), req.remote));
  }, {.permission = Action::security_manage});
}

}  // namespace anjian::identity
