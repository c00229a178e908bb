#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace ips {

// Structured logs: one JSON object per line on stderr, via spdlog. Callers
// pass an event name and fields; never pass personal data (names, CPR
// numbers, citizen ids, free text written by staff).
void InitLogging(const std::string& service, const std::string& level);

void LogInfo(std::string_view event, nlohmann::json fields = nlohmann::json::object());
void LogWarn(std::string_view event, nlohmann::json fields = nlohmann::json::object());
void LogError(std::string_view event, nlohmann::json fields = nlohmann::json::object());

}  // namespace ips
