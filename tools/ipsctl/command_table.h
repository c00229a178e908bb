#pragma once

#include <string>
#include <vector>

namespace ipsctl {

// One ipsctl command: `ipsctl GROUP VERB [POSITIONAL] [--flag=value ...]`
// calling one RPC. Flags map to request fields by dot path; update
// commands derive the update mask from the flags given.
struct Command {
  std::string group;
  std::string verb;
  std::string service;  // full gRPC service name
  std::string method;   // RPC name
  std::string help;
  std::string positional;  // request field the first argument fills, or ""
  // "flag=field.path" pairs separated by spaces.
  std::string flags;
  // For updates: the request's resource field ("citizen"); the mask is the
  // set of flags given under it.
  std::string mask_of;
  // For lists: the repeated response field and the columns to show.
  std::string list_field;
  std::string columns;
};

const std::vector<Command>& Commands();

}  // namespace ipsctl
