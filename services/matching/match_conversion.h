#pragma once

#include <string>

#include "ips/matching/v1/job_profile.pb.h"
#include "ips/matching/v1/matching.pb.h"
#include "services/matching/domain/match_score.h"
#include "services/matching/matching_store.h"

namespace ips::matching {

// Between the API's messages and the matching rules' plain structs.
// Industries and titles are compared case-insensitively, so they are
// lowercased here.
Opening ToDomain(const OpeningRow& row);
JobProfile ToDomain(const std::string& citizen_id, const v1::JobProfile& profile);
v1::CriterionScore ToProto(const CriterionScore& score);

}  // namespace ips::matching
