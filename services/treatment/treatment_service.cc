#include "services/treatment/treatment_service.h"

#include "absl/strings/str_cat.h"
#include "services/common/dates.h"
#include "services/common/errors.h"
#include "services/treatment/resource_names.h"
#include "services/treatment/treatment_schema.h"

namespace ips::treatment {
namespace {

// Why a disclosure was refused, for SOF's audit (SOF's DPO reads it); never
// told to the caller outside SOF.
const char* ConsentReason(ConsentDecision d) {
  switch (d) {
    case ConsentDecision::kNoConsent:
      return "none";
    case ConsentDecision::kWrongScope:
      return "wrong_scope";
    case ConsentDecision::kNotYetGiven:
      return "not_yet_given";
    case ConsentDecision::kExpired:
      return "expired";
    case ConsentDecision::kWithdrawn:
      return "withdrawn";
    case ConsentDecision::kAllowed:
      break;
  }
  return "allowed";
}

v1::GuaranteeState ToProto(GuaranteeState s) {
  switch (s) {
    case GuaranteeState::kOpen:
      return v1::GUARANTEE_STATE_OPEN;
    case GuaranteeState::kDueSoon:
      return v1::GUARANTEE_STATE_DUE_SOON;
    case GuaranteeState::kOverdue:
      return v1::GUARANTEE_STATE_OVERDUE;
    case GuaranteeState::kMet:
      return v1::GUARANTEE_STATE_MET;
    case GuaranteeState::kMissed:
      return v1::GUARANTEE_STATE_MISSED;
  }
  return v1::GUARANTEE_STATE_UNSPECIFIED;
}

}  // namespace

TreatmentService::TreatmentService(ServiceCore& core, GuaranteeConfig guarantee)
    : PublishingService(core, TreatmentSubjectData()), guarantee_(guarantee) {}

absl::Status TreatmentService::CheckConsent(soci::session& s, const Caller& caller, CallRecord& rec,
                                            const std::string& citizen_id, ConsentScope scope,
                                            absl::CivilDay on) {
  if (IsSof(caller)) return absl::OkStatus();
  const ConsentDecision d = DecideDisclosure(ConsentFactsOf(s, citizen_id), scope, on);
  if (d == ConsentDecision::kAllowed) return absl::OkStatus();
  // Every refusal reads the same toward BIF, whether SOF never met the
  // citizen or holds a consent that was withdrawn, expired or is for
  // another scope: the reason would tell BIF that SOF knows the citizen.
  rec.note = absl::StrCat("disclosure refused: consent ", ConsentReason(d));
  const bool status = scope == ConsentScope::kTreatmentStatus;
  return errors::PermissionDenied(
      "CONSENT_MISSING",
      absl::StrCat("SOF shares ", status ? "a treatment status" : "coordination notes",
                   " with BIF only under a consent the citizen gave SOF that covers ", FormatDay(on),
                   "; ask SOF to record the citizen's consent"),
      {{"scope", status ? "TREATMENT_STATUS" : "COORDINATION"}});
}

void TreatmentService::FillGuarantee(ReferralRecord& r, absl::CivilDay today) const {
  auto* g = r.referral.mutable_guarantee();
  *g->mutable_deadline() = ToProtoDate(r.deadline);
  g->set_state(ToProto(EvaluateGuarantee(r.request_date, r.offered, today, guarantee_)));
  *g->mutable_as_of() = ToProtoDate(today);
}

// A unit that exists (NOT_FOUND) and takes referrals (FAILED_PRECONDITION).
absl::Status TreatmentService::CheckUnitOpen(soci::session& s, const std::string& unit_id) {
  auto unit = LoadUnit(s, unit_id);
  if (!unit) return errors::NotFound(UnitName(unit_id));
  if (!unit->unit.active()) {
    return errors::FailedPrecondition("the unit takes no new citizens",
                                      {{"UNIT", UnitName(unit_id), "unit is inactive"}});
  }
  return absl::OkStatus();
}

}  // namespace ips::treatment
