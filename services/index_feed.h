// IndexFeed: what a service that reads a MatchIndex needs to know of whatever
// keeps that index up to date: how far it is, and a way to wait until it is
// current. IndexFollower (a local profile store) and WatchFollower (a remote
// profile role's WatchProfiles stream) both are one.
#ifndef SOCIO_SERVICES_INDEX_FEED_H_
#define SOCIO_SERVICES_INDEX_FEED_H_

#include <cstdint>

#include "absl/time/time.h"

namespace socio::services {

class IndexFeed {
 public:
  virtual ~IndexFeed() = default;

  // The last profile change-log sequence the index reflects.
  virtual uint64_t applied_sequence() const = 0;

  // Blocks until the index reflects every profile change the feed knows to
  // be committed when called, or `timeout` passes; whether it does. A local
  // feed knows every committed change (read-your-writes); a remote one knows
  // what the profile role has told it so far.
  virtual bool WaitUntilCurrent(absl::Duration timeout) const = 0;
};

}  // namespace socio::services

#endif  // SOCIO_SERVICES_INDEX_FEED_H_
