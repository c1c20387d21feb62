// ReservedPort: a loopback TCP port held for a test, bound and not
// listening. While it lives, connections to it are refused and no other
// socket can take the port, except a server that binds it with SO_REUSEPORT
// too (tests/support/smtp_receiver.py does), which then accepts them:
//
//   ReservedPort relay;                      // "the relay is down"
//   ... the code under test retries relay.port() ...
//   StartSmtpReceiver(dir, relay.port());    // "the relay is up"
//
// A port merely found free and closed could be taken by any other process
// before the test uses it.
#ifndef SOCIO_TESTS_SUPPORT_RESERVED_PORT_H_
#define SOCIO_TESTS_SUPPORT_RESERVED_PORT_H_

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace socio::testing {

class ReservedPort {
 public:
  ReservedPort() {
    socket_ = ::socket(AF_INET, SOCK_STREAM, 0);
    const int on = 1;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    if (socket_ >= 0 && ::setsockopt(socket_, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)) == 0 &&
        ::bind(socket_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
        ::getsockname(socket_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      port_ = ntohs(address.sin_port);
    }
  }
  ~ReservedPort() {
    if (socket_ >= 0) ::close(socket_);
  }
  ReservedPort(const ReservedPort&) = delete;
  ReservedPort& operator=(const ReservedPort&) = delete;

  // 0 if no port could be reserved.
  int port() const { return port_; }

 private:
  int socket_ = -1;
  int port_ = 0;
};

}  // namespace socio::testing

#endif  // SOCIO_TESTS_SUPPORT_RESERVED_PORT_H_
