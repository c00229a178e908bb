#include "services/matching/match_conversion.h"

#include "absl/strings/ascii.h"
#include "services/matching/resource_names.h"

namespace ips::matching {

Opening ToDomain(const OpeningRow& row) {
  const auto& o = row.opening;
  Opening d;
  d.id = o.name();
  d.employer_id = o.name().substr(0, o.name().find("/openings/"));
  d.kind = static_cast<OpeningKind>(o.kind() - 1);
  d.industry = absl::AsciiStrToLower(o.industry());
  d.title = absl::AsciiStrToLower(o.title());
  d.min_hours = o.min_hours();
  d.max_hours = o.max_hours();
  d.demand = static_cast<PhysicalDemand>(o.physical_demand() - 1);
  d.shift = static_cast<ShiftPattern>(o.shift_pattern() - 1);
  d.location = {o.location().latitude(), o.location().longitude()};
  d.requires_driving_licence = o.requires_driving_licence();
  d.requires_danish = o.requires_danish();
  d.serves_alcohol = o.serves_alcohol();
  d.customer_facing = o.customer_facing();
  d.gradual_start_possible = o.gradual_start_possible();
  d.employer.hires_from_programme = row.employer_hires;
  return d;
}

JobProfile ToDomain(const std::string& citizen_id, const v1::JobProfile& p) {
  JobProfile d;
  d.citizen_id = citizen_id;
  for (const auto& i : p.goal_industries()) d.goal_industries.push_back(absl::AsciiStrToLower(i));
  for (const auto& t : p.goal_titles()) d.goal_titles.push_back(absl::AsciiStrToLower(t));
  d.preferred_hours = p.preferred_hours();
  d.max_hours = p.max_hours();
  for (int a : p.accommodations()) {
    if (a > 0) d.accommodations.insert(static_cast<Accommodation>(a - 1));
  }
  d.driving_licence = p.driving_licence();
  d.speaks_danish = p.speaks_danish();
  d.home = {p.home().latitude(), p.home().longitude()};
  d.max_travel_km = p.max_travel_km();
  // Openings carry their employer as a resource name (see ToDomain above).
  for (const auto& e : p.network_employers()) d.network_employer_ids.insert(e);
  return d;
}

v1::CriterionScore ToProto(const CriterionScore& score) {
  v1::CriterionScore out;
  out.set_criterion(static_cast<v1::MatchCriterion>(static_cast<int>(score.criterion) + 1));
  out.set_points(score.points);
  out.set_max_points(score.max_points);
  out.set_reason(score.reason);
  return out;
}

}  // namespace ips::matching
