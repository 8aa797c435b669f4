"""Recognise Keras 3 migration problems in exceptions, warnings and traceback text.

The knowledge is in the catalog (signatures.json + sections.json); this module
is only the matching algorithm. `explain_text` is mirrored by
src/explain/recognize.ts and both must give identical JSON for the same text
(see tests/test_explain_parity.py). Deterministic: catalog order decides ties.
"""

import re

from . import catalog
from .locate import frames_from_text, frames_from_traceback, innermost_user_frame

ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]", re.ASCII)
CHAIN_SEPARATORS = (
    "The above exception was the direct cause of the following exception:",
    "During handling of the above exception, another exception occurred:",
)
EXCEPTION_HEADER = re.compile(r"^([A-Za-z_][\w.]*)(?::[ \t]?(.*))?$", re.ASCII)
EXCEPTION_NAME = re.compile(r"^[A-Z]\w*(?:Error|Exception|Warning|Exit|Interrupt|Iteration)$", re.ASCII)
WARNING_LINE = re.compile(r"^(.*?):(\d+): ([A-Za-z_]\w*Warning): (.*)$", re.ASCII)
ABSL_WARNING_LINE = re.compile(r"^WARNING:absl:(.*)$", re.ASCII)
# Keras re-raises errors from a layer's call() with this wrapper around the message.
KERAS_CALL_WRAPPER = re.compile(
    r"Exception encountered when calling ([A-Za-z_][\w.]*?)(?:\.call)?\(\)\.\s*\n\n([\s\S]*?)\n\nArguments received by",
    re.ASCII,
)
TF_OP_CALL = re.compile(r"\b(tf\.(?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*)\s*\(", re.ASCII)


def strip_ansi(text):
    return ANSI_ESCAPE.sub("", text)


def unwrap_keras_message(message):
    """The inner message of Keras's 'Exception encountered when calling X.call()' wrapper."""
    match = KERAS_CALL_WRAPPER.search(message)
    return match.group(2).strip() if match else message


def _short_name(name):
    return name.rsplit(".", 1)[-1] if name else name


def parse_version(text):
    parts = []
    for piece in str(text).split("."):
        digits = re.match(r"\d+", piece)
        if not digits:
            break
        parts.append(int(digits.group(0)))
    return tuple(parts)


def _pad(parts, size=3):
    return tuple(parts) + (0,) * (size - len(parts))


def version_applies(ranges, version):
    """True when `version` ("3.4.1") lies in one of the catalog's {from, until} ranges."""
    if not version:
        return True
    current = _pad(parse_version(version))
    for span in ranges or [{"from": "3.0"}]:
        low = _pad(parse_version(span.get("from", "0")))
        high = _pad(parse_version(span["until"])) if span.get("until") else None
        if current >= low and (high is None or current < high):
            return True
    return False


# ---------------------------------------------------------------- records
# A record is one exception or warning: {"type", "types", "message", "frames"}.
# "types" holds every class name that counts for matching (the MRO, for live objects).


def records_from_exception(exc, filename_map=None):
    """Records for an exception and everything chained to it, oldest first.

    Contexts that Python hides (`raise ... from None`) are still walked: Keras
    hides the backend's original error that way, and it is often the telling one.
    """
    chain = []
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        chain.append(exc)
        exc = exc.__cause__ if exc.__cause__ is not None else exc.__context__
    records = []
    for item in reversed(chain):
        cls = type(item)
        records.append(
            {
                "type": cls.__name__,
                "types": [klass.__name__ for klass in cls.__mro__],
                "message": strip_ansi(_exception_message(item)),
                "frames": frames_from_traceback(item.__traceback__, filename_map),
            }
        )
    return records


def _exception_message(exc):
    try:
        return str(exc)
    except Exception:  # a broken __str__ must not break the diagnosis
        return ""


def record_for_warning(category_name, message, frames=None, types=None):
    return {
        "type": category_name,
        "types": list(types or [category_name]),
        "message": strip_ansi(str(message)),
        "frames": frames or [],
    }


def records_from_text(text):
    """Records in pasted traceback / warning text, in order of appearance."""
    text = strip_ansi(text).replace("\r\n", "\n").replace("\r", "\n")
    segments = [[]]
    for line in text.split("\n"):
        if line.strip() in CHAIN_SEPARATORS:
            segments.append([])
        else:
            segments[-1].append(line)
    records = []
    for lines in segments:
        records.extend(_records_from_segment(lines))
    if not records and text.strip():
        records.append({"type": None, "types": [], "message": text.strip(), "frames": frames_from_text(text.split("\n"))})
    return records


def _records_from_segment(lines):
    records = []
    index = 0
    frame_start = 0
    while index < len(lines):
        line = lines[index]
        warning = WARNING_LINE.match(line)
        absl = ABSL_WARNING_LINE.match(line) if warning is None else None
        if warning or absl:
            body = [warning.group(4) if warning else absl.group(1)]
            index += 1
            while index < len(lines) and not _ends_warning(lines[index]):
                body.append(lines[index])
                index += 1
            frames = [] if absl else frames_from_text(['  File "%s", line %s' % (warning.group(1), warning.group(2))])
            records.append(
                {
                    "type": warning.group(3) if warning else "logging",
                    "types": [warning.group(3) if warning else "logging"],
                    "message": "\n".join(body).rstrip(),
                    "frames": frames,
                }
            )
            frame_start = index
            continue
        header = EXCEPTION_HEADER.match(line)
        if header and EXCEPTION_NAME.match(_short_name(header.group(1))):
            message_lines = [header.group(2) or ""] + lines[index + 1 :]
            name = header.group(1)
            records.append(
                {
                    "type": _short_name(name),
                    "types": [_short_name(name)],
                    "message": "\n".join(message_lines).strip(),
                    "frames": frames_from_text(lines[frame_start:index]),
                }
            )
            break
        index += 1
    return records


def _ends_warning(line):
    return (
        line[:1] in (" ", "\t")
        or line.strip() == ""
        or line.startswith("Traceback (most recent call last)")
        or WARNING_LINE.match(line) is not None
        or ABSL_WARNING_LINE.match(line) is not None
    )


# ---------------------------------------------------------------- matching


def _find_match(records, keras_version):
    """(signature, match, line_match, record, frame) of the first hit, or None.

    Specific signatures: the newest record first (it is what the user saw last),
    each against the catalog in order. Fallback signatures only when nothing
    specific matched, in catalog order, each against the whole chain: a masked
    backend error deep in the chain then beats a vaguer one on top.
    """
    compiled = catalog.compiled_signatures()
    newest_first = list(range(len(records) - 1, -1, -1))
    specific = [entry for entry in compiled if not entry[0].get("fallback")]
    fallback = [entry for entry in compiled if entry[0].get("fallback")]
    for position in newest_first:
        for entry in specific:
            found = _try_signature(entry, records, position, keras_version)
            if found:
                return found
    for entry in fallback:
        for position in newest_first:
            found = _try_signature(entry, records, position, keras_version)
            if found:
                return found
    return None


def _try_signature(entry, records, position, keras_version):
    signature, regex, line_regex = entry
    record = records[position]
    if keras_version and not version_applies(signature.get("versions"), keras_version):
        return None
    if record["types"] and not set(signature["exceptionTypes"]).intersection(record["types"]):
        return None
    match = regex.search(record["message"])
    if match is None:
        return None
    frame = innermost_user_frame(record["frames"]) or _innermost_user_frame_of_all(records)
    line_match = None
    if line_regex is not None:
        if frame is None or frame["text"] is None:
            return None
        line_match = line_regex.search(frame["text"])
        if line_match is None:
            return None
    return signature, match, line_match, record, frame


def _innermost_user_frame_of_all(records):
    for record in reversed(records):
        frame = innermost_user_frame(record["frames"])
        if frame is not None:
            return frame
    return None


def _name_groups(names, captures, match):
    if match is None:
        return
    for position, name in enumerate(captures or []):
        value = match.group(position + 1) if position < (match.re.groups or 0) else None
        if value is not None and name not in names:
            names[name] = value


def recognize_records(records, keras_version=None, backend=None):
    """The diagnosis dict for these records, or None when nothing migration-related is recognised."""
    found = _find_match(records, keras_version)
    if found is None:
        return None
    signature, match, line_match, record, frame = found
    if signature.get("guide") is None:
        return None  # a known message that is not a migration problem
    section = catalog.sections()[signature["guide"]]
    names = {}
    _name_groups(names, signature.get("captures"), match)
    _name_groups(names, signature.get("lineCaptures"), line_match)
    if "layer" not in names:
        for candidate in [record] + records[::-1]:
            wrapper = KERAS_CALL_WRAPPER.search(candidate["message"])
            if wrapper:
                names["layer"] = wrapper.group(1)
                break
    if "op" not in names and section.get("adviceNamesTfOp") and frame and frame["text"]:
        op = TF_OP_CALL.search(frame["text"])
        if op:
            names["op"] = op.group(1)
    if "path" in names:
        names["path"] = names["path"].rstrip(".,;")
    return {
        "guide": signature["guide"],
        "title": signature.get("title") or section["title"],
        "explanation": section["explanation"],
        "fix": signature.get("fix") or section["fix"],
        "guide_url": catalog.guide_url(),
        "line": frame["line"] if frame else None,
        "cell": frame["cell"] if frame else None,
        "file": frame["file"] if frame and frame["cell"] is None else None,
        "cell_line_text": frame["text"] if frame else None,
        "names": names,
        "signature": signature["id"],
        "exception_type": record["type"],
        "message": unwrap_keras_message(record["message"]),
        "keras_version": keras_version,
        "backend": backend,
        "kind": signature["kind"],
    }


def empty_diagnosis(message=""):
    """The 'nothing recognised' answer of the explain command."""
    return {
        "guide": None,
        "title": "No Keras 3 migration problem recognised",
        "explanation": "",
        "fix": "",
        "guide_url": None,
        "line": None,
        "cell": None,
        "file": None,
        "cell_line_text": None,
        "names": {},
        "signature": None,
        "exception_type": None,
        "message": message,
        "keras_version": None,
        "backend": None,
        "kind": None,
    }


def explain_text(text):
    """Diagnosis for pasted traceback text; `guide` is None when nothing is recognised."""
    records = records_from_text(text or "")
    diagnosis = recognize_records(records)
    if diagnosis is not None:
        return diagnosis
    empty = empty_diagnosis(unwrap_keras_message(records[-1]["message"]) if records else "")
    if records:
        empty["exception_type"] = records[-1]["type"]
        frame = _innermost_user_frame_of_all(records)
        if frame:
            empty.update(line=frame["line"], cell=frame["cell"], cell_line_text=frame["text"],
                         file=frame["file"] if frame["cell"] is None else None)
    return empty


def recognize_exception(exc, filename_map=None, keras_version=None, backend=None):
    return recognize_records(records_from_exception(exc, filename_map), keras_version, backend)
