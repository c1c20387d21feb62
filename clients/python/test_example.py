#!/usr/bin/python3
"""Tests of the Python client: example.py against a real sociod, and
socio_client against an in-process gRPC server that records what it gets.

    /usr/bin/python3 test_example.py --sociod BUILD/services/sociod \\
        --socio-gen BUILD/bench/socio-gen --stubs BUILD/clients/python/gen

ctest runs it as python_client_example (clients/python/CMakeLists.txt).
Everything it writes goes to temporary directories.
"""

import argparse
import concurrent.futures
import csv
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import unittest.mock

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = os.path.join(HERE, "example.py")
PROFILES = 300
MATCHES = 5

# Set by main() from the command line.
SOCIOD = None
SOCIO_GEN = None
STUBS = None


class Sociod:
    """sociod as a process on a port the kernel picks, over a fresh data
    directory."""

    def __init__(self, work_dir, extra_flags=None):
        """extra_flags: None for a development server (--dev_insecure, when
        this sociod has it), else these flags."""
        self.log_path = os.path.join(work_dir, "sociod.log")
        command = [SOCIOD, "--data_dir", os.path.join(work_dir, "db"),
                   "--listen", "127.0.0.1:0"]
        if extra_flags is not None:
            command += extra_flags
        elif "--dev_insecure" in sociod_help():
            command.append("--dev_insecure")
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL,
                                            stdout=log, stderr=log, cwd=work_dir)
        self.address = self._wait_until_serving(deadline=time.monotonic() + 30)

    def _wait_until_serving(self, deadline):
        prefix = "sociod: serving on "
        while time.monotonic() < deadline:
            for line in self.log().splitlines():
                if line.startswith(prefix):
                    return line[len(prefix):].split(",")[0].strip()
            if self.process.poll() is not None:
                raise AssertionError(f"sociod exited with {self.process.returncode}:\n"
                                     f"{self.log()}")
            time.sleep(0.05)
        self.stop()
        raise AssertionError(f"sociod did not report its address in time:\n{self.log()}")

    def log(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


_sociod_help = None


def sociod_help():
    """What `sociod --help` prints: which flags this sociod has."""
    global _sociod_help
    if _sociod_help is None:
        result = subprocess.run([SOCIOD, "--help"], capture_output=True, text=True, timeout=30)
        _sociod_help = result.stdout + result.stderr
    return _sociod_help


def example_env():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([STUBS, HERE])
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.pop("SOCIO_TOKEN", None)
    env.pop("SOCIO_SERVER", None)
    return env


def section(stdout, title_prefix):
    """The lines of stdout from the one starting with title_prefix up to the
    next blank line, title included."""
    lines = stdout.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(title_prefix):
            end = i
            while end < len(lines) and lines[end].strip():
                end += 1
            return lines[i:end]
    raise AssertionError(f"no line starting with {title_prefix!r} in:\n{stdout}")


def parse_table(lines):
    """Rows of a table printed by example.py (header first, columns two or more
    spaces apart) as dicts by header name."""
    header = lines[0]
    columns = list(re.finditer(r"\S+(?: \S+)*", header))  # "TOP REASON" is one
    names = [c.group() for c in columns]
    starts = [c.start() for c in columns]
    rows = []
    for line in lines[1:]:
        cells = [line[start:end].strip() for start, end in
                 zip(starts, starts[1:] + [len(line)])]
        rows.append(dict(zip(names, cells)))
    return rows


class ExampleTest(unittest.TestCase):
    """example.py as a user runs it, against a real sociod."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="socio-python-test-")
        self.addCleanup(self.tmp.cleanup)
        self.sociod = Sociod(self.tmp.name)
        self.addCleanup(self.sociod.stop)
        # Generated members, then one the server must reject (no such country).
        self.profiles_path = os.path.join(self.tmp.name, "members.jsonl")
        subprocess.run([SOCIO_GEN, "--count", str(PROFILES), "--seed", "7",
                        "--output", self.profiles_path], check=True, timeout=60)
        with open(self.profiles_path, encoding="utf-8") as f:
            self.profiles = [json.loads(line) for line in f if line.strip()]
        self.assertEqual(len(self.profiles), PROFILES)
        bad = dict(self.profiles[0], id="bad-country", country="XX")
        with open(self.profiles_path, "a", encoding="utf-8") as f:
            f.write(json.dumps(bad) + "\n")

    def tearDown(self):
        self.sociod.stop()

    def run_example(self, *args, extra_env=None):
        return subprocess.run(
            ["/usr/bin/python3", EXAMPLE, "--server", self.sociod.address] + list(args),
            capture_output=True, text=True, env=dict(example_env(), **(extra_env or {})),
            cwd=self.tmp.name, timeout=120)

    def member_with_partners(self):
        """A generated member with a partnership objective (those have partners)."""
        for p in self.profiles:
            if p.get("objectives") and p.get("visibility") == "FEDERATION":
                return p
        self.fail("socio-gen wrote no member with objectives")

    def find_partners(self, member_id):
        """The server's own answer, through socio_client."""
        import socio_client
        from socio.v1 import match_service_pb2
        with socio_client.connect(self.sociod.address) as client:
            return client.match_service.FindPartners(
                match_service_pb2.FindPartnersRequest(member_id=member_id, k=MATCHES),
                timeout=30).matches

    def check_import_and_matches(self, stdout, member):
        summary = section(stdout, "Imported ")[0]
        # Every line of the file is accounted for: all generated ones created,
        # the bad one rejected and named.
        self.assertIn(f"{PROFILES + 1} received, {PROFILES} created, 0 updated, 1 rejected",
                      summary)
        self.assertRegex(stdout, r"item 300 \(id 'bad-country'\): INVALID_ARGUMENT: .*country")

        table = section(stdout, "Top ")
        self.assertIn(f"partners for {member['id']} ", table[0])
        rows = parse_table(table[1:])
        self.assertEqual(len(rows), MATCHES)
        self.assertEqual([r["RANK"] for r in rows], [str(i) for i in range(1, MATCHES + 1)])
        self.assertNotIn(member["id"], [r["PARTNER"] for r in rows])
        scores = [float(r["SCORE"]) for r in rows]
        self.assertEqual(scores, sorted(scores, reverse=True))
        expected = self.find_partners(member["id"])
        self.assertEqual([r["PARTNER"] for r in rows], [m.partner_id for m in expected])
        self.assertEqual([r["COUNTRY"] for r in rows], [m.partner_country for m in expected])
        self.assertTrue(all(r["TOP REASON"] for r in rows), rows)
        return expected

    def test_imports_matches_plans_and_prints_the_ics_agenda(self):
        member = self.member_with_partners()
        result = self.run_example("--profiles", self.profiles_path, "--member", member["id"],
                                  "--k", str(MATCHES))
        self.assertEqual(result.returncode, 0, result.stderr + result.stdout)
        matches = self.check_import_and_matches(result.stdout, member)

        # To the best partner abroad, the member's own country only if it has none.
        best = next((m for m in matches if m.partner_country != member["country"]), matches[0])
        created = section(result.stdout, "Created delegation ")[0]
        self.assertIn(f"{member['country']} -> {best.partner_country} "
                      f"(best partner there: {best.partner_id})", created)
        planned = section(result.stdout, "Planned delegation ")[0]
        self.assertNotIn(" 0 meetings", planned)

        import icalendar
        title = f"Agenda of {member['id']}: "
        agenda_at = result.stdout.index(title)
        content = result.stdout[agenda_at:].split("\n", 1)[1]
        calendar = icalendar.Calendar.from_ical(content)
        events = [c for c in calendar.walk() if c.name == "VEVENT"]
        self.assertGreaterEqual(len(events), 1)
        self.assertIn(f"{title}{len(events)} meetings", result.stdout)
        self.assertEqual(len({str(e["UID"]) for e in events}), len(events))
        # The best partner is a named host in its own city: the member meets it.
        summaries = " ".join(str(e.get("SUMMARY", "")) for e in events)
        self.assertIn(f"({best.partner_id})", summaries)

    def test_prints_the_agenda_as_csv_and_runs_again(self):
        member = self.member_with_partners()
        result = self.run_example("--profiles", self.profiles_path, "--member", member["id"],
                                  "--k", str(MATCHES), "--agenda-format", "csv")
        self.assertEqual(result.returncode, 0, result.stderr + result.stdout)
        self.check_import_and_matches(result.stdout, member)
        title = f"Agenda of {member['id']}: "
        content = result.stdout[result.stdout.index(title):].split("\n", 1)[1]
        rows = list(csv.reader(io.StringIO(content)))
        self.assertGreaterEqual(len(rows), 2, content)  # a header and a meeting
        self.assertTrue(all(len(row) == len(rows[0]) for row in rows), content)
        first_id = section(result.stdout, "Created delegation ")[0].split()[2].rstrip(":")

        # Again, without importing: a second delegation beside the first.
        again = self.run_example("--member", member["id"], "--k", str(MATCHES))
        self.assertEqual(again.returncode, 0, again.stderr + again.stdout)
        second_id = section(again.stdout, "Created delegation ")[0].split()[2].rstrip(":")
        self.assertEqual(second_id, f"{first_id}-2")

    def test_token_is_sent_to_a_server_that_requires_one(self):
        if "--admin_token_file" not in sociod_help():
            self.skipTest("this sociod asks for no tokens")
        self.sociod.stop()
        work_dir = os.path.join(self.tmp.name, "with-auth")
        os.mkdir(work_dir)
        token_file = os.path.join(work_dir, "admin.token")
        self.sociod = Sociod(work_dir, ["--admin_token_file", token_file])
        self.addCleanup(self.sociod.stop)
        member = self.member_with_partners()

        refused = self.run_example("--profiles", self.profiles_path, "--member", member["id"])
        self.assertEqual(refused.returncode, 1, refused.stdout)
        self.assertIn("ProfileService.ImportProfiles: UNAUTHENTICATED", refused.stderr)

        with open(token_file, encoding="utf-8") as f:
            token = f.read().strip()
        accepted = self.run_example("--profiles", self.profiles_path, "--member", member["id"],
                                    extra_env={"SOCIO_TOKEN": token})
        self.assertEqual(accepted.returncode, 0, accepted.stderr + accepted.stdout)
        self.assertIn(f"{PROFILES} created", accepted.stdout)

    def test_tls_with_the_servers_ca(self):
        if "--tls_cert" not in sociod_help() or "--admin_token_file" not in sociod_help():
            self.skipTest("this sociod serves no TLS")
        if shutil.which("openssl") is None:
            self.skipTest("no openssl to make a certificate with")
        work_dir = os.path.join(self.tmp.name, "with-tls")
        os.mkdir(work_dir)
        cert = os.path.join(work_dir, "server.pem")
        key = os.path.join(work_dir, "server.key")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", key, "-out", cert],
                       check=True, capture_output=True, timeout=30)
        self.sociod.stop()
        token_file = os.path.join(work_dir, "admin.token")
        self.sociod = Sociod(work_dir, ["--tls_cert", cert, "--tls_key", key,
                                        "--admin_token_file", token_file])
        self.addCleanup(self.sociod.stop)
        with open(token_file, encoding="utf-8") as f:
            token = f.read().strip()
        member = self.member_with_partners()

        result = self.run_example("--tls-ca", cert, "--token", token,
                                  "--profiles", self.profiles_path, "--member", member["id"])
        self.assertEqual(result.returncode, 0, result.stderr + result.stdout)
        self.assertIn(f"{PROFILES} created", result.stdout)
        # Plaintext to a TLS port fails, and says so with a gRPC code.
        plaintext = self.run_example("--token", token, "--member", member["id"])
        self.assertEqual(plaintext.returncode, 1)
        self.assertIn("UNAVAILABLE", plaintext.stderr)

    def test_unknown_member_fails_with_not_found(self):
        result = self.run_example("--member", "no-such-member")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("NOT_FOUND", result.stderr)
        self.assertIn("no-such-member", result.stderr)
        self.assertNotIn("Traceback", result.stderr)

    def test_malformed_profiles_file_names_the_line(self):
        path = os.path.join(self.tmp.name, "broken.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            f.write(json.dumps(self.profiles[0]) + "\n{\"id\": \n")
        result = self.run_example("--profiles", path, "--member", self.profiles[0]["id"])
        self.assertEqual(result.returncode, 1)
        self.assertIn(f"{path}:2: not a profile in proto JSON", result.stderr)
        self.assertNotIn("Traceback", result.stderr)


def profile_contact(name, email):
    """A socio.v1.Contact (profile.proto), as chambers hold them too."""
    from socio.v1 import profile_pb2
    return profile_pb2.Contact(name=name, email=email)


class EngagementTest(unittest.TestCase):
    """socio_client's engagement_service and notification_service against a
    real sociod with tokens: a member marks interest and asks a partner for a
    meeting, the partner accepts, and each is told on its watch stream."""

    MEMBERS = [
        dict(id="de-1", chamber_id="ihk-stuttgart", name="Huber Ventiltechnik", country="DE",
             sectors=["28.14"]),
        dict(id="cl-1", chamber_id="camara-santiago", name="Distribuidora Andina", country="CL",
             sectors=["46.69"]),
    ]

    def setUp(self):
        if "--admin_token_file" not in sociod_help():
            self.skipTest("this sociod asks for no tokens")
        import grpc
        import socio_client
        from socio.v1 import admin_service_pb2
        from socio.v1 import admin_service_pb2_grpc
        from socio.v1 import profile_pb2
        from socio.v1 import profile_service_pb2
        self.tmp = tempfile.TemporaryDirectory(prefix="socio-python-engagement-")
        self.addCleanup(self.tmp.cleanup)
        token_file = os.path.join(self.tmp.name, "admin.token")
        self.sociod = Sociod(self.tmp.name, ["--admin_token_file", token_file])
        self.addCleanup(self.sociod.stop)
        with open(token_file, encoding="utf-8") as f:
            operator = f.read().strip()
        self.operator = operator
        with socio_client.connect(self.sociod.address, token=operator) as client:
            for member in self.MEMBERS:
                client.profile_service.CreateProfile(profile_service_pb2.CreateProfileRequest(
                    profile=profile_pb2.Profile(visibility=profile_pb2.Profile.FEDERATION,
                                                **member)), timeout=30)
            # Tokens are issued through the generated stub: the client wraps
            # no AdminService.
            admin = admin_service_pb2_grpc.AdminServiceStub(client.channel)
            self.tokens = {}
            for member in self.MEMBERS:
                issued = admin.IssueToken(
                    admin_service_pb2.IssueTokenRequest(
                        role=admin_service_pb2.MEMBER, profile_id=member["id"]),
                    metadata=(("authorization", f"Bearer {operator}"),), timeout=30)
                self.tokens[member["id"]] = issued.token
        self.grpc = grpc

    def connect(self, member_id):
        import socio_client
        client = socio_client.connect(self.sociod.address, token=self.tokens[member_id])
        self.addCleanup(client.close)
        return client

    @staticmethod
    def window(hours):
        from socio.v1 import engagement_pb2
        start = (int(time.time()) // 3600 + hours) * 3600
        window = engagement_pb2.TimeWindow()
        window.start_time.seconds = start
        window.end_time.seconds = start + 1800
        return window

    def create_mission(self, delegation_id, date, **more):
        """Creates, as the operator, Stuttgart's one-morning mission to
        Santiago `delegation_id` on `date` (de-1 meets cl-1), with the other
        Delegation fields in `more`; returns the operator's client."""
        import socio_client
        from socio.v1 import delegation_pb2
        from socio.v1 import delegation_service_pb2
        operator = socio_client.connect(self.sociod.address, token=self.operator)
        self.addCleanup(operator.close)
        operator.delegation_service.CreateDelegation(delegation_service_pb2.CreateDelegationRequest(
            delegation=delegation_pb2.Delegation(
                id=delegation_id, chamber_id="ihk-stuttgart",
                name=f"Mission to Chile {date[:4]}", origin_country="DE", host_country="CL",
                days=[delegation_pb2.ItineraryDay(date=date, city="Santiago",
                                                  start_time="09:00", end_time="12:00")],
                delegates=[delegation_pb2.Participant(member_id="de-1")],
                hosts=[delegation_pb2.Participant(member_id="cl-1")], **more)), timeout=30)
        return operator

    def watch(self, client, count, after=0, timeout=20):
        """The first `count` notifications on the caller's own stream after
        `after`; SocioError DEADLINE_EXCEEDED if they do not come within
        `timeout` seconds."""
        from socio.v1 import notification_pb2
        stream = client.notification_service.WatchNotifications(
            notification_pb2.WatchNotificationsRequest(after_sequence=after), timeout=timeout)
        try:
            return [next(stream) for _ in range(count)]
        finally:
            stream.cancel()

    def test_a_member_asks_the_partner_accepts_and_both_are_told(self):
        import socio_client
        from socio.v1 import engagement_pb2
        from socio.v1 import engagement_service_pb2
        from socio.v1 import notification_pb2
        huber, andina = self.connect("de-1"), self.connect("cl-1")

        mark = huber.engagement_service.SetInterest(engagement_service_pb2.SetInterestRequest(
            member_id="de-1", partner_ref="cl-1", mark=engagement_pb2.Interest.INTERESTED),
            timeout=30)
        self.assertEqual((mark.mark, mark.mutual), (engagement_pb2.Interest.INTERESTED, False))

        ask = engagement_service_pb2.CreateMeetingRequestRequest(
            request=engagement_pb2.MeetingRequest(
                from_member_id="de-1", to_ref="cl-1",
                message="Wir suchen einen Vertriebspartner in Chile.",
                proposed=[self.window(48), self.window(72)]))
        sent = huber.engagement_service.CreateMeetingRequest(ask, timeout=30)
        self.assertEqual(sent.state, engagement_pb2.MeetingRequest.PENDING)
        # The client gave the request a request_id: sending it again is a retry.
        self.assertRegex(ask.request_id, r"^[0-9a-f-]{36}$")
        again = huber.engagement_service.CreateMeetingRequest(ask, timeout=30)
        self.assertEqual(again.id, sent.id)

        # The partner is told, finds it in its inbox and accepts the second window.
        told = self.watch(andina, 1)
        self.assertEqual(told[0].kind, notification_pb2.Notification.REQUEST_RECEIVED)
        self.assertEqual(told[0].summary, "Huber Ventiltechnik asks to meet you")
        inbox = andina.engagement_service.ListMeetingRequests(
            engagement_service_pb2.ListMeetingRequestsRequest(
                box=engagement_service_pb2.ListMeetingRequestsRequest.RECEIVED), timeout=30)
        self.assertEqual([r.id for r in inbox.requests], [sent.id])
        accepted = andina.engagement_service.AnswerMeetingRequest(
            engagement_service_pb2.AnswerMeetingRequestRequest(id=sent.id, accept=True, window=1),
            timeout=30)
        self.assertEqual(accepted.state, engagement_pb2.MeetingRequest.ACCEPTED)
        self.assertEqual(accepted.accepted_window, sent.proposed[1])

        # The requester's stream brings the answer; resumed after it, nothing more.
        answer = self.watch(huber, 1)[0]
        self.assertEqual(answer.kind, notification_pb2.Notification.REQUEST_ACCEPTED)
        self.assertEqual(answer.request.id, sent.id)
        self.assertEqual(answer.request.calendar_uid, accepted.calendar_uid)
        self.assertIn("Distribuidora Andina accepted your meeting request", answer.summary)
        with self.assertRaises(socio_client.SocioError) as raised:
            self.watch(huber, 1, after=answer.sequence, timeout=2)  # nothing comes
        self.assertEqual(raised.exception.code, self.grpc.StatusCode.DEADLINE_EXCEEDED)
        self.assertEqual(raised.exception.rpc, "NotificationService.WatchNotifications")

        # A second answer is refused, naming the state.
        with self.assertRaises(socio_client.SocioError) as raised:
            andina.engagement_service.AnswerMeetingRequest(
                engagement_service_pb2.AnswerMeetingRequestRequest(id=sent.id, accept=False),
                timeout=30)
        self.assertEqual(raised.exception.code, self.grpc.StatusCode.FAILED_PRECONDITION)
        self.assertIn("ACCEPTED", raised.exception.message)

        # The meeting's outcome: each side sees its own answers, and feedback
        # waits for the meeting's end.
        from socio.v1 import outcome_pb2
        from socio.v1 import outcome_service_pb2
        meeting = outcome_pb2.MeetingRef(request_id=sent.id)
        seen = andina.outcome_service.GetMeetingOutcome(
            outcome_service_pb2.GetMeetingOutcomeRequest(meeting=meeting), timeout=30)
        self.assertEqual([s.member_id for s in seen.sides], ["de-1", "cl-1"])
        self.assertEqual([s.hidden for s in seen.sides], [True, False])
        self.assertEqual(seen.end_time, accepted.accepted_window.end_time)
        with self.assertRaises(socio_client.SocioError) as raised:
            huber.outcome_service.RecordOutcome(outcome_service_pb2.RecordOutcomeRequest(
                meeting=meeting, feedback=outcome_pb2.MeetingFeedback(
                    attendance=outcome_pb2.MeetingFeedback.HELD, rating=5,
                    follow_up=outcome_pb2.MeetingFeedback.YES)), timeout=30)
        self.assertEqual(raised.exception.code, self.grpc.StatusCode.FAILED_PRECONDITION)
        self.assertIn("ends at", raised.exception.message)
        self.assertIsInstance(huber.list_outcomes(timeout=30), list)

        # Far too few outcomes for a weight suggestion: it says so. Members
        # may not ask.
        with socio_client.connect(self.sociod.address, token=self.operator) as operator:
            suggestion = operator.suggest_match_policy("ihk-stuttgart", timeout=30)
        self.assertFalse(suggestion.enough_outcomes)
        self.assertEqual((suggestion.outcomes, suggestion.min_outcomes), (0, 500))
        self.assertIn("not enough outcomes", suggestion.message)
        self.assertGreater(suggestion.current.objective, 0)
        with self.assertRaises(socio_client.SocioError) as raised:
            huber.suggest_match_policy("ihk-stuttgart", timeout=30)
        self.assertEqual(raised.exception.code, self.grpc.StatusCode.PERMISSION_DENIED)


    def test_a_host_is_invited_answers_and_the_staff_see_the_rate(self):
        import socio_client
        from socio.v1 import delegation_pb2
        from socio.v1 import notification_pb2
        operator = self.create_mission("cl27", "2027-04-12", host_chamber_id="camara-santiago")
        sent = operator.invite_hosts("cl27", deadline=time.time() + 7 * 86400, timeout=30)
        self.assertEqual([i.host_id for i in sent.invitations], ["cl-1"])
        self.assertEqual(sent.summary.pending, 1)

        andina = self.connect("cl-1")
        told = self.watch(andina, 1)[0]
        self.assertEqual(told.kind, notification_pb2.Notification.HOST_INVITED)
        self.assertEqual(told.delegation_id, "cl27")
        mine = andina.list_host_invitations(member_id="cl-1", timeout=30)
        self.assertEqual([l.delegation_name for l in mine.listings], ["Mission to Chile 2027"])
        answered = andina.answer_host_invitation("cl27", "cl-1", True, note="Mornings", timeout=30)
        self.assertEqual(answered.status, delegation_pb2.HostInvitation.ACCEPTED)
        counted = operator.list_host_invitations(delegation_id="cl27", timeout=30)
        self.assertEqual(counted.summary.accepted, 1)
        self.assertEqual(counted.summary.response_rate, 1.0)
        # Another company may not answer for it: the invitation is not there for it.
        with self.assertRaises(socio_client.SocioError) as raised:
            self.connect("de-1").answer_host_invitation("cl27", "cl-1", False, timeout=30)
        self.assertEqual(raised.exception.code, self.grpc.StatusCode.NOT_FOUND)

    def test_staff_and_a_delegate_read_the_briefing(self):
        import datetime
        import zoneinfo
        import socio_client
        operator = self.create_mission("cl28", "2028-04-11",
                                       briefing_notes="Bring business cards in Spanish.")

        briefing = operator.get_briefing("cl28", timeout=30)
        self.assertEqual((briefing.origin.code, briefing.host.code), ("DE", "CL"))
        self.assertEqual((briefing.delegates, briefing.hosts), (1, 1))
        self.assertEqual(briefing.staff_notes, "Bring business cards in Spanish.")
        self.assertEqual(briefing.file_name, "cl28-briefing.md")
        self.assertIn("Bring business cards in Spanish.", briefing.markdown)
        # The time difference on the day, worked out here from the zones named.
        [day] = briefing.days
        self.assertEqual(day.date, "2028-04-11")
        venue = zoneinfo.ZoneInfo(day.venue_time_zone)
        noon = datetime.datetime(2028, 4, 11, 12, tzinfo=venue)
        origin_offset = noon.astimezone(zoneinfo.ZoneInfo(day.origin_time_zone)).utcoffset()
        expected = (noon.utcoffset() - origin_offset) // datetime.timedelta(minutes=1)
        self.assertEqual(day.offset_minutes, expected)
        self.assertEqual(day.overlap_minutes, max(0, 480 - abs(expected)))

        # The delegate reads it without the staff's notes; another company
        # may not read it as the delegate sees it: it does not find it.
        mine = self.connect("de-1").get_briefing("cl28", member_id="de-1", timeout=30)
        self.assertEqual(mine.staff_notes, "")
        self.assertNotIn("business cards", mine.markdown)
        self.assertEqual(len(mine.days), 1)
        with self.assertRaises(socio_client.SocioError) as raised:
            self.connect("cl-1").get_briefing("cl28", member_id="de-1", timeout=30)
        self.assertEqual(raised.exception.code, self.grpc.StatusCode.NOT_FOUND)

    def test_two_companies_start_and_review_a_partnership(self):
        import socio_client
        from socio.v1 import notification_pb2
        from socio.v1 import partnership_pb2
        from socio.v1 import partnership_service_pb2
        huber, andina = self.connect("de-1"), self.connect("cl-1")
        create = partnership_service_pb2.CreatePartnershipRequest(
            partnership=partnership_pb2.Partnership(
                first_member_id="de-1", second_member_id="cl-1", title="Valves for Chile",
                goals=[partnership_pb2.SharedGoal(
                    title="Sell valves in Chile",
                    indicator=partnership_pb2.Indicator(
                        name="Units sold", unit="units", target=500, due_date="2027-12-31"))]))
        started = huber.partnership_service.CreatePartnership(create, timeout=30)
        self.assertEqual(started.status, partnership_pb2.Partnership.EXPLORING)
        # The client gave the create a request_id: sending it again is a retry.
        self.assertRegex(create.request_id, r"^[0-9a-f-]{36}$")
        again = huber.partnership_service.CreatePartnership(create, timeout=30)
        self.assertEqual(again.id, started.id)

        told = self.watch(andina, 1)[0]
        self.assertEqual(told.kind, notification_pb2.Notification.PARTNERSHIP_CREATED)
        self.assertEqual(told.partnership.id, started.id)

        review = andina.partnership_service.RecordReview(
            partnership_service_pb2.RecordReviewRequest(
                partnership_id=started.id,
                review=partnership_pb2.PartnershipReview(
                    judgement=partnership_pb2.PartnershipReview.ON_TRACK,
                    readings=[partnership_pb2.IndicatorReading(
                        indicator="Units sold", value=42,
                        judgement=partnership_pb2.PartnershipReview.AT_RISK)],
                    note="First containers shipped.")), timeout=30)
        self.assertEqual(review.number, 1)
        self.assertEqual(review.readings[0].judgement, partnership_pb2.PartnershipReview.AT_RISK)
        with self.assertRaises(socio_client.SocioError) as raised:
            andina.partnership_service.RecordReview(
                partnership_service_pb2.RecordReviewRequest(
                    partnership_id=started.id,
                    review=partnership_pb2.PartnershipReview(
                        judgement=partnership_pb2.PartnershipReview.ON_TRACK)), timeout=30)
        self.assertEqual(raised.exception.code, self.grpc.StatusCode.INVALID_ARGUMENT)
        self.assertIn("Units sold", raised.exception.message)
        listed = huber.partnership_service.ListPartnerships(
            partnership_service_pb2.ListPartnershipsRequest(), timeout=30)
        self.assertEqual([(p.id, p.review_count) for p in listed.partnerships], [(started.id, 1)])

        # The chambers' figures count it, the goal by its own judgement;
        # members may not read them.
        operator = socio_client.connect(self.sociod.address, token=self.operator)
        self.addCleanup(operator.close)
        figures = operator.get_analytics(chamber_id="ihk-stuttgart", group_by="COUNTRY_PAIR",
                                         timeout=30)
        self.assertEqual(figures.total.partnerships, 1)
        self.assertEqual(figures.total.goals_at_risk, 1)
        self.assertEqual([row.key for row in figures.rows], ["CL-DE"])
        self.assertFalse(figures.total.HasField("acceptance_rate"))
        with self.assertRaises(socio_client.SocioError) as raised:
            huber.get_analytics(timeout=30)
        self.assertEqual(raised.exception.code, self.grpc.StatusCode.PERMISSION_DENIED)

    def test_two_chambers_link_a_visit_and_its_return_visit(self):
        import socio_client
        from socio.v1 import admin_service_pb2
        from socio.v1 import admin_service_pb2_grpc
        from socio.v1 import delegation_pb2
        from socio.v1 import delegation_service_pb2
        from socio.v1 import exchange_pb2
        from socio.v1 import exchange_service_pb2
        operator = socio_client.connect(self.sociod.address, token=self.operator)
        self.addCleanup(operator.close)
        admin = admin_service_pb2_grpc.AdminServiceStub(operator.channel)
        staff = {}
        for chamber in ("ihk-stuttgart", "camara-santiago"):
            issued = admin.IssueToken(
                admin_service_pb2.IssueTokenRequest(role=admin_service_pb2.STAFF,
                                                    chamber_id=chamber),
                metadata=(("authorization", f"Bearer {self.operator}"),), timeout=30)
            staff[chamber] = socio_client.connect(self.sociod.address, token=issued.token)
            self.addCleanup(staff[chamber].close)

        def delegation(id, chamber, origin, host, city, date, delegate, hosted_by):
            return delegation_service_pb2.CreateDelegationRequest(
                delegation=delegation_pb2.Delegation(
                    id=id, chamber_id=chamber, name=id, origin_country=origin,
                    host_country=host,
                    days=[delegation_pb2.ItineraryDay(date=date, city=city, start_time="09:00",
                                                      end_time="12:00")],
                    delegates=[delegation_pb2.Participant(member_id=delegate)],
                    hosts=[delegation_pb2.Participant(member_id=hosted_by)]))

        stuttgart, santiago = staff["ihk-stuttgart"], staff["camara-santiago"]
        stuttgart.delegation_service.CreateDelegation(delegation(
            "stg-to-scl", "ihk-stuttgart", "DE", "CL", "Santiago", "2027-03-15", "de-1", "cl-1"),
            timeout=30)
        santiago.delegation_service.CreateDelegation(delegation(
            "scl-to-stg", "camara-santiago", "CL", "DE", "Stuttgart", "2027-10-11", "cl-1",
            "de-1"), timeout=30)
        create = exchange_service_pb2.CreateExchangeRequest(exchange=exchange_pb2.Exchange(
            id="stg-scl-2027", name="Stuttgart and Santiago 2027", chamber_id="ihk-stuttgart",
            partner_chamber_id="camara-santiago", visit_delegation_id="stg-to-scl"))
        created = stuttgart.exchange_service.CreateExchange(create, timeout=30)
        self.assertEqual(created.version, 1)
        self.assertRegex(create.request_id, r"^[0-9a-f-]{36}$")

        # Stuttgart's staff may not read Santiago's delegation; Santiago links it.
        link = exchange_service_pb2.UpdateExchangeRequest(
            exchange=exchange_pb2.Exchange(id="stg-scl-2027", return_delegation_id="scl-to-stg"))
        link.update_mask.paths.append("return_delegation_id")
        with self.assertRaises(socio_client.SocioError) as raised:
            stuttgart.exchange_service.UpdateExchange(link, timeout=30)
        self.assertEqual(raised.exception.code, self.grpc.StatusCode.NOT_FOUND)
        linked = santiago.exchange_service.UpdateExchange(link, timeout=30)
        self.assertEqual(linked.return_delegation_id, "scl-to-stg")

        self.assertEqual([e.id for e in santiago.list_exchanges()], ["stg-scl-2027"])
        balance = santiago.get_exchange_balance("stg-scl-2027", timeout=30)
        self.assertEqual(balance.visit.delegates_sent, 1)
        self.assertEqual(balance.chamber.delegates_received, 1)
        self.assertEqual(balance.partner_chamber.companies_hosted, 1)
        with self.assertRaises(socio_client.SocioError) as raised:
            self.connect("de-1").get_exchange_balance("stg-scl-2027", timeout=30)
        self.assertEqual(raised.exception.code, self.grpc.StatusCode.NOT_FOUND)

    def test_chambers_become_partners_only_when_both_agree(self):
        import socio_client
        from socio.v1 import admin_service_pb2
        from socio.v1 import admin_service_pb2_grpc
        from socio.v1 import chamber_pb2
        from socio.v1 import chamber_service_pb2
        from socio.v1 import notification_pb2
        operator = socio_client.connect(self.sociod.address, token=self.operator)
        self.addCleanup(operator.close)
        create = chamber_service_pb2.CreateChamberRequest(chamber=chamber_pb2.Chamber(
            id="ihk-stuttgart", name="IHK Region Stuttgart", country="DE", languages=["de", "en"],
            contacts=[profile_contact("Eva Maier", "eva.maier@ihk.example")]))
        created = operator.chamber_service.CreateChamber(create, timeout=30)
        self.assertEqual(created.version, 1)
        self.assertRegex(create.request_id, r"^[0-9a-f-]{36}$")
        # A member reads the public entry, without contacts.
        entry = self.connect("de-1").chamber_service.GetChamber(
            chamber_service_pb2.GetChamberRequest(id="ihk-stuttgart"), timeout=30)
        self.assertEqual(entry.name, "IHK Region Stuttgart")
        self.assertEqual(len(entry.contacts), 0)
        self.assertEqual([c.id for c in operator.list_chambers(country="DE", page_size=1)],
                         ["ihk-stuttgart"])

        admin = admin_service_pb2_grpc.AdminServiceStub(operator.channel)
        staff = {}
        for chamber in ("ihk-stuttgart", "camara-santiago"):
            issued = admin.IssueToken(
                admin_service_pb2.IssueTokenRequest(role=admin_service_pb2.STAFF,
                                                    chamber_id=chamber),
                metadata=(("authorization", f"Bearer {self.operator}"),), timeout=30)
            staff[chamber] = socio_client.connect(self.sociod.address, token=issued.token)
            self.addCleanup(staff[chamber].close)
        stuttgart, santiago = staff["ihk-stuttgart"], staff["camara-santiago"]
        stuttgart.chamber_service.ProposePartnerChamber(
            chamber_service_pb2.ProposePartnerChamberRequest(partner_chamber_id="camara-santiago",
                                                             note="Exchange visits"),
            timeout=30)
        with self.assertRaises(socio_client.SocioError) as raised:
            stuttgart.chamber_service.AcceptPartnerChamber(
                chamber_service_pb2.AcceptPartnerChamberRequest(
                    partner_chamber_id="camara-santiago"), timeout=30)
        self.assertEqual(raised.exception.code, self.grpc.StatusCode.FAILED_PRECONDITION)
        told = self.watch(santiago, 1)[0]
        self.assertEqual(told.kind, notification_pb2.Notification.CHAMBER_PARTNER_PROPOSED)
        self.assertEqual(told.chamber_partner.partner_name, "IHK Region Stuttgart")
        accepted = santiago.chamber_service.AcceptPartnerChamber(
            chamber_service_pb2.AcceptPartnerChamberRequest(partner_chamber_id="ihk-stuttgart"),
            timeout=30)
        self.assertEqual(accepted.state, chamber_pb2.ChamberPartner.ACTIVE)
        links = stuttgart.list_partner_chambers(states=[chamber_pb2.ChamberPartner.ACTIVE])
        self.assertEqual([link.partner_chamber_id for link in links], ["camara-santiago"])

    def test_an_anonymous_partner_is_named_by_its_handle_until_mutual_interest(self):
        import socio_client
        from socio.v1 import engagement_pb2
        from socio.v1 import engagement_service_pb2
        from socio.v1 import profile_pb2
        from socio.v1 import profile_service_pb2
        from google.protobuf import field_mask_pb2
        operator = socio_client.connect(self.sociod.address, token=self.operator)
        self.addCleanup(operator.close)
        andina_profile = operator.profile_service.UpdateProfile(
            profile_service_pb2.UpdateProfileRequest(
                profile=profile_pb2.Profile(id="cl-1", anonymous=True),
                update_mask=field_mask_pb2.FieldMask(paths=["anonymous"])), timeout=30)
        self.assertTrue(andina_profile.anonymous)
        handle = andina_profile.handle
        self.assertRegex(handle, r"^anon-[a-z2-7]{16}$")
        huber, andina = self.connect("de-1"), self.connect("cl-1")

        # Before: explained by its handle, the partner is named by the handle
        # only; by its id it is not found.
        from socio.v1 import match_service_pb2
        hidden = huber.match_service.ExplainMatch(
            match_service_pb2.ExplainMatchRequest(a_id="de-1", b_id=handle), timeout=30)
        self.assertEqual((hidden.partner_id, hidden.partner_name, hidden.partner_country),
                         (handle, handle, "CL"))
        self.assertTrue(hidden.partner_id.startswith("anon-"))
        with self.assertRaises(socio_client.SocioError) as raised:
            huber.profile_service.GetProfile(
                profile_service_pb2.GetProfileRequest(id="cl-1"), timeout=30)
        self.assertEqual(raised.exception.code, self.grpc.StatusCode.NOT_FOUND)
        self.assertEqual(andina.list_reveals("cl-1", timeout=30), [])

        # A mutual interest, the first mark set on the handle.
        huber.engagement_service.SetInterest(engagement_service_pb2.SetInterestRequest(
            member_id="de-1", partner_ref=handle, mark=engagement_pb2.Interest.INTERESTED),
            timeout=30)
        mark = andina.engagement_service.SetInterest(engagement_service_pb2.SetInterestRequest(
            member_id="cl-1", partner_ref="de-1", mark=engagement_pb2.Interest.INTERESTED),
            timeout=30)
        self.assertTrue(mark.mutual)

        # After: the name, and the reveal on record for the profile.
        shown = huber.profile_service.GetProfile(
            profile_service_pb2.GetProfileRequest(id="cl-1"), timeout=30)
        self.assertEqual((shown.id, shown.name), ("cl-1", "Distribuidora Andina"))
        reveals = andina.list_reveals("cl-1", page_size=1, timeout=30)
        self.assertEqual([(r.profile_id, r.revealed_to, r.reason) for r in reveals],
                         [("cl-1", "de-1", engagement_pb2.Reveal.MUTUAL_INTEREST)])
        self.assertGreater(reveals[0].reveal_time.seconds, 0)
        with self.assertRaises(socio_client.SocioError) as raised:
            huber.list_reveals("cl-1", timeout=30)
        self.assertEqual(raised.exception.rpc, "EngagementService.ListReveals")


class ImportRelay:
    """A gRPC server that passes ImportProfiles streams on to `upstream` as
    bytes, losing message number `drop` (counted from 1) or spoiling message
    `spoil`: SPOIL_MARK in it loses its last byte to one that is not UTF-8,
    so the server cannot parse the message."""

    SPOIL_MARK = b"SPOIL-ME"

    def __init__(self, upstream, drop=None, spoil=None):
        import grpc
        self.channel = grpc.insecure_channel(upstream)
        forward = self.channel.stream_unary("/socio.v1.ProfileService/ImportProfiles")

        def relay(requests, context):
            def messages():
                for number, message in enumerate(requests, start=1):
                    if number == drop:
                        continue
                    if number == spoil:
                        message = message.replace(self.SPOIL_MARK, self.SPOIL_MARK[:-1] + b"\xff")
                    yield message
            try:
                return forward(messages(), timeout=60)
            except grpc.RpcError as e:
                context.abort(e.code(), e.details())

        self.server = grpc.server(concurrent.futures.ThreadPoolExecutor(max_workers=2))
        self.server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(
            "socio.v1.ProfileService",
            {"ImportProfiles": grpc.stream_unary_rpc_method_handler(relay)}),))
        self.address = f"127.0.0.1:{self.server.add_insecure_port('127.0.0.1:0')}"
        self.server.start()

    def stop(self):
        self.server.stop(None)
        self.channel.close()


class ImportTest(unittest.TestCase):
    """socio_client's ImportProfiles against a real sociod: every message
    read, or an error that says what was sent and what the server keeps."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="socio-python-import-")
        self.addCleanup(self.tmp.cleanup)

    def start_sociod(self, *flags):
        sociod = Sociod(self.tmp.name, ["--dev_insecure", *flags])
        self.addCleanup(sociod.stop)
        return sociod

    @staticmethod
    def requests(messages, per_message=100):
        """`messages` requests of new members py-0000 on; the first of the
        fourth message's members is named SPOIL_MARK."""
        from socio.v1 import profile_pb2
        from socio.v1 import profile_service_pb2
        requests = []
        for m in range(messages):
            profiles = [profile_pb2.Profile(id=f"py-{m * per_message + i:04d}",
                                            chamber_id="ihk-muenchen", name=f"Member {i}",
                                            country="DE", sectors=["28.41"])
                        for i in range(per_message)]
            if m == 3:
                profiles[0].name = ImportRelay.SPOIL_MARK.decode()
            requests.append(profile_service_pb2.ImportProfilesRequest(profiles=profiles))
        return requests

    def stored(self, sociod, ids):
        import socio_client
        from socio.v1 import profile_service_pb2
        count = 0
        with socio_client.connect(sociod.address) as client:
            for profile_id in ids:
                try:
                    client.profile_service.GetProfile(
                        profile_service_pb2.GetProfileRequest(id=profile_id), timeout=10)
                    count += 1
                except socio_client.SocioError as e:
                    self.assertEqual(e.code.name, "NOT_FOUND")
        return count

    def import_through(self, sociod, requests, **fault):
        import socio_client
        relay = ImportRelay(sociod.address, **fault)
        self.addCleanup(relay.stop)
        with socio_client.connect(relay.address) as client:
            return client.profile_service.ImportProfiles(iter(requests), timeout=60)

    def test_every_message_read(self):
        sociod = self.start_sociod()
        summary = self.import_through(sociod, self.requests(10))
        self.assertEqual((summary.messages_received, summary.received, summary.created),
                         (10, 1000, 1000))

    def test_a_lost_message_raises_data_loss(self):
        import socio_client
        sociod = self.start_sociod()
        with self.assertRaises(socio_client.SocioError) as raised:
            self.import_through(sociod, self.requests(10), drop=4)
        self.assertEqual(raised.exception.code.name, "DATA_LOSS")
        self.assertIn("the server read 900 of the 1000 profiles sent (9 of 10 messages)",
                      raised.exception.message)

    def test_a_message_that_does_not_parse_fails_the_import(self):
        import socio_client
        sociod = self.start_sociod()
        requests = self.requests(10)
        with self.assertRaises(socio_client.SocioError) as raised:
            self.import_through(sociod, requests, spoil=4)
        self.assertEqual(raised.exception.code.name, "INVALID_ARGUMENT")
        self.assertIn("message 4 of the import stream does not parse", raised.exception.message)
        self.assertIn("read before: 3 messages, 300 items, of which 0 stored",
                      raised.exception.message)
        self.assertIn("(sent before the call ended: ", raised.exception.message)
        self.assertEqual(self.stored(sociod, [p.id for r in requests for p in r.profiles]), 0)

    def test_an_oversized_message_keeps_only_whole_batches_and_says_so(self):
        import socio_client
        from socio.v1 import profile_pb2
        from socio.v1 import profile_service_pb2
        sociod = self.start_sociod("--max_message_bytes", "65536")
        requests = self.requests(15)
        requests.append(profile_service_pb2.ImportProfilesRequest(profiles=[profile_pb2.Profile(
            id="py-big", chamber_id="ihk-muenchen", name="Big", country="DE",
            description="x" * 70000)]))
        with socio_client.connect(sociod.address) as client:
            with self.assertRaises(socio_client.SocioError) as raised:
                client.profile_service.ImportProfiles(iter(requests), timeout=60)
        self.assertEqual(raised.exception.code.name, "RESOURCE_EXHAUSTED")
        self.assertIn("the server keeps only the batches of 1000 it committed before the "
                      "failure: at most 1000 of them", raised.exception.message)
        # The answer may come before the server has committed the first
        # batch: wait for it, whole; the 500 read after it are never stored.
        ids = [p.id for r in requests[:15] for p in r.profiles]
        deadline = time.monotonic() + 20
        while self.stored(sociod, ids[999:1000]) == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(self.stored(sociod, ids[:1000]), 1000)
        self.assertEqual(self.stored(sociod, ids[1000:]), 0)


class ClientTest(unittest.TestCase):
    """socio_client's metadata and errors, seen by a server that records them."""

    def setUp(self):
        import grpc
        from socio.v1 import profile_pb2
        from socio.v1 import profile_service_pb2
        from socio.v1 import profile_service_pb2_grpc

        self.seen_metadata = []
        self.seen_request_ids = []
        test = self

        class Profiles(profile_service_pb2_grpc.ProfileServiceServicer):
            def GetProfile(self, request, context):
                test.seen_metadata.append(dict(context.invocation_metadata()))
                if request.id == "missing":
                    context.abort(grpc.StatusCode.NOT_FOUND, "profile 'missing' not found")
                return profile_pb2.Profile(id=request.id)

            def CreateProfile(self, request, context):
                test.seen_request_ids.append(request.request_id)
                return request.profile

            def ImportProfiles(self, requests, context):
                test.seen_request_ids.extend(r.request_id for r in requests)
                return profile_service_pb2.ImportProfilesSummary()

            def WatchProfiles(self, request, context):
                test.seen_metadata.append(dict(context.invocation_metadata()))
                yield profile_pb2.ProfileChange(sequence=request.after_sequence + 1)
                context.abort(grpc.StatusCode.UNAVAILABLE, "shutting down; resume after 1")

        self.server = grpc.server(concurrent.futures.ThreadPoolExecutor(max_workers=2))
        profile_service_pb2_grpc.add_ProfileServiceServicer_to_server(Profiles(), self.server)
        port = self.server.add_insecure_port("127.0.0.1:0")
        self.server.start()
        self.addCleanup(self.server.stop, None)
        self.address = f"127.0.0.1:{port}"

    def test_sends_the_token_on_every_call(self):
        import socio_client
        from socio.v1 import profile_service_pb2
        with socio_client.connect(self.address, token="s3cret") as client:
            profile = client.profile_service.GetProfile(
                profile_service_pb2.GetProfileRequest(id="a"), timeout=10)
            self.assertEqual(profile.id, "a")
            stream = client.profile_service.WatchProfiles(
                profile_service_pb2.WatchProfilesRequest(), timeout=10)
            next(stream)
            stream.cancel()
        self.assertEqual([m.get("authorization") for m in self.seen_metadata],
                         ["Bearer s3cret", "Bearer s3cret"])

    def test_token_from_the_environment_and_none_without(self):
        import socio_client
        from socio.v1 import profile_service_pb2
        request = profile_service_pb2.GetProfileRequest(id="a")
        with unittest.mock.patch.dict(os.environ, {"SOCIO_TOKEN": "from-env"}):
            with socio_client.connect(self.address) as client:
                client.profile_service.GetProfile(request, timeout=10)
        with unittest.mock.patch.dict(os.environ):
            os.environ.pop("SOCIO_TOKEN", None)
            with socio_client.connect(self.address) as client:
                client.profile_service.GetProfile(request, timeout=10)
        self.assertEqual(self.seen_metadata[0].get("authorization"), "Bearer from-env")
        self.assertNotIn("authorization", self.seen_metadata[1])

    def test_errors_name_the_code_and_message(self):
        import socio_client
        from socio.v1 import profile_service_pb2
        with socio_client.connect(self.address, token="t") as client:
            with self.assertRaises(socio_client.SocioError) as raised:
                client.profile_service.GetProfile(
                    profile_service_pb2.GetProfileRequest(id="missing"), timeout=10)
            self.assertEqual(str(raised.exception), "NOT_FOUND: profile 'missing' not found")
            self.assertEqual(raised.exception.rpc, "ProfileService.GetProfile")

            # A server stream: the items before the error, then SocioError.
            stream = client.profile_service.WatchProfiles(
                profile_service_pb2.WatchProfilesRequest(after_sequence=4), timeout=10)
            self.assertEqual(next(stream).sequence, 5)
            with self.assertRaises(socio_client.SocioError) as raised:
                next(stream)
            self.assertEqual(raised.exception.code.name, "UNAVAILABLE")
            self.assertIn("resume after 1", raised.exception.message)
        self.assertEqual(self.seen_metadata[-1].get("authorization"), "Bearer t")

    def test_creates_and_imports_carry_a_request_id_kept_for_retries(self):
        import socio_client
        from socio.v1 import profile_service_pb2
        with socio_client.connect(self.address) as client:
            create = profile_service_pb2.CreateProfileRequest()
            create.profile.id = "mx-1"
            client.profile_service.CreateProfile(create, timeout=10)
            client.profile_service.CreateProfile(create, timeout=10)  # a retry
            given = profile_service_pb2.CreateProfileRequest(request_id="mine-0001")
            client.profile_service.CreateProfile(given, timeout=10)
            client.profile_service.ImportProfiles(
                iter([profile_service_pb2.ImportProfilesRequest(),
                      profile_service_pb2.ImportProfilesRequest()]), timeout=10)
        first, retry, mine, import_first, import_second = self.seen_request_ids
        self.assertRegex(first, r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                                r"[0-9a-f]{12}$")
        self.assertEqual(retry, first)
        self.assertEqual(mine, "mine-0001")
        self.assertRegex(import_first, r"^[0-9a-f-]{36}$")
        self.assertNotEqual(import_first, first)
        self.assertEqual(import_second, "")

    def test_unreachable_server_is_unavailable(self):
        import socio_client
        from socio.v1 import profile_service_pb2
        self.server.stop(None)
        with socio_client.connect(self.address) as client:
            with self.assertRaises(socio_client.SocioError) as raised:
                client.profile_service.GetProfile(
                    profile_service_pb2.GetProfileRequest(id="a"), timeout=10)
        self.assertEqual(raised.exception.code.name, "UNAVAILABLE")


def main():
    global SOCIOD, SOCIO_GEN, STUBS
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sociod", required=True, help="the built sociod")
    parser.add_argument("--socio-gen", dest="socio_gen", required=True,
                        help="the built socio-gen")
    parser.add_argument("--stubs", required=True,
                        help="the generated Python stubs (BUILD/clients/python/gen)")
    args, rest = parser.parse_known_args()
    SOCIOD, SOCIO_GEN, STUBS = args.sociod, args.socio_gen, args.stubs
    sys.dont_write_bytecode = True  # nothing into the source tree
    sys.path[:0] = [STUBS, HERE]
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
