#!/usr/bin/python3
"""Socio from Python, end to end: import members, find a member's partners,
plan a delegation to the best partner's country, print the member's agenda.

    PYTHONPATH=BUILD_DIR/clients/python/gen /usr/bin/python3 example.py \\
        --server 127.0.0.1:50051 --profiles members.jsonl --member de-0042

--profiles is optional (the members may be stored already); it holds one
profile per line in the proto JSON mapping, as `socio-gen` and
`socio profiles list --json --all` write them. The server and token also come
from SOCIO_SERVER and SOCIO_TOKEN. Exit status: 0 when every step worked;
1 with a message on stderr when one failed.
"""

import argparse
import datetime
import re
import sys
import unicodedata

from google.protobuf import json_format

import socio_client
from socio.v1 import delegation_pb2
from socio.v1 import delegation_service_pb2
from socio.v1 import match_service_pb2
from socio.v1 import profile_pb2
from socio.v1 import profile_service_pb2

# Profiles per ImportProfiles message: well under the message size limit.
IMPORT_BATCH = 200
# Seconds a single call may take (an import of a large file takes longer).
CALL_TIMEOUT = 30
IMPORT_TIMEOUT = 600


class ExampleError(Exception):
    """A problem of the input, reported like a server error."""


def read_profiles(path):
    """The profiles of a JSONL file; ExampleError naming the line if one is
    not a profile in proto JSON. Blank lines are skipped."""
    profiles = []
    try:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, start=1):
                if not line.strip():
                    continue
                try:
                    profiles.append(json_format.Parse(line, profile_pb2.Profile()))
                except json_format.ParseError as e:
                    raise ExampleError(f"{path}:{number}: not a profile in proto JSON: {e}")
    except OSError as e:
        raise ExampleError(f"{path}: {e.strerror}")
    return profiles


def import_profiles(client, profiles, upsert):
    """Streams the profiles to ImportProfiles in batches; the summary."""
    def batches():
        for start in range(0, len(profiles), IMPORT_BATCH):
            yield profile_service_pb2.ImportProfilesRequest(
                profiles=profiles[start:start + IMPORT_BATCH], upsert=upsert)

    return client.profile_service.ImportProfiles(batches(), timeout=IMPORT_TIMEOUT)


def print_import_summary(path, summary):
    print(f"Imported {path}: {summary.received} received, {summary.created} created, "
          f"{summary.updated} updated, {summary.rejected} rejected")
    for error in summary.errors:
        print(f"  item {error.index} (id '{error.id}'): {error.code}: {error.message}")
    if summary.errors_omitted:
        print(f"  ... and {summary.errors_omitted} more rejected items")


def print_table(header, rows):
    """Columns padded to their widest cell, two spaces apart."""
    widths = [max(len(str(row[i])) for row in [header] + rows) for i in range(len(header))]
    for row in [header] + rows:
        cells = [str(cell).ljust(width) for cell, width in zip(row, widths)]
        print("  ".join(cells).rstrip())


def clip(text, width):
    return text if len(text) <= width else text[:width - 1] + "…"


def print_matches(member, matches):
    print(f"\nTop {len(matches)} partners for {member.id} "
          f"({member.name}, {member.city}, {member.country}):")
    rows = [[m.rank, m.partner_id, clip(m.partner_name, 40), m.partner_country,
             f"{m.score:.3f}", clip(m.reasons[0], 70) if m.reasons else ""]
            for m in matches]
    print_table(["RANK", "PARTNER", "NAME", "COUNTRY", "SCORE", "TOP REASON"], rows)


def fold(city):
    """A city name compared the way the planner compares them: without case
    or accents."""
    decomposed = unicodedata.normalize("NFKD", city)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def first_day(text):
    """The --date argument, or the first Monday at least four weeks away."""
    if text:
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise ExampleError(f"--date: '{text}' is not a date (YYYY-MM-DD)")
    day = datetime.date.today() + datetime.timedelta(days=28)
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)


def itinerary_hosts(client, member, best, days):
    """Up to `days` host profiles of the best partner's country, one per
    city: the best partner first, then the member's next best partners
    there."""
    found = client.match_service.FindPartners(
        match_service_pb2.FindPartnersRequest(
            member_id=member.id, k=50,
            filters=match_service_pb2.MatchFilters(countries=[best.partner_country]),
            view=match_service_pb2.FindPartnersRequest.BASIC),
        timeout=CALL_TIMEOUT)
    partner_ids = [best.partner_id] + [m.partner_id for m in found.matches
                                       if m.partner_id != best.partner_id]
    hosts = []
    seen = set()
    for partner_id in partner_ids:
        partner = client.profile_service.GetProfile(
            profile_service_pb2.GetProfileRequest(id=partner_id), timeout=CALL_TIMEOUT)
        if partner.city and fold(partner.city) not in seen:
            seen.add(fold(partner.city))
            hosts.append(partner)
            if len(hosts) == days:
                break
    return hosts


def delegation_for(args, member, best, hosts):
    """A mission of the member to its best partner's country: one day in each
    host's city, the best partner named as a host and more hosts chosen by the
    planner (host_filter)."""
    start = first_day(args.date)
    delegation = delegation_pb2.Delegation(
        chamber_id=member.chamber_id,
        name=f"{member.name} to {best.partner_country}",
        origin_country=member.country,
        host_country=best.partner_country,
        meeting_minutes=30,
        break_minutes=10,
        tables_per_venue=4,
        delegates=[delegation_pb2.Participant(member_id=member.id)],
        hosts=[delegation_pb2.Participant(member_id=best.partner_id)],
        host_filter=delegation_pb2.HostFilter(max_hosts=args.hosts))
    for i, host in enumerate(hosts):
        delegation.days.add(date=(start + datetime.timedelta(days=i)).isoformat(),
                            city=host.city, venue=f"{host.city} business centre",
                            # Empty: the city's zone, else the country's.
                            time_zone=args.time_zone or "", start_time="09:00",
                            end_time="13:00")
    return delegation


def create_delegation(client, args, delegation):
    """Stores the delegation under --delegation-id, or else under the first
    free id of py-MEMBER-COUNTRY-DATE, -2, -3, ... (so the example can run
    again)."""
    if args.delegation_id:
        candidates = [args.delegation_id]
    else:
        base = re.sub(r"[^A-Za-z0-9._-]", "-", f"py-{delegation.delegates[0].member_id}-"
                      f"{delegation.host_country}-{delegation.days[0].date}")[:60]
        candidates = [base] + [f"{base}-{n}" for n in range(2, 100)]
    for i, delegation_id in enumerate(candidates):
        delegation.id = delegation_id
        try:
            return client.delegation_service.CreateDelegation(
                delegation_service_pb2.CreateDelegationRequest(delegation=delegation),
                timeout=CALL_TIMEOUT)
        except socio_client.SocioError as e:
            zone = _needed_zone(e)
            if zone is not None:
                # A city the server cannot place in a country with several
                # zones: take the country's main zone, the first it names.
                day, name = zone
                print(f"note: days[{day}] in {delegation.days[day].city}: time zone {name}",
                      file=sys.stderr)
                delegation.days[day].time_zone = name
                return create_delegation(client, args, delegation)
            if e.code.name != "ALREADY_EXISTS" or i + 1 == len(candidates):
                raise


def _needed_zone(error):
    """(day index, zone) when `error` says a day's time zone is required and
    names the country's zones ("delegation.days[0].time_zone: is required:
    ... (BR uses America/Sao_Paulo, ...)"), else None."""
    if error.code.name != "INVALID_ARGUMENT":
        return None
    match = re.match(r"delegation\.days\[(\d+)\]\.time_zone: is required:.* uses ([A-Za-z_/+-]+)",
                     error.message)
    return (int(match.group(1)), match.group(2)) if match else None


def print_plan(delegation):
    plan = delegation.plan
    print(f"\nPlanned delegation {delegation.id} ({delegation.name}): "
          f"{len(plan.meetings)} meetings with {len(plan.host_ids)} candidate hosts, "
          f"total score {plan.total_score:.3f}, bound {plan.bound:.3f}, gap {plan.gap:.1%}")
    for unplaced in plan.unplaced:
        print(f"  not placed: {unplaced.delegate_id} with {unplaced.host_id}: {unplaced.reason}")


def run(args):
    with socio_client.connect(args.server, args.token, args.tls_ca) as client:
        if args.profiles:
            profiles = read_profiles(args.profiles)
            print_import_summary(args.profiles, import_profiles(client, profiles, args.upsert))

        member = client.profile_service.GetProfile(
            profile_service_pb2.GetProfileRequest(id=args.member), timeout=CALL_TIMEOUT)
        found = client.match_service.FindPartners(
            # A list: the scores and the strongest reason are enough.
            match_service_pb2.FindPartnersRequest(
                member_id=member.id, k=args.k, view=match_service_pb2.FindPartnersRequest.BASIC),
            timeout=CALL_TIMEOUT)
        if not found.matches:
            raise ExampleError(f"no partners found for {member.id}: nothing to plan")
        print_matches(member, found.matches)

        # A mission abroad: to the best partner in another country, if any.
        best = next((m for m in found.matches if m.partner_country != member.country),
                    found.matches[0])
        hosts = itinerary_hosts(client, member, best, args.days)
        if not hosts:
            raise ExampleError(f"partner {best.partner_id} has no city to visit")
        delegation = create_delegation(client, args, delegation_for(args, member, best, hosts))
        print(f"\nCreated delegation {delegation.id}: {delegation.origin_country} -> "
              f"{delegation.host_country} (best partner there: {best.partner_id}), "
              + ", ".join(f"{d.date} {d.city}" + (f" ({d.time_zone})" if d.time_zone else "")
                          for d in delegation.days))
        planned = client.delegation_service.PlanDelegation(
            delegation_service_pb2.PlanDelegationRequest(id=delegation.id),
            timeout=CALL_TIMEOUT)
        print_plan(planned)

        agenda_format = (delegation_service_pb2.GetAgendaRequest.CSV if args.agenda_format == "csv"
                         else delegation_service_pb2.GetAgendaRequest.ICALENDAR)
        agenda = client.delegation_service.GetAgenda(
            delegation_service_pb2.GetAgendaRequest(
                delegation_id=delegation.id, member_id=member.id, format=agenda_format),
            timeout=CALL_TIMEOUT)
        print(f"\nAgenda of {member.id}: {len(agenda.meetings)} meetings, "
              f"{agenda.file_name} ({agenda.content_type}):")
        sys.stdout.write(agenda.content if agenda.content.endswith("\n")
                         else agenda.content + "\n")


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Import members, find a member's partners, plan a delegation to the best "
                    "partner's country and print the member's agenda.")
    parser.add_argument("--server", help="sociod's host:port (default: $SOCIO_SERVER, else "
                        f"{socio_client.DEFAULT_SERVER})")
    parser.add_argument("--token", help="bearer token (default: $SOCIO_TOKEN)")
    parser.add_argument("--tls-ca", dest="tls_ca", metavar="PEM",
                        help="CA certificates of the server's TLS certificate; without it the "
                             "connection is plaintext")
    parser.add_argument("--profiles", metavar="FILE.jsonl",
                        help="profiles to import first, one proto JSON object per line")
    parser.add_argument("--upsert", action="store_true",
                        help="replace stored profiles with the same id instead of rejecting them")
    parser.add_argument("--member", required=True, metavar="ID",
                        help="the member to find partners for and send on the delegation")
    parser.add_argument("--k", type=int, default=5, help="partners to show (default: 5)")
    parser.add_argument("--days", type=int, default=2,
                        help="itinerary days, one city each (default: 2)")
    parser.add_argument("--hosts", type=int, default=10,
                        help="hosts the planner may add beyond the best partner (default: 10)")
    parser.add_argument("--date", help="first day of the delegation, YYYY-MM-DD (default: the "
                        "first Monday at least four weeks from today)")
    parser.add_argument("--time-zone", dest="time_zone", metavar="ZONE",
                        help="IANA time zone of the itinerary's cities (default: the host "
                             "country's main zone; set it for countries with several)")
    parser.add_argument("--delegation-id", dest="delegation_id",
                        help="id of the delegation to create (default: the first free one of "
                             "py-MEMBER-COUNTRY-DATE, then with -2, -3, ...)")
    parser.add_argument("--agenda-format", dest="agenda_format", choices=["ics", "csv"],
                        default="ics", help="the agenda as iCalendar (default) or CSV")
    args = parser.parse_args(argv)
    if args.k < 1 or args.days < 1 or args.hosts < 0:
        parser.error("--k and --days must be at least 1, --hosts at least 0")

    try:
        run(args)
    except socio_client.SocioError as e:
        print(f"example.py: {e.rpc}: {e}", file=sys.stderr)
        return 1
    except ExampleError as e:
        print(f"example.py: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
