#pragma once

#include <string>
#include <vector>

#include "services/matching/domain/hard_constraints.h"
#include "services/matching/domain/match_score.h"

namespace ips::matching {

struct RankedOpening {
  const Opening* opening;
  int total;
  std::vector<CriterionScore> criteria;  // sums to total
};

// The best `limit` openings for a citizen: only admissible ones (no
// accommodation violated, every requirement met), by total points, equal
// totals by opening id, so the same input always gives the same order.
// Reasons are built for the returned openings only. `admissible`, when
// given, receives how many openings passed the hard constraints.
std::vector<RankedOpening> RankOpenings(const JobProfile& profile, const std::vector<Opening>& openings,
                                        const ScoringConfig& config, size_t limit,
                                        size_t* admissible = nullptr);

struct RankedCandidate {
  const JobProfile* profile;
  int total;
  std::vector<CriterionScore> criteria;
};

// The best `limit` citizens for an opening among `profiles` (the caller's
// caseload or unit): admissible only, by total points, equal totals by
// citizen id.
std::vector<RankedCandidate> RankCandidates(const Opening& opening, const std::vector<JobProfile>& profiles,
                                            const ScoringConfig& config, size_t limit);

}  // namespace ips::matching
