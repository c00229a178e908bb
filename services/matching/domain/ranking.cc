#include "services/matching/domain/ranking.h"

#include <algorithm>

namespace ips::matching {
namespace {

struct Scored {
  int total;
  size_t index;
};

// Keeps the best `limit` of `scored`, ordered by total descending and then
// by `id(index)` ascending.
template <typename Id>
void KeepBest(std::vector<Scored>& scored, size_t limit, Id id) {
  auto better = [&](const Scored& a, const Scored& b) {
    if (a.total != b.total) return a.total > b.total;
    return id(a.index) < id(b.index);
  };
  const size_t n = std::min(limit, scored.size());
  std::partial_sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(n), scored.end(), better);
  scored.resize(n);
}

}  // namespace

std::vector<RankedOpening> RankOpenings(const JobProfile& profile, const std::vector<Opening>& openings,
                                        const ScoringConfig& config, size_t limit, size_t* admissible) {
  const PreparedConstraints constraints = Prepare(profile);
  const ProfileScorer scorer(profile, config);
  std::vector<Scored> scored;
  scored.reserve(openings.size());
  for (size_t i = 0; i < openings.size(); ++i) {
    if (!Admissible(constraints, openings[i])) continue;
    scored.push_back({Total(scorer.Score(openings[i])), i});
  }
  if (admissible) *admissible = scored.size();
  KeepBest(scored, limit, [&](size_t i) -> const std::string& { return openings[i].id; });
  std::vector<RankedOpening> out;
  out.reserve(scored.size());
  for (const auto& s : scored)
    out.push_back({&openings[s.index], s.total, scorer.Explain(openings[s.index])});
  return out;
}

std::vector<RankedCandidate> RankCandidates(const Opening& opening, const std::vector<JobProfile>& profiles,
                                            const ScoringConfig& config, size_t limit) {
  std::vector<Scored> scored;
  for (size_t i = 0; i < profiles.size(); ++i) {
    if (!Admissible(profiles[i], opening)) continue;
    scored.push_back({Total(ScorePoints(profiles[i], opening, config)), i});
  }
  KeepBest(scored, limit, [&](size_t i) -> const std::string& { return profiles[i].citizen_id; });
  std::vector<RankedCandidate> out;
  for (const auto& s : scored) {
    out.push_back({&profiles[s.index], s.total, Explain(profiles[s.index], opening, config)});
  }
  return out;
}

}  // namespace ips::matching
