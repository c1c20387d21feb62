#!/usr/bin/python3
"""Renders Socio's Kubernetes manifests and checks them against the binaries.

No Kubernetes cluster runs where the project is built and tested, so this is
what stands between the manifests and a cluster: it renders each
kustomization under deploy/kubernetes itself and checks that the rendered
objects name the flags, ports, probes and images that sociod and the
Containerfile actually have.

    scripts/check_kubernetes.py --sociod build/services/sociod        # check
    scripts/check_kubernetes.py --print deploy/kubernetes/base         # render
    scripts/check_kubernetes.py --self-test --sociod build/services/sociod

The renderer implements exactly the part of kustomize the manifests use:
`resources` (files and directories), `namespace`, `images` and `patches`
(a strategic-merge patch of one named object without lists, `$patch: delete`
included, or a JSON6902 patch with a target of group, version, kind and
name). Any other field or form is refused with an error, so a render can
never silently differ from kustomize's. Where kubectl is installed, every
render is also compared with `kubectl kustomize`'s.

Exit status: 0 when every check passes, 1 with findings (each names the
kustomization, the object and the field), 2 when something cannot be read or
rendered, 77 (a skip for ctest) when python3-yaml is missing.
"""

import argparse
import copy
import os
import re
import shutil
import subprocess
import sys
import tempfile

try:
    import yaml
except ImportError:
    print("SKIP: python3-yaml is missing (apt-get install python3-yaml)")
    sys.exit(77)

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KUSTOMIZATIONS = ["deploy/kubernetes/base", "deploy/kubernetes/existing-etcd"]
CONTAINERFILE = "deploy/container/Containerfile"
OPERATIONS = "docs/OPERATIONS.md"


class RenderError(Exception):
    """A kustomization this renderer cannot render as kustomize would."""


# --------------------------------------------------------------------------
# The renderer: the subset of kustomize the manifests use.

KUSTOMIZATION_FIELDS = {"apiVersion", "kind", "resources", "namespace", "images", "patches"}
IMAGE_FIELDS = {"name", "newName", "newTag", "digest"}
PATCH_FIELDS = {"path", "patch", "target"}
TARGET_FIELDS = {"group", "version", "kind", "name", "namespace"}
# The kinds whose only change by kustomize's namespace transformer is
# metadata.namespace (a Namespace is renamed instead), checked against
# kustomize. Others (RoleBinding subjects, webhooks, ...) are refused.
NAMESPACED_KINDS = {"Service", "Deployment", "StatefulSet", "CronJob", "PodDisruptionBudget",
                    "NetworkPolicy", "ConfigMap", "Secret", "ServiceAccount"}
KINDS = NAMESPACED_KINDS | {"Namespace"}
# kustomize's legacy output order (its default): these kinds first, in this
# order, the others by group/version/kind, then webhook configurations.
ORDER_FIRST = ["Namespace", "ResourceQuota", "StorageClass", "CustomResourceDefinition",
               "ServiceAccount", "PodSecurityPolicy", "Role", "ClusterRole", "RoleBinding",
               "ClusterRoleBinding", "ConfigMap", "Secret", "Endpoints", "Service", "LimitRange",
               "PriorityClass", "PersistentVolume", "PersistentVolumeClaim", "Deployment",
               "StatefulSet", "CronJob", "PodDisruptionBudget"]
ORDER_LAST = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"]


def object_id(obj):
    """(group, kind, namespace, name): how kustomize tells objects apart."""
    api = obj.get("apiVersion", "")
    group = api.split("/")[0] if "/" in api else ""
    meta = obj.get("metadata") or {}
    return (group, obj.get("kind"), meta.get("namespace"), meta.get("name"))


def describe(obj):
    return "%s/%s" % (obj.get("kind"), (obj.get("metadata") or {}).get("name"))


def sort_key(obj):
    kind = obj.get("kind")
    if kind in ORDER_FIRST:
        rank = ORDER_FIRST.index(kind)
    elif kind in ORDER_LAST:
        rank = len(ORDER_FIRST) + 1 + ORDER_LAST.index(kind)
    else:
        rank = len(ORDER_FIRST)
    meta = obj.get("metadata") or {}
    return (rank, "%s_%s" % (obj.get("apiVersion"), kind), meta.get("namespace") or "",
            meta.get("name") or "")


def load_yaml_documents(text, where):
    try:
        return [d for d in yaml.safe_load_all(text) if d is not None]
    except yaml.YAMLError as e:
        raise RenderError("%s: not YAML: %s" % (where, e))


def read_file(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError as e:
        raise RenderError("%s: %s" % (path, e.strerror))


def render(directory):
    """The objects the kustomization in `directory` renders, in kustomize's order."""
    return sorted(_render(os.path.normpath(directory)), key=sort_key)


def _render(directory):
    names = [n for n in ("kustomization.yaml", "kustomization.yml", "Kustomization")
             if os.path.isfile(os.path.join(directory, n))]
    if len(names) != 1:
        raise RenderError("%s: needs exactly one kustomization.yaml" % directory)
    where = os.path.join(directory, names[0])
    docs = load_yaml_documents(read_file(where), where)
    if len(docs) != 1 or not isinstance(docs[0], dict):
        raise RenderError("%s: one mapping expected" % where)
    kust = docs[0]
    unknown = sorted(set(kust) - KUSTOMIZATION_FIELDS)
    if unknown:
        raise RenderError("%s: %s: not implemented by this renderer (it implements %s); "
                          "keep the manifests to those or extend scripts/check_kubernetes.py"
                          % (where, ", ".join(unknown), ", ".join(sorted(KUSTOMIZATION_FIELDS))))
    if kust.get("apiVersion", "kustomize.config.k8s.io/v1beta1") != \
            "kustomize.config.k8s.io/v1beta1" or kust.get("kind", "Kustomization") != \
            "Kustomization":
        raise RenderError("%s: apiVersion kustomize.config.k8s.io/v1beta1, kind Kustomization "
                          "expected" % where)

    objects = []
    for resource in kust.get("resources") or []:
        if not isinstance(resource, str) or "://" in resource or resource.startswith("github.com"):
            raise RenderError("%s: resources: %r: only local files and directories are "
                              "implemented" % (where, resource))
        path = os.path.normpath(os.path.join(directory, resource))
        if os.path.isdir(path):
            objects.extend(_render(path))
        elif os.path.isfile(path):
            for doc in load_yaml_documents(read_file(path), path):
                objects.append(_check_resource(doc, path))
        else:
            raise RenderError("%s: resources: %s: no such file or directory" % (where, resource))
    seen = set()
    for obj in objects:
        if object_id(obj) in seen:
            raise RenderError("%s: %s appears twice" % (where, describe(obj)))
        seen.add(object_id(obj))

    for number, patch in enumerate(kust.get("patches") or []):
        objects = _apply_patch(objects, patch, "%s: patches[%d]" % (where, number), directory)

    namespace = kust.get("namespace")
    if namespace is not None:
        if not isinstance(namespace, str) or not namespace:
            raise RenderError("%s: namespace: a name expected" % where)
        for obj in objects:
            if obj["kind"] == "Namespace":
                obj["metadata"]["name"] = namespace
            else:
                obj["metadata"]["namespace"] = namespace

    for number, image in enumerate(kust.get("images") or []):
        here = "%s: images[%d]" % (where, number)
        if not isinstance(image, dict) or "name" not in image:
            raise RenderError("%s: a mapping with a name expected" % here)
        unknown = sorted(set(image) - IMAGE_FIELDS)
        if unknown:
            raise RenderError("%s: %s: not implemented" % (here, ", ".join(unknown)))
        for obj in objects:
            _set_images(obj, image)
    return objects


def _check_resource(doc, path):
    if not isinstance(doc, dict) or not isinstance(doc.get("metadata"), dict) or \
            not doc["metadata"].get("name") or not doc.get("apiVersion"):
        raise RenderError("%s: every document needs apiVersion, kind and metadata.name" % path)
    if doc.get("kind") not in KINDS:
        raise RenderError("%s: kind %s: not implemented by this renderer (it implements %s)"
                          % (path, doc.get("kind"), ", ".join(sorted(KINDS))))
    return doc


def _apply_patch(objects, patch, where, directory):
    if not isinstance(patch, dict):
        raise RenderError("%s: a mapping expected" % where)
    unknown = sorted(set(patch) - PATCH_FIELDS)
    if unknown:
        raise RenderError("%s: %s: not implemented" % (where, ", ".join(unknown)))
    if ("path" in patch) == ("patch" in patch):
        raise RenderError("%s: give path or patch" % where)
    text = read_file(os.path.join(directory, patch["path"])) if "path" in patch else patch["patch"]
    docs = load_yaml_documents(text, where)
    if len(docs) != 1:
        raise RenderError("%s: one patch per entry (kustomize takes no more)" % where)
    body = docs[0]
    if "target" in patch:
        if not isinstance(body, list):
            raise RenderError("%s: a strategic-merge patch with a target is not implemented; "
                              "name the object in the patch instead" % where)
        targets = _select(objects, patch["target"], where)
        for obj in targets:
            _json6902(obj, body, "%s (%s)" % (where, describe(obj)))
        return objects
    if not isinstance(body, dict):
        raise RenderError("%s: a JSON6902 patch needs a target" % where)
    return _strategic_merge(objects, body, where)


def _select(objects, target, where):
    if not isinstance(target, dict):
        raise RenderError("%s: target: a mapping expected" % where)
    unknown = sorted(set(target) - TARGET_FIELDS)
    if unknown:
        raise RenderError("%s: target: %s: not implemented (give group, version, kind and name)"
                          % (where, ", ".join(unknown)))
    if "name" not in target or "kind" not in target:
        raise RenderError("%s: target: kind and name expected" % where)
    for field, value in target.items():
        if not isinstance(value, str) or re.search(r"[*?+^$()\[\]{}|\\]", value):
            raise RenderError("%s: target.%s: %r: only plain names are implemented (kustomize "
                              "reads them as regular expressions)" % (where, field, value))
    found = []
    for obj in objects:
        api = obj["apiVersion"]
        group, version = api.split("/") if "/" in api else ("", api)
        meta = obj["metadata"]
        if obj["kind"] == target["kind"] and meta["name"] == target["name"] and \
                target.get("group", group) == group and \
                target.get("version", version) == version and \
                target.get("namespace", meta.get("namespace")) == meta.get("namespace"):
            found.append(obj)
    if not found:
        raise RenderError("%s: target %s/%s: no such object" % (where, target["kind"],
                                                                target["name"]))
    return found


def _strategic_merge(objects, body, where):
    meta = body.get("metadata") or {}
    if not body.get("apiVersion") or not body.get("kind") or not meta.get("name"):
        raise RenderError("%s: a strategic-merge patch names its object (apiVersion, kind, "
                          "metadata.name)" % where)
    wanted = object_id(body)
    matches = [o for o in objects if object_id(o)[:2] == wanted[:2] and
               object_id(o)[3] == wanted[3] and wanted[2] in (None, object_id(o)[2])]
    if len(matches) != 1:
        raise RenderError("%s: %s: %s" % (where, describe(body),
                                          "no such object" if not matches else "ambiguous"))
    target = matches[0]
    directive = body.get("$patch")
    if directive == "delete":
        return [o for o in objects if o is not target]
    if directive is not None:
        raise RenderError("%s: $patch: %s: only delete is implemented" % (where, directive))
    _merge_maps(target, body, where)
    return objects


def _merge_maps(target, patch, where):
    for key, value in patch.items():
        if key.startswith("$"):
            raise RenderError("%s: %s: directives inside objects are not implemented" %
                              (where, key))
        if isinstance(value, list):
            raise RenderError("%s: %s: lists in strategic-merge patches are merged by keys "
                              "this renderer does not implement; use a JSON6902 patch" %
                              (where, key))
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict):
            if not isinstance(target.get(key), dict):
                target[key] = {}
            _merge_maps(target[key], value, where)
        else:
            target[key] = value


def _pointer(path, where):
    if not isinstance(path, str) or not path.startswith("/"):
        raise RenderError("%s: path %r: a JSON pointer expected" % (where, path))
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def _walk(doc, parts, where, path):
    node = doc
    for part in parts:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and re.fullmatch(r"0|[1-9][0-9]*", part) and \
                int(part) < len(node):
            node = node[int(part)]
        else:
            raise RenderError("%s: %s: no such path" % (where, path))
    return node


def _json6902(obj, operations, where):
    """RFC 6902 on `obj` in place; all or nothing, as kustomize."""
    work = copy.deepcopy(obj)
    for operation in operations:
        if not isinstance(operation, dict) or "op" not in operation:
            raise RenderError("%s: each operation is a mapping with op" % where)
        op, path = operation["op"], operation.get("path")
        parts = _pointer(path, where)
        parent = _walk(work, parts[:-1], where, path)
        last = parts[-1]
        if op in ("add", "replace", "test") and "value" not in operation:
            raise RenderError("%s: %s %s: value expected" % (where, op, path))
        if op == "test":
            if _walk(work, parts, where, path) != operation["value"]:
                raise RenderError("%s: test %s: the value is %r, not %r" % (
                    where, path, _walk(work, parts, where, path), operation["value"]))
        elif op in ("remove", "replace"):
            _walk(work, parts, where, path)
            if isinstance(parent, list):
                if op == "remove":
                    del parent[int(last)]
                else:
                    parent[int(last)] = copy.deepcopy(operation["value"])
            elif op == "remove":
                del parent[last]
            else:
                parent[last] = copy.deepcopy(operation["value"])
        elif op in ("add", "move", "copy"):
            if op == "add":
                value = copy.deepcopy(operation["value"])
            else:
                source = _pointer(operation.get("from"), where)
                value = copy.deepcopy(_walk(work, source, where, operation.get("from")))
                if op == "move":
                    holder = _walk(work, source[:-1], where, operation.get("from"))
                    if isinstance(holder, list):
                        del holder[int(source[-1])]
                    else:
                        del holder[source[-1]]
                    parent = _walk(work, parts[:-1], where, path)
            if isinstance(parent, list):
                if last == "-":
                    parent.append(value)
                elif re.fullmatch(r"0|[1-9][0-9]*", last) and int(last) <= len(parent):
                    parent.insert(int(last), value)
                else:
                    raise RenderError("%s: %s %s: no such index" % (where, op, path))
            elif isinstance(parent, dict):
                parent[last] = value
            else:
                raise RenderError("%s: %s %s: no such path" % (where, op, path))
        else:
            raise RenderError("%s: op %r: not an RFC 6902 operation" % (where, op))
    obj.clear()
    obj.update(work)


def split_image(image):
    """("name", ":tag" or "@digest" or "") of an image reference."""
    if "@" in image:
        name, digest = image.split("@", 1)
        return name, "@" + digest
    slash = image.rfind("/")
    colon = image.rfind(":")
    if colon > slash:
        return image[:colon], image[colon:]
    return image, ""


def _set_images(node, image):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("containers", "initContainers") and isinstance(value, list):
                for container in value:
                    if isinstance(container, dict) and isinstance(container.get("image"), str):
                        name, suffix = split_image(container["image"])
                        if name != image["name"]:
                            continue
                        if "digest" in image:
                            suffix = "@" + str(image["digest"])
                        elif "newTag" in image:
                            suffix = ":" + str(image["newTag"])
                        container["image"] = str(image.get("newName", name)) + suffix
            else:
                _set_images(value, image)
    elif isinstance(node, list):
        for item in node:
            _set_images(item, image)


def to_yaml(objects):
    return "---\n".join(yaml.safe_dump(o, default_flow_style=False, sort_keys=True)
                        for o in objects)


def first_difference(a, b, path=""):
    """Where two parsed YAML values first differ ("" when equal)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b), key=str):
            if key not in a or key not in b:
                return "%s.%s (only in %s)" % (path, key, "ours" if key in a else "kustomize's")
            found = first_difference(a[key], b[key], "%s.%s" % (path, key))
            if found:
                return found
        return ""
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return "%s (%d items against kustomize's %d)" % (path, len(a), len(b))
        for i, (x, y) in enumerate(zip(a, b)):
            found = first_difference(x, y, "%s[%d]" % (path, i))
            if found:
                return found
        return ""
    return "" if a == b else "%s (%r against kustomize's %r)" % (path, a, b)


def compare_with_kubectl(kubectl, directory, objects):
    """Findings where `kubectl kustomize` renders `directory` otherwise."""
    done = subprocess.run([kubectl, "kustomize", directory], capture_output=True, text=True,
                          timeout=60)
    if done.returncode != 0:
        return ["kubectl kustomize %s failed: %s" % (directory, done.stderr.strip()[-500:])]
    theirs = [d for d in yaml.safe_load_all(done.stdout) if d is not None]
    ours_ids = [describe(o) for o in objects]
    their_ids = [describe(o) for o in theirs]
    if ours_ids != their_ids:
        return ["renders %s; kubectl kustomize renders %s" % (", ".join(ours_ids),
                                                              ", ".join(their_ids))]
    findings = []
    for ours, their in zip(objects, theirs):
        where = first_difference(ours, their)
        if where:
            findings.append("%s: differs from kubectl kustomize's render at %s" %
                            (describe(ours), where.lstrip(".")))
    return findings


# --------------------------------------------------------------------------
# What the binaries, the Containerfile and the docs say.

class Context:
    """Everything the manifests are checked against."""

    def __init__(self):
        self.sociod_flags = {}     # "--listen" -> {"value": bool, "many": bool}
        self.version = None        # the project's version (CMakeLists.txt)
        self.image = None          # the Containerfile's documented image name
        self.deb = None            # its SOCIO_DEB
        self.expose = set()        # its EXPOSE ports
        self.user = None           # its USER
        self.entrypoint = None     # its ENTRYPOINT
        self.etcd_settings = {}    # OPERATIONS.md's members: "--flag" -> value
        self.findings = []         # about these files themselves


def sociod_flags(sociod):
    """The flags `sociod --help` lists: whether each takes a value, and several."""
    try:
        done = subprocess.run([sociod, "--help"], capture_output=True, text=True, timeout=60)
    except OSError as e:
        raise RenderError("--sociod %s: %s" % (sociod, e.strerror))
    if done.returncode != 0:
        raise RenderError("%s --help exited with %d: %s" % (sociod, done.returncode,
                                                            done.stderr.strip()))
    flags = {}
    for line in done.stdout.splitlines():
        # "  --listen TEXT=127.0.0.1:50051", "  --etcd_endpoints TEXT ...",
        # "  --dev_insecure              development only: ..."
        m = re.match(r"^\s+(?:-\w,)?(--[A-Za-z0-9][\w-]*)(?: ([A-Z]{2,}(?=[:=\s]|$)\S*))?"
                     r"( \.\.\.)?", line)
        if m:
            kind = m.group(2) or ""
            choices = re.search(r"\{([^}]*)\}", kind)
            bounds = re.search(r" in \[(\S+) - (\S+)\]", line)
            flags[m.group(1)] = {
                "value": m.group(2) is not None, "many": m.group(3) is not None,
                "choices": choices.group(1).split(",") if choices else None,
                "range": (float(bounds.group(1)), float(bounds.group(2))) if bounds else None}
    if "--listen" not in flags:
        raise RenderError("%s --help lists no --listen: not sociod's help?" % sociod)
    return flags


def load_context(sociod):
    context = Context()
    if sociod:
        context.sociod_flags = sociod_flags(sociod)
    cmake = read_file(os.path.join(REPO, "CMakeLists.txt"))
    m = re.search(r"project\(socio VERSION ([0-9.]+)", cmake)
    if not m:
        raise RenderError("CMakeLists.txt: no project(socio VERSION ...)")
    context.version = m.group(1)
    parse_containerfile(read_file(os.path.join(REPO, CONTAINERFILE)), context)
    operations = read_file(os.path.join(REPO, OPERATIONS))
    for variable, flag in (("ETCD_AUTO_COMPACTION_MODE", "--auto-compaction-mode"),
                           ("ETCD_AUTO_COMPACTION_RETENTION", "--auto-compaction-retention"),
                           ("ETCD_QUOTA_BACKEND_BYTES", "--quota-backend-bytes")):
        m = re.search(r"^%s=(\S+)$" % variable, operations, re.M)
        if m:
            context.etcd_settings[flag] = m.group(1)
        else:
            context.findings.append("%s: the systemd members' %s is gone: the etcd members' "
                                    "flags are checked against it" % (OPERATIONS, variable))
    return context


def parse_containerfile(text, context):
    where = CONTAINERFILE
    m = re.findall(r"^# Image name: (\S+)$", text, re.M)
    if len(m) != 1:
        context.findings.append("%s: documents no image name (a line '# Image name: NAME')"
                                % where)
    else:
        context.image = m[0]
        wanted = "socio/sociod:%s" % context.version
        if context.image != wanted:
            context.findings.append("%s: image name %s: the project's version makes it %s"
                                    % (where, context.image, wanted))
    lines = re.sub(r"\\\n", " ", text).splitlines()
    for line in lines:
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        instruction, rest = words[0].upper(), line.split(None, 1)[1] if len(words) > 1 else ""
        if instruction == "ARG" and rest.startswith("SOCIO_DEB="):
            context.deb = rest.split("=", 1)[1].strip()
        elif instruction == "EXPOSE":
            for port in rest.split():
                context.expose.add(int(port.split("/")[0]))
        elif instruction == "USER":
            context.user = rest.strip()
        elif instruction == "ENTRYPOINT":
            try:
                context.entrypoint = yaml.safe_load(rest)
            except yaml.YAMLError:
                context.entrypoint = rest
    wanted_deb = "socio_%s_amd64.deb" % context.version
    if context.deb != wanted_deb:
        context.findings.append("%s: ARG SOCIO_DEB=%s: cpack names the package %s"
                                % (where, context.deb, wanted_deb))
    if context.user is None or not re.fullmatch(r"[0-9]+(:[0-9]+)?", context.user):
        context.findings.append("%s: USER %s: a numeric user is needed for Kubernetes' "
                                "runAsNonRoot" % (where, context.user))
    if not context.expose:
        context.findings.append("%s: EXPOSEs no port" % where)


# --------------------------------------------------------------------------
# The checks of one render.

def pod_templates(objects):
    """(workload, pod template, field path of the template)."""
    for obj in objects:
        spec = obj.get("spec") or {}
        if obj["kind"] in ("Deployment", "StatefulSet"):
            yield obj, spec.get("template") or {}, "spec.template"
        elif obj["kind"] == "CronJob":
            yield (obj, ((spec.get("jobTemplate") or {}).get("spec") or {}).get("template") or {},
                   "spec.jobTemplate.spec.template")


def all_containers(template, path):
    """(container, its field path) of a pod template, init containers first."""
    spec = template.get("spec") or {}
    for field in ("initContainers", "containers"):
        for c in spec.get(field) or []:
            yield c, "%s.spec.%s[%s]" % (path, field, c.get("name"))


def template_labels(template):
    return (template.get("metadata") or {}).get("labels") or {}


def match_labels(selector, where, findings):
    """A label selector's matchLabels; matchExpressions are reported."""
    selector = selector or {}
    if selector.get("matchExpressions"):
        findings.append("%s.matchExpressions: not checked here; use matchLabels" % where)
    return selector.get("matchLabels") or {}


def selects(selector_labels, labels):
    return bool(selector_labels) and all(labels.get(k) == v for k, v in selector_labels.items())


def command_line(container):
    return [str(a) for a in (container.get("command") or []) + (container.get("args") or [])]


def program(container):
    command = container.get("command") or []
    return os.path.basename(str(command[0])) if command else ""


def expand(word, container, pod_name, namespace):
    """Kubernetes' $(VAR) expansion from the container's env."""
    values = {}
    for env in container.get("env") or []:
        if "value" in env:
            values[env["name"]] = str(env["value"])
        else:
            field = ((env.get("valueFrom") or {}).get("fieldRef") or {}).get("fieldPath")
            fields = {"metadata.name": pod_name, "metadata.namespace": namespace}
            values[env["name"]] = fields.get(field, "$(%s)" % env["name"])
    return re.sub(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", lambda m: values.get(m.group(1), m.group(0)),
                  word)


def dashed_flags(words):
    """{"--flag": value} of words like --flag=value or --flag value."""
    flags = {}
    i = 0
    while i < len(words):
        word = words[i]
        if word.startswith("--"):
            if "=" in word:
                name, value = word.split("=", 1)
            elif i + 1 < len(words) and not words[i + 1].startswith("-"):
                name, value = word, words[i + 1]
                i += 1
            else:
                name, value = word, None
            flags[name] = value
        i += 1
    return flags


def parse_quantity(value):
    """Bytes of a Kubernetes quantity such as 10Gi or 8589934592; None if unreadable."""
    m = re.fullmatch(r"([0-9.]+)([KMGTPE]i?)?", str(value))
    if not m:
        return None
    units = {"": 1, "K": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "P": 10**15, "E": 10**18,
             "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
    return int(float(m.group(1)) * units[m.group(2) or ""])


def host_port(address):
    if ":" not in address:
        return address, None
    host, port = address.rsplit(":", 1)
    return host.strip("[]"), int(port) if port.isdigit() else None


class Render:
    """One kustomization's objects, and the findings about them."""

    def __init__(self, label, objects, context):
        self.label = label
        self.objects = objects
        self.context = context
        self.findings = []
        meta = [(o.get("metadata") or {}).get("namespace") for o in objects]
        self.namespace = next((n for n in meta if n), "default")

    def finding(self, obj, field, message):
        self.findings.append("%s: %s: %s: %s" % (self.label, describe(obj), field, message))

    def by_kind(self, kind):
        return [o for o in self.objects if o["kind"] == kind]

    def workloads_selected(self, selector_labels):
        return [(w, t) for w, t, _ in pod_templates(self.objects)
                if selects(selector_labels, template_labels(t))]

    def ports_of(self, templates):
        """{name: port} and {port} declared by the containers of templates."""
        named, numbers = {}, set()
        for template in templates:
            for c, _ in all_containers(template, ""):
                for p in c.get("ports") or []:
                    numbers.add(p.get("containerPort"))
                    if p.get("name"):
                        named[p["name"]] = p.get("containerPort")
        return named, numbers

    def run(self):
        for workload, template, path in pod_templates(self.objects):
            self.check_pod(workload, template, path)
            for c, cpath in all_containers(template, path):
                if program(c) == "sociod" or split_image(str(c.get("image")))[0].endswith(
                        "/sociod"):
                    self.check_sociod(workload, template, c, cpath)
        for sts in self.by_kind("StatefulSet"):
            for c, cpath in all_containers(sts["spec"].get("template") or {}, "spec.template"):
                if program(c) == "etcd":
                    self.check_etcd(sts, c, cpath)
        self.check_defrag()
        self.check_services()
        self.check_budgets()
        self.check_network_policies()
        return self.findings

    # -- every pod

    def check_pod(self, workload, template, path):
        spec = template.get("spec") or {}
        security = spec.get("securityContext") or {}
        if workload["kind"] != "CronJob":
            selector = match_labels(workload["spec"].get("selector"), "spec.selector",
                                    self.findings)
            if not selects(selector, template_labels(template)):
                self.finding(workload, "spec.selector", "does not select the pod template's "
                             "labels %s" % template_labels(template))
        anti = (spec.get("affinity") or {}).get("podAntiAffinity") or {}
        terms = [(t, "requiredDuringSchedulingIgnoredDuringExecution") for t in
                 anti.get("requiredDuringSchedulingIgnoredDuringExecution") or []]
        terms += [(t.get("podAffinityTerm") or {},
                   "preferredDuringSchedulingIgnoredDuringExecution")
                  for t in anti.get("preferredDuringSchedulingIgnoredDuringExecution") or []]
        for term, kind in terms:
            field = "%s.spec.affinity.podAntiAffinity.%s.labelSelector" % (path, kind)
            if not selects(match_labels(term.get("labelSelector"), field, self.findings),
                           template_labels(template)):
                self.finding(workload, field, "does not select the pod's own labels, so it "
                             "spreads nothing")
        for c, cpath in all_containers(template, path):
            own = c.get("securityContext") or {}
            if not own.get("runAsNonRoot", security.get("runAsNonRoot")):
                self.finding(workload, cpath + ".securityContext.runAsNonRoot",
                             "not set: the container may run as root")
            limits = (c.get("resources") or {}).get("limits") or {}
            if "memory" not in limits:
                self.finding(workload, cpath + ".resources.limits.memory", "not set")

    # -- sociod

    def sociod_args(self, workload, c, cpath):
        """{"--flag": value or [values]} of sociod's arguments, checked against --help."""
        known = self.context.sociod_flags
        args = [str(a) for a in c.get("args") or []]
        if len(c.get("command") or []) > 1:
            args = [str(a) for a in c["command"][1:]] + args
        flags = {}
        i = 0
        while i < len(args):
            word = args[i]
            field = "%s.args" % cpath
            if not word.startswith("--"):
                self.finding(workload, field, "%r: not a flag, and no flag before it takes it"
                             % word)
                i += 1
                continue
            name, has_value, value = word.partition("=")[0], "=" in word, word.partition("=")[2]
            if name not in known:
                self.finding(workload, field, "%s: not a flag `sociod --help` lists" % name)
                i += 1
                continue
            if not known[name]["value"]:
                if has_value:
                    self.finding(workload, field, "%s takes no value" % name)
                flags[name] = True
            elif has_value:
                flags[name] = value
            elif i + 1 < len(args) and not args[i + 1].startswith("--"):
                values = [args[i + 1]]
                i += 1
                while known[name]["many"] and i + 1 < len(args) and \
                        not args[i + 1].startswith("--"):
                    values.append(args[i + 1])
                    i += 1
                flags[name] = ",".join(values)
            else:
                self.finding(workload, field, "%s needs a value" % name)
            i += 1
        for name, value in flags.items():
            self.check_value(workload, "%s.args" % cpath, name, value)
        return flags

    def check_value(self, workload, field, name, value):
        """A value against the choices or the range `sociod --help` gives."""
        known = self.context.sociod_flags[name]
        if known["choices"] and value not in known["choices"]:
            self.finding(workload, field, "%s=%s: sociod takes %s" % (
                name, value, ", ".join(known["choices"])))
        if known["range"]:
            try:
                number = float(value)
            except ValueError:
                number = None
            if number is None or not known["range"][0] <= number <= known["range"][1]:
                self.finding(workload, field, "%s=%s: sociod takes %g to %g" % (
                    name, value, known["range"][0], known["range"][1]))

    def check_sociod(self, workload, template, c, cpath):
        flags = self.sociod_args(workload, c, cpath)
        context = self.context
        if c.get("image") != context.image:
            self.finding(workload, cpath + ".image", "%s is not the image %s builds (%s)"
                         % (c.get("image"), CONTAINERFILE, context.image))
        if c.get("command") and context.entrypoint and c["command"][:1] != context.entrypoint:
            self.finding(workload, cpath + ".command", "%s is not the image's ENTRYPOINT %s"
                         % (c["command"][:1], context.entrypoint))
        user = (c.get("securityContext") or {}).get("runAsUser",
                                                    ((template.get("spec") or {}).get(
                                                        "securityContext") or {}).get("runAsUser"))
        if context.user and str(user) != context.user.split(":")[0]:
            self.finding(workload, cpath + ".securityContext.runAsUser", "%s is not the image's "
                         "USER %s" % (user, context.user))
        if "--dev_insecure" in flags:
            self.finding(workload, cpath + ".args", "--dev_insecure: sociod refuses it off "
                         "loopback (every caller would be an operator)")
        listen = flags.get("--listen")
        if not listen:
            self.finding(workload, cpath + ".args", "no --listen: sociod would serve on "
                         "127.0.0.1:50051, out of the kubelet's and the Service's reach")
            return
        host, port = host_port(listen)
        if port is None or port == 0:
            self.finding(workload, cpath + ".args", "--listen=%s: a fixed port is needed" % listen)
        if host in ("localhost", "::1") or host.startswith("127."):
            self.finding(workload, cpath + ".args", "--listen=%s: loopback is out of the "
                         "kubelet's and the Service's reach" % listen)
        metrics = flags.get("--metrics_listen")
        metrics_port = host_port(metrics)[1] if metrics else None
        if not metrics:
            self.finding(workload, cpath + ".args", "no --metrics_listen")
        elif metrics_port == port:
            self.finding(workload, cpath + ".args", "--metrics_listen shares --listen's port")
        declared = [p.get("containerPort") for p in c.get("ports") or []]
        wanted = sorted(p for p in (port, metrics_port) if p)
        if sorted(declared) != wanted:
            self.finding(workload, cpath + ".ports", "declares %s; --listen and "
                         "--metrics_listen use %s" % (sorted(declared), wanted))
        if sorted(context.expose) != sorted(declared):
            self.finding(workload, cpath + ".ports", "%s; %s EXPOSEs %s" % (
                sorted(declared), CONTAINERFILE, sorted(context.expose)))
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            spec = c.get(probe)
            if spec is None:
                if probe != "startupProbe":
                    self.finding(workload, "%s.%s" % (cpath, probe), "missing")
                continue
            grpc = spec.get("grpc")
            if grpc is None:
                self.finding(workload, "%s.%s" % (cpath, probe), "not a grpc probe: sociod "
                             "answers grpc.health.v1 on its --listen port")
                continue
            if grpc.get("port") != port:
                self.finding(workload, "%s.%s.grpc.port" % (cpath, probe), "%s is not the "
                             "--listen port %s" % (grpc.get("port"), port))
            if grpc.get("service", "") != "":
                self.finding(workload, "%s.%s.grpc.service" % (cpath, probe),
                             "%r: the whole server is \"\"" % grpc.get("service"))
        data_dir = flags.get("--data_dir")
        mounts = {m.get("mountPath"): m.get("name") for m in c.get("volumeMounts") or []}
        volumes = {v.get("name"): v for v in (template.get("spec") or {}).get("volumes") or []}
        if not data_dir or data_dir not in mounts:
            self.finding(workload, cpath + ".volumeMounts", "--data_dir=%s is not a mounted "
                         "volume" % data_dir)
        elif "emptyDir" not in volumes.get(mounts[data_dir], {}):
            self.finding(workload, cpath + ".volumeMounts", "--data_dir=%s: an emptyDir "
                         "expected (a node's view is rebuilt from etcd)" % data_dir)
        endpoints = flags.get("--etcd_endpoints")
        if endpoints is not None:
            if flags.get("--store") != "etcd":
                self.finding(workload, cpath + ".args", "--etcd_endpoints without --store=etcd: "
                             "sociod refuses it")
            if flags.get("--role", "all") != "all":
                self.finding(workload, cpath + ".args", "--role=%s with --store=etcd: sociod "
                             "refuses it (every node serves everything)" % flags["--role"])
            self.check_endpoints(workload, cpath + ".args --etcd_endpoints",
                                 endpoints.split(","), all_members=True)

    # -- etcd

    def etcd_members(self):
        """{"etcd-0": (statefulset, client port)} of the etcd StatefulSets rendered."""
        members = {}
        for sts in self.by_kind("StatefulSet"):
            for c, _ in all_containers(sts["spec"].get("template") or {}, ""):
                if program(c) == "etcd":
                    ports = {p.get("name"): p.get("containerPort") for p in c.get("ports") or []}
                    for i in range(int(sts["spec"].get("replicas", 1))):
                        members["%s-%d" % (sts["metadata"]["name"], i)] = (sts, ports.get("client"))
        return members

    def strip_namespace(self, host):
        for suffix in (".%s.svc.cluster.local" % self.namespace, ".%s.svc" % self.namespace,
                       ".%s" % self.namespace):
            if host.endswith(suffix):
                return host[:-len(suffix)]
        return host

    def check_endpoints(self, obj, field, endpoints, all_members):
        """Each endpoint names this render's etcd: a member or a Service, at its client port."""
        members = self.etcd_members()
        services = {s["metadata"]["name"]: s for s in self.by_kind("Service")}
        named = set()
        for endpoint in endpoints:
            host, port = host_port(endpoint)
            if port is None or "://" in endpoint:
                self.finding(obj, field, "%r is not host:port" % endpoint)
                continue
            local = self.strip_namespace(host)
            in_cluster = local != host or local.count(".") <= 1 or host.endswith(".svc") or \
                host.endswith(".svc.cluster.local")
            if not members:
                if in_cluster and local.split(".")[-1] not in services:
                    self.finding(obj, field, "%s names no Service of this render" % endpoint)
                continue
            parts = local.split(".")
            if len(parts) == 2 and parts[0] in members:
                sts, client_port = members[parts[0]]
                if parts[1] != sts["spec"].get("serviceName"):
                    self.finding(obj, field, "%s: member %s is reached through the "
                                 "StatefulSet's serviceName %s" % (endpoint, parts[0],
                                                                   sts["spec"].get("serviceName")))
                elif port != client_port:
                    self.finding(obj, field, "%s: etcd's client port is %s" % (endpoint,
                                                                               client_port))
                named.add(parts[0])
            elif len(parts) == 1 and parts[0] in services:
                service = services[parts[0]]
                selector = (service.get("spec") or {}).get("selector") or {}
                etcd_sets = {id(m[0]) for m in members.values()}
                if not any(id(w) in etcd_sets for w, _ in self.workloads_selected(selector)):
                    self.finding(obj, field, "%s: Service %s does not select the etcd members"
                                 % (endpoint, parts[0]))
                ports = [p.get("port") for p in service["spec"].get("ports") or []]
                if port not in ports:
                    self.finding(obj, field, "%s: Service %s has ports %s" % (endpoint, parts[0],
                                                                           ports))
                named.update(members)
            else:
                self.finding(obj, field, "%s is neither an etcd member (%s) nor a Service of "
                             "this render" % (endpoint, ", ".join(sorted(members))))
        missing = sorted(set(members) - named)
        if all_members and missing and named:
            self.finding(obj, field, "leaves out %s: a node moves to the next member only "
                         "among those it is given" % ", ".join(missing))

    def check_etcd(self, sts, c, cpath):
        spec = sts["spec"]
        name = sts["metadata"]["name"]
        replicas = int(spec.get("replicas", 1))
        service_name = spec.get("serviceName")
        words = [expand(w, c, "$(POD_NAME)", self.namespace) for w in command_line(c)]
        flags = dashed_flags(words[1:])
        field = cpath + ".command"
        for flag, wanted in sorted(self.context.etcd_settings.items()):
            if flag not in flags:
                self.finding(sts, field, "no %s (docs/OPERATIONS.md's members have %s)"
                             % (flag, wanted))
            elif flags[flag] != wanted:
                self.finding(sts, field, "%s=%s; docs/OPERATIONS.md's members have %s"
                             % (flag, flags[flag], wanted))
        image = str(c.get("image"))
        m = re.search(r":v?3\.4\.([0-9]+)$", image)
        if not m or int(m.group(1)) < 32:
            self.finding(sts, cpath + ".image", "%s: etcd 3.4 at 3.4.32 or later is needed "
                         "(earlier ones could go back a revision after a crash during "
                         "compaction)" % image)
        if flags.get("--name") != "$(POD_NAME)" or not any(
                e.get("name") == "POD_NAME" and ((e.get("valueFrom") or {}).get("fieldRef") or {})
                .get("fieldPath") == "metadata.name" for e in c.get("env") or []):
            self.finding(sts, field, "--name must be the pod's name ($(POD_NAME) from "
                         "metadata.name): --initial-cluster names the members by it")
        ports = {p.get("name"): p.get("containerPort") for p in c.get("ports") or []}
        for flag, port_name in (("--listen-client-urls", "client"),
                                ("--listen-peer-urls", "peer")):
            listen_port = host_port(str(flags.get(flag, "")).split("//")[-1])[1]
            if listen_port is None or listen_port != ports.get(port_name):
                self.finding(sts, field, "%s=%s does not listen on the %s port %s" % (
                    flag, flags.get(flag), port_name, ports.get(port_name)))
        suffixes = ("", "." + self.namespace, ".%s.svc" % self.namespace,
                    ".%s.svc.cluster.local" % self.namespace)

        def peer_url_ok(url, member):
            return any(url == "http://%s.%s%s:%s" % (member, service_name, s, ports.get("peer"))
                       for s in suffixes)

        cluster = {}
        for entry in str(flags.get("--initial-cluster", "")).split(","):
            member, _, url = entry.partition("=")
            cluster[member] = url
        wanted_members = ["%s-%d" % (name, i) for i in range(replicas)]
        if sorted(cluster) != wanted_members:
            self.finding(sts, field, "--initial-cluster names %s; the StatefulSet runs %s" % (
                ", ".join(sorted(cluster)), ", ".join(wanted_members)))
        for member, url in sorted(cluster.items()):
            if member in wanted_members and not peer_url_ok(url, member):
                self.finding(sts, field, "--initial-cluster: %s=%s is not %s's peer address "
                             "through Service %s" % (member, url, member, service_name))
        if not peer_url_ok(str(flags.get("--initial-advertise-peer-urls")), "$(POD_NAME)"):
            self.finding(sts, field, "--initial-advertise-peer-urls=%s is not the member's "
                         "address through Service %s" % (flags.get("--initial-advertise-peer-urls"),
                                                         service_name))
        service = next((s for s in self.by_kind("Service")
                        if s["metadata"]["name"] == service_name), None)
        if service is None:
            self.finding(sts, "spec.serviceName", "%s is no Service of this render" % service_name)
        else:
            sspec = service.get("spec") or {}
            if sspec.get("clusterIP") != "None" or not sspec.get("publishNotReadyAddresses"):
                self.finding(service, "spec", "the members' Service needs clusterIP None and "
                             "publishNotReadyAddresses (members resolve each other before "
                             "any is ready)")
        quota = parse_quantity(flags.get("--quota-backend-bytes", 0)) or 0
        memory = parse_quantity(((c.get("resources") or {}).get("limits") or {}).get("memory", 0))
        if memory is not None and memory < quota:
            self.finding(sts, cpath + ".resources.limits.memory", "below --quota-backend-bytes "
                         "(%d): a member needs memory at least the size of its database" % quota)
        mounts = {m.get("name"): m.get("mountPath") for m in c.get("volumeMounts") or []}
        claims = {t["metadata"]["name"]: t for t in spec.get("volumeClaimTemplates") or []}
        data_dir = str(flags.get("--data-dir"))
        if not any(n in claims and data_dir.startswith(p.rstrip("/") + "/")
                   for n, p in mounts.items()):
            self.finding(sts, field, "--data-dir=%s is not on a volumeClaimTemplate" % data_dir)
        for claim_name, claim in claims.items():
            storage = parse_quantity(((claim.get("spec") or {}).get("resources") or {})
                                     .get("requests", {}).get("storage", 0)) or 0
            if storage < 2 * quota:
                self.finding(sts, "spec.volumeClaimTemplates[%s]" % claim_name, "below twice "
                             "the quota: defragmentation writes a second copy")
        anti = ((spec["template"].get("spec") or {}).get("affinity") or {}).get(
            "podAntiAffinity") or {}
        if not anti.get("requiredDuringSchedulingIgnoredDuringExecution"):
            self.finding(sts, "spec.template.spec.affinity.podAntiAffinity", "no required "
                         "anti-affinity: two members on one node lose the majority with it")

    def check_defrag(self):
        members = self.etcd_members()
        jobs = [j for j in self.by_kind("CronJob")
                if any(program(c) == "etcdctl" for c, _ in all_containers(
                    pod_templates_of(j), ""))]
        if members and not jobs:
            self.findings.append("%s: no CronJob defragments the etcd members" % self.label)
        for job in jobs:
            template = pod_templates_of(job)
            path = "spec.jobTemplate.spec.template"
            if len((template.get("spec") or {}).get("containers") or []) != 1:
                self.finding(job, path + ".spec.containers", "one container, after the init "
                             "containers: members are defragmented one at a time")
            done = []
            for c, cpath in all_containers(template, path):
                words = command_line(c)
                flags = dashed_flags(words[1:])
                if "defrag" not in words or not flags.get("--endpoints") or \
                        "," in flags["--endpoints"]:
                    self.finding(job, cpath + ".command", "not `etcdctl --endpoints=ONE "
                                 "defrag`: one member per container")
                    continue
                self.check_endpoints(job, cpath + ".command --endpoints",
                                     [flags["--endpoints"]], all_members=False)
                done.append(host_port(flags["--endpoints"])[0].split(".")[0])
            if sorted(done) != sorted(members):
                self.finding(job, path, "defragments %s; the members are %s" % (
                    ", ".join(done), ", ".join(sorted(members))))

    # -- Services, budgets, policies

    def check_services(self):
        for service in self.by_kind("Service"):
            spec = service.get("spec") or {}
            selector = spec.get("selector")
            if not selector:
                continue
            selected = self.workloads_selected(selector)
            if not selected:
                self.finding(service, "spec.selector", "%s selects no pod template of this "
                             "render" % selector)
                continue
            named, numbers = self.ports_of([t for _, t in selected])
            for p in spec.get("ports") or []:
                target = p.get("targetPort", p.get("port"))
                field = "spec.ports[%s].targetPort" % p.get("name")
                pods = ", ".join(describe(w) for w, _ in selected)
                if isinstance(target, str) and target not in named:
                    self.finding(service, field, "%s: no container of %s declares a port of "
                                 "that name" % (target, pods))
                elif isinstance(target, int) and target not in numbers:
                    self.finding(service, field, "%s: no container of %s declares it" % (
                        target, pods))

    def check_budgets(self):
        covered = set()
        for pdb in self.by_kind("PodDisruptionBudget"):
            selector = match_labels(pdb["spec"].get("selector"), "spec.selector", self.findings)
            selected = self.workloads_selected(selector)
            if not selected:
                self.finding(pdb, "spec.selector", "%s selects no pod template of this render"
                             % selector)
            covered.update(id(w) for w, _ in selected)
            if pdb["spec"].get("maxUnavailable") != 1:
                self.finding(pdb, "spec.maxUnavailable", "%s; 1 expected" %
                             pdb["spec"].get("maxUnavailable"))
        for workload, _, _ in pod_templates(self.objects):
            if workload["kind"] != "CronJob" and int(workload["spec"].get("replicas", 1)) > 1 \
                    and id(workload) not in covered:
                self.finding(workload, "metadata.labels", "no PodDisruptionBudget selects its "
                             "pods")

    def check_network_policies(self):
        for policy in self.by_kind("NetworkPolicy"):
            spec = policy.get("spec") or {}
            protected = self.workloads_selected(
                match_labels(spec.get("podSelector"), "spec.podSelector", self.findings))
            if not protected:
                self.finding(policy, "spec.podSelector", "selects no pod template of this render")
                continue
            _, numbers = self.ports_of([t for _, t in protected])
            allowed = []  # (workload, port)
            for i, rule in enumerate(spec.get("ingress") or []):
                ports = [p.get("port") for p in rule.get("ports") or []]
                for port in ports:
                    if port not in numbers:
                        self.finding(policy, "spec.ingress[%d].ports" % i, "%s: no container "
                                     "it protects declares it" % port)
                for j, peer in enumerate(rule.get("from") or []):
                    if "podSelector" not in peer:
                        continue
                    field = "spec.ingress[%d].from[%d].podSelector" % (i, j)
                    sources = self.workloads_selected(
                        match_labels(peer["podSelector"], field, self.findings))
                    if not sources:
                        self.finding(policy, field, "selects no pod template of this render")
                    allowed += [(id(w), port) for w, _ in sources for port in ports]
            # sociod and the defragmentation reach the etcd members' client port.
            etcd_sets = [m[0] for m in self.etcd_members().values()]
            if not any(w is s for w, _ in protected for s in etcd_sets):
                continue
            client = next(iter(self.etcd_members().values()))[1]
            for workload, template, _ in pod_templates(self.objects):
                clients = [c for c, _ in all_containers(template, "")
                           if "--etcd_endpoints" in " ".join(command_line(c))
                           or program(c) == "etcdctl"]
                if clients and (id(workload), client) not in allowed:
                    self.finding(policy, "spec.ingress", "%s may not reach etcd's client port %s"
                                 % (describe(workload), client))


def pod_templates_of(workload):
    for w, template, _ in pod_templates([workload]):
        return template
    return {}


# --------------------------------------------------------------------------
# The command.

def check(directories, context, kubectl):
    findings = list(context.findings)
    for directory in directories:
        label = os.path.relpath(os.path.abspath(directory), REPO)
        if label.startswith(".."):
            label = directory
        objects = render(directory)
        if kubectl:
            findings += ["%s: %s" % (label, f) for f in
                         compare_with_kubectl(kubectl, directory, copy.deepcopy(objects))]
        findings += Render(label, objects, context).run()
    return findings


def self_test(context):
    """Broken copies of the base's render, each of which must be reported."""
    base = os.path.join(REPO, KUSTOMIZATIONS[0])
    objects = render(base)
    baseline = set(Render("base", copy.deepcopy(objects), context).run() + context.findings)
    if baseline:
        print("self-test: the unbroken base already has findings:\n  " +
              "\n  ".join(sorted(baseline)))
        return 1

    def find(objs, kind, name):
        return next(o for o in objs if o["kind"] == kind and o["metadata"]["name"] == name)

    def sociod(objs):
        return find(objs, "Deployment", "sociod")["spec"]["template"]["spec"]["containers"][0]

    def etcd(objs):
        return find(objs, "StatefulSet", "etcd")["spec"]["template"]["spec"]["containers"][0]

    def set_arg(objs, prefix, value):
        args = sociod(objs)["args"]
        args[[i for i, a in enumerate(args) if a.startswith(prefix)][0]] = value

    cases = [
        ("a readiness probe on the wrong port",
         lambda o: sociod(o)["readinessProbe"]["grpc"].update(port=50052),
         ["Deployment/sociod", "readinessProbe.grpc.port", "50052"]),
        ("a liveness probe over HTTP",
         lambda o: sociod(o).update(livenessProbe={"httpGet": {"port": 50051, "path": "/"}}),
         ["livenessProbe", "not a grpc probe"]),
        ("a flag sociod does not have",
         lambda o: sociod(o)["args"].append("--no_such_flag=1"),
         ["Deployment/sociod", "--no_such_flag", "not a flag"]),
        ("a value for a flag that takes none",
         lambda o: sociod(o)["args"].append("--dev_insecure=true"),
         ["--dev_insecure takes no value"]),
        ("a value sociod does not take",
         lambda o: set_arg(o, "--store=", "--store=etc"),
         ["--store=etc", "embedded, etcd"]),
        ("a role with --store=etcd",
         lambda o: sociod(o)["args"].append("--role=matcher"),
         ["--role=matcher with --store=etcd"]),
        ("a PodDisruptionBudget selecting other labels",
         lambda o: find(o, "PodDisruptionBudget", "sociod")["spec"]["selector"]["matchLabels"]
         .update({"app.kubernetes.io/name": "socio-server"}),
         ["PodDisruptionBudget/sociod", "spec.selector", "selects no pod template"]),
        ("a Service selecting other labels",
         lambda o: find(o, "Service", "sociod")["spec"]["selector"].update(
             {"app.kubernetes.io/name": "socio-server"}),
         ["Service/sociod", "spec.selector"]),
        ("a Service targeting a port no container declares",
         lambda o: find(o, "Service", "sociod")["spec"]["ports"][0].update(targetPort="api"),
         ["Service/sociod", "targetPort", "api"]),
        ("container ports other than --listen's",
         lambda o: sociod(o)["ports"][0].update(containerPort=50052),
         ["Deployment/sociod", ".ports", "50052"]),
        ("--listen on loopback",
         lambda o: set_arg(o, "--listen=", "--listen=127.0.0.1:50051"),
         ["--listen=127.0.0.1:50051", "loopback"]),
        ("etcd endpoints at the peer port",
         lambda o: set_arg(o, "--etcd_endpoints=",
                           "--etcd_endpoints=etcd-0.etcd:2380,etcd-1.etcd:2379,etcd-2.etcd:2379"),
         ["--etcd_endpoints", "etcd-0.etcd:2380", "client port"]),
        ("etcd endpoints naming a Service that is not rendered",
         lambda o: set_arg(o, "--etcd_endpoints=", "--etcd_endpoints=etcd-main:2379"),
         ["--etcd_endpoints", "etcd-main:2379"]),
        ("etcd endpoints leaving out a member",
         lambda o: set_arg(o, "--etcd_endpoints=",
                           "--etcd_endpoints=etcd-0.etcd:2379,etcd-1.etcd:2379"),
         ["--etcd_endpoints", "leaves out etcd-2"]),
        ("etcd without auto-compaction",
         lambda o: etcd(o)["command"].remove("--auto-compaction-retention=1h"),
         ["StatefulSet/etcd", "--auto-compaction-retention"]),
        ("etcd with another quota than the docs'",
         lambda o: etcd(o)["command"].__setitem__(
             etcd(o)["command"].index("--quota-backend-bytes=8589934592"),
             "--quota-backend-bytes=2147483648"),
         ["StatefulSet/etcd", "--quota-backend-bytes=2147483648"]),
        ("etcd before 3.4.32",
         lambda o: etcd(o).update(image="gcr.io/etcd-development/etcd:v3.4.23"),
         ["StatefulSet/etcd", "3.4.32"]),
        ("an etcd member left out of --initial-cluster",
         lambda o: find(o, "StatefulSet", "etcd")["spec"].update(replicas=5),
         ["StatefulSet/etcd", "--initial-cluster"]),
        ("a sociod image the Containerfile does not build",
         lambda o: sociod(o).update(image="socio/sociod:0.0.9"),
         ["Deployment/sociod", ".image", "socio/sociod:0.0.9"]),
        ("defragmentation of two members at once",
         lambda o: find(o, "CronJob", "etcd-defrag")["spec"]["jobTemplate"]["spec"]["template"]
         ["spec"]["containers"][0]["command"].__setitem__(1, "--endpoints=etcd-1.etcd:2379,"
                                                          "etcd-2.etcd:2379"),
         ["CronJob/etcd-defrag", "one member per container"]),
        ("sociod not allowed through etcd's NetworkPolicy",
         lambda o: find(o, "Deployment", "sociod")["spec"]["template"]["metadata"]["labels"]
         .pop("etcd-access"),
         ["NetworkPolicy/etcd", "Deployment/sociod may not reach"]),
    ]
    results = []  # (name, whether it was reported)

    def expect(name, findings, wanted):
        """Records whether some finding holds every string of `wanted`."""
        reported = any(all(w in f for w in wanted) for f in findings)
        results.append(reported)
        if reported:
            print("self-test: reported: %s" % name)
        else:
            print("self-test: NOT REPORTED: %s (wanted a finding with %s; got %s)" % (
                name, wanted, sorted(findings) or "none"))

    for name, mutate, expected in cases:
        broken = copy.deepcopy(objects)
        mutate(broken)
        expect(name, set(Render("base", broken, context).run()) - baseline, expected)

    # The overlay on an existing etcd: endpoints left on the base's members.
    overlay = render(os.path.join(REPO, KUSTOMIZATIONS[1]))
    sociod(overlay)["args"] = [a if not a.startswith("--etcd_endpoints=") else
                               "--etcd_endpoints=etcd-0.etcd:2379" for a in sociod(overlay)["args"]]
    expect("endpoints on etcd members the overlay left out",
           set(Render("existing-etcd", overlay, context).run()),
           ["etcd-0.etcd:2379 names no Service of this render"])

    # The Containerfile's EXPOSE, seen by the checks of the base.
    other = copy.copy(context)
    other.expose = {50051, 9090}
    expect("a Containerfile exposing another port",
           set(Render("base", copy.deepcopy(objects), other).run()), ["EXPOSEs [9090, 50051]"])
    probe = Context()
    probe.version = context.version
    parse_containerfile("# Image name: socio/sociod:%s\nARG SOCIO_DEB=socio_%s_amd64.deb\n"
                        "USER socio\nEXPOSE 50051\n" % (context.version, context.version), probe)
    expect("a Containerfile with a user by name", probe.findings, ["USER socio"])

    failed = results.count(False)
    failed += self_test_renderer()
    total = len(results) + len(RENDER_CASES)
    print("self-test: %d passed, %d failed" % (total - failed, failed))
    return 1 if failed else 0


# Kustomizations this renderer must refuse, or render in a given way.
RENDER_CASES = [
    ("a field it does not implement",
     {"kustomization.yaml": "resources: [a.yaml]\ncommonLabels: {team: x}\n"},
     "commonLabels: not implemented"),
    ("a strategic-merge patch with a list",
     {"kustomization.yaml": "resources: [a.yaml]\npatches:\n  - patch: |-\n"
                            "      apiVersion: v1\n      kind: Service\n      metadata: {name: a}\n"
                            "      spec: {ports: [{port: 1}]}\n"},
     "lists in strategic-merge patches"),
    ("a JSON6902 test that fails",
     {"kustomization.yaml": "resources: [a.yaml]\npatches:\n"
                            "  - target: {kind: Service, name: a}\n    patch: |-\n"
                            "      - {op: test, path: /spec/type, value: NodePort}\n"},
     "test /spec/type"),
    ("a patch of an object that is not there",
     {"kustomization.yaml": "resources: [a.yaml]\npatches:\n  - target: {kind: Service, name: b}\n"
                            "    patch: '[{op: remove, path: /spec}]'\n"},
     "no such object"),
    ("a kind it does not implement",
     {"kustomization.yaml": "resources: [b.yaml]\n",
      "b.yaml": "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\n"
                "metadata: {name: b}\n"},
     "kind RoleBinding: not implemented"),
    ("namespace, images and JSON6902 add, remove and move",
     {"kustomization.yaml": "namespace: n\nresources: [a.yaml, c.yaml]\n"
                            "images: [{name: x/y, newName: r/x/y, newTag: '2'}]\npatches:\n"
                            "  - target: {kind: Service, name: a}\n    patch: |-\n"
                            "      - {op: add, path: /spec/ports/-, value: {port: 2}}\n"
                            "      - {op: remove, path: /spec/ports/0}\n"
                            "      - {op: move, from: /spec/type, path: /metadata/annotations}\n",
      "c.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: c}\nspec:\n  template:\n"
                "    spec:\n      containers: [{name: c, image: 'x/y:1'}]\n"},
     [{"apiVersion": "v1", "kind": "Service",
       "metadata": {"name": "a", "namespace": "n", "annotations": "ClusterIP"},
       "spec": {"ports": [{"port": 2}]}},
      {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "c", "namespace": "n"},
       "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "r/x/y:2"}]}}}}]),
]


def self_test_renderer():
    failed = 0
    service = "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  type: ClusterIP\n" \
              "  ports: [{port: 1}]\n"
    for name, files, expected in RENDER_CASES:
        with tempfile.TemporaryDirectory(prefix="check_kubernetes.") as directory:
            for file, text in dict({"a.yaml": service}, **files).items():
                with open(os.path.join(directory, file), "w", encoding="utf-8") as f:
                    f.write(text)
            try:
                got = render(directory)
            except RenderError as e:
                got = e
        if isinstance(expected, str):
            ok = isinstance(got, RenderError) and expected in str(got)
        else:
            ok = got == expected
        if ok:
            print("self-test: renderer: %s" % name)
        else:
            failed += 1
            print("self-test: renderer: WRONG: %s: got %s" % (name, got))
    return failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directories", nargs="*", metavar="DIR",
                        help="kustomizations (default: %s)" % ", ".join(KUSTOMIZATIONS))
    parser.add_argument("--sociod", metavar="PATH",
                        help="the sociod binary whose --help the arguments are checked against")
    parser.add_argument("--print", action="store_true", dest="print_only",
                        help="print the rendered YAML of one kustomization and check nothing")
    parser.add_argument("--self-test", action="store_true",
                        help="check that broken copies of the base are reported")
    parser.add_argument("--kubectl", metavar="PATH", default=shutil.which("kubectl"),
                        help="compare every render with `kubectl kustomize` (default: kubectl "
                             "on PATH, if any)")
    parser.add_argument("--no-kubectl", action="store_true",
                        help="do not compare with kubectl kustomize")
    options = parser.parse_args()
    kubectl = None if options.no_kubectl else options.kubectl
    try:
        if options.print_only:
            if len(options.directories) != 1:
                parser.error("--print takes one kustomization")
            sys.stdout.write(to_yaml(render(options.directories[0])))
            return 0
        if not options.sociod:
            parser.error("--sociod PATH is needed to check (or --print to render)")
        context = load_context(options.sociod)
        if options.self_test:
            return self_test(context)
        directories = options.directories or [os.path.join(REPO, d) for d in KUSTOMIZATIONS]
        findings = check(directories, context, kubectl)
    except RenderError as e:
        print("check_kubernetes: %s" % e, file=sys.stderr)
        return 2
    for finding in findings:
        print(finding)
    compared = ("compared with %s kustomize" % kubectl) if kubectl else \
        "not compared with kustomize (no kubectl)"
    print("check_kubernetes: %d kustomization(s) rendered and checked, %s: %s" % (
        len(directories), compared,
        "%d finding(s)" % len(findings) if findings else "no findings"))
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
