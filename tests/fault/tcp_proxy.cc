#include "tests/fault/tcp_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace socio::fault {
namespace {

// Closes `fd` with a reset instead of an orderly FIN.
void Reset(int fd) {
  struct linger hard = {.l_onoff = 1, .l_linger = 0};
  (void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof(hard));  // a plain close is fine too
  close(fd);
}

// Copies what `from` has to `to`; false on end of stream or error.
bool Forward(int from, int to) {
  char buffer[64 * 1024];
  const ssize_t n = read(from, buffer, sizeof(buffer));
  if (n <= 0) return false;
  for (ssize_t sent = 0; sent < n;) {
    const ssize_t w = write(to, buffer + sent, static_cast<size_t>(n - sent));
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    sent += w;
  }
  return true;
}

}  // namespace

TcpProxy::~TcpProxy() {
  stopping_ = true;
  if (wake_[1] >= 0) (void)write(wake_[1], "x", 1);
  if (thread_.joinable()) thread_.join();
  absl::MutexLock lock(&mu_);
  for (const auto& [client, server] : pairs_) {
    Reset(client);
    Reset(server);
  }
  for (int fd : {listen_fd_, wake_[0], wake_[1]}) {
    if (fd >= 0) close(fd);
  }
}

absl::Status TcpProxy::Start() {
  listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (listen_fd_ < 0 ||
      bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      listen(listen_fd_, 16) != 0 ||
      getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0 ||
      pipe(wake_) != 0) {
    return absl::InternalError(absl::StrCat("proxy socket: ", std::strerror(errno)));
  }
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { Relay(); });
  return absl::OkStatus();
}

std::string TcpProxy::address() const { return absl::StrCat("127.0.0.1:", port_); }

void TcpProxy::CutAll() {
  // The relay thread owns the descriptors; it resets them between polls.
  absl::MutexLock lock(&mu_);
  cut_requested_ = true;
  (void)write(wake_[1], "x", 1);
  mu_.Await(absl::Condition(
      +[](bool* requested) { return !*requested; }, &cut_requested_));
}

void TcpProxy::Accept() {
  const int client = accept(listen_fd_, nullptr, nullptr);
  if (client < 0) return;
  const int server = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(target_port_));
  if (server < 0 || connect(server, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    Reset(client);
    if (server >= 0) close(server);
    return;
  }
  const int one = 1;
  (void)setsockopt(server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));  // latency only
  (void)setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  ++accepted_;
  absl::MutexLock lock(&mu_);
  pairs_.emplace_back(client, server);
}

void TcpProxy::Relay() {
  while (!stopping_) {
    std::vector<pollfd> fds = {{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    std::vector<std::pair<int, int>> pairs;
    {
      absl::MutexLock lock(&mu_);
      pairs = pairs_;
    }
    for (const auto& [client, server] : pairs) {
      fds.push_back({client, POLLIN, 0});
      fds.push_back({server, POLLIN, 0});
    }
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents != 0) {
      char drain[64];
      (void)read(wake_[0], drain, sizeof(drain));
      absl::MutexLock lock(&mu_);
      if (cut_requested_) {
        for (const auto& [client, server] : pairs_) {
          Reset(client);
          Reset(server);
        }
        pairs_.clear();
        cut_requested_ = false;
        continue;
      }
    }
    if (fds[0].revents & POLLIN) Accept();
    std::vector<std::pair<int, int>> ended;
    for (size_t i = 0; i < pairs.size(); ++i) {
      const auto [client, server] = pairs[i];
      const pollfd& c = fds[2 + 2 * i];
      const pollfd& s = fds[3 + 2 * i];
      const bool ok = (c.revents == 0 || Forward(client, server)) &&
                      (s.revents == 0 || Forward(server, client));
      if (!ok) ended.push_back(pairs[i]);
    }
    if (!ended.empty()) {
      absl::MutexLock lock(&mu_);
      for (const auto& pair : ended) {
        close(pair.first);
        close(pair.second);
        std::erase(pairs_, pair);
      }
    }
  }
}

}  // namespace socio::fault
