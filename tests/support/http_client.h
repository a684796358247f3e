#pragma once
// The tests use the project's HTTP client (src/http/client.h).
#include "http/client.h"

namespace anjian::test {
using http::HttpClient;
using http::HttpResult;
using http::url_encode;
}  // namespace anjian::test
