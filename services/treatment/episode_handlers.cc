// TreatmentCoordination handlers for treatment episodes: started, listed
// and ended.
#include <set>

#include "absl/strings/str_cat.h"
#include "ips/treatment/v1/events.pb.h"
#include "services/common/crypto.h"
#include "services/common/dates.h"
#include "services/common/errors.h"
#include "services/common/idempotency.h"
#include "services/common/list_query.h"
#include "services/common/stored_values.h"
#include "services/common/violations.h"
#include "services/treatment/domain/episode_rules.h"
#include "services/treatment/resource_names.h"
#include "services/treatment/treatment_service.h"

namespace ips::treatment {

// --- episodes

grpc::Status TreatmentService::CreateTreatmentEpisode(grpc::ServerContext* ctx,
                                                      const v1::CreateTreatmentEpisodeRequest* req,
                                                      v1::TreatmentEpisode* resp) {
  return core_.guard().Run(
      ctx, "CreateTreatmentEpisode", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
        Violations v;
        v.Merge(ValidateRequestId(req->request_id()), "request_id");
        auto citizen_id = ParseCitizenName(req->parent(), "parent");
        v.Merge(citizen_id.status(), "parent");
        const auto& in = req->episode();
        auto unit_id = ParseUnitName(in.unit(), "episode.unit");
        v.Merge(unit_id.status(), "episode.unit");
        v.Enum(in.modality(), v1::Modality_IsValid, "episode.modality", true);
        auto start = v.BusinessDate(in.start_date(), "episode.start_date", true, kEpisodeDaysAhead);
        if (!in.diagnosis_code().empty() && !ValidDiagnosisCode(in.diagnosis_code())) {
          v.Add("episode.diagnosis_code",
                "must be an ICD-10 code F10 to F19, optionally with a subdivision (F10.2)");
        }
        std::optional<ChildName> referral;
        if (!in.referral().empty()) {
          auto r = ParseChildName(in.referral(), kReferrals, "episode.referral");
          v.Merge(r.status(), "episode.referral");
          if (r.ok() && citizen_id.ok() && r->citizen_id != *citizen_id) {
            v.Add("episode.referral", "must be a referral of the same citizen");
          }
          if (r.ok()) referral = *r;
        }
        if (!v.empty()) return v.status();
        rec.resource = req->parent();
        rec.citizen_id = *citizen_id;
        return core_.WriteAudited(caller, rec, [&](soci::session& s) -> absl::Status {
          auto name = CreateOnce(s, caller, rec, *req, [&]() -> absl::StatusOr<std::string> {
            if (auto open = CheckUnitOpen(s, *unit_id); !open.ok()) return open;
            if (HasActiveEpisode(s, *citizen_id)) {
              return errors::FailedPrecondition(
                  "the citizen is already in treatment",
                  {{"STATE", req->parent(), "an active episode exists; end it first (reason transferred)"}});
            }
            EpisodeRecord e;
            e.id = RandomId();
            e.citizen_id = *citizen_id;
            e.episode = in;
            if (referral) {
              auto r = LoadReferral(s, referral->citizen_id, referral->id);
              if (!r) return errors::NotFound(in.referral());
              if (*start < r->request_date) {
                return errors::InvalidArgument(
                    "episode.start_date", absl::StrCat("must be on or after the referral's request date ",
                                                       FormatDay(r->request_date)));
              }
              // Starting treatment is the latest possible offer.
              if (!r->offered) {
                r->offered = *start;
                if (r->unit_id.empty()) r->unit_id = *unit_id;
                r->version += 1;
                UpdateReferralOffer(s, *r, NowMicros());
                v1::TreatmentOffered offered;
                offered.set_referral_id(r->id);
                *offered.mutable_offered_date() = ToProtoDate(*start);
                offered.set_guarantee_met(*start <= r->deadline);
                core_.outbox().Append(s, *citizen_id, offered);
              }
            }
            InsertEpisode(s, e, NowMicros());
            v1::TreatmentStarted event;
            event.set_episode_id(e.id);
            *event.mutable_start_date() = ToProtoDate(*start);
            if (referral) event.set_referral_id(referral->id);
            core_.outbox().Append(s, *citizen_id, event);
            return ChildNameOf(*citizen_id, kEpisodes, e.id);
          });
          if (!name.ok()) return name.status();
          rec.resource = *name;
          auto e = LoadEpisode(s, *citizen_id, LastSegment(*name));
          if (!e) return errors::NotFound(*name);
          *resp = e->episode;
          return absl::OkStatus();
        });
      });
}

grpc::Status TreatmentService::ListTreatmentEpisodes(grpc::ServerContext* ctx,
                                                     const v1::ListTreatmentEpisodesRequest* req,
                                                     v1::ListTreatmentEpisodesResponse* resp) {
  return core_.guard().Run(ctx, "ListTreatmentEpisodes", [&](const Caller&, CallRecord& rec) -> absl::Status {
    auto citizen_id = ParseCitizenName(req->parent(), "parent");
    if (!citizen_id.ok()) return citizen_id.status();
    rec.resource = req->parent();
    rec.citizen_id = *citizen_id;
    auto page = StartListPage(core_.page_tokens(), "ListTreatmentEpisodes", *req);
    if (!page.ok()) return page.status();
    return core_.db().Read([&](soci::session& s) -> absl::Status {
      auto rows = SelectEpisodes(s, *citizen_id, page->after, page->fetch());
      resp->set_next_page_token(FinishPage(rows, *page, EpisodeKey));
      for (auto& e : rows) *resp->add_episodes() = std::move(e.episode);
      return absl::OkStatus();
    });
  });
}

grpc::Status TreatmentService::EndTreatmentEpisode(grpc::ServerContext* ctx,
                                                   const v1::EndTreatmentEpisodeRequest* req,
                                                   v1::TreatmentEpisode* resp) {
  return core_.guard().Run(
      ctx, "EndTreatmentEpisode", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
        Violations v;
        auto name = ParseChildName(req->name(), kEpisodes, "name");
        v.Merge(name.status(), "name");
        auto end = v.BusinessDate(req->end_date(), "end_date", true, kEpisodeDaysAhead);
        v.Enum(req->end_reason(), v1::EpisodeEndReason_IsValid, "end_reason", true);
        if (!v.empty()) return v.status();
        rec.resource = req->name();
        rec.citizen_id = name->citizen_id;
        return core_.WriteAudited(caller, rec, [&](soci::session& s) -> absl::Status {
          auto e = LoadEpisode(s, name->citizen_id, name->id);
          if (!e) return errors::NotFound(req->name());
          if (auto stale = CheckEtag(req->etag(), e->episode.etag(), e->episode.name()); !stale.ok())
            return stale;
          if (e->episode.state() == v1::EPISODE_STATE_ENDED) {
            return errors::FailedPrecondition(
                "the episode has ended and is read-only",
                {{"STATE", e->episode.name(),
                  "episode ended; start a new episode to record more treatment"}});
          }
          const auto& sd = e->episode.start_date();
          if (*end < absl::CivilDay(sd.year(), sd.month(), sd.day())) {
            return errors::InvalidArgument("end_date", absl::StrCat("must be on or after the start date ",
                                                                    DateText(e->episode.start_date())));
          }
          *e->episode.mutable_end_date() = ToProtoDate(*end);
          e->episode.set_end_reason(req->end_reason());
          e->version += 1;
          UpdateEpisodeEnd(s, *e, NowMicros());
          v1::TreatmentEnded event;
          event.set_episode_id(e->id);
          *event.mutable_end_date() = ToProtoDate(*end);
          event.set_end_reason(req->end_reason());
          core_.outbox().Append(s, e->citizen_id, event);
          *resp = LoadEpisode(s, name->citizen_id, name->id)->episode;
          return absl::OkStatus();
        });
      });
}

}  // namespace ips::treatment
