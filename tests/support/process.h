#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace ips::testing {

// A child process (a service binary started the way operators start it),
// killed on destruction if still running.
class Process {
 public:
  // Starts argv[0] with the arguments; stdout and stderr go to `log_path`.
  Process(const std::vector<std::string>& argv, const std::string& log_path);
  ~Process();

  pid_t pid() const { return pid_; }
  void Signal(int sig);
  // Exit code when it exits within `timeout` (128+signal when killed).
  std::optional<int> Wait(absl::Duration timeout);

 private:
  pid_t pid_ = -1;
  bool exited_ = false;
};

// Waits until `path` exists and holds a port number; 0 on timeout.
int WaitForPortFile(const std::string& path, absl::Duration timeout);

// Command-line flags that start a service binary on loopback with the test
// PKI, tokens and pseudonym key, writing its port to `port_file`.
std::vector<std::string> ServiceArgs(const std::string& binary, const std::string& db_url,
                                     const std::string& port_file);

// A free loopback port (bound, then released).
int FreePort();

// GET http://127.0.0.1:port/path: the whole response, "" when refused.
std::string HttpGet(int port, const std::string& path);

}  // namespace ips::testing
