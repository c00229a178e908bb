#include "tools/ipsctl/command_table.h"

namespace ipsctl {

const std::vector<Command>& Commands() {
  static const std::string kRegistry = "ips.registry.v1.CitizenRegistry";
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
      {"enrollment", "assign", kRegistry, "AssignConsultant", "Move an enrolment to another consultant",
       "name", "consultant=consultant etag=etag", "", "", ""},
      {"enrollment", "end", kRegistry, "EndEnrollment", "End a course with its outcome", "name",
       "end-date=end_date outcome=outcome reason=end_reason etag=etag", "", "", ""},
      {"conversation", "create", kRegistry, "CreateJobConversation", "Record a job conversation", "parent",
       "status=job_conversation.status date=job_conversation.date place=job_conversation.place "
       "request-id=request_id",
       "", "", ""},
      {"conversation", "list", kRegistry, "ListJobConversations", "List an enrolment's job conversations",
       "parent", "page-size=page_size page-token=page_token", "", "job_conversations",
       "name,status,date,place"},
      {"activity", "create", kRegistry, "CreateActivity", "Record an activity or social effort", "parent",
       "kind=activity.kind description=activity.description start-date=activity.start_date "
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
  };
  return commands;
}

}  // namespace ipsctl
