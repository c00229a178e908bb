#pragma once

#include <set>
#include <string>
#include <vector>

namespace ips::matching {

// The plain facts the matching rules decide on. Strings that are compared
// (industries, title words) are lowercase; the service normalises them
// when it loads the rows.

enum class OpeningKind {
  kOrdinaryJob,
  kPartTimeJob,
  kFlexJob,
  kWageSubsidyJob,
  kCompanyInternship,
  kSmallJob,
  kEducation,
};

enum class PhysicalDemand { kLight, kModerate, kHeavy };
enum class ShiftPattern { kDay, kEvening, kNight, kRotating };

// A point in WGS84 degrees.
struct GeoPoint {
  double lat = 0;
  double lon = 0;
};

// What the programme knows of an employer: how many citizens from the
// programme it has hired before.
struct EmployerRecord {
  int hires_from_programme = 0;
};

struct Opening {
  std::string id;
  std::string employer_id;
  OpeningKind kind = OpeningKind::kOrdinaryJob;
  std::string industry;  // e.g. "cleaning", "warehouse", "food service"
  std::string title;     // e.g. "kitchen assistant"
  int min_hours = 0;     // per week
  int max_hours = 0;
  PhysicalDemand demand = PhysicalDemand::kLight;
  ShiftPattern shift = ShiftPattern::kDay;
  GeoPoint location;
  bool requires_driving_licence = false;
  bool requires_danish = false;
  bool serves_alcohol = false;
  bool customer_facing = false;
  bool gradual_start_possible = false;
  // The employer's record, joined in when openings are loaded.
  EmployerRecord employer;
};

// Work accommodations a citizen needs. Each is a hard constraint: a match
// never violates one.
enum class Accommodation {
  kNoHeavyLifting,  // excludes physically heavy work
  kDayShiftsOnly,   // excludes evening, night and rotating shifts
  kNoAlcoholServingWorkplace,
  kGradualStart,            // the workplace must allow starting with few hours
  kLimitedCustomerContact,  // excludes customer-facing work
};

struct JobProfile {
  std::string citizen_id;
  std::vector<std::string> goal_industries;
  std::vector<std::string> goal_titles;  // words or phrases matched within titles
  int preferred_hours = 0;               // per week; 0 = no preference
  int max_hours = 0;                     // 0 = no limit
  std::set<Accommodation> accommodations;
  bool driving_licence = false;
  bool speaks_danish = true;
  GeoPoint home;
  double max_travel_km = 0;  // 0 = travel does not matter
  std::set<std::string> network_employer_ids;
};

}  // namespace ips::matching
