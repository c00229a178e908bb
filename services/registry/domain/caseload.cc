#include "services/registry/domain/caseload.h"

namespace ips::registry {

int EffectiveCap(int own_cap, int default_cap) { return own_cap > 0 ? own_cap : default_cap; }

std::optional<std::string> LeastLoaded(const std::vector<ConsultantLoad>& active, int default_cap) {
  const ConsultantLoad* best = nullptr;
  int best_free = 0;
  for (const auto& c : active) {
    const int free = EffectiveCap(c.own_cap, default_cap) - c.caseload;
    if (free <= 0) continue;
    if (!best || free > best_free || (free == best_free && c.id < best->id)) {
      best = &c;
      best_free = free;
    }
  }
  if (!best) return std::nullopt;
  return best->id;
}

Room RoomFor(bool active, int caseload, int effective_cap) {
  if (!active) return Room::kInactive;
  if (caseload >= effective_cap) return Room::kFull;
  return Room::kYes;
}

}  // namespace ips::registry
