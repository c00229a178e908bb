#include "services/common/json_log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace ips {
namespace {

std::string& ServiceName() {
  static std::string name = "ips";
  return name;
}

void Log(spdlog::level::level_enum level, std::string_view event, nlohmann::json fields) {
  auto logger = spdlog::get("ips");
  if (!logger || !logger->should_log(level)) return;
  if (!fields.is_object()) fields = nlohmann::json::object();
  fields["event"] = event;
  fields["service"] = ServiceName();
  // Replace rather than throw on invalid UTF-8: a log line must never fail.
  logger->log(level, "{}", fields.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace

void InitLogging(const std::string& service, const std::string& level) {
  ServiceName() = service;
  auto logger = spdlog::get("ips");
  if (!logger) logger = spdlog::stderr_logger_mt("ips");
  // The message is already a JSON object; splice time and level into it.
  logger->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","log":%v})",
                      spdlog::pattern_time_type::utc);
  logger->set_level(spdlog::level::from_str(level));
}

void LogInfo(std::string_view event, nlohmann::json fields) {
  Log(spdlog::level::info, event, std::move(fields));
}
void LogWarn(std::string_view event, nlohmann::json fields) {
  Log(spdlog::level::warn, event, std::move(fields));
}
void LogError(std::string_view event, nlohmann::json fields) {
  Log(spdlog::level::err, event, std::move(fields));
}

}  // namespace ips
