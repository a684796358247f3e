#pragma once
// Runs the anjian binary as a child process, for tests of the command line and of crashes.
#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace anjian::test {

struct RunResult {
  int exit_code = -1;
  std::string out, err;
};

// Runs to completion (killed after `timeout`).
RunResult run(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {},
              std::chrono::seconds timeout = std::chrono::seconds(60));

// A free loopback port: bound to port 0 and let go, for a server a test starts a moment later
// (loopback only, tests only).
unsigned short free_port();

// A child that keeps running: started, waited for a line on stdout, signalled.
class Child {
 public:
  Child(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {});
  ~Child();  // SIGKILL if still running
  // Reads stdout until a line containing `needle`; returns that line ("" on timeout or exit).
  std::string wait_for_line(const std::string& needle, std::chrono::seconds timeout = std::chrono::seconds(30));
  void signal(int sig);
  // Waits for exit; returns the exit code (128 + signal when killed), or -1 on timeout.
  int wait(std::chrono::seconds timeout = std::chrono::seconds(20));
  // Everything read from stdout so far.
  const std::string& output() const { return output_; }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string buffer_, output_;
  bool exited_ = false;
};

// The port in "anjian listening on http://127.0.0.1:PORT".
unsigned short port_of(const std::string& ready_line);

}  // namespace anjian::test
