#pragma once
// Precompiled header of the integration tests: gtest, the heavy Boost headers and the test world,
// parsed once for the fifty test files.
#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "support/world.h"
