#pragma once

// Seeded random openings, employers and job profiles for the matching
// rules' property tests and the ranking benchmark: Copenhagen-sized
// coordinates, the industries the programme places in, every
// accommodation and requirement in play.
#include <random>
#include <string>
#include <vector>

#include "services/matching/domain/match_model.h"

namespace ips::testing {

class RandomMatching {
 public:
  explicit RandomMatching(uint32_t seed) : rng_(seed) {}

  matching::Opening Opening(int n, int employers) {
    matching::Opening o;
    o.id = "op-" + std::to_string(n);
    const int employer = Pick(employers);
    o.employer_id = "emp-" + std::to_string(employer);
    o.employer.hires_from_programme = Hires(employer);
    o.kind = static_cast<matching::OpeningKind>(Pick(7));
    o.industry = kIndustries[Pick(kIndustryCount)];
    o.title = std::string(kTitles[Pick(kTitleCount)]) + (Pick(3) == 0 ? " trainee" : "");
    o.min_hours = Pick(4) * 5;  // 0, 5, 10, 15
    o.max_hours = o.min_hours + 5 + Pick(5) * 5;
    o.demand = static_cast<matching::PhysicalDemand>(Pick(3));
    o.shift = static_cast<matching::ShiftPattern>(Pick(4));
    o.location = Near();
    o.requires_driving_licence = Pick(6) == 0;
    o.requires_danish = Pick(3) == 0;
    o.serves_alcohol = Pick(5) == 0;
    o.customer_facing = Pick(2) == 0;
    o.gradual_start_possible = Pick(2) == 0;
    return o;
  }

  matching::JobProfile Profile(int n, int employers) {
    matching::JobProfile p;
    p.citizen_id = "cit-" + std::to_string(n);
    for (int i = Pick(3); i > 0; --i) p.goal_industries.push_back(kIndustries[Pick(kIndustryCount)]);
    for (int i = Pick(3); i > 0; --i) p.goal_titles.push_back(kTitles[Pick(kTitleCount)]);
    p.preferred_hours = Pick(6) * 5;
    p.max_hours = Pick(3) == 0 ? 0 : p.preferred_hours + Pick(3) * 5;
    for (int a = 0; a < 5; ++a) {
      if (Pick(3) == 0) p.accommodations.insert(static_cast<matching::Accommodation>(a));
    }
    p.driving_licence = Pick(2) == 0;
    p.speaks_danish = Pick(4) != 0;
    p.home = Near();
    p.max_travel_km = Pick(4) * 5;
    for (int i = Pick(3); i > 0; --i) p.network_employer_ids.insert("emp-" + std::to_string(Pick(employers)));
    return p;
  }

  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

 private:
  static constexpr int kIndustryCount = 8;
  static constexpr const char* kIndustries[kIndustryCount] = {
      "cleaning", "warehouse", "food service", "retail", "construction", "transport", "care", "gardening"};
  static constexpr int kTitleCount = 10;
  static constexpr const char* kTitles[kTitleCount] = {
      "cleaner", "warehouse worker", "kitchen assistant", "shop assistant", "bricklayer helper",
      "driver",  "care helper",      "gardener",          "dishwasher",     "cashier"};

  // An employer's hires from the programme: a third have some, fixed per
  // employer (a hash, so openings of one employer agree).
  static int Hires(int employer) {
    const unsigned h = static_cast<unsigned>(employer) * 2654435761u;
    return (h >> 8) % 3 == 0 ? static_cast<int>((h >> 12) % 6) : 0;
  }

  // Within about 15 km of Sydhavnen.
  matching::GeoPoint Near() {
    std::uniform_real_distribution<double> lat(55.55, 55.75), lon(12.40, 12.70);
    return {lat(rng_), lon(rng_)};
  }

  std::mt19937 rng_;
};

}  // namespace ips::testing
