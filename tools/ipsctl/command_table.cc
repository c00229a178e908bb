#include "tools/ipsctl/command_table.h"

namespace ipsctl {

const std::vector<Command>& Commands() {
  static const std::string kRegistry = "ips.registry.v1.CitizenRegistry";
  static const std::string kTreatment = "ips.treatment.v1.TreatmentCoordination";
  static const std::string kMatching = "ips.matching.v1.EmployerMatching";
  static const std::string kReporting = "ips.reporting.v1.Reporting";
  static const std::vector<Command> commands = {
      {"citizen", "create", kRegistry, "CreateCitizen", "Register a citizen", "",
       "cpr=citizen.cpr given-name=citizen.given_name family-name=citizen.family_name "
       "district=citizen.district housing=citizen.housing phone=citizen.phone_number request-id=request_id",
       "", "", ""},
      {"citizen", "get", kRegistry, "GetCitizen", "Show a citizen (citizens/ID)", "name", "", "", "", ""},
      {"citizen", "list", kRegistry, "ListCitizens", "List citizens", "",
       "filter=filter page-size=page_size page-token=page_token", "", "citizens",
       "name,given_name,family_name,district,active_enrollment"},
      {"citizen", "update", kRegistry, "UpdateCitizen", "Change a citizen's data", "citizen.name",
       "given-name=citizen.given_name family-name=citizen.family_name district=citizen.district "
       "housing=citizen.housing phone=citizen.phone_number etag=citizen.etag",
       "citizen", "", ""},
      {"citizen", "lookup", kRegistry, "LookupCitizen", "Find a citizen by CPR number (audited)", "cpr", "",
       "", "", ""},
      {"consultant", "create", kRegistry, "CreateConsultant", "Register an IPS consultant", "",
       "display-name=consultant.display_name subject=consultant.subject unit=consultant.unit "
       "cap=consultant.caseload_cap request-id=request_id",
       "", "", ""},
      {"consultant", "get", kRegistry, "GetConsultant", "Show a consultant with caseload", "name", "", "", "",
       ""},
      {"consultant", "list", kRegistry, "ListConsultants", "List consultants with caseloads", "",
       "filter=filter page-size=page_size page-token=page_token", "", "consultants",
       "name,display_name,unit,state,caseload,effective_caseload_cap"},
      {"consultant", "update", kRegistry, "UpdateConsultant", "Change a consultant", "consultant.name",
       "display-name=consultant.display_name subject=consultant.subject unit=consultant.unit "
       "state=consultant.state cap=consultant.caseload_cap etag=consultant.etag",
       "consultant", "", ""},
      {"rules", "list", kRegistry, "ListRuleVersions",
       "The rules versions courses are judged by, and changes not yet known", "", "", "", "versions",
       "id,effective_from,source"},
      {"eligibility", "check", kRegistry, "CheckEligibility", "Evaluate the entry rules without enrolling",
       "citizen",
       "start-date=start_date activity-ready=assessment.activity_ready benefit=assessment.benefit_type "
       "substance-use=assessment.substance_use_problem unemployment-months=assessment.unemployment_months "
       "in-treatment=assessment.in_substance_treatment",
       "", "", ""},
      {"enrollment", "create", kRegistry, "EnrollCitizen",
       "Enrol a citizen (checks eligibility and caseload)", "citizen",
       "start-date=enrollment.start_date consultant=enrollment.consultant "
       "activity-ready=enrollment.assessment.activity_ready benefit=enrollment.assessment.benefit_type "
       "substance-use=enrollment.assessment.substance_use_problem "
       "unemployment-months=enrollment.assessment.unemployment_months "
       "in-treatment=enrollment.assessment.in_substance_treatment override-reason=override_reason "
       "request-id=request_id",
       "", "", ""},
      {"enrollment", "get", kRegistry, "GetEnrollment", "Show an enrolment with its conversation plan",
       "name", "", "", "", ""},
      {"enrollment", "list", kRegistry, "ListEnrollments", "List enrolments (parent citizens/- for all)",
       "parent", "filter=filter page-size=page_size page-token=page_token", "", "enrollments",
       "name,consultant,state,start_date,end_date,outcome"},
      {"enrollment", "standing", kRegistry, "GetEnrollmentStanding",
       "Whether a citizen has a running course (citizens/ID/enrollmentStanding; the matching service's "
       "certificate only)",
       "name", "", "", "", ""},
      {"caseload", "list", kRegistry, "ListCaseload",
       "Running courses on your caseload (the matching service's certificate only)", "",
       "page-size=page_size page-token=page_token", "", "standings",
       "citizen,enrollment,start_date,consultant"},
      {"enrollment", "assign", kRegistry, "AssignConsultant", "Move an enrolment to another consultant",
       "name", "consultant=consultant etag=etag", "", "", ""},
      {"enrollment", "end", kRegistry, "EndEnrollment", "End a course with its outcome", "name",
       "end-date=end_date outcome=outcome reason=end_reason lost-contact=lost_contact etag=etag", "", "", ""},
      {"conversation", "create", kRegistry, "CreateJobConversation", "Record a job conversation", "parent",
       "status=job_conversation.status date=job_conversation.date place=job_conversation.place "
       "request-id=request_id",
       "", "", ""},
      {"conversation", "list", kRegistry, "ListJobConversations", "List an enrolment's job conversations",
       "parent", "page-size=page_size page-token=page_token", "", "job_conversations",
       "name,status,date,place"},
      {"activity", "create", kRegistry, "CreateActivity", "Record an activity or social effort", "parent",
       "kind=activity.kind description=activity.description start-date=activity.start_date "
       "place=activity.place "
       "end-date=activity.end_date request-id=request_id",
       "", "", ""},
      {"activity", "list", kRegistry, "ListActivities", "List an enrolment's activities", "parent",
       "page-size=page_size page-token=page_token", "", "activities",
       "name,kind,start_date,end_date,description"},
      {"activity", "update", kRegistry, "UpdateActivity", "Change an activity's description or end date",
       "activity.name", "description=activity.description end-date=activity.end_date etag=activity.etag",
       "activity", "", ""},
      {"consent", "create", kRegistry, "CreateConsent", "Record a consent to share with SOF", "parent",
       "scope=consent.scope given-date=consent.given_date expiry-date=consent.expiry_date "
       "request-id=request_id",
       "", "", ""},
      {"consent", "list", kRegistry, "ListConsents", "List a citizen's consents", "parent",
       "page-size=page_size page-token=page_token", "", "consents",
       "name,scope,state,given_date,expiry_date,withdrawn_date"},
      {"consent", "withdraw", kRegistry, "WithdrawConsent", "Record that a consent was withdrawn", "name",
       "date=withdrawn_date etag=etag", "", "", ""},
      {"audit", "list", kRegistry, "ListAuditRecords", "List audit records (role dpo)", "",
       "filter=filter page-size=page_size page-token=page_token", "", "audit_records",
       "sequence,create_time,subject,method,resource,outcome"},
      // SOF's treatment service (point --addr at it).
      {"unit", "create", kTreatment, "CreateTreatmentUnit", "Register a treatment unit", "",
       "display-name=unit.display_name address=unit.address request-id=request_id", "", "", ""},
      {"unit", "get", kTreatment, "GetTreatmentUnit", "Show a treatment unit (units/ID)", "name", "", "", "",
       ""},
      {"unit", "list", kTreatment, "ListTreatmentUnits", "List treatment units", "",
       "page-size=page_size page-token=page_token", "", "units", "name,display_name,address,active"},
      {"unit", "update", kTreatment, "UpdateTreatmentUnit", "Change a unit (or close it with --active=false)",
       "unit.name", "display-name=unit.display_name address=unit.address active=unit.active etag=unit.etag",
       "unit", "", ""},
      {"outreach", "create", kTreatment, "CreateOutreachContact", "Record an outreach contact", "parent",
       "date=contact.contact_date place=contact.place result=contact.result request-id=request_id", "", "",
       ""},
      {"outreach", "list", kTreatment, "ListOutreachContacts", "List a citizen's outreach contacts", "parent",
       "page-size=page_size page-token=page_token", "", "contacts", "name,contact_date,place,result"},
      {"referral", "create", kTreatment, "CreateReferral", "Refer a citizen to treatment", "parent",
       "by=referral.referred_by request-date=referral.request_date substances=referral.substances "
       "unit=referral.unit request-id=request_id",
       "", "", ""},
      {"referral", "get", kTreatment, "GetReferral", "Show a referral with its 14-day guarantee", "name", "",
       "", "", ""},
      {"referral", "list", kTreatment, "ListReferrals",
       "List referrals (parent citizens/- for all; --filter='at_risk = true')", "parent",
       "filter=filter page-size=page_size page-token=page_token", "", "referrals",
       "name,request_date,unit,offered_date,guarantee.deadline,guarantee.state"},
      {"referral", "offer", kTreatment, "RecordTreatmentOffer", "Record that treatment was offered", "name",
       "date=offered_date unit=unit etag=etag", "", "", ""},
      {"episode", "start", kTreatment, "CreateTreatmentEpisode", "Start a treatment episode", "parent",
       "unit=episode.unit modality=episode.modality start-date=episode.start_date "
       "referral=episode.referral diagnosis=episode.diagnosis_code request-id=request_id",
       "", "", ""},
      {"episode", "list", kTreatment, "ListTreatmentEpisodes", "List a citizen's treatment episodes",
       "parent", "page-size=page_size page-token=page_token", "", "episodes",
       "name,unit,modality,start_date,end_date,end_reason"},
      {"episode", "end", kTreatment, "EndTreatmentEpisode", "End a treatment episode", "name",
       "end-date=end_date reason=end_reason etag=etag", "", "", ""},
      {"note", "create", kTreatment, "CreateCoordinationNote", "Write a coordination note", "parent",
       "date=note.note_date text=note.text request-id=request_id", "", "", ""},
      {"note", "list", kTreatment, "ListCoordinationNotes", "List a citizen's coordination notes", "parent",
       "page-size=page_size page-token=page_token", "", "notes", "name,note_date,author_agency,author,text"},
      {"sof-consent", "create", kTreatment, "CreateConsent", "Record a consent to share with BIF", "parent",
       "scope=consent.scope given-date=consent.given_date expiry-date=consent.expiry_date "
       "request-id=request_id",
       "", "", ""},
      {"sof-consent", "list", kTreatment, "ListConsents", "List a citizen's consents to share with BIF",
       "parent", "page-size=page_size page-token=page_token", "", "consents",
       "name,scope,state,given_date,expiry_date,withdrawn_date"},
      {"sof-consent", "withdraw", kTreatment, "WithdrawConsent", "Record that a consent was withdrawn",
       "name", "date=withdrawn_date etag=etag", "", "", ""},
      {"treatment-status", "get", kTreatment, "GetTreatmentStatus",
       "A citizen's minimal treatment status (citizens/ID/treatmentStatus)", "name", "as-of=as_of", "", "",
       ""},
      {"sof-audit", "list", kTreatment, "ListAuditRecords", "List the treatment service's audit (SOF dpo)",
       "", "filter=filter page-size=page_size page-token=page_token", "", "audit_records",
       "sequence,create_time,subject,agency,method,resource,outcome"},
      // The matching service (BIF).
      {"employer", "create", kMatching, "CreateEmployer", "Register an employer by CVR number", "",
       "cvr=employer.cvr display-name=employer.display_name address=employer.address "
       "municipality=employer.municipality industry=employer.industry "
       "contact-name=employer.contact_persons.display_name contact-role=employer.contact_persons.role "
       "contact-phone=employer.contact_persons.phone_number contact-email=employer.contact_persons.email "
       "request-id=request_id",
       "", "", ""},
      {"employer", "get", kMatching, "GetEmployer", "Show an employer (employers/ID)", "name", "", "", "",
       ""},
      {"employer", "list", kMatching, "ListEmployers", "List employers", "",
       "filter=filter page-size=page_size page-token=page_token", "", "employers",
       "name,cvr,display_name,industry,hires_from_programme"},
      {"employer", "update", kMatching, "UpdateEmployer", "Change an employer's data", "employer.name",
       "display-name=employer.display_name address=employer.address municipality=employer.municipality "
       "industry=employer.industry etag=employer.etag",
       "employer", "", ""},
      {"employer-contact", "create", kMatching, "CreateEmployerContact",
       "Record a consultant's contact with an employer", "parent",
       "consultant=contact.consultant citizen=contact.citizen channel=contact.channel "
       "date=contact.contact_date purpose=contact.purpose outcome=contact.outcome request-id=request_id",
       "", "", ""},
      {"employer-contact", "list", kMatching, "ListEmployerContacts",
       "List employer contacts (parent employers/- for all)", "parent",
       "filter=filter page-size=page_size page-token=page_token", "", "contacts",
       "name,consultant,citizen,contact_date,channel,purpose,outcome"},
      {"opening", "create", kMatching, "CreateOpening", "Register an opening at an employer", "parent",
       "kind=opening.kind title=opening.title industry=opening.industry min-hours=opening.min_hours "
       "max-hours=opening.max_hours demand=opening.physical_demand shift=opening.shift_pattern "
       "lat=opening.location.latitude lng=opening.location.longitude "
       "driving-licence=opening.requires_driving_licence danish=opening.requires_danish "
       "serves-alcohol=opening.serves_alcohol customer-facing=opening.customer_facing "
       "gradual-start=opening.gradual_start_possible slots=opening.slots start-date=opening.start_date "
       "request-id=request_id",
       "", "", ""},
      {"opening", "get", kMatching, "GetOpening", "Show an opening", "name", "", "", "", ""},
      {"opening", "list", kMatching, "ListOpenings", "List openings (parent employers/- for all)", "parent",
       "filter=filter page-size=page_size page-token=page_token", "", "openings",
       "name,kind,title,industry,min_hours,max_hours,slots,state"},
      {"opening", "update", kMatching, "UpdateOpening", "Change an opening (or close it with --state=CLOSED)",
       "opening.name",
       "title=opening.title industry=opening.industry min-hours=opening.min_hours "
       "max-hours=opening.max_hours demand=opening.physical_demand shift=opening.shift_pattern "
       "serves-alcohol=opening.serves_alcohol customer-facing=opening.customer_facing slots=opening.slots "
       "state=opening.state etag=opening.etag",
       "opening", "", ""},
      {"job-profile", "get", kMatching, "GetJobProfile",
       "Show a citizen's job profile (citizens/ID/jobProfile)", "name", "", "", "", ""},
      {"job-profile", "update", kMatching, "UpdateJobProfile",
       "Record a citizen's job goals and work accommodations", "job_profile.name",
       "goal-industries=job_profile.goal_industries goal-titles=job_profile.goal_titles "
       "preferred-hours=job_profile.preferred_hours max-hours=job_profile.max_hours "
       "accommodations=job_profile.accommodations driving-licence=job_profile.driving_licence "
       "speaks-danish=job_profile.speaks_danish home-lat=job_profile.home.latitude "
       "home-lng=job_profile.home.longitude max-travel-km=job_profile.max_travel_km "
       "network-employers=job_profile.network_employers etag=job_profile.etag",
       "job_profile", "", ""},
      {"match", "openings", kMatching, "MatchOpenings", "Rank the open openings for a citizen, with reasons",
       "citizen", "page-size=page_size", "", "matches", "opening.name,opening.title,score"},
      {"match", "candidates", kMatching, "MatchCandidates",
       "Rank the citizens of your caseload for an opening, with reasons", "opening", "page-size=page_size",
       "", "matches", "citizen,score"},
      {"placement", "create", kMatching, "CreatePlacement",
       "Place a citizen (the registry must confirm a running course)", "parent",
       "opening=placement.opening employer=placement.employer kind=placement.kind "
       "start-date=placement.start_date hours=placement.hours.hours_per_week request-id=request_id",
       "", "", ""},
      {"placement", "get", kMatching, "GetPlacement", "Show a placement with its hours history", "name", "",
       "", "", ""},
      {"placement", "list", kMatching, "ListPlacements", "List placements (parent citizens/- for all)",
       "parent", "filter=filter page-size=page_size page-token=page_token", "", "placements",
       "name,employer,kind,start_date,state,end_date,end_reason,days_from_enrollment"},
      {"placement", "change-hours", kMatching, "ChangePlacementHours",
       "Change a placement's weekly hours from a day on", "name",
       "from=change.effective_date hours=change.hours_per_week etag=etag", "", "", ""},
      {"placement", "convert", kMatching, "ConvertPlacement",
       "Continue a placement as the next kind (internship to wage subsidy to job)", "name",
       "kind=kind start-date=start_date hours=hours_per_week etag=etag request-id=request_id", "", "", ""},
      {"placement", "end", kMatching, "EndPlacement", "End a placement with its reason", "name",
       "end-date=end_date reason=end_reason etag=etag", "", "", ""},
      // The reporting service (joint).
      {"report", "get", kReporting, "GetProgrammeReport",
       "The programme's figures against the targets (--as-of, --period-start)", "",
       "as-of=as_of period-start=period_start", "", "", ""},
      {"report", "export", kReporting, "ExportProgrammeReport",
       "The report as a file (--format=csv|html; --out=FILE, else stdout)", "",
       "format=format as-of=as_of period-start=period_start", "", "", ""},
      {"report", "fidelity", kReporting, "GetFidelityReview",
       "The programme on the IPS fidelity scale, per item and consultant (--period-start, --period-end; "
       "--reviewer-scores=ITEM=SCORE,... for the items the reviewers rate)",
       "", "period-start=period_start period-end=period_end reviewer-scores=reviewer_scores", "", "", ""},
      {"report", "fidelity-export", kReporting, "ExportFidelityReview",
       "The fidelity review as a file (--format=csv|html; --out=FILE, else stdout)", "",
       "format=format period-start=period_start period-end=period_end reviewer-scores=reviewer_scores", "",
       "", ""},
      {"feeds", "status", kReporting, "GetFeedStatus", "How far reporting has read each service's events", "",
       "", "", "feeds", "source,applied_sequence,connected"},
      {"reporting-audit", "list", kReporting, "ListAuditRecords", "List the reporting service's audit (dpo)",
       "", "filter=filter page-size=page_size page-token=page_token", "", "audit_records",
       "sequence,create_time,subject,agency,method,resource,outcome"},
      {"matching-audit", "list", kMatching, "ListAuditRecords", "List the matching service's audit (dpo)", "",
       "filter=filter page-size=page_size page-token=page_token", "", "audit_records",
       "sequence,create_time,subject,agency,method,resource,outcome"},
      // One service's part of a subject access export (role dpo); `ipsctl
      // subject-access` gathers all four.
      {"subject-data", "registry", kRegistry, "ExportSubjectData", "What the registry holds about a citizen",
       "citizen", "", "", "", ""},
      {"subject-data", "treatment", kTreatment, "ExportSubjectData",
       "What the treatment service holds about a citizen", "citizen", "", "", "", ""},
      {"subject-data", "matching", kMatching, "ExportSubjectData", "What matching holds about a citizen",
       "citizen", "", "", "", ""},
      {"subject-data", "reporting", kReporting, "ExportSubjectData",
       "What reporting holds about a pseudonym (from the registry's part)", "pseudonym", "", "", "", ""},
      // One service's erasure of a citizen's data (role dpo); `ipsctl
      // subject-access erase` checks and erases at all three.
      {"subject-erasure", "registry", kRegistry, "EraseSubjectData", "Erase a citizen's data at the registry",
       "citizen", "validate-only=validate_only", "", "", ""},
      {"subject-erasure", "treatment", kTreatment, "EraseSubjectData",
       "Erase a citizen's data at the treatment service", "citizen", "validate-only=validate_only", "", "",
       ""},
      {"subject-erasure", "matching", kMatching, "EraseSubjectData", "Erase a citizen's data at matching",
       "citizen", "validate-only=validate_only", "", "", ""},
  };
  return commands;
}

}  // namespace ipsctl
