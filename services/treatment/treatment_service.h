#pragma once

#include "ips/treatment/v1/treatment_service.grpc.pb.h"
#include "services/common/common_rpcs.h"
#include "services/treatment/domain/disclosure_consent.h"
#include "services/treatment/domain/treatment_guarantee.h"
#include "services/treatment/treatment_store.h"

namespace ips::treatment {

// TreatmentService implements ips.treatment.v1.TreatmentCoordination. Each
// handler runs inside the CallGuard (authentication, policy, audit,
// metrics), validates the whole request first, and writes its change and
// events in one transaction. Who sees what: SOF callers (token agency SOF)
// see every record their role's policy entry allows; any other caller sees
// only what a consent covers (domain/disclosure_consent.h), decided here
// per call. Handlers are grouped by resource: unit_handlers.cc (units,
// outreach), referral_handlers.cc, episode_handlers.cc and coordination_handlers.cc (notes,
// consents, treatment status). The feed, audit and subject-data RPCs come
// from PublishingService (common_rpcs.h).
class TreatmentService final : public PublishingService<v1::TreatmentCoordination> {
 public:
  TreatmentService(ServiceCore& core, GuaranteeConfig guarantee);

  grpc::Status CreateTreatmentUnit(grpc::ServerContext*, const v1::CreateTreatmentUnitRequest*,
                                   v1::TreatmentUnit*) override;
  grpc::Status GetTreatmentUnit(grpc::ServerContext*, const v1::GetTreatmentUnitRequest*,
                                v1::TreatmentUnit*) override;
  grpc::Status ListTreatmentUnits(grpc::ServerContext*, const v1::ListTreatmentUnitsRequest*,
                                  v1::ListTreatmentUnitsResponse*) override;
  grpc::Status UpdateTreatmentUnit(grpc::ServerContext*, const v1::UpdateTreatmentUnitRequest*,
                                   v1::TreatmentUnit*) override;

  grpc::Status CreateOutreachContact(grpc::ServerContext*, const v1::CreateOutreachContactRequest*,
                                     v1::OutreachContact*) override;
  grpc::Status ListOutreachContacts(grpc::ServerContext*, const v1::ListOutreachContactsRequest*,
                                    v1::ListOutreachContactsResponse*) override;

  grpc::Status CreateReferral(grpc::ServerContext*, const v1::CreateReferralRequest*, v1::Referral*) override;
  grpc::Status GetReferral(grpc::ServerContext*, const v1::GetReferralRequest*, v1::Referral*) override;
  grpc::Status ListReferrals(grpc::ServerContext*, const v1::ListReferralsRequest*,
                             v1::ListReferralsResponse*) override;
  grpc::Status RecordTreatmentOffer(grpc::ServerContext*, const v1::RecordTreatmentOfferRequest*,
                                    v1::Referral*) override;

  grpc::Status CreateTreatmentEpisode(grpc::ServerContext*, const v1::CreateTreatmentEpisodeRequest*,
                                      v1::TreatmentEpisode*) override;
  grpc::Status ListTreatmentEpisodes(grpc::ServerContext*, const v1::ListTreatmentEpisodesRequest*,
                                     v1::ListTreatmentEpisodesResponse*) override;
  grpc::Status EndTreatmentEpisode(grpc::ServerContext*, const v1::EndTreatmentEpisodeRequest*,
                                   v1::TreatmentEpisode*) override;

  grpc::Status CreateCoordinationNote(grpc::ServerContext*, const v1::CreateCoordinationNoteRequest*,
                                      v1::CoordinationNote*) override;
  grpc::Status ListCoordinationNotes(grpc::ServerContext*, const v1::ListCoordinationNotesRequest*,
                                     v1::ListCoordinationNotesResponse*) override;
  grpc::Status CreateConsent(grpc::ServerContext*, const v1::CreateConsentRequest*, v1::Consent*) override;
  grpc::Status ListConsents(grpc::ServerContext*, const v1::ListConsentsRequest*,
                            v1::ListConsentsResponse*) override;
  grpc::Status WithdrawConsent(grpc::ServerContext*, const v1::WithdrawConsentRequest*,
                               v1::Consent*) override;
  grpc::Status GetTreatmentStatus(grpc::ServerContext*, const v1::GetTreatmentStatusRequest*,
                                  v1::TreatmentStatus*) override;

 private:
  // A unit that exists (NOT_FOUND) and takes referrals (FAILED_PRECONDITION).
  static absl::Status CheckUnitOpen(soci::session& s, const std::string& unit_id);

  // SOF's own staff see SOF's records; everyone else is an outside caller
  // bound by consent.
  static bool IsSof(const Caller& caller) { return caller.agency == "SOF"; }

  // OK when `caller` is SOF or a consent of `scope` covers `on`; otherwise
  // PERMISSION_DENIED, reason CONSENT_MISSING, the same whatever SOF holds
  // about the citizen; why goes into `rec.note`, for SOF's audit.
  absl::Status CheckConsent(soci::session& s, const Caller& caller, CallRecord& rec,
                            const std::string& citizen_id, ConsentScope scope, absl::CivilDay on);

  // Fills the guarantee as of `today` (one day for a whole list).
  void FillGuarantee(ReferralRecord& r, absl::CivilDay today) const;

  GuaranteeConfig guarantee_;
};

}  // namespace ips::treatment
