#pragma once

#include <optional>
#include <string>
#include <vector>

namespace ips::registry {

// How many citizens an IPS consultant carries: their own cap when one is
// set (above 0), otherwise the programme's default from the rules file.
int EffectiveCap(int own_cap, int default_cap);

// One active consultant and their running courses.
struct ConsultantLoad {
  std::string id;
  int own_cap = 0;  // 0: the default applies
  int caseload = 0;
};

// The consultant a citizen enrolled without one named goes to: the one
// with the most free places under the cap in force, ties to the lowest id
// so the choice does not depend on the order rows come in; none when every
// caseload is full.
std::optional<std::string> LeastLoaded(const std::vector<ConsultantLoad>& active, int default_cap);

// Whether a consultant can take one more citizen.
enum class Room { kYes, kInactive, kFull };
Room RoomFor(bool active, int caseload, int effective_cap);

}  // namespace ips::registry
