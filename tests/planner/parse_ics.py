#!/usr/bin/python3
"""Reads iCalendar files with the icalendar package, as a calendar app would.

Usage: /usr/bin/python3 parse_ics.py FILE...

Prints one JSON object per line, all values strings:
  {"kind": "calendar", "file": F, "name": X-WR-CALNAME, "events": count}
  {"kind": "event", "file": F, "uid", "summary", "location", "description",
   "dtstart", "dtend" (UTC, "2027-03-28T07:30:00Z"), "sequence"}
Exits 1 with a message on stderr when a file does not parse or a time is not
an absolute one. The agenda test (agenda_test.cc) runs it; it is not part of
Socio.
"""

import datetime
import json
import sys

import icalendar


def utc(prop, where):
    value = prop.dt
    if not isinstance(value, datetime.datetime) or value.utcoffset() is None:
        raise ValueError(f"{where}: {value!r} is not an absolute date-time")
    return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def emit(record):
    # UTF-8 whatever the locale says, for the test reads bytes.
    line = json.dumps(record, ensure_ascii=False) + "\n"
    sys.stdout.buffer.write(line.encode("utf-8"))


def text(component, name):
    return str(component[name]) if name in component else ""


def main(paths):
    for path in paths:
        with open(path, "rb") as f:
            calendar = icalendar.Calendar.from_ical(f.read())
        for component in calendar.walk():
            if component.errors:  # icalendar keeps going past bad lines
                raise ValueError(f"{path}: {component.name}: {component.errors}")
        events = calendar.walk("VEVENT")
        emit({"kind": "calendar", "file": path,
              "name": text(calendar, "X-WR-CALNAME"),
              "events": str(len(events))})
        for event in events:
            uid = text(event, "UID")
            emit({
                "kind": "event", "file": path, "uid": uid,
                "summary": text(event, "SUMMARY"),
                "location": text(event, "LOCATION"),
                "description": text(event, "DESCRIPTION"),
                "dtstart": utc(event["DTSTART"], f"{path} {uid} DTSTART"),
                "dtend": utc(event["DTEND"], f"{path} {uid} DTEND"),
                "sequence": str(event.get("SEQUENCE", "")),
            })


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except Exception as error:  # any failure to read is the test's finding
        print(f"parse_ics.py: {error!r}", file=sys.stderr)
        sys.exit(1)
