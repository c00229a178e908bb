// Which diagnosis codes an episode takes: ICD-10 F10–F19 with an optional
// subdivision, nothing else.
#include "services/treatment/domain/episode_rules.h"

#include <gtest/gtest.h>

namespace ips::treatment {
namespace {

TEST(EpisodeRulesTest, SubstanceUseDisordersF10ToF19) {
  for (const char* code : {"F10", "F19", "F10.2", "F11.24", "F15.9"})
    EXPECT_TRUE(ValidDiagnosisCode(code)) << code;
}

TEST(EpisodeRulesTest, OtherCodesAndMalformedOnesAreRefused) {
  for (const char* code :
       {"", "F09", "F20", "F1", "f10", "F10.", "F10.123", "F10.2 ", "X10", "F10.2a", "F100"}) {
    EXPECT_FALSE(ValidDiagnosisCode(code)) << code;
  }
}

}  // namespace
}  // namespace ips::treatment
