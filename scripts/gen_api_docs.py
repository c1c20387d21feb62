#!/usr/bin/python3
"""Writes Socio's API reference (Markdown) from the comments in proto/socio/v1.

    /usr/bin/python3 scripts/gen_api_docs.py --out docs/API.md
    /usr/bin/python3 scripts/gen_api_docs.py --check docs/API.md

protoc (with --include_source_info) turns the .proto files into a
FileDescriptorSet; every service, rpc, message, field, enum and enum value
is documented with the comment above it (and the one after it on the same
line). The output depends only on the .proto files: --check exits 1 when the
file differs from what they give, so a comment changed without regenerating
is caught.
"""

import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

from google.protobuf import descriptor_pb2

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE_DIR = os.path.join("socio", "v1")

# Numbers of the fields in descriptor.proto that SourceCodeInfo paths use.
FILE_SYNTAX = 12
FILE_MESSAGE = 4
FILE_ENUM = 5
FILE_SERVICE = 6
MESSAGE_FIELD = 2
MESSAGE_NESTED = 3
MESSAGE_ENUM = 4
MESSAGE_ONEOF = 8
ENUM_VALUE = 2
SERVICE_METHOD = 2

FDP = descriptor_pb2.FieldDescriptorProto
SCALARS = {
    FDP.TYPE_DOUBLE: "double", FDP.TYPE_FLOAT: "float", FDP.TYPE_INT64: "int64",
    FDP.TYPE_UINT64: "uint64", FDP.TYPE_INT32: "int32", FDP.TYPE_FIXED64: "fixed64",
    FDP.TYPE_FIXED32: "fixed32", FDP.TYPE_BOOL: "bool", FDP.TYPE_STRING: "string",
    FDP.TYPE_BYTES: "bytes", FDP.TYPE_UINT32: "uint32", FDP.TYPE_SFIXED32: "sfixed32",
    FDP.TYPE_SFIXED64: "sfixed64", FDP.TYPE_SINT32: "sint32", FDP.TYPE_SINT64: "sint64",
}


def descriptor_set(protoc, proto_root, include_dirs, files):
    """The FileDescriptorSet of `files` (paths under proto_root) and their
    imports, with comments."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "api.pb")
        command = [protoc, f"--proto_path={proto_root}"]
        command += [f"--proto_path={d}" for d in include_dirs]
        command += ["--include_source_info", "--include_imports", f"--descriptor_set_out={out}"]
        try:
            result = subprocess.run(command + files, cwd=proto_root, capture_output=True,
                                    text=True)
        except OSError as e:
            sys.exit(f"gen_api_docs.py: running {protoc}: {e.strerror}")
        if result.returncode != 0:
            sys.exit(f"gen_api_docs.py: protoc failed:\n{result.stderr}")
        with open(out, "rb") as f:
            return descriptor_pb2.FileDescriptorSet.FromString(f.read())


class Comments:
    """The comments of one file, by SourceCodeInfo path."""

    def __init__(self, file):
        self._locations = {tuple(l.path): l for l in file.source_code_info.location}

    def of(self, path):
        """The leading comment and the trailing one, as lines."""
        location = self._locations.get(tuple(path))
        if location is None:
            return []
        parts = [location.leading_comments, location.trailing_comments]
        return clean("\n\n".join(p for p in parts if p.strip()))

    def header(self):
        """The comment block that opens the file (before `syntax`)."""
        location = self._locations.get((FILE_SYNTAX,))
        if location is None:
            return []
        parts = list(location.leading_detached_comments) + [location.leading_comments]
        return clean("\n\n".join(p for p in parts if p.strip()))


def clean(comment):
    """Comment lines without the space after // and without edge blank lines;
    '<' outside `code` escaped so Markdown does not take it for HTML."""
    lines = [line[1:] if line.startswith(" ") else line for line in comment.split("\n")]
    lines = [escape_html(line.rstrip()) for line in lines]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def escape_html(line):
    parts = line.split("`")
    # Even parts are outside code spans (a stray backtick leaves the rest as is).
    return "`".join(part.replace("<", "&lt;") if i % 2 == 0 else part
                    for i, part in enumerate(parts))


def cell(lines):
    """Comment lines as one Markdown table cell."""
    text = " ".join(line.strip() for line in lines if line.strip())
    return text.replace("|", "\\|")


def anchor(full_name):
    """The link target of a file or type: ".socio.v1.Profile" -> "socio-v1-profile"."""
    return re.sub(r"[./]", "-", full_name.lstrip(".")).lower()


def short_name(full_name, package):
    name = full_name.lstrip(".")
    return name[len(package) + 1:] if name.startswith(package + ".") else name


class Writer:
    """The Markdown, line by line, with the links between the types."""

    def __init__(self, files):
        self.out = []
        # Types documented here (linked) and map entries (written as map<K, V>).
        self.documented = set()
        self.map_entries = {}
        for file in files:
            for message, name, _ in walk_messages(file.message_type, "." + file.package,
                                                  [FILE_MESSAGE]):
                if message.options.map_entry:
                    self.map_entries[name] = message
                else:
                    self.documented.add(name)
            for _, name, _ in walk_enums(file):
                self.documented.add(name)

    def line(self, text=""):
        self.out.append(text)

    def paragraph(self, lines):
        if lines:
            self.out.extend(lines)
            self.line()

    def type_ref(self, full_name, package):
        name = short_name(full_name, package)
        if full_name in self.documented:
            return f"[`{name}`](#{anchor(full_name)})"
        return f"`{name}`"

    def field_type(self, field, package):
        if field.type_name in self.map_entries:
            entry = self.map_entries[field.type_name]
            key, value = entry.field[0], entry.field[1]
            return (f"map&lt;{self.field_type(key, package)}, "
                    f"{self.field_type(value, package)}&gt;")
        if field.type in (FDP.TYPE_MESSAGE, FDP.TYPE_ENUM, FDP.TYPE_GROUP):
            return self.type_ref(field.type_name, package)
        return f"`{SCALARS[field.type]}`"

    def service(self, file, service, index, comments):
        path = [FILE_SERVICE, index]
        full = f"{file.package}.{service.name}"
        self.line(f"### {full}")
        self.line(f'<a id="{anchor(full)}"></a>')
        self.line()
        self.paragraph(comments.of(path))
        for i, method in enumerate(service.method):
            request = self.type_ref(method.input_type, file.package)
            response = self.type_ref(method.output_type, file.package)
            if method.client_streaming:
                request = "stream " + request
            if method.server_streaming:
                response = "stream " + response
            self.line(f"#### {service.name}.{method.name}")
            self.line()
            self.line(f"`rpc {method.name}` ({request}) returns ({response})")
            self.line()
            self.paragraph(comments.of(path + [SERVICE_METHOD, i]))

    def message(self, file, message, name, path, comments):
        title = short_name(name, file.package)
        self.line(f"### {title}")
        self.line(f'<a id="{anchor(name)}"></a>')
        self.line()
        self.paragraph(comments.of(path))
        real_oneofs = {}
        for i, oneof in enumerate(message.oneof_decl):
            if not any(f.proto3_optional for f in message.field if f.HasField("oneof_index")
                       and f.oneof_index == i):
                real_oneofs[i] = oneof.name
        if message.field:
            self.line("| Field | Type | Label | Description |")
            self.line("|---|---|---|---|")
            for i, field in enumerate(message.field):
                label = ""
                if field.type_name in self.map_entries:
                    pass  # map<K, V> says it
                elif field.label == FDP.LABEL_REPEATED:
                    label = "repeated"
                elif field.proto3_optional:
                    label = "optional"
                elif field.HasField("oneof_index") and field.oneof_index in real_oneofs:
                    label = f"oneof `{real_oneofs[field.oneof_index]}`"
                description = comments.of(path + [MESSAGE_FIELD, i])
                if field.HasField("oneof_index") and field.oneof_index in real_oneofs:
                    oneof_comment = comments.of(path + [MESSAGE_ONEOF, field.oneof_index])
                    if oneof_comment and i == first_field_of(message, field.oneof_index):
                        description = oneof_comment + description
                self.line(f"| `{field.name}` | {self.field_type(field, file.package)} | "
                          f"{label} | {cell(description)} |")
        else:
            self.line("No fields.")
        self.line()

    def enum(self, file, enum, name, path, comments):
        self.line(f"### {short_name(name, file.package)}")
        self.line(f'<a id="{anchor(name)}"></a>')
        self.line()
        self.paragraph(comments.of(path))
        self.line("| Value | Number | Description |")
        self.line("|---|---|---|")
        for i, value in enumerate(enum.value):
            self.line(f"| `{value.name}` | {value.number} | "
                      f"{cell(comments.of(path + [ENUM_VALUE, i]))} |")
        self.line()


def first_field_of(message, oneof_index):
    for i, field in enumerate(message.field):
        if field.HasField("oneof_index") and field.oneof_index == oneof_index:
            return i
    return -1


def walk_messages(messages, scope, path):
    """(message, full name, path) of every message, each followed by its
    nested ones, in declaration order."""
    for i, message in enumerate(messages):
        name = f"{scope}.{message.name}"
        message_path = path + [i]
        yield message, name, message_path
        yield from walk_messages(message.nested_type, name, message_path + [MESSAGE_NESTED])


def walk_enums(file):
    """(enum, full name, path) of every enum of the file: top-level ones,
    then those nested in messages, in declaration order."""
    scope = "." + file.package
    for i, enum in enumerate(file.enum_type):
        yield enum, f"{scope}.{enum.name}", [FILE_ENUM, i]
    for message, name, path in walk_messages(file.message_type, scope, [FILE_MESSAGE]):
        for i, enum in enumerate(message.enum_type):
            yield enum, f"{name}.{enum.name}", path + [MESSAGE_ENUM, i]


# The rules every service follows; each .proto file says them again where
# they apply.
CONVENTIONS = [
    "## Conventions",
    "",
    "- **Hidden is missing.** An id the caller may not see (another chamber's PRIVATE or CHAMBER "
    "profile, a delegation of another chamber) answers NOT_FOUND with the very message of an id "
    "that does not exist, so ids cannot be probed. PERMISSION_DENIED is left for what the caller "
    "may see but not do.",
    "- **Updates (AIP-134).** Without `update_mask`, an update writes the fields the request sets "
    "(non-empty strings and lists, non-zero numbers and enums, messages present) and never clears "
    "one; a field named in the mask is written, and cleared if the request leaves it empty; the "
    "mask `*` alone replaces every writable field.",
    "- **Retries (AIP-155).** CreateProfile, ImportProfiles, CreateDelegation and PlanDelegation "
    "take an optional `request_id` (8 to 64 letters, digits, `-_.:`, e.g. a UUID). For 24 hours a "
    "retry of the same request by the same caller with the same `request_id` gets the first "
    "answer and changes nothing; the same `request_id` with another request is INVALID_ARGUMENT "
    "naming `request_id`. The `socio` CLI, the gateway and the Python client send one.",
    "- **Import counts.** The ImportProfiles summary says how many messages (`messages_received`) "
    "and items (`received`) the server read; a client compares both with what it sent and treats "
    "a difference as a failure. Clients set `more` on every message but the last, so that a "
    "stream that ends early stores nothing of its unfinished batch and answers INVALID_ARGUMENT.",
    "- **Bad input** is INVALID_ARGUMENT naming the field and the reason, including a request "
    "that does not parse (a string that is not UTF-8); fields the schema does not declare are "
    "dropped; a full disk is RESOURCE_EXHAUSTED.",
    "- **Consistency token (cluster nodes).** On a node of a cluster (`sociod --store etcd`), "
    "every answer to an authenticated caller carries the trailing metadata "
    "`socio-consistency-token`; a call that sends it back in its metadata, to any node, is served "
    "once that node has applied as much, so it reads that write (DEADLINE_EXCEEDED at the call's "
    "deadline, UNAVAILABLE after 5 s: try another node). See docs/CLUSTER.md. The embedded store "
    "sends none and ignores one.",
]


def render(files):
    """The Markdown reference of `files` (FileDescriptorProtos, in order)."""
    w = Writer(files)
    w.line("# Socio API reference")
    w.line()
    w.line("Generated by `scripts/gen_api_docs.py` from the comments in `proto/socio/v1/`; "
           "do not edit it by hand. After changing a .proto file, run")
    w.line("`/usr/bin/python3 scripts/gen_api_docs.py --out docs/API.md`.")
    w.line()
    for line in CONVENTIONS:
        w.line(line)
    w.line()
    w.line("## Contents")
    w.line()
    for file in files:
        w.line(f"- [{file.name}](#{anchor(file.name)})")
        for service in file.service:
            full = f"{file.package}.{service.name}"
            rpcs = ", ".join(m.name for m in service.method)
            w.line(f"  - [{service.name}](#{anchor(full)}): {rpcs}")
    w.line()
    for file in files:
        comments = Comments(file)
        w.line(f"## {file.name}")
        w.line(f'<a id="{anchor(file.name)}"></a>')
        w.line()
        w.paragraph(comments.header())
        for i, service in enumerate(file.service):
            w.service(file, service, i, comments)
        for message, name, path in walk_messages(file.message_type, "." + file.package,
                                                 [FILE_MESSAGE]):
            if not message.options.map_entry:
                w.message(file, message, name, path, comments)
        for enum, name, path in walk_enums(file):
            w.enum(file, enum, name, path, comments)
    while w.out and not w.out[-1]:
        w.out.pop()
    return "\n".join(w.out) + "\n"


def generate(protoc, proto_root, include_dirs):
    package_dir = os.path.join(proto_root, PACKAGE_DIR)
    files = sorted(os.path.join(PACKAGE_DIR, name) for name in os.listdir(package_dir)
                   if name.endswith(".proto"))
    if not files:
        sys.exit(f"gen_api_docs.py: no .proto files in {package_dir}")
    descriptors = descriptor_set(protoc, proto_root, include_dirs, files)
    ours = {f.replace(os.sep, "/") for f in files}
    return render(sorted((f for f in descriptors.file if f.name in ours), key=lambda f: f.name))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--out", metavar="FILE", help="write the reference to FILE")
    mode.add_argument("--check", metavar="FILE",
                      help="exit 1 if FILE differs from what the protos give")
    parser.add_argument("--protoc", default=shutil.which("protoc") or "protoc",
                        help="the protoc to run (default: protoc on PATH)")
    parser.add_argument("--proto_root", default=os.path.join(ROOT, "proto"),
                        help="the directory holding socio/v1 (default: the repository's proto/)")
    parser.add_argument("--include", action="append", default=None, metavar="DIR",
                        help="where google/protobuf/*.proto are (default: /usr/include)")
    args = parser.parse_args()

    text = generate(args.protoc, args.proto_root, args.include or ["/usr/include"])
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
        return 0
    try:
        with open(args.check, encoding="utf-8") as f:
            current = f.read()
    except OSError as e:
        print(f"gen_api_docs.py: {args.check}: {e.strerror}", file=sys.stderr)
        return 1
    if current == text:
        return 0
    diff = list(difflib.unified_diff(current.splitlines(), text.splitlines(),
                                     args.check, "generated from the protos", lineterm=""))
    print("\n".join(diff[:60]), file=sys.stderr)
    if len(diff) > 60:
        print(f"... ({len(diff) - 60} more diff lines)", file=sys.stderr)
    print(f"gen_api_docs.py: {args.check} is stale: regenerate it with\n"
          f"  /usr/bin/python3 {sys.argv[0]} --out {args.check}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
