#pragma once
// Precompiled header of anjian_core: the heavy Boost headers, parsed once.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>
