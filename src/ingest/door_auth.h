#pragma once
// How the machine doors (readings, coal-mine files) know their sender: `Authorization: ApiKey KEY`.
#include "auth/api_keys.h"
#include "http/message.h"

namespace anjian::ingest {

// Whether the request carries an API key at all (a session may be used instead where allowed).
inline bool has_api_key(const http::Request& req) { return req.header("authorization").starts_with("ApiKey "); }

// Errors: unauthenticated (no key, unknown or revoked key).
inline Result<auth::MachineIdentity> api_key_of(const http::Request& req, auth::ApiKeys& keys) {
  if (!has_api_key(req)) return Error{"unauthenticated", "须以 Authorization: ApiKey KEY 上传", ""};
  return keys.authenticate(req.header("authorization").substr(7));
}

}  // namespace anjian::ingest
