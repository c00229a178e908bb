// Placements and candidate ranking through the matching service's gRPC API,
// with a real registry behind it (in-process, its own database, mTLS with
// the matching certificate), on SQLite and PostgreSQL: the registry check
// (enrolled, not enrolled, ended course, another consultant's citizen,
// registry down), hours history, the conversion chain, the end with its
// reason, events, and MatchCandidates over the caller's caseload.
#include <gtest/gtest.h>

#include "services/matching/matching_schema.h"
#include "tests/matching/matching_with_registry.h"

namespace ips::testing {
namespace {

class PlacementTest : public MatchingWithRegistry {};

TEST_P(PlacementTest, APlacementFollowsTheCourseFromInternshipToHire) {
  auto c = EnrolledCitizen(1, 20, anna_);
  auto opening = MakeOpening(1);
  mv1::Placement p;
  auto req = PlacementRequest(c, opening.name(), -5, 25, "place-1");
  ASSERT_TRUE(Place(req, &p).ok());
  EXPECT_EQ(p.kind(), mv1::OPENING_KIND_COMPANY_INTERNSHIP);  // the opening's
  EXPECT_EQ(p.employer(), employer_);
  EXPECT_EQ(p.state(), mv1::PLACEMENT_STATE_ACTIVE);
  EXPECT_EQ(p.days_from_enrollment(), 15);
  ASSERT_EQ(p.hours_size(), 1);
  EXPECT_EQ(p.hours(0).hours_per_week(), 25);
  EXPECT_EQ(FormatDay(*ToCivilDay(p.hours(0).effective_date(), "d")), FormatDay(Today(-5)));

  // A retry with the same request_id returns the same placement.
  mv1::Placement again;
  ASSERT_TRUE(Place(req, &again).ok());
  EXPECT_EQ(again.name(), p.name());
  EXPECT_EQ(PlacementCount(), 1);

  // Its one slot taken, the opening is filled and no longer matched.
  mv1::GetOpeningRequest get_opening;
  get_opening.set_name(opening.name());
  mv1::Opening filled;
  ASSERT_TRUE(m_->GetOpening(Ctx(ConsultantToken()).get(), get_opening, &filled).ok());
  EXPECT_EQ(filled.state(), mv1::OPENING_STATE_FILLED);

  // 25 hours, then 37 from today: the history keeps both.
  mv1::ChangePlacementHoursRequest change;
  change.set_name(p.name());
  *change.mutable_change()->mutable_effective_date() = ToProtoDate(Today());
  change.mutable_change()->set_hours_per_week(37);
  change.set_etag(p.etag());
  mv1::Placement changed;
  ASSERT_TRUE(m_->ChangePlacementHours(Ctx(ConsultantToken()).get(), change, &changed).ok());
  ASSERT_EQ(changed.hours_size(), 2);
  EXPECT_EQ(changed.hours(0).hours_per_week(), 25);
  EXPECT_EQ(changed.hours(1).hours_per_week(), 37);
  EXPECT_NE(changed.etag(), p.etag());

  // Internship -> wage subsidy from tomorrow; the link is kept both ways.
  mv1::ConvertPlacementRequest convert;
  convert.set_name(p.name());
  convert.set_kind(mv1::OPENING_KIND_WAGE_SUBSIDY_JOB);
  *convert.mutable_start_date() = ToProtoDate(Today(1));
  convert.set_hours_per_week(37);
  convert.set_request_id("convert-1");
  mv1::Placement subsidy;
  ASSERT_TRUE(m_->ConvertPlacement(Ctx(ConsultantToken()).get(), convert, &subsidy).ok());
  EXPECT_EQ(subsidy.converted_from(), p.name());
  EXPECT_EQ(subsidy.kind(), mv1::OPENING_KIND_WAGE_SUBSIDY_JOB);
  EXPECT_EQ(subsidy.days_from_enrollment(), 0);  // not the first placement
  mv1::GetPlacementRequest get;
  get.set_name(p.name());
  mv1::Placement old;
  ASSERT_TRUE(m_->GetPlacement(Ctx(ConsultantToken()).get(), get, &old).ok());
  EXPECT_EQ(old.state(), mv1::PLACEMENT_STATE_CONVERTED);
  EXPECT_EQ(old.converted_to(), subsidy.name());
  EXPECT_EQ(FormatDay(*ToCivilDay(old.end_date(), "d")), FormatDay(Today()));
  EXPECT_EQ(old.days_from_enrollment(), 15);
  mv1::Placement retried;
  ASSERT_TRUE(m_->ConvertPlacement(Ctx(ConsultantToken()).get(), convert, &retried).ok());
  EXPECT_EQ(retried.name(), subsidy.name());

  // The wage-subsidy job ends in a hire: the employer's record counts it.
  mv1::EndPlacementRequest end;
  end.set_name(subsidy.name());
  *end.mutable_end_date() = ToProtoDate(Today(30));
  end.set_end_reason(mv1::PLACEMENT_END_REASON_HIRED);
  mv1::Placement ended;
  ASSERT_TRUE(m_->EndPlacement(Ctx(ConsultantToken()).get(), end, &ended).ok());
  EXPECT_EQ(ended.state(), mv1::PLACEMENT_STATE_ENDED);
  EXPECT_EQ(ended.end_reason(), mv1::PLACEMENT_END_REASON_HIRED);
  mv1::GetEmployerRequest get_employer;
  get_employer.set_name(employer_);
  mv1::Employer employer;
  ASSERT_TRUE(m_->GetEmployer(Ctx(ConsultantToken()).get(), get_employer, &employer).ok());
  EXPECT_EQ(employer.hires_from_programme(), 1);

  // Lists by citizen and by state.
  mv1::ListPlacementsRequest list;
  list.set_parent(c.name());
  mv1::ListPlacementsResponse listed;
  ASSERT_TRUE(m_->ListPlacements(Ctx(ConsultantToken()).get(), list, &listed).ok());
  EXPECT_EQ(listed.placements_size(), 2);
  list.set_filter("state = PLACEMENT_STATE_CONVERTED");
  ASSERT_TRUE(m_->ListPlacements(Ctx(ConsultantToken()).get(), list, &listed).ok());
  ASSERT_EQ(listed.placements_size(), 1);
  EXPECT_EQ(listed.placements(0).name(), p.name());

  // The events: started, hours changed, ended (converted), started, ended;
  // the citizen only as the envelope's pseudonym.
  auto events = matching_->core().outbox().ReadAfter(0, 100);
  ASSERT_TRUE(events.ok());
  std::vector<std::string> types;
  const std::string citizen_id = c.name().substr(std::string("citizens/").size());
  for (const auto& e : *events) {
    if (e.type().find("Placement") == std::string::npos) continue;
    types.push_back(e.type().substr(e.type().rfind('.') + 1));
    EXPECT_FALSE(e.subject_pseudonym().empty());
    EXPECT_EQ(e.SerializeAsString().find(citizen_id), std::string::npos) << e.type();
  }
  EXPECT_EQ(types, (std::vector<std::string>{"PlacementStarted", "PlacementHoursChanged", "PlacementEnded",
                                             "PlacementStarted", "PlacementEnded"}));
}

TEST_P(PlacementTest, OnlyACitizenWithARunningCourseIsPlaced) {
  auto opening = MakeOpening(3);
  mv1::Placement out;
  // Registered but never enrolled.
  auto never = MakeCitizen(CprFor(1970, 1, 2, 3));
  auto s = Place(PlacementRequest(never, opening.name(), 0, 20), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
  EXPECT_EQ(PreconditionSubjects(s), std::vector<std::string>{never.name()});

  // A course that has ended.
  auto ended = CitizenWithEndedCourse();
  s = Place(PlacementRequest(ended, opening.name(), 0, 20), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();

  // Not in the registry at all.
  rv1::Citizen ghost;
  ghost.set_name("citizens/no-such-citizen");
  s = Place(PlacementRequest(ghost, opening.name(), 0, 20), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND) << s.error_message();

  // Enrolled, but the placement would start before the course.
  auto early = EnrolledCitizen(5, 3, anna_);
  s = Place(PlacementRequest(early, opening.name(), -10, 20), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(FirstBadField(s), "placement.start_date");
  EXPECT_EQ(PlacementCount(), 0);
}

TEST_P(PlacementTest, TheRegistryDecidesWhoseCitizenAConsultantMayPlace) {
  auto kim = MakeConsultant("kim").name();
  auto kims_citizen = EnrolledCitizen(2, 10, kim);
  mv1::Placement out;
  auto s = Place(PlacementRequest(kims_citizen, "", 0, 20), &out);  // as anna
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
  EXPECT_EQ(ErrorReason(s), "NOT_ON_CASELOAD");
  ASSERT_TRUE(Place(PlacementRequest(kims_citizen, "", 0, 20), &out, TeamLeadToken()).ok());
  EXPECT_EQ(out.kind(), mv1::OPENING_KIND_SMALL_JOB);
  EXPECT_TRUE(out.opening().empty());
}

TEST_P(PlacementTest, RegistryDownGivesUnavailableAndWritesNothing) {
  auto c = EnrolledCitizen(3, 10, anna_);
  auto opening = MakeOpening(2);
  auto first = PlacementRequest(c, opening.name(), 0, 20, "made-before");
  mv1::Placement made;
  ASSERT_TRUE(Place(first, &made).ok());
  stub_.reset();
  server_->Stop();
  mv1::Placement out;
  auto s = Place(PlacementRequest(c, opening.name(), 0, 20, "made-while-down"), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  EXPECT_NE(s.error_message().find("registry"), std::string::npos);
  EXPECT_EQ(PlacementCount(), 1);
  // A retry of a placement already made still answers with it.
  ASSERT_TRUE(Place(first, &out).ok());
  EXPECT_EQ(out.name(), made.name());
  // Candidates need the caseload, which is not to be had either.
  mv1::MatchCandidatesRequest match;
  match.set_opening(opening.name());
  mv1::MatchCandidatesResponse resp;
  EXPECT_EQ(m_->MatchCandidates(Ctx(ConsultantToken()).get(), match, &resp).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST_P(PlacementTest, TheRegistryAnswersOnlyTheMatchingCertificate) {
  // The same question from another client certificate is refused by the
  // registry's policy, which the matching service reports as UNAVAILABLE
  // (its configuration, not the caller, is wrong).
  auto impostor =
      std::make_unique<MatchingServer>(matching_url_, RegistryClientFor(server_->port(), "ipsctl"));
  auto c = EnrolledCitizen(4, 10, anna_);
  mv1::Placement out;
  auto s =
      impostor->Stub()->CreatePlacement(Ctx(ConsultantToken()).get(), PlacementRequest(c, "", 0, 20), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  rv1::GetEnrollmentStandingRequest direct;
  direct.set_name(c.name() + "/enrollmentStanding");
  rv1::EnrollmentStanding standing;
  EXPECT_EQ(stub_->GetEnrollmentStanding(Ctx(ConsultantToken()).get(), direct, &standing).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  auto as_matching = server_->Stub("matching");
  ASSERT_TRUE(as_matching->GetEnrollmentStanding(Ctx(ConsultantToken()).get(), direct, &standing).ok());
  EXPECT_TRUE(standing.active());
  EXPECT_EQ(standing.consultant(), anna_);
  // The minimal answer holds no CPR number or assessment.
  EXPECT_EQ(standing.SerializeAsString().find(CprFor(1975, 4, 14, 4)), std::string::npos);
}

TEST_P(PlacementTest, HoursConversionAndEndFollowTheRules) {
  auto c = EnrolledCitizen(6, 30, anna_);
  mv1::Placement p;
  ASSERT_TRUE(Place(PlacementRequest(c, "", -10, 10), &p).ok());  // small job
  auto hours = [&](int offset, int h, const std::string& etag = "") {
    mv1::ChangePlacementHoursRequest req;
    req.set_name(p.name());
    *req.mutable_change()->mutable_effective_date() = ToProtoDate(Today(offset));
    req.mutable_change()->set_hours_per_week(h);
    req.set_etag(etag);
    mv1::Placement out;
    return m_->ChangePlacementHours(Ctx(ConsultantToken()).get(), req, &out);
  };
  EXPECT_EQ(FirstBadField(hours(-10, 15)), "change.effective_date");  // not after the start
  EXPECT_EQ(FirstBadField(hours(-5, 49)), "change.hours_per_week");
  EXPECT_EQ(hours(-5, 15, "v99").error_code(), grpc::StatusCode::ABORTED);
  ASSERT_TRUE(hours(-5, 15).ok());
  EXPECT_EQ(FirstBadField(hours(-6, 20)), "change.effective_date");  // before the last change

  mv1::ConvertPlacementRequest convert;
  convert.set_name(p.name());
  convert.set_kind(mv1::OPENING_KIND_COMPANY_INTERNSHIP);  // down the chain
  *convert.mutable_start_date() = ToProtoDate(Today());
  convert.set_hours_per_week(20);
  mv1::Placement out;
  auto s = m_->ConvertPlacement(Ctx(ConsultantToken()).get(), convert, &out);
  EXPECT_EQ(FirstBadField(s), "kind");
  convert.set_kind(mv1::OPENING_KIND_ORDINARY_JOB);
  *convert.mutable_start_date() = ToProtoDate(Today(-5));  // not after the last change
  EXPECT_EQ(FirstBadField(m_->ConvertPlacement(Ctx(ConsultantToken()).get(), convert, &out)), "start_date");

  mv1::EndPlacementRequest end;
  end.set_name(p.name());
  *end.mutable_end_date() = ToProtoDate(Today(-7));  // before the last change
  end.set_end_reason(mv1::PLACEMENT_END_REASON_DROPPED_OUT);
  EXPECT_EQ(FirstBadField(m_->EndPlacement(Ctx(ConsultantToken()).get(), end, &out)), "end_date");
  *end.mutable_end_date() = ToProtoDate(Today());
  ASSERT_TRUE(m_->EndPlacement(Ctx(ConsultantToken()).get(), end, &out).ok());
  EXPECT_EQ(m_->EndPlacement(Ctx(ConsultantToken()).get(), end, &out).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(hours(1, 20).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(PlacementCount(), 1);
}

TEST_P(PlacementTest, CandidatesComeFromTheCallersCaseloadAndRespectAccommodations) {
  auto kim = MakeConsultant("kim").name();
  auto a1 = EnrolledCitizen(7, 10, anna_);
  auto a2 = EnrolledCitizen(8, 10, anna_);
  auto a3 = EnrolledCitizen(9, 10, anna_);  // no profile: not a candidate
  auto k1 = EnrolledCitizen(10, 10, kim);
  SetProfile(a1, {});
  SetProfile(a2, {mv1::ACCOMMODATION_NO_ALCOHOL_SERVING_WORKPLACE});
  SetProfile(k1, {});
  auto bar = MakeOpening(1, /*serves_alcohol=*/true);
  mv1::MatchCandidatesRequest req;
  req.set_opening(bar.name());
  mv1::MatchCandidatesResponse resp;
  ASSERT_TRUE(m_->MatchCandidates(Ctx(ConsultantToken()).get(), req, &resp).ok());
  ASSERT_EQ(resp.matches_size(), 1);  // a2 needs no alcohol; k1 is Kim's
  EXPECT_EQ(resp.matches(0).citizen(), a1.name());
  EXPECT_EQ(resp.matches(0).criteria_size(), 5);
  int sum = 0;
  for (const auto& c : resp.matches(0).criteria()) sum += c.points();
  EXPECT_EQ(sum, resp.matches(0).score());

  ASSERT_TRUE(m_->MatchCandidates(Ctx(TeamLeadToken()).get(), req, &resp).ok());
  std::set<std::string> names;
  for (const auto& m : resp.matches()) names.insert(m.citizen());
  EXPECT_EQ(names, (std::set<std::string>{a1.name(), k1.name()}));
  // Equal profiles score equally and come in citizen-id order.
  ASSERT_EQ(resp.matches_size(), 2);
  EXPECT_EQ(resp.matches(0).score(), resp.matches(1).score());
  EXPECT_LT(resp.matches(0).citizen(), resp.matches(1).citizen());
  (void)a3;
}

TEST_P(PlacementTest, TheFeedCarriesPseudonymsAndTheAuditNamesTheCaller) {
  auto c = EnrolledCitizen(11, 10, anna_);
  mv1::Placement p;
  ASSERT_TRUE(Place(PlacementRequest(c, "", 0, 20), &p).ok());
  mv1::EndPlacementRequest end;
  end.set_name(p.name());
  *end.mutable_end_date() = ToProtoDate(Today());
  end.set_end_reason(mv1::PLACEMENT_END_REASON_HEALTH);
  ASSERT_TRUE(m_->EndPlacement(Ctx(ConsultantToken()).get(), end, &p).ok());

  // StreamEvents over gRPC: both events, then a resume after the first.
  auto read = [&](long long after) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + EventReaderToken());
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
    common::v1::StreamEventsRequest req;
    req.set_after_sequence(after);
    auto reader = matching_->Stub("reporting")->StreamEvents(&ctx, req);
    std::vector<common::v1::Event> out;
    common::v1::Event e;
    while (reader->Read(&e)) out.push_back(e);
    return out;
  };
  auto all = read(0);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].type(), "ips.matching.v1.PlacementStarted");
  EXPECT_EQ(all[1].type(), "ips.matching.v1.PlacementEnded");
  EXPECT_EQ(all[0].subject_pseudonym(), all[1].subject_pseudonym());
  mv1::PlacementEnded ended;
  ASSERT_TRUE(all[1].payload().UnpackTo(&ended));
  EXPECT_EQ(ended.end_reason(), mv1::PLACEMENT_END_REASON_HEALTH);
  auto rest = read(all[0].sequence());
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].sequence(), all[1].sequence());

  // The DPO's audit trail: the placement, by whom, about which citizen.
  common::v1::ListAuditRecordsRequest audit;
  audit.set_filter("method = /ips.matching.v1.EmployerMatching/CreatePlacement");
  common::v1::ListAuditRecordsResponse records;
  ASSERT_TRUE(m_->ListAuditRecords(Ctx(DpoToken()).get(), audit, &records).ok());
  ASSERT_EQ(records.audit_records_size(), 1);
  EXPECT_EQ(records.audit_records(0).subject(), "consultant-anna");
  EXPECT_EQ(records.audit_records(0).resource(), p.name());
  EXPECT_EQ(m_->ListAuditRecords(Ctx(ConsultantToken()).get(), audit, &records).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // The registry's own audit records the question, asked by the consultant
  // through the matching service.
  audit.set_filter("method = /ips.registry.v1.CitizenRegistry/GetEnrollmentStanding");
  ASSERT_TRUE(stub_->ListAuditRecords(Ctx(DpoToken()).get(), audit, &records).ok());
  ASSERT_EQ(records.audit_records_size(), 1);
  EXPECT_EQ(records.audit_records(0).subject(), "consultant-anna");
  EXPECT_EQ(records.audit_records(0).service(), "matching");
}

// Erasure at matching: refused while a placement runs; then the job
// profile with its accommodations is deleted, the placements stay as the
// employer's record, nothing more is recorded about the citizen, no event;
// the sweep goes by the last placement's end.
TEST_P(PlacementTest, ErasureDeletesTheProfileOnceNoPlacementRuns) {
  auto c = EnrolledCitizen(1, 60, anna_);
  SetProfile(c, {mv1::ACCOMMODATION_NO_ALCOHOL_SERVING_WORKPLACE});
  auto opening = MakeOpening(2);
  mv1::Placement p;
  ASSERT_TRUE(Place(PlacementRequest(c, opening.name(), -30, 20), &p).ok());
  auto profile_only = EnrolledCitizen(2, 10, anna_);
  SetProfile(profile_only, {});
  const std::string id = c.name().substr(std::string("citizens/").size());

  common::v1::EraseSubjectDataRequest erase;
  erase.set_citizen(c.name());
  common::v1::SubjectErasure erasure;
  auto s = m_->EraseSubjectData(Ctx(DpoToken()).get(), erase, &erasure);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(PreconditionTypes(s), std::vector<std::string>{"ERASURE_PLACEMENT_RUNNING"});
  EXPECT_EQ(m_->EraseSubjectData(Ctx(ConsultantToken()).get(), erase, &erasure).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  mv1::EndPlacementRequest end;
  end.set_name(p.name());
  *end.mutable_end_date() = ToProtoDate(Today(-3));
  end.set_end_reason(mv1::PLACEMENT_END_REASON_DROPPED_OUT);
  mv1::Placement ended;
  ASSERT_TRUE(m_->EndPlacement(Ctx(ConsultantToken()).get(), end, &ended).ok());
  ServiceCore& core = matching_->core();
  const int events = QueryInt(core, "SELECT COUNT(*) FROM outbox");

  s = m_->EraseSubjectData(Ctx(DpoToken()).get(), erase, &erasure);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(erasure.row_count(), 1);
  EXPECT_EQ(QueryInt(core, "SELECT COUNT(*) FROM job_profiles WHERE citizen_id = :c", id), 0);
  EXPECT_EQ(QueryInt(core, "SELECT COUNT(*) FROM placements WHERE citizen_id = :c", id), 1);
  mv1::GetJobProfileRequest get;
  get.set_name(c.name() + "/jobProfile");
  mv1::JobProfile gone;
  ASSERT_TRUE(m_->GetJobProfile(Ctx(ConsultantToken()).get(), get, &gone).ok());
  EXPECT_EQ(gone.accommodations_size(), 0);
  mv1::UpdateJobProfileRequest update;
  update.mutable_job_profile()->set_name(c.name() + "/jobProfile");
  update.mutable_job_profile()->add_goal_titles("kitchen");
  update.mutable_update_mask()->add_paths("goal_titles");
  mv1::JobProfile stored;
  s = m_->UpdateJobProfile(Ctx(ConsultantToken()).get(), update, &stored);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(PreconditionTypes(s), std::vector<std::string>{"CITIZEN_ERASED"});
  EXPECT_EQ(QueryInt(core, "SELECT COUNT(*) FROM job_profiles WHERE citizen_id = :c", id), 0);
  EXPECT_EQ(QueryInt(core, "SELECT COUNT(*) FROM outbox"), events);

  // The sweep: the profile without placements counts from its last change.
  RetentionSweeper sweeper(core, "ips.matching.v1.EmployerMatching", matching::MatchingSubjectData().erasure,
                           30);
  auto erased = sweeper.SweepOnce(Today(29));
  ASSERT_TRUE(erased.ok()) << erased.status().message();
  EXPECT_EQ(*erased, 0);
  erased = sweeper.SweepOnce(Today(30));
  ASSERT_TRUE(erased.ok());
  EXPECT_EQ(*erased, 1);
  EXPECT_EQ(QueryInt(core, "SELECT COUNT(*) FROM job_profiles"), 0);
  EXPECT_EQ(QueryInt(core, "SELECT COUNT(*) FROM audit_log WHERE subject = 'retention-sweep'"), 1);
}

IPS_ON_BOTH_DATABASES(PlacementTest);

}  // namespace
}  // namespace ips::testing
