#include "services/etcd/etcd_client.h"

#include <algorithm>
#include <atomic>
#include <deque>
#include <thread>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "etcd/etcdserver/etcdserverpb/rpc.grpc.pb.h"
#include "etcd/etcdserver/etcdserverpb/rpc.pb.h"
#include "etcd/mvcc/mvccpb/kv.pb.h"
#include "grpcpp/grpcpp.h"

namespace socio::etcd {
namespace {

// How long a read waits between rounds over every endpoint, and a watch
// before it reconnects.
constexpr absl::Duration kRetryPause = absl::Milliseconds(100);

absl::Status FromGrpc(const grpc::Status& status, absl::string_view what) {
  const std::string& message = status.error_message();
  if (absl::StrContains(message, "database space exceeded")) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "etcd: ", what,
        ": etcd's database is at its size quota (NOSPACE alarm); an operator compacts its "
        "history, defragments every member and disarms the alarm (`etcdctl alarm disarm`)"));
  }
  if (absl::StrContains(message, "required revision has been compacted")) {
    return absl::OutOfRangeError(absl::StrCat("etcd: ", what, ": ", message));
  }
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat("etcd: ", what, ": ", message));
}

// Failures after which another member may well answer.
bool TryElsewhere(const grpc::Status& status) {
  return status.error_code() == grpc::StatusCode::UNAVAILABLE ||
         status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED;
}

KeyValue FromProto(const mvccpb::KeyValue& kv) {
  KeyValue out;
  out.key = kv.key();
  out.value = kv.value();
  out.create_revision = kv.create_revision();
  out.mod_revision = kv.mod_revision();
  out.version = kv.version();
  out.lease = kv.lease();
  return out;
}

}  // namespace

namespace internal {
struct Channels {
  struct Member {
    std::string endpoint;
    std::shared_ptr<grpc::Channel> channel;
    std::unique_ptr<etcdserverpb::KV::Stub> kv;
    std::unique_ptr<etcdserverpb::Watch::Stub> watch;
    std::unique_ptr<etcdserverpb::Lease::Stub> lease;
  };
  ClientOptions options;
  std::vector<Member> members;
  // The member calls go to, until it fails.
  std::atomic<size_t> current{0};

  Member& Current() { return members[current.load() % members.size()]; }
  // Moves on from `member` (if it is still the current one).
  void Failed(const Member& member) {
    size_t seen = current.load();
    if (&members[seen % members.size()] == &member) {
      current.compare_exchange_strong(seen, seen + 1);
    }
  }
  void SetDeadline(grpc::ClientContext* context) const {
    context->set_deadline(std::chrono::system_clock::now() +
                          absl::ToChronoMilliseconds(options.call_timeout));
  }

  // Runs call(member, context) on the current member, and on the others in
  // turn while they are unavailable, until the call timeout has passed.
  template <typename Call>
  grpc::Status Read(Call&& call) {
    const absl::Time give_up = absl::Now() + options.call_timeout;
    grpc::Status status;
    for (size_t attempt = 1;; ++attempt) {
      Member& member = Current();
      grpc::ClientContext context;
      SetDeadline(&context);
      status = call(member, &context);
      if (status.ok() || !TryElsewhere(status)) return status;
      Failed(member);
      if (absl::Now() >= give_up) return status;
      if (attempt % members.size() == 0) absl::SleepFor(kRetryPause);
    }
  }
};
}  // namespace internal

using internal::Channels;

namespace {

// One unary call through Channels::Read: call(member, context, &response).
// The response, or the error saying `what` was being done.
template <typename Response, typename Call>
absl::StatusOr<Response> Unary(Channels& channels, absl::string_view what, Call&& call) {
  Response response;
  grpc::Status status = channels.Read([&](Channels::Member& member, grpc::ClientContext* context) {
    return call(member, context, &response);
  });
  if (!status.ok()) return FromGrpc(status, what);
  return response;
}

}  // namespace

EtcdClient::EtcdClient(std::shared_ptr<Channels> channels) : channels_(std::move(channels)) {}
EtcdClient::~EtcdClient() = default;

absl::StatusOr<std::unique_ptr<EtcdClient>> EtcdClient::Connect(const ClientOptions& options) {
  if (options.endpoints.empty()) {
    return absl::InvalidArgumentError("etcd_endpoints: name at least one etcd member (host:port)");
  }
  auto channels = std::make_shared<Channels>();
  channels->options = options;
  for (const std::string& endpoint : options.endpoints) {
    if (endpoint.empty() || absl::StrContains(endpoint, "://")) {
      return absl::InvalidArgumentError(absl::StrCat(
          "etcd_endpoints: '", endpoint, "' is not host:port (write it without a scheme)"));
    }
    grpc::ChannelArguments arguments;
    arguments.SetMaxReceiveMessageSize(options.max_receive_bytes);
    Channels::Member member;
    member.endpoint = endpoint;
    member.channel =
        grpc::CreateCustomChannel(endpoint, grpc::InsecureChannelCredentials(), arguments);
    member.kv = etcdserverpb::KV::NewStub(member.channel);
    member.watch = etcdserverpb::Watch::NewStub(member.channel);
    member.lease = etcdserverpb::Lease::NewStub(member.channel);
    channels->members.push_back(std::move(member));
  }
  return std::unique_ptr<EtcdClient>(new EtcdClient(std::move(channels)));
}

std::string EtcdClient::PrefixEnd(absl::string_view prefix) {
  std::string end(prefix);
  while (!end.empty()) {
    if (static_cast<unsigned char>(end.back()) < 0xff) {
      end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
      return end;
    }
    end.pop_back();
  }
  return std::string(1, '\0');  // every key
}

absl::StatusOr<std::optional<KeyValue>> EtcdClient::Get(absl::string_view key, int64_t revision) {
  absl::StatusOr<RangePage> page = Range(key, "", revision, 1);
  if (!page.ok()) return page.status();
  if (page->kvs.empty()) return std::nullopt;
  return std::move(page->kvs.front());
}

absl::StatusOr<RangePage> EtcdClient::Range(absl::string_view begin, absl::string_view end,
                                            int64_t revision, int64_t limit) {
  etcdserverpb::RangeRequest request;
  request.set_key(std::string(begin));
  request.set_range_end(std::string(end));
  request.set_revision(revision);
  request.set_limit(limit);
  absl::StatusOr<etcdserverpb::RangeResponse> response = Unary<etcdserverpb::RangeResponse>(
      *channels_, absl::StrCat("read '", begin, "'"),
      [&](Channels::Member& member, grpc::ClientContext* context, auto* out) {
        return member.kv->Range(context, request, out);
      });
  if (!response.ok()) return response.status();
  RangePage page;
  page.revision = response->header().revision();
  page.more = response->more();
  page.kvs.reserve(response->kvs_size());
  for (const mvccpb::KeyValue& kv : response->kvs()) page.kvs.push_back(FromProto(kv));
  return page;
}

absl::StatusOr<CommitResult> EtcdClient::Commit(const std::vector<Expect>& expects,
                                                const std::vector<Change>& changes,
                                                absl::Duration timeout) {
  etcdserverpb::TxnRequest request;
  for (const Expect& expect : expects) {
    etcdserverpb::Compare* compare = request.add_compare();
    compare->set_key(expect.key);
    compare->set_target(etcdserverpb::Compare::MOD);
    compare->set_result(etcdserverpb::Compare::EQUAL);
    compare->set_mod_revision(expect.mod_revision);
    // On failure, read each expected key back: the caller learns what is
    // there without a second call.
    etcdserverpb::RangeRequest* read = request.add_failure()->mutable_request_range();
    read->set_key(expect.key);
  }
  for (const Change& change : changes) {
    etcdserverpb::RequestOp* op = request.add_success();
    if (change.value.has_value()) {
      etcdserverpb::PutRequest* put = op->mutable_request_put();
      put->set_key(change.key);
      put->set_value(*change.value);
      put->set_lease(change.lease);
    } else {
      op->mutable_request_delete_range()->set_key(change.key);
    }
  }
  Channels::Member& member = channels_->Current();
  grpc::ClientContext context;
  if (timeout > absl::ZeroDuration()) {
    context.set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(timeout));
  } else {
    channels_->SetDeadline(&context);
  }
  etcdserverpb::TxnResponse response;
  grpc::Status status = member.kv->Txn(&context, request, &response);
  if (!status.ok()) {
    if (TryElsewhere(status)) channels_->Failed(member);
    absl::Status failed = FromGrpc(status, "write");
    if (status.error_code() != grpc::StatusCode::INVALID_ARGUMENT &&
        status.error_code() != grpc::StatusCode::RESOURCE_EXHAUSTED &&
        status.error_code() != grpc::StatusCode::FAILED_PRECONDITION) {
      return absl::Status(failed.code(),
                          absl::StrCat(failed.message(),
                                       " (the write may or may not have been applied: read the "
                                       "keys to find out)"));
    }
    return failed;
  }
  CommitResult result;
  result.committed = response.succeeded();
  result.revision = response.header().revision();
  if (!result.committed) {
    for (size_t i = 0; i < expects.size(); ++i) {
      KeyValue kv;
      kv.key = expects[i].key;
      if (static_cast<int>(i) < response.responses_size()) {
        const etcdserverpb::RangeResponse& read = response.responses(i).response_range();
        if (read.kvs_size() > 0) kv = FromProto(read.kvs(0));
      }
      result.current.push_back(std::move(kv));
    }
  }
  return result;
}

absl::Status EtcdClient::Compact(int64_t revision) {
  etcdserverpb::CompactionRequest request;
  request.set_revision(revision);
  return Unary<etcdserverpb::CompactionResponse>(
             *channels_, absl::StrCat("compact to ", revision),
             [&](Channels::Member& member, grpc::ClientContext* context, auto* out) {
               return member.kv->Compact(context, request, out);
             })
      .status();
}

absl::StatusOr<int64_t> EtcdClient::GrantLease(absl::Duration ttl) {
  const int64_t seconds = absl::ToInt64Seconds(ttl);
  if (seconds < 1) return absl::InvalidArgumentError("lease ttl: at least one second");
  etcdserverpb::LeaseGrantRequest request;
  request.set_ttl(seconds);
  absl::StatusOr<etcdserverpb::LeaseGrantResponse> response =
      Unary<etcdserverpb::LeaseGrantResponse>(
          *channels_, "grant a lease",
          [&](Channels::Member& member, grpc::ClientContext* context, auto* out) {
            return member.lease->LeaseGrant(context, request, out);
          });
  if (!response.ok()) return response.status();
  if (!response->error().empty()) {
    return absl::UnavailableError(absl::StrCat("etcd: grant a lease: ", response->error()));
  }
  return response->id();
}

absl::Status EtcdClient::KeepAlive(int64_t lease) {
  etcdserverpb::LeaseKeepAliveResponse response;
  bool answered = false;
  grpc::Status status =
      channels_->Read([&](Channels::Member& member, grpc::ClientContext* context) {
        auto stream = member.lease->LeaseKeepAlive(context);
        etcdserverpb::LeaseKeepAliveRequest request;
        request.set_id(lease);
        answered = stream->Write(request) && stream->Read(&response);
        stream->WritesDone();
        if (answered) context->TryCancel();  // the stream has done its one exchange
        grpc::Status finished = stream->Finish();
        return answered ? grpc::Status::OK : finished;
      });
  if (!status.ok()) return FromGrpc(status, absl::StrCat("keep lease ", lease, " alive"));
  if (response.ttl() <= 0) {
    return absl::NotFoundError(absl::StrCat("etcd: lease ", lease, " has expired"));
  }
  return absl::OkStatus();
}

absl::Status EtcdClient::RevokeLease(int64_t lease) {
  etcdserverpb::LeaseRevokeRequest request;
  request.set_id(lease);
  return Unary<etcdserverpb::LeaseRevokeResponse>(
             *channels_, absl::StrCat("revoke lease ", lease),
             [&](Channels::Member& member, grpc::ClientContext* context, auto* out) {
               return member.lease->LeaseRevoke(context, request, out);
             })
      .status();
}

// The watch's reader thread and what it has read.
struct WatchStream::State {
  std::shared_ptr<Channels> channels;
  std::string prefix;
  absl::Mutex mu;
  std::deque<WatchEvent> events ABSL_GUARDED_BY(mu);
  absl::Status error ABSL_GUARDED_BY(mu);  // terminal
  int64_t compact_revision ABSL_GUARDED_BY(mu) = 0;
  int64_t next_revision ABSL_GUARDED_BY(mu) = 0;
  bool closed ABSL_GUARDED_BY(mu) = false;
  grpc::ClientContext* context ABSL_GUARDED_BY(mu) = nullptr;
  // Held while writing to the stream, and while `stream` is set or cleared:
  // gRPC allows one write at a time.
  absl::Mutex write_mu;
  grpc::ClientReaderWriter<etcdserverpb::WatchRequest, etcdserverpb::WatchResponse>* stream
      ABSL_GUARDED_BY(write_mu) = nullptr;
  std::thread reader;

  void Run();
  // One stream to one member, until it ends; false once the watch is over
  // (closed or refused).
  bool RunOnce(Channels::Member& member);
};

bool WatchStream::State::RunOnce(Channels::Member& member) {
  grpc::ClientContext context;
  etcdserverpb::WatchRequest request;
  {
    absl::MutexLock lock(&mu);
    if (closed) return false;
    this->context = &context;
    etcdserverpb::WatchCreateRequest* create = request.mutable_create_request();
    create->set_key(prefix);
    create->set_range_end(EtcdClient::PrefixEnd(prefix));
    create->set_start_revision(next_revision);
    create->set_progress_notify(true);
  }
  auto stream = member.watch->Watch(&context);
  bool go_on = true;
  if (stream->Write(request)) {
    {
      absl::MutexLock lock(&write_mu);
      this->stream = stream.get();
    }
    etcdserverpb::WatchResponse response;
    while (stream->Read(&response)) {
      absl::MutexLock lock(&mu);
      if (response.canceled() || response.compact_revision() > 0) {
        if (response.compact_revision() > 0) {
          compact_revision = response.compact_revision();
          error = absl::OutOfRangeError(
              absl::StrCat("etcd: watch '", prefix, "' from revision ", next_revision,
                           ": compacted; the oldest revision held is ", response.compact_revision(),
                           ": read everything at a revision and watch from the next"));
        } else {
          error = absl::FailedPreconditionError(
              absl::StrCat("etcd: watch '", prefix, "' was cancelled: ", response.cancel_reason()));
        }
        go_on = false;
        context.TryCancel();
        break;
      }
      // A batch's header carries the store's current revision, not the
      // batch's: resume from each event's own.
      for (const mvccpb::Event& event : response.events()) {
        WatchEvent out;
        out.type = event.type() == mvccpb::Event::DELETE ? WatchEvent::Type::kDelete
                                                         : WatchEvent::Type::kPut;
        out.kv = FromProto(event.kv());
        next_revision = std::max(next_revision, out.kv.mod_revision + 1);
        events.push_back(std::move(out));
      }
      // A progress notice (no events, not the creation's answer): every
      // event up to the header's revision has been sent.
      if (response.events_size() == 0 && !response.created()) {
        next_revision = std::max(next_revision, response.header().revision() + 1);
      }
    }
  }
  {
    absl::MutexLock lock(&write_mu);
    this->stream = nullptr;
  }
  grpc::Status status = stream->Finish();
  absl::MutexLock lock(&mu);
  this->context = nullptr;
  if (closed || !go_on) return false;
  if (!status.ok() && !TryElsewhere(status) && status.error_code() != grpc::StatusCode::CANCELLED &&
      status.error_code() != grpc::StatusCode::UNKNOWN) {
    error = FromGrpc(status, absl::StrCat("watch '", prefix, "'"));
    return false;
  }
  return true;
}

void WatchStream::State::Run() {
  for (;;) {
    Channels::Member& member = channels->Current();
    if (!RunOnce(member)) return;
    channels->Failed(member);
    absl::MutexLock lock(&mu);
    // Waits before reconnecting, unless closed meanwhile.
    mu.AwaitWithTimeout(absl::Condition(&closed), kRetryPause);
    if (closed) return;
  }
}

std::unique_ptr<WatchStream> EtcdClient::Watch(std::string prefix, int64_t start_revision) {
  auto state = std::make_shared<WatchStream::State>();
  state->channels = channels_;
  state->prefix = std::move(prefix);
  {
    absl::MutexLock lock(&state->mu);
    state->next_revision = start_revision;
  }
  state->reader = std::thread([raw = state.get()] { raw->Run(); });
  return std::unique_ptr<WatchStream>(new WatchStream(std::move(state)));
}

WatchStream::WatchStream(std::shared_ptr<State> state) : state_(std::move(state)) {}

WatchStream::~WatchStream() {
  {
    absl::MutexLock lock(&state_->mu);
    state_->closed = true;
    if (state_->context != nullptr) state_->context->TryCancel();
  }
  state_->reader.join();
}

absl::StatusOr<std::vector<WatchEvent>> WatchStream::Next(absl::Duration timeout,
                                                          int64_t* complete_through) {
  absl::MutexLock lock(&state_->mu);
  state_->mu.AwaitWithTimeout(absl::Condition(
                                  +[](State* state) ABSL_NO_THREAD_SAFETY_ANALYSIS {
                                    return !state->events.empty() || !state->error.ok();
                                  },
                                  state_.get()),
                              timeout);
  if (state_->events.empty() && !state_->error.ok()) return state_->error;
  std::vector<WatchEvent> out(std::make_move_iterator(state_->events.begin()),
                              std::make_move_iterator(state_->events.end()));
  state_->events.clear();
  if (complete_through != nullptr) *complete_through = state_->next_revision - 1;
  return out;
}

void WatchStream::RequestProgress() {
  absl::MutexLock lock(&state_->write_mu);
  if (state_->stream == nullptr) return;
  etcdserverpb::WatchRequest request;
  request.mutable_progress_request();
  state_->stream->Write(request);
}

int64_t WatchStream::compact_revision() const {
  absl::MutexLock lock(&state_->mu);
  return state_->compact_revision;
}

int64_t WatchStream::next_revision() const {
  absl::MutexLock lock(&state_->mu);
  return state_->next_revision;
}

}  // namespace socio::etcd
