#pragma once

#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "ips/matching/v1/placement.pb.h"

namespace ips::matching {

// SQL for placements, on a session the caller owns (one transaction with
// the outbox append). A placement comes back as the API shows it: name,
// hours history, links, etag and days from enrolment filled in.

struct PlacementRow {
  v1::Placement placement;
  std::string citizen_id, id, employer_id, opening_id;
  std::string enrollment_id;     // the registry's enrolment it belongs to
  std::string enrollment_start;  // 'YYYY-MM-DD'
  long long version = 1;
};

// Inserts a new placement (state ACTIVE) with its first hours.
void InsertPlacement(soci::session& s, const PlacementRow& r, long long now);

std::optional<PlacementRow> LoadPlacement(soci::session& s, const std::string& citizen_id,
                                          const std::string& id);

// Writes hours, state, end fields and the link onward, with a new version.
void UpdatePlacementRow(soci::session& s, const PlacementRow& r, long long new_version, long long now);

// Placements on an opening (each takes one of its slots).
int CountPlacementsOnOpening(soci::session& s, const std::string& opening_id);

struct PlacementFilter {
  std::string citizen_id;   // "" = every citizen
  int state = 0, kind = 0;  // 0 = any
  std::string employer_id;  // "" = any
};
// Ordered by id.
std::vector<PlacementRow> SelectPlacements(soci::session& s, const PlacementFilter& f,
                                           const std::string& after_id, int limit);

}  // namespace ips::matching
