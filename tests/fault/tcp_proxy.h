// TcpProxy: a loopback TCP relay between clients and a server, which a test
// can cut at any moment as a crashed client or a pulled cable would: every
// connection is reset (RST), both ways, with no goodbye at any protocol
// level.
//
//   TcpProxy proxy(server_port);
//   ASSERT_TRUE(proxy.Start().ok());
//   auto channel = grpc::CreateChannel(proxy.address(), ...);
//   ... start a call through the proxy ...
//   proxy.CutAll();  // the server sees the connection drop mid-call
//
// Thread safety: Start, CutAll and the destructor from one thread; the relay
// runs on a thread of its own.
#ifndef SOCIO_TESTS_FAULT_TCP_PROXY_H_
#define SOCIO_TESTS_FAULT_TCP_PROXY_H_

#include <atomic>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"

namespace socio::fault {

class TcpProxy {
 public:
  explicit TcpProxy(int target_port) : target_port_(target_port) {}
  ~TcpProxy();
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  // Listens on a port of 127.0.0.1 the kernel picks and starts relaying.
  absl::Status Start();
  // "127.0.0.1:PORT" to dial instead of the server.
  std::string address() const;
  // Resets every open connection on both sides. Later connections are relayed.
  void CutAll();
  // Connections accepted so far.
  int accepted() const { return accepted_.load(); }

 private:
  void Relay();
  void Accept();

  const int target_port_;
  int listen_fd_ = -1;
  int port_ = 0;
  int wake_[2] = {-1, -1};  // a pipe that interrupts poll()
  std::atomic<bool> stopping_ = false;
  std::atomic<int> accepted_ = 0;
  std::thread thread_;
  absl::Mutex mu_;
  // (client fd, server fd) of each open connection. Only the relay thread
  // opens and closes them.
  std::vector<std::pair<int, int>> pairs_ ABSL_GUARDED_BY(mu_);
  // Set by CutAll, cleared by the relay thread once it has reset them all.
  bool cut_requested_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace socio::fault

#endif  // SOCIO_TESTS_FAULT_TCP_PROXY_H_
