"""A small Python client for Socio's gRPC API.

    import socio_client
    from socio.v1 import profile_service_pb2

    with socio_client.connect("127.0.0.1:50051", token="...") as client:
        profile = client.profile_service.GetProfile(
            profile_service_pb2.GetProfileRequest(id="mx-0001"))

`connect` returns a `Client` holding one stub per service: `profile_service`,
`match_service` (`suggest_match_policy` fits a chamber's weights to its
recorded meeting outcomes), `delegation_service`, `engagement_service` (marks of
interest, meeting requests, reveals), `notification_service` (the notification
stream and channel settings), `outcome_service` (what came of meetings:
each side's feedback and follow-up report; `list_outcomes` reads every page),
`partnership_service` (partnerships with shared goals and their reviews),
`analytics_service` (a chamber's figures; `get_analytics` asks for them),
`exchange_service` (a chamber's visit and the partner chamber's return visit
linked; `list_exchanges` reads every page, `get_exchange_balance` says what
each chamber sent and received) and
`chamber_service` (chambers' directory records and their partner chambers;
`list_chambers` and `list_partner_chambers` read every page).
Their methods are those of the generated
stubs (one per rpc of proto/socio/v1/*_service.proto and notification.proto)
with these differences: every call carries `authorization: Bearer <token>`
when a token was given, and a failed call raises `SocioError` (the gRPC code
and the server's message) instead of `grpc.RpcError`, also while iterating a
server stream (a stream's `cancel()` ends it, e.g. a WatchNotifications the
caller no longer reads). `profile_service.ImportProfiles` also marks the stream's
last message (`more` is set on the others, on copies of the requests) and
checks the summary against what was sent: a server that read fewer
messages or profiles raises SocioError DATA_LOSS, and a call that fails
midway says what was sent and that the server keeps only the batches of
1,000 profiles it committed before the failure.

A profile may be shown anonymously to companies outside its chamber until a
mutual interest or an accepted meeting request (`Profile.anonymous`, set on
create or with UpdateProfile and the mask "anonymous"). Every profile has a
`handle` ("anon-" and 16 characters): to a caller who may not see who an
anonymous profile is, every answer carries the handle where the id and the
name would be (`partner_id`, `partner_name`, `to_ref`, ...), and the
handle is accepted wherever an id is, so such a partner can still be marked,
asked for a meeting, explained or read. A caller recognises it by
`profile.id.startswith("anon-")`; no real id starts so. `list_reveals`
says to whom a profile was revealed, why and when.

Creates (profiles, delegations, meeting requests, partnerships, exchanges,
chambers, partner chamber proposals), imports and plans carry
a request_id (AIP-155): when the request's is empty the client sets a fresh
UUID on it (on an import's first message), so that calling again with the
same request object is a retry the server answers with its first answer
instead of doing the work twice.

The generated modules (`socio.v1.*_pb2`, `socio.v1.*_pb2_grpc`) must be
importable: build the `socio_python_stubs` target and put
BUILD_DIR/clients/python/gen on PYTHONPATH. They run on Debian 12's python3
with python3-grpcio and python3-protobuf.
"""

import os
import uuid

import grpc

try:
    from socio.v1 import analytics_service_pb2
    from socio.v1 import analytics_service_pb2_grpc
    from socio.v1 import chamber_service_pb2
    from socio.v1 import chamber_service_pb2_grpc
    from socio.v1 import delegation_service_pb2
    from socio.v1 import delegation_service_pb2_grpc
    from socio.v1 import engagement_service_pb2
    from socio.v1 import engagement_service_pb2_grpc
    from socio.v1 import exchange_service_pb2
    from socio.v1 import exchange_service_pb2_grpc
    from socio.v1 import match_service_pb2_grpc
    from socio.v1 import match_suggestion_pb2
    from socio.v1 import notification_pb2_grpc
    from socio.v1 import outcome_service_pb2
    from socio.v1 import outcome_service_pb2_grpc
    from socio.v1 import partnership_service_pb2_grpc
    from socio.v1 import profile_service_pb2_grpc
except ImportError as e:  # pragma: no cover - depends on the environment
    raise ImportError(
        f"{e}: the Python stubs are not on sys.path; build the socio_python_stubs "
        "target and add BUILD_DIR/clients/python/gen to PYTHONPATH") from e

DEFAULT_SERVER = "127.0.0.1:50051"
"""Where `connect` goes when neither its argument nor SOCIO_SERVER names a server."""

# sociod's default --max_message_bytes; gRPC's own default (4 MiB) is smaller.
_MAX_MESSAGE_BYTES = 16 * 1024 * 1024


class SocioError(Exception):
    """A call the server (or the channel) refused.

    `code` is the grpc.StatusCode, `message` the server's explanation, `rpc`
    the method ("ProfileService.GetProfile"). str(error) reads
    "NOT_FOUND: profile 'x' not found".
    """

    def __init__(self, code, message, rpc=""):
        super().__init__(f"{code.name}: {message}")
        self.code = code
        self.message = message
        self.rpc = rpc


def _translate(error, rpc):
    """A SocioError for a grpc.RpcError raised by a call of `rpc`."""
    code = error.code() if hasattr(error, "code") else grpc.StatusCode.UNKNOWN
    message = error.details() if hasattr(error, "details") else str(error)
    return SocioError(code or grpc.StatusCode.UNKNOWN, message or "", rpc)


class _ResponseStream:
    """A server stream whose iteration raises SocioError; cancel() ends it."""

    def __init__(self, call, rpc):
        self._call = call
        self._rpc = rpc

    def __iter__(self):
        return self

    def __next__(self):
        try:
            return next(self._call)
        except grpc.RpcError as e:
            raise _translate(e, self._rpc) from None

    def cancel(self):
        """Ends the stream; the server sees the call cancelled."""
        return self._call.cancel()


def _with_request_id(request):
    """Sets a fresh UUID as the request_id of a request that has the field
    and leaves it empty; returns the request."""
    fields = getattr(getattr(request, "DESCRIPTOR", None), "fields_by_name", {})
    if "request_id" in fields and not request.request_id:
        request.request_id = str(uuid.uuid4())
    return request


def _first_with_request_id(requests):
    """A client stream whose first message carries a request_id."""
    requests = iter(requests)
    for first in requests:
        yield _with_request_id(first)
        break
    yield from requests


class _Method:
    """One rpc of a stub: adds the token's metadata and a request_id, and
    translates errors."""

    def __init__(self, multicallable, rpc, metadata):
        self._multicallable = multicallable
        self._rpc = rpc
        self._metadata = metadata
        self._streams_responses = isinstance(
            multicallable, (grpc.UnaryStreamMultiCallable, grpc.StreamStreamMultiCallable))
        self._streams_requests = isinstance(
            multicallable, (grpc.StreamUnaryMultiCallable, grpc.StreamStreamMultiCallable))

    def __call__(self, request, timeout=None, metadata=None, **kwargs):
        """Calls the rpc with `request` (an iterator of requests for a client
        stream); `timeout` in seconds, None for no deadline. Returns the
        response, or for a server stream an iterator of responses."""
        all_metadata = self._metadata + tuple(metadata or ())
        if self._streams_requests:
            request = _first_with_request_id(request)
        else:
            _with_request_id(request)
        try:
            result = self._multicallable(
                request, timeout=timeout, metadata=all_metadata or None, **kwargs)
        except grpc.RpcError as e:
            raise _translate(e, self._rpc) from None
        return _ResponseStream(result, self._rpc) if self._streams_responses else result


# Profiles per batch that ImportProfiles commits whole (its contract).
_IMPORT_BATCH = 1000


def _every_page(method, request, field, timeout):
    """Calls `method` page after page from `request` (its page_token set from
    each answer's next_page_token) and returns the items of every page's
    repeated `field`, in order."""
    items = []
    while True:
        page = method(request, timeout=timeout)
        items.extend(getattr(page, field))
        if not page.next_page_token:
            return items
        request.page_token = page.next_page_token


class _ImportSent:
    """What a client wrote to an import stream."""

    def __init__(self):
        self.messages = 0
        self.profiles = 0

    def marked(self, requests):
        """Copies of `requests` with `more` set on all but the last, counted
        as they go."""
        previous = None
        for request in requests:
            if previous is not None:
                yield self._counted(previous, more=True)
            previous = request
        if previous is not None:
            yield self._counted(previous, more=False)

    def _counted(self, request, more):
        message = type(request)()
        message.CopyFrom(request)
        message.more = more
        self.messages += 1
        self.profiles += len(message.profiles)
        return message


class _ImportMethod(_Method):
    """ProfileService.ImportProfiles: marks the stream's last message and
    checks the summary against what was sent."""

    def __call__(self, request, timeout=None, metadata=None, **kwargs):
        sent = _ImportSent()
        try:
            summary = super().__call__(sent.marked(request), timeout=timeout, metadata=metadata,
                                       **kwargs)
        except SocioError as e:
            if not sent.messages:
                raise
            kept = sent.profiles // _IMPORT_BATCH * _IMPORT_BATCH
            keeps = f"at most {kept} of them" if kept else "none of them"
            raise SocioError(
                e.code, f"{e.message} (sent before the call ended: {sent.messages} messages, "
                f"{sent.profiles} profiles; the server keeps only the batches of {_IMPORT_BATCH} "
                f"it committed before the failure: {keeps})", e.rpc) from None
        # A server that predates messages_received leaves it 0.
        messages_lost = summary.messages_received not in (0, sent.messages)
        if summary.received != sent.profiles or messages_lost:
            raise SocioError(
                grpc.StatusCode.DATA_LOSS,
                f"the server read {summary.received} of the {sent.profiles} profiles sent "
                f"({summary.messages_received} of {sent.messages} messages) and answered OK: "
                "the others were lost on the way and are not stored", self._rpc)
        return summary


class _Stub:
    """A generated stub whose methods are wrapped by _Method."""

    def __init__(self, stub, service, metadata):
        self._stub = stub
        self._service = service
        self._metadata = metadata

    def __getattr__(self, name):
        multicallable = getattr(self._stub, name)
        rpc = f"{self._service}.{name}"
        wrapper = _ImportMethod if rpc == "ProfileService.ImportProfiles" else _Method
        method = wrapper(multicallable, rpc, self._metadata)
        setattr(self, name, method)  # later look-ups skip __getattr__
        return method


class Client:
    """A channel to sociod and its nine services. Close it when done (or use
    it in a `with` block)."""

    def __init__(self, channel, token=None):
        metadata = (("authorization", f"Bearer {token}"),) if token else ()
        self.channel = channel
        self.profile_service = _Stub(
            profile_service_pb2_grpc.ProfileServiceStub(channel), "ProfileService", metadata)
        self.match_service = _Stub(
            match_service_pb2_grpc.MatchServiceStub(channel), "MatchService", metadata)
        self.delegation_service = _Stub(
            delegation_service_pb2_grpc.DelegationServiceStub(channel), "DelegationService",
            metadata)
        self.engagement_service = _Stub(
            engagement_service_pb2_grpc.EngagementServiceStub(channel), "EngagementService",
            metadata)
        self.notification_service = _Stub(
            notification_pb2_grpc.NotificationServiceStub(channel), "NotificationService",
            metadata)
        self.outcome_service = _Stub(
            outcome_service_pb2_grpc.OutcomeServiceStub(channel), "OutcomeService", metadata)
        self.partnership_service = _Stub(
            partnership_service_pb2_grpc.PartnershipServiceStub(channel), "PartnershipService",
            metadata)
        self.analytics_service = _Stub(
            analytics_service_pb2_grpc.AnalyticsServiceStub(channel), "AnalyticsService",
            metadata)
        self.exchange_service = _Stub(
            exchange_service_pb2_grpc.ExchangeServiceStub(channel), "ExchangeService", metadata)
        self.chamber_service = _Stub(
            chamber_service_pb2_grpc.ChamberServiceStub(channel), "ChamberService", metadata)

    def list_chambers(self, country="", page_size=0, timeout=None):
        """Every chamber's directory record (socio.v1.Chamber), by id, every
        page read; of `country` (ISO 3166-1 alpha-2) only when given.
        Contacts come to staff and operators only.

        page_size: records asked for per call (0: the server's default);
        timeout: seconds for each call, None for no deadline.
        """
        request = chamber_service_pb2.ListChambersRequest(country=country, page_size=page_size)
        return _every_page(self.chamber_service.ListChambers, request, "chambers", timeout)

    def list_partner_chambers(self, chamber_id="", states=(), page_size=0, timeout=None):
        """The partner links of `chamber_id` (empty: a staff token's own
        chamber), by partner id, every page read: a list of
        socio.v1.ChamberPartner. states: ChamberPartner.State values
        (PROPOSED, ACTIVE, ENDED); empty: all. For the chamber's staff and
        operators; others get SocioError PERMISSION_DENIED.
        """
        request = chamber_service_pb2.ListPartnerChambersRequest(
            chamber_id=chamber_id, states=list(states), page_size=page_size)
        return _every_page(self.chamber_service.ListPartnerChambers, request, "partners", timeout)

    def list_reveals(self, profile_id, page_size=0, timeout=None):
        """The companies `profile_id` was shown to in full, every page read:
        a list of socio.v1.Reveal (revealed_to, reason MUTUAL_INTEREST or
        ACCEPTED_REQUEST, reveal_time), by revealed_to. For the profile
        itself, its chamber's staff and operators; others get SocioError.

        page_size: reveals asked for per call (0: the server's default);
        timeout: seconds for each call, None for no deadline.
        """
        request = engagement_service_pb2.ListRevealsRequest(
            profile_id=profile_id, page_size=page_size)
        return _every_page(self.engagement_service.ListReveals, request, "reveals", timeout)

    def list_outcomes(self, delegation_id="", member_id="", chamber_id="", filter=0,
                      page_size=0, timeout=None):
        """Meetings and their outcomes as the caller may see them, latest end
        first, every page read: a list of socio.v1.MeetingOutcome. At most one
        of delegation_id, member_id and chamber_id; none: the caller's own
        company (a member token) or chamber (staff). filter: a
        ListOutcomesRequest.Filter (FEEDBACK_OPEN, ...); 0 is ALL.

        page_size: meetings asked for per call (0: the server's default);
        timeout: seconds for each call, None for no deadline.
        """
        request = outcome_service_pb2.ListOutcomesRequest(
            delegation_id=delegation_id, member_id=member_id, chamber_id=chamber_id,
            filter=filter, page_size=page_size)
        return _every_page(self.outcome_service.ListOutcomes, request, "outcomes", timeout)

    def get_analytics(self, chamber_id="", delegation_id="", from_date="", to_date="",
                      group_by="TOTAL", timeout=None):
        """A chamber's figures (socio.v1.GetAnalyticsResponse: total, one row
        per group, the typical figures the standings compare with). For a
        chamber's staff (chamber_id empty: their own) and operators (who
        name it); members get SocioError PERMISSION_DENIED.

        from_date, to_date: "YYYY-MM-DD", both included, either may be empty;
        group_by: "TOTAL", "DELEGATION", "MONTH", "COUNTRY_PAIR" or "SECTOR"
        (or a GetAnalyticsRequest.GroupBy value); timeout: seconds, None for
        no deadline.
        """
        request = analytics_service_pb2.GetAnalyticsRequest(
            chamber_id=chamber_id, delegation_id=delegation_id, from_date=from_date,
            to_date=to_date, group_by=group_by)
        return self.analytics_service.GetAnalytics(request, timeout=timeout)

    def suggest_match_policy(self, chamber_id, timeout=None):
        """Factor weights fitted to the chamber's recorded meeting outcomes,
        beside its current ones: a socio.v1.MatchPolicySuggestion with
        `suggested`, `current` and the out-of-time evaluation of both
        (`held_out_suggested`, `held_out_current`: auc, ndcg_at_10,
        outcomes). Below the minimum of outcomes `enough_outcomes` is False
        and `outcomes`, `min_outcomes` and `message` say how many there are
        and are needed. Changes nothing: apply `suggested` with
        match_service.SetMatchPolicy. For the chamber's staff and operators;
        others get SocioError PERMISSION_DENIED.

        timeout: seconds, None for no deadline.
        """
        return self.match_service.SuggestMatchPolicy(
            match_suggestion_pb2.SuggestMatchPolicyRequest(chamber_id=chamber_id),
            timeout=timeout)

    def list_exchanges(self, chamber_id="", page_size=0, timeout=None):
        """The exchanges the caller sees, by id, every page read: a list of
        socio.v1.Exchange. chamber_id: those this chamber is in (either
        side); empty: the staff token's chamber, or every exchange for an
        operator. Members get SocioError PERMISSION_DENIED.

        page_size: exchanges asked for per call (0: the server's default);
        timeout: seconds for each call, None for no deadline.
        """
        request = exchange_service_pb2.ListExchangesRequest(
            chamber_id=chamber_id, page_size=page_size)
        return _every_page(self.exchange_service.ListExchanges, request, "exchanges", timeout)

    def get_exchange_balance(self, exchange_id, timeout=None):
        """The balance of an exchange (socio.v1.ExchangeBalance): each visit's
        delegates, host companies, meetings and what came of them (`visit`,
        `return_visit`), and each chamber's side (`chamber`,
        `partner_chamber`: delegates sent and received, companies hosted,
        meetings held, agreements). Counts only. For both chambers' staff
        and operators; anybody else gets SocioError NOT_FOUND.

        timeout: seconds, None for no deadline.
        """
        return self.exchange_service.GetExchangeBalance(
            exchange_service_pb2.GetExchangeBalanceRequest(id=exchange_id), timeout=timeout)
    def invite_hosts(self, delegation_id, host_ids=(), deadline=None, timeout=None):
        """Invites hosts to meet a delegation: a socio.v1.InviteHostsResponse
        with the invitations sent (each PENDING, the host told) and the
        delegation's counts. host_ids: named hosts (empty: every named host
        not invited yet); deadline: a datetime or Unix seconds (None: the
        delegation's invitation_deadline, else 14 days). For operators and
        the staff of the organising and the host chamber; others get
        SocioError NOT_FOUND. The request carries a fresh request_id: a
        retry of the same request invites nobody twice.

        timeout: seconds, None for no deadline.
        """
        request = delegation_service_pb2.InviteHostsRequest(
            delegation_id=delegation_id, host_ids=list(host_ids))
        if deadline is not None:
            seconds = deadline.timestamp() if hasattr(deadline, "timestamp") else deadline
            request.deadline.seconds = int(seconds)
        return self.delegation_service.InviteHosts(request, timeout=timeout)

    def answer_host_invitation(self, delegation_id, host_id, accept, note="", timeout=None):
        """A host's answer to its invitation (the host itself, or its
        chamber's staff): the socio.v1.HostInvitation as answered, ACCEPTED
        or DECLINED. SocioError FAILED_PRECONDITION after the deadline or
        when the invitation was withdrawn; NOT_FOUND when there is none.

        timeout: seconds, None for no deadline.
        """
        return self.delegation_service.AnswerHostInvitation(
            delegation_service_pb2.AnswerHostInvitationRequest(
                delegation_id=delegation_id, host_id=host_id, accept=accept, note=note),
            timeout=timeout)

    def list_host_invitations(self, delegation_id="", member_id="", timeout=None):
        """Invitations, one of the two: a delegation's (with `summary`, its
        counts and response rate), or a company's across delegations (each
        listing with the delegation's name, dates, cities and chambers only).
        A socio.v1.ListHostInvitationsResponse.

        timeout: seconds, None for no deadline.
        """
        return self.delegation_service.ListHostInvitations(
            delegation_service_pb2.ListHostInvitationsRequest(
                delegation_id=delegation_id, member_id=member_id),
            timeout=timeout)

    def get_briefing(self, delegation_id, member_id="", timeout=None):
        """The delegation's cultural briefing: a socio.v1.Briefing with the two
        countries, each day's time difference and shared working hours
        (`days`), languages and who speaks them, the distance, Hofstede's
        dimensions where the operator supplied them, the staff's notes, and
        all of it as Markdown (`markdown`, to save under `file_name`). With
        `member_id`, as that company taking part sees it: no notes, no other
        company's name. To anyone else SocioError NOT_FOUND.

        timeout: seconds, None for no deadline.
        """
        return self.delegation_service.GetDelegationBriefing(
            delegation_service_pb2.GetDelegationBriefingRequest(
                delegation_id=delegation_id, member_id=member_id),
            timeout=timeout)

    def close(self):
        self.channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


def connect(server=None, token=None, tls_ca=None):
    """Opens a channel to sociod and returns a Client.

    server: "host:port"; default SOCIO_SERVER, else 127.0.0.1:50051.
    token: sent as `authorization: Bearer <token>` with every call; default
      SOCIO_TOKEN, else none.
    tls_ca: path of a PEM file with the CA certificates that signed the
      server's certificate; the channel then uses TLS. None: plaintext (only
      for a server that allows it, such as a development server on loopback).

    The channel connects lazily: an unreachable server shows as SocioError
    UNAVAILABLE on the first call. An unreadable tls_ca raises OSError.
    """
    server = server or os.environ.get("SOCIO_SERVER") or DEFAULT_SERVER
    token = token or os.environ.get("SOCIO_TOKEN") or None
    options = [("grpc.max_receive_message_length", _MAX_MESSAGE_BYTES),
               ("grpc.max_send_message_length", _MAX_MESSAGE_BYTES)]
    if tls_ca:
        with open(tls_ca, "rb") as f:
            credentials = grpc.ssl_channel_credentials(root_certificates=f.read())
        channel = grpc.secure_channel(server, credentials, options=options)
    else:
        channel = grpc.insecure_channel(server, options=options)
    return Client(channel, token)
