#pragma once
// Enterprises between nodes (issue 17): what of an enterprise travels up, and how a received one
// is kept in the registry here.
#include "exchange/registry.h"
#include "modules/enterprise/service.h"

namespace anjian::enterprise {

exchange::SharedType shared_type(Service& service);

}  // namespace anjian::enterprise
