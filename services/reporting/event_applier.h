#pragma once

#include <soci/soci.h>

#include <string>

#include "ips/common/v1/events.pb.h"

namespace ips::reporting {

// Derives reporting's facts from one event of `source` ("registry",
// "matching", "treatment") on a session in the caller's transaction, which
// also moves the feed's cursor (feed_store.h). Events of types reporting
// does not use are skipped, so a publisher may add types without breaking
// it. Only the envelope's pseudonym is kept of the citizen.
void ApplyEvent(soci::session& s, const std::string& source, const common::v1::Event& event);

}  // namespace ips::reporting
