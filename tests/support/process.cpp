#include "support/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>
#include <thread>

namespace anjian::test {
namespace {
pid_t spawn(const std::vector<std::string>& args, const std::map<std::string, std::string>& env, int out_fd, int err_fd) {
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

void read_all(int fd, std::string& into) {
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) into.append(buf, static_cast<size_t>(n));
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}
}  // namespace

RunResult run(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
              std::chrono::seconds timeout) {
  int out[2], err[2];
  if (pipe(out) != 0 || pipe(err) != 0) throw std::runtime_error("pipe failed");
  pid_t pid = spawn(args, env, out[1], err[1]);
  close(out[1]);
  close(err[1]);
  RunResult r;
  std::thread t([&] { read_all(err[0], r.err); });
  read_all(out[0], r.out);
  t.join();
  close(out[0]);
  close(err[0]);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  r.exit_code = decode_status(status);
  return r;
}

Child::Child(const std::vector<std::string>& args, const std::map<std::string, std::string>& env) {
  int out[2];
  if (pipe(out) != 0) throw std::runtime_error("pipe failed");
  int devnull = open("/dev/null", O_WRONLY);
  pid_ = spawn(args, env, out[1], devnull);
  close(out[1]);
  close(devnull);
  out_fd_ = out[0];
}

Child::~Child() {
  if (!exited_ && pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  if (out_fd_ >= 0) close(out_fd_);
}

std::string Child::wait_for_line(const std::string& needle, std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    for (size_t nl; (nl = buffer_.find('\n')) != std::string::npos;) {
      std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      if (line.find(needle) != std::string::npos) return line;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return "";
    pollfd p{out_fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) return "";
    char buf[4096];
    ssize_t n = read(out_fd_, buf, sizeof buf);
    if (n <= 0) return "";
    buffer_.append(buf, static_cast<size_t>(n));
    output_.append(buf, static_cast<size_t>(n));
  }
}

void Child::signal(int sig) { kill(pid_, sig); }

int Child::wait(std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  exited_ = true;
  return decode_status(status);
}

unsigned short port_of(const std::string& line) {
  auto colon = line.rfind(':');
  return colon == std::string::npos ? 0 : static_cast<unsigned short>(std::stoi(line.substr(colon + 1)));
}

unsigned short free_port() {
  auto r = run({"/usr/bin/python3", "-c", "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"});
  return static_cast<unsigned short>(std::stoi(r.out));
}

}  // namespace anjian::test
