"""Recognise Keras 3 migration problems in exceptions, warnings and traceback text.

The knowledge is in the catalog (signatures.json + sections.json); this module
is only the matching algorithm, and the only one: the front end and the Node CLI
ask this code (through the server extension or `python -m keras_migrate`).
Deterministic: catalog order decides ties. Every step is linear in the input and
the input is bounded (see `paste`), so a huge message cannot stall a kernel.
"""

import re

from . import catalog
from .locate import (
    VSCODE_CELL_FRAME_LINE,
    frames_from_text,
    frames_from_traceback,
    innermost_cell_frame,
    innermost_user_frame,
)
from .paste import MAX_MESSAGE_CHARS, MAX_TEXT_CHARS, bound, clean_lines, for_matching, strip_ansi
from .versions import parse_version

CHAIN_SEPARATORS = (
    "The above exception was the direct cause of the following exception:",
    "During handling of the above exception, another exception occurred:",
)
EXCEPTION_HEADER = re.compile(r"^([A-Za-z_][\w.]{0,200})(?::[ \t]?(.*))?$", re.ASCII)
EXCEPTION_NAME = re.compile(r"^[A-Z]\w{0,100}(?:Error|Exception|Warning|Exit|Interrupt|Iteration)$", re.ASCII)
# An exception line quoted inside prose ("I get `ValueError: ...` when ...").
EMBEDDED_EXCEPTION = re.compile(
    r"\b((?:[A-Za-z_]\w{0,60}\.){0,8}[A-Z]\w{0,60}(?:Error|Exception|Warning)): ", re.ASCII
)
PLAIN_TRACEBACK_START = re.compile(r"^\s{0,8}Traceback \(most recent call last\):?\s*$", re.ASCII)
# A traceback flattened onto one line (an issue title, a chat message): it starts a traceback too.
FLATTENED_TRACEBACK_START = re.compile(r"^\s{0,8}Traceback \(most recent call last\):\s{1,20}File \"", re.ASCII)
# IPython: "ValueError                                Traceback (most recent call last)"
IPYTHON_TRACEBACK_START = re.compile(
    r"^([A-Za-z_][\w.]{0,200})\s{1,200}Traceback \(most recent call last\)\s*$", re.ASCII
)
WARNING_LINE = re.compile(r"^(.{1,1000}?):(\d{1,9}): ([A-Za-z_]\w{0,100}Warning): (.*)$", re.ASCII)
ABSL_WARNING_LINE = re.compile(r"^WARNING:absl:(.*)$", re.ASCII)
# Keras re-raises errors from a layer's call() with this wrapper around the message.
KERAS_CALL_WRAPPER = re.compile(
    r"Exception encountered when calling ([A-Za-z_][\w.]{0,200}?)(?:\.call)?\(\)\.\s{0,20}\n\n([\s\S]{0,%d}?)\n\nArguments received by"
    % MAX_MESSAGE_CHARS,
    re.ASCII,
)
# The layer Keras 3 (".call()") or Keras 2 ("layer 'x' (type X)") names in its call wrapper.
CALL_WRAPPER_LAYER = re.compile(
    r"Exception\s{0,20}encountered\s{0,20}when\s{0,20}calling\s{0,20}"
    r"(?:([A-Za-z_][\w.]{0,200}?)(?:\.call)?\(\)|layer\s{0,20}'[^'\n]{0,200}'\s{0,20}\(type\s{0,20}(\w{1,100})\))",
    re.ASCII,
)
TF_OP_CALL = re.compile(r"\b(tf\.(?:[A-Za-z_]\w{0,100}\.){0,10}[A-Za-z_]\w{0,100})\s{0,20}\(", re.ASCII)
# What the payload carries at most per text field: a 10 MB message must not make a 20 MB output.
MAX_FIELD_CHARS = 4096


def unwrap_keras_message(message):
    """The inner message of Keras's 'Exception encountered when calling X.call()' wrapper."""
    match = KERAS_CALL_WRAPPER.search(message)
    return match.group(2).strip() if match else message


def _short_name(name):
    return name.rsplit(".", 1)[-1] if name else name


def _truncate(value, limit=MAX_FIELD_CHARS):
    if not isinstance(value, str) or len(value) <= limit:
        return value
    return value[: limit - 1] + "\u2026"


def version_applies(ranges, version):
    """True when `version` ("3.4.1") lies in one of the catalog's {from, until} ranges.

    Pre-releases count as their release ("3.4.0.dev2024" is in a range from "3.4").
    An unparsable version applies everywhere: better a diagnosis than none. So does a
    version below 3: keras-core (0.x, Keras 3's predecessor, which raises Keras 3.0's
    wordings) or a Keras 2 installed beside the Keras 3 code that raised.
    """
    if not version:
        return True
    current = parse_version(version)
    if current is None or current.release[0] < 3:
        return True
    current = parse_version(current.base_version)
    for span in ranges or [{"from": "3.0"}]:
        low = parse_version(span.get("from", "0"))
        high = parse_version(span["until"]) if span.get("until") else None
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
    while exc is not None and id(exc) not in seen and len(chain) < 32:
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
                "message": strip_ansi(bound(_exception_message(item), 2 * MAX_MESSAGE_CHARS)),
                "frames": frames_from_traceback(item.__traceback__, filename_map),
            }
        )
    return records


def _exception_message(exc):
    try:
        message = str(exc)
        return message if isinstance(message, str) else ""
    except BaseException:  # a broken __str__ (even one raising SystemExit) must not break the kernel
        return ""


def record_for_warning(category_name, message, frames=None, types=None):
    return {
        "type": category_name,
        "types": list(types or [category_name]),
        "message": strip_ansi(bound(str(message), 2 * MAX_MESSAGE_CHARS)),
        "frames": frames or [],
    }


def tracebacks_from_text(text):
    """The tracebacks (and warning groups) in pasted text, in order of appearance.

    Each is `{"records": [...], "incomplete": bool}`; records are chained
    exceptions and warnings, oldest first. A traceback whose exception line is
    missing (the paste stopped early) is `incomplete`; its record then holds
    only the text outside the frames, so library source lines shown in frames
    are never read as the message.
    """
    lines = clean_lines(text)
    groups = []
    segment = []
    header_type = None
    chained = False
    for line in lines:
        stripped = line.strip()
        if stripped in CHAIN_SEPARATORS:
            groups.append(_group(segment, header_type, chained))
            segment, header_type, chained = [], None, True
            continue
        ipython_start = IPYTHON_TRACEBACK_START.match(line)
        plain_start = ipython_start is None and (
            PLAIN_TRACEBACK_START.match(line) or FLATTENED_TRACEBACK_START.match(line)
        )
        wrapped_header = _wrapped_ipython_header(segment, line) if plain_start else None
        if wrapped_header:
            segment.pop()  # the exception name is the header's, not the previous traceback's
        if ipython_start or plain_start:
            if segment and any(part.strip() for part in segment):
                groups.append(_group(segment, header_type, chained))
                # A traceback right after a chain separator continues the same chain.
                chained = not any(part.strip() and not part.strip("-") == "" for part in segment) and chained
                segment = []
            header_type = ipython_start.group(1) if ipython_start else wrapped_header
            segment.append(line)
            continue
        segment.append(line)
    groups.append(_group(segment, header_type, chained))
    return _join_chains([group for group in groups if group is not None])


def _wrapped_ipython_header(segment, line):
    """The exception name of IPython's header line wrapped in two, else None.

    "ValueError      Traceback (most recent call last)" wrapped by a narrow paste
    leaves the name alone on the line before a colon-less "Traceback (most recent
    call last)" (plain Python's has the colon, and a bare name before it is the
    previous traceback's exception line).
    """
    if not segment or line.rstrip().endswith(":"):
        return None
    header = EXCEPTION_HEADER.match(segment[-1].strip())
    if header is None or header.group(2) is not None or ":" in segment[-1]:
        return None
    name = header.group(1)
    return name if EXCEPTION_NAME.match(_short_name(name)) else None


def _group(lines, header_type, chained):
    if not any(line.strip() for line in lines):
        return None
    records, incomplete = _records_from_segment(lines, header_type)
    if not records:
        return None
    return {"records": records, "incomplete": incomplete, "chained": chained}


def _join_chains(groups):
    joined = []
    for group in groups:
        if group["chained"] and joined:
            joined[-1]["records"].extend(group["records"])
            joined[-1]["incomplete"] = group["incomplete"]
        else:
            joined.append({"records": list(group["records"]), "incomplete": group["incomplete"]})
    return joined


def records_from_text(text):
    """Every record in pasted traceback / warning text, in order of appearance."""
    return [record for group in tracebacks_from_text(text) for record in group["records"]]


def _records_from_segment(lines, header_type=None):
    """(records, incomplete) for the lines between two traceback starts or chain separators."""
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
                    "keras2": bool(warning) and _names_keras2_file([warning.group(1)]),
                }
            )
            frame_start = index
            continue
        header = EXCEPTION_HEADER.match(line)
        if header and EXCEPTION_NAME.match(_short_name(header.group(1))):
            message_lines = [header.group(2) or ""] + lines[index + 1 :]
            name = _short_name(header.group(1))
            records.append(
                {
                    "type": name,
                    "types": [name],
                    "message": JAX_FILTER_NOTE.sub("", "\n".join(message_lines)).strip(),
                    "frames": frames_from_text(lines[frame_start:index]),
                    "keras2": _names_keras2_file(lines[frame_start:index]),
                    "frames_text": _joined(lines[frame_start:index]),
                }
            )
            return records, False
        index += 1
    rest = lines[frame_start:]
    frames = frames_from_text(rest)
    has_traceback = bool(frames) or header_type is not None or any(PLAIN_TRACEBACK_START.match(line) for line in rest)
    if has_traceback:
        prose = "\n".join(_message_lines(rest)).strip()
    else:
        prose = "\n".join(line for line in rest if line.strip("-=_ \t")).strip()
    if not has_traceback and not prose:
        return records, False
    name = _short_name(header_type) if header_type else None
    embedded = EMBEDDED_EXCEPTION.search(prose) if prose else None
    if embedded:
        name = _short_name(embedded.group(1))
        prose = prose[embedded.end():]
    if prose or has_traceback:
        records.append(
            {"type": name, "types": [name] if name else [], "message": prose, "frames": frames,
             "keras2": _names_keras2_file(rest), "cut": has_traceback and not embedded, "frames_text": _joined(rest)}
        )
    # A traceback without its exception line: what is left may still be enough.
    return records, has_traceback and not embedded


# JAX's note under an exception whose frames it filtered: not part of the message (a bare
# NotImplementedError pasted from a JAX run would otherwise carry it).
JAX_FILTER_NOTE = re.compile(r"-{10,80}[ \t]{0,10}\n[ \t]{0,10}For simplicity, JAX has removed its internal frames[^\n]{0,300}")


def _joined(lines):
    """The lines with their indentation removed and no breaks: a path wrapped by the paste, whole again."""
    return "".join(line.strip() for line in lines)[: 2 * MAX_MESSAGE_CHARS]


def _names_keras2_file(lines):
    """True when these traceback lines name a file of Keras 2's own modules.

    Read from the text rather than from parsed frames: a frame header wrapped by
    the paste is no longer a frame, but its path is still there (joined again
    for a path wrapped inside a word).
    """
    pattern = catalog.keras2_frame_files()
    if pattern is None or not lines:
        return False
    return pattern.search("".join(line.strip() for line in lines)) is not None


# TensorFlow's op-definition stack ("Stack trace for op definition:", "defined at"): frame lines
# at the line start, without source lines, so an indented line after one is message text.
TF_OP_STACK_FRAME = re.compile(r'^File "[^"\n]{1,1000}", line \d{1,9}, in ', re.ASCII)


def _message_lines(lines):
    """The lines of a traceback segment that are not frames, source lines, carets or rulers.

    An indented line is a frame's source line, except after a frame of TensorFlow's op stack
    (which shows no source), and a tab-indented line outside any frame (TensorFlow indents its
    runtime messages with tabs: "\ttf2xla conversion failed while converting ...").
    """
    kept = []
    previous, previous_is_message = "", True
    for line in lines:
        if not line.strip():
            kept.append(line)
            continue
        indented_message = line[:1] in (" ", "\t") and (
            TF_OP_STACK_FRAME.match(previous) is not None
            or (line[:1] == "\t" and previous_is_message and not previous.startswith("File "))
        )
        previous_is_message = bool(indented_message) or not _is_traceback_line(line)
        if previous_is_message:
            kept.append(line)
        previous = line
    return kept


def _is_traceback_line(line):
    """Frame headers, source and context lines, carets, rulers: not the message."""
    if not line.strip():
        return False
    if line[:1] in (" ", "\t") or line.startswith("-") or line.startswith("..."):
        return True
    return bool(
        PLAIN_TRACEBACK_START.match(line)
        or IPYTHON_TRACEBACK_START.match(line)
        or line.startswith("Cell In")
        or line.startswith("Input In")
        or line.startswith("File ")
        or VSCODE_CELL_FRAME_LINE.match(line)
        or line.startswith("[... skipping")
    )


def _ends_warning(line):
    # Python prints the warning's source line indented by two spaces; a line with
    # one leading space is the message wrapped at a space.
    return (
        line[:2] == "  "
        or line[:1] == "\t"
        or (line[:1] == " " and line[1:2] in ("", " ", "\t"))
        or line.strip() == ""
        or PLAIN_TRACEBACK_START.match(line) is not None
        or IPYTHON_TRACEBACK_START.match(line) is not None
        or WARNING_LINE.match(line) is not None
        or ABSL_WARNING_LINE.match(line) is not None
    )


# ---------------------------------------------------------------- matching


# TensorFlow's C++ log line: "2023-05-19 13:13:06.132781: I tensorflow/core/util/port.cc:116] ..."
# (found anywhere in a line: pastes prefix lines with loggers' own stamps, "E   ", a worker's name).
TF_LOG_DATE = re.compile(
    r"(?<![\d-])(\d{4}-\d{2}-\d{2})[ T]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?:\s{1,4}[IWEF]\s{1,4}[\w./-]{1,200}\.(?:cc|h):\d",
    re.ASCII,
)
# A Python's own folder in a path: /usr/lib/python3.7/, C:\Python38\, .../python2.7/site-packages.
PYTHON_IN_PATH = re.compile(r"[\\/][Pp]ython([23])\.?(\d{1,2})[\\/]", re.ASCII)


def predates_keras3(text):
    """True when pasted text shows an environment Keras 3 cannot run in (catalog `keras3Arrival`).

    Every TensorFlow log line dated before Keras 3's first release, or every Python folder in its
    paths older than the Python Keras 3 needs: Keras 2 raised it, whatever its words (a paste of two
    environments, one of them new enough, is not decided by this).
    """
    arrival = catalog.keras3_arrival()
    if arrival is None or not text:
        return False
    first_release, oldest_python = arrival
    text = bound(text, MAX_TEXT_CHARS)
    dates = TF_LOG_DATE.findall(text)
    if dates and max(dates) < first_release:
        return True
    pythons = [(int(major), int(minor)) for major, minor in PYTHON_IN_PATH.findall(text)]
    return bool(pythons) and max(pythons) < oldest_python


def _find_match(records, keras_version, keras2=False, backend=None):
    """(signature, match, line_match, record, frame) of the first hit, or None.

    Specific signatures: the newest record first (it is what the user saw last),
    each against the catalog in order. Fallback signatures only when nothing
    specific matched, in catalog order, each against the whole chain: a masked
    backend error deep in the chain then beats a vaguer one on top. Each record
    is tried as its words run (whitespace collapsed), then with its line breaks
    removed, for messages wrapped inside a word.
    """
    compiled = [entry for entry in catalog.compiled_signatures() if _may_answer(entry[0], keras2)]
    newest_first = list(range(len(records) - 1, -1, -1))
    specific = [entry for entry in compiled if not entry[0].get("fallback")]
    fallback = [entry for entry in compiled if entry[0].get("fallback")]
    for join_wrapped in (False, True):
        texts = [_matching_text(record, join_wrapped) for record in records]
        if join_wrapped and texts == [_matching_text(record, False) for record in records]:
            break  # nothing was wrapped: the second pass would repeat the first
        for position in newest_first:
            for entry in specific:
                found = _try_signature(entry, records, texts, position, keras_version, backend)
                if found:
                    return found
        for entry in fallback:
            for position in newest_first:
                found = _try_signature(entry, records, texts, position, keras_version, backend)
                if found:
                    return found
    return None


def _matching_text(record, join_wrapped):
    key = "_matching_joined" if join_wrapped else "_matching"
    if key not in record:
        record[key] = for_matching(record["message"], join_wrapped)
    return record[key]


def _try_signature(entry, records, texts, position, keras_version, backend=None):
    signature, regex, line_regex = entry
    record = records[position]
    text = texts[position]
    if keras_version and not version_applies(signature.get("versions"), keras_version):
        return None
    if backend and "backends" in signature and backend not in signature["backends"]:
        return None  # the running backend is one this failure does not happen on
    if record["types"]:
        if not set(signature["exceptionTypes"]).intersection(record["types"]):
            return None
    elif not text or regex.match("") is not None:
        # Without an exception type, an empty message (or a signature that accepts one,
        # like a bare NotImplementedError) proves nothing.
        return None
    match = regex.search(text)
    if match is None or not _names_are_known(signature, match):
        return None
    if signature.get("unless") and catalog.compiled_pattern(signature["unless"]).search(text):
        return None
    if signature.get("notInBuiltinLayer") and _raised_in_builtin_layer(record):
        return None
    if signature.get("notInKerasOps") and _raised_in_keras_ops(record):
        return None
    if _needs_keras3_evidence(signature) and not _shows_keras3(signature, records, text, keras_version):
        return None
    if "context" in signature and not _shows_context(signature, records):
        return None
    frame = _failing_frame(records, position)
    line_match = None
    if line_regex is not None:
        candidates = [frame, _cell_frame(records, position)]
        for candidate in candidates:
            if candidate is not None and candidate["text"] is not None:
                line_match = line_regex.search(candidate["text"][:MAX_FIELD_CHARS])
                if line_match is not None:
                    break
        if line_match is None:
            return None
    return signature, match, line_match, record, frame


# Keras 3's own modules (and keras-core's); Keras 2.13-2.15's keras/src/engine frames never get here
# (raised_by_keras2 turns their tracebacks away first, but for `keras3Only` signatures, which need no evidence).
KERAS3_FRAME_FILE = re.compile(r"[\\/]keras(?:_core)?[\\/]src[\\/]", re.ASCII)


def _needs_keras3_evidence(signature):
    return "keras3Evidence" in signature or "keras3Frames" in signature


def _shows_keras3(signature, records, text, keras_version):
    """True when the text says Keras 3 raised it (or was there), for words older Keras raised too.

    The running Keras (the hook knows it), a frame in Keras 3's modules or in the signature's
    `keras3Frames` (tf_keras: the Keras 2 of the Keras 3 era), or the signature's own evidence
    in the message (Python 3.10+'s "Did you mean" suggestion, which no Keras 2 that lacked the
    attribute could meet).
    """
    if keras_version:
        version = parse_version(keras_version)
        if version is not None and version.release[0] >= 3:
            return True
    frames = catalog.compiled_pattern(signature["keras3Frames"]) if "keras3Frames" in signature else None
    for each in records:
        for frame in each["frames"]:
            path = (frame["file"] or "")[:MAX_FIELD_CHARS]
            if path and (KERAS3_FRAME_FILE.search(path) or (frames is not None and frames.search(path))):
                return True
        # A frame header the paste wrapped is no frame any more, but its path is still in the text.
        if frames is not None and frames.search(each.get("frames_text", "")):
            return True
    evidence = signature.get("keras3Evidence")
    if evidence is None:
        return False
    pattern = catalog.compiled_pattern(evidence)
    if pattern.search(text) is not None:
        return True
    # The words before the exception line (a title, "Keras 3 with the JAX backend", the frames).
    return any(pattern.search((each.get("frames_text") or "")[:MAX_FIELD_CHARS]) for each in records)


def _shows_context(signature, records):
    """True when the signature's `context` regex is found in some record's message or frames.

    For a message that several causes share, the circumstance that makes it a migration failure
    (a tf.data map in the frames or in the words around it).
    """
    context = catalog.compiled_pattern(signature["context"])
    for each in records:
        if context.search((each.get("message") or "")[:MAX_FIELD_CHARS]):
            return True
        if context.search(each.get("frames_text") or ""):
            return True
        for frame in each["frames"]:
            # "<file> in <function>", as `cut`'s raisedIn reads a frame (a live traceback has no frames_text).
            where = (frame["file"] or "")[:MAX_FIELD_CHARS] + (" in " + frame["function"][:200] if frame.get("function") else "")
            if context.search(where):
                return True
    return False


KERAS3_OPS_FILE = re.compile(r"[\\/]keras(?:_core)?[\\/]src[\\/](?:ops|backend)[\\/]", re.ASCII)
JAX_OWN_FILE = re.compile(r"(?:^|[\\/])jax(?:lib)?[\\/]", re.ASCII)


def _raised_in_keras_ops(record):
    """True when the innermost frame (JAX's own frames aside) is in Keras 3's ops or backend modules.

    A traced value that Keras's own op code turned into a Python bool (a Keras op given to
    `jax.jit` by hand: keras.ops.linalg.cholesky checks its result) is no `if` of the user's call().
    """
    for frame in reversed(record["frames"]):
        path = (frame["file"] or "")[:MAX_FIELD_CHARS]
        if path and JAX_OWN_FILE.search(path):
            continue
        return bool(path) and KERAS3_OPS_FILE.search(path) is not None
    return False


def _raised_in_builtin_layer(record):
    """True when Keras's call wrapper names one of its own layers that run no user code.

    An error of the user's call() code (Python control flow on symbolic tensors) raised inside
    such a layer (SpectralNormalization in Keras 3.0.5) is a Keras bug, not a migration problem.
    """
    for join_wrapped in (False, True):  # a paste may wrap the wrapper's line, even inside the name
        wrapper = CALL_WRAPPER_LAYER.search(_matching_text(record, join_wrapped))
        if wrapper is not None:
            return _short_name(wrapper.group(1) or wrapper.group(2)) in catalog.keras_builtin_layers()
    return False


def _names_are_known(signature, match):
    """False when a capture restricted by `knownNames` holds a name outside its list."""
    restricted = signature.get("knownNames")
    if not restricted:
        return True
    for position, name in enumerate(signature.get("captures") or []):
        value = match.group(position + 1)
        if name in restricted and value is not None:
            rule = restricted[name]
            if value in rule.get("except", ()) or value not in catalog.known_names(rule["in"]):
                return False
    return True


def _failing_frame(records, position):
    """The innermost user frame of this record, else of any record in the chain."""
    frame = innermost_user_frame(records[position]["frames"])
    if frame is not None:
        return frame
    for record in reversed(records):
        frame = innermost_user_frame(record["frames"])
        if frame is not None:
            return frame
    return None


def _cell_frame(records, position):
    """The innermost frame that is a notebook cell (the line the user ran), if any."""
    frame = innermost_cell_frame(records[position]["frames"])
    if frame is not None:
        return frame
    for record in reversed(records):
        frame = innermost_cell_frame(record["frames"])
        if frame is not None:
            return frame
    return None


def _name_groups(names, captures, match):
    if match is None:
        return
    for position, name in enumerate(captures or []):
        value = match.group(position + 1) if position < (match.re.groups or 0) else None
        if value is not None and name not in names:
            names[name] = _truncate(value)


def _where(records, position_record, frame):
    """Location fields: the cell line when the traceback has one, else the file line.

    When the failing line is in a .py module the notebook imported, the cell
    line that called it is named, and `origin` keeps the module's line.
    """
    position = records.index(position_record) if position_record in records else len(records) - 1
    cell_frame = _cell_frame(records, position) if records else None
    where = {"line": None, "cell": None, "file": None, "cell_line_text": None, "origin": None}
    if cell_frame is not None:
        where.update(line=cell_frame["line"], cell=cell_frame["cell"], cell_line_text=_truncate(cell_frame["text"]))
        if frame is not None and frame is not cell_frame and frame["cell"] is None:
            where["origin"] = {"file": _truncate(frame["file"]), "line": frame["line"], "text": _truncate(frame["text"])}
    elif frame is not None:
        where.update(line=frame["line"], file=_truncate(frame["file"]), cell_line_text=_truncate(frame["text"]))
    return where


def raised_by_keras2(records):
    """True when a frame runs in Keras 2's own modules (catalog `keras2FrameFiles`).

    Keras 2 raises some of Keras 3's wordings too ("Could not interpret optimizer
    identifier: <...>", "module 'keras.backend' has no attribute ..."); such a
    traceback is a Keras 2 problem, not a migration failure.
    """
    if any(record.get("keras2") for record in records):
        return True
    pattern = catalog.keras2_frame_files()
    if pattern is None:
        return False
    return any(
        frame["file"] and pattern.search(frame["file"][:MAX_FIELD_CHARS])
        for record in records
        for frame in record["frames"]
    )


def _may_answer(signature, keras2):
    """False when Keras 2 raised the traceback and the signature's words are not Keras 3's alone.

    A frame in Keras 2's modules makes a traceback Keras 2's, except for a signature marked
    `keras3Only`: words only Keras 3's objects produce ('KerasHistory' object has no attribute
    'layer') are Keras 3 objects handed to Keras 2 code (TF's private tensorflow.python.keras that a
    library still imports), a migration failure whatever raised it.
    """
    return not keras2 or bool(signature.get("keras3Only"))


def _looks_cut(record):
    """True when the paste stopped before or inside this record's message.

    No exception line at all, or a short message that stops mid-sentence: a finished
    message ends in a full stop, a quote or a bracket ("... looks like" was cut, and so was
    "When using `save_weights_only=True`": a code span is no sentence's end).
    """
    if record.get("cut"):
        return True
    message = record["message"].rstrip()
    return 0 < len(message) <= CUT_MESSAGE_CHARS and (message[-1].isalnum() or message[-1] in "`,")


CUT_MESSAGE_CHARS = 300
RAISE_LINE = re.compile(r"^raise ([A-Z]\w{0,100})\b", re.ASCII)


def _find_cut_match(records, keras2=False):
    """(signature, None, line_match, record, frame) from a signature's `cut` evidence, or None.

    For a traceback cut before (or inside) its exception line, when no message matched:
    the exception type (IPython's header, or the cut line) and where it was raised (the
    innermost frame: Keras raises that type there for one reason only, or its source line
    does the one thing that raises it, like an import of a module Keras 3 lacks) or what the
    user's line does, in a traceback through Keras 3's own modules.
    """
    record = records[-1]
    frames = [frame for each in records for frame in each["frames"]]
    if not frames or not _looks_cut(record):
        return None
    innermost = frames[-1]
    # Plain Python names the type only on the exception line; the source line that raised may.
    raise_line = RAISE_LINE.match(innermost["text"] or "") if not record["types"] else None
    types = [raise_line.group(1)] if raise_line else record["types"]
    if not types:
        return None
    raised_at = "%s in %s" % ((innermost["file"] or "")[:MAX_FIELD_CHARS], (innermost["function"] or "")[:MAX_FIELD_CHARS])
    user_frame = _failing_frame(records, len(records) - 1)
    cell_frame = _cell_frame(records, len(records) - 1)
    for signature, _regex, _line_regex in catalog.compiled_signatures():
        cut = signature.get("cut")
        if not cut or signature.get("guide") is None or not _may_answer(signature, keras2):
            continue
        if not set(signature["exceptionTypes"]).intersection(types):
            continue
        if "raisedIn" in cut and not catalog.compiled_pattern(cut["raisedIn"]).search(raised_at):
            continue
        if "innermostLine" in cut and not catalog.compiled_pattern(cut["innermostLine"]).search(
            (innermost["text"] or "")[:MAX_FIELD_CHARS]
        ):
            continue
        if "anyFrame" in cut and not any(
            frame["file"] and catalog.compiled_pattern(cut["anyFrame"]).search(frame["file"][:MAX_FIELD_CHARS]) for frame in frames
        ):
            continue
        if "line" in cut:
            texts = [frame["text"][:MAX_FIELD_CHARS] for frame in (user_frame, cell_frame) if frame and frame["text"]]
            line_match = next((found for found in (catalog.compiled_pattern(cut["line"]).search(text) for text in texts) if found), None)
            if line_match is None:
                continue
        return signature, None, None, record, user_frame
    return None


# A cut message must keep this much of a signature's words to stand for it.
MIN_PREFIX_CHARS = 40
# Where a title or a preview cut the text it shows.
ELLIPSIS = re.compile(r"\u2026|\.\.\.(?!\.)")
# Only the end of a cut message is read against the signatures' words (bounded work per record).
PREFIX_TAIL_CHARS = 1200


def _cut_texts(record, last, join_wrapped):
    """The texts of this record's message that may stop inside a Keras message: before each of
    its first ellipses, and (for the paste's last record) the whole message when it ends mid-sentence."""
    text = _matching_text(record, join_wrapped)
    texts = []
    for count, ellipsis in enumerate(ELLIPSIS.finditer(text[:MAX_MESSAGE_CHARS])):
        if count == 3:
            break
        texts.append(text[: ellipsis.start()].rstrip())
    if last and text and (text[-1].isalnum() or text[-1] in ",:<(=_-/"):
        texts.append(text)
    return [each[-PREFIX_TAIL_CHARS:] for each in texts if len(each) >= MIN_PREFIX_CHARS]


def _find_prefix_match(records, keras2=False):
    """(signature, None, None, record, frame, generic) for a message the paste cut, or None.

    The cut text must end inside the words of a signature's message (at least MIN_PREFIX_CHARS
    of them): a title or preview that ends in an ellipsis, or a paste that stops mid-sentence.
    Several signatures may start with the same words (a hub.KerasLayer or a tf_keras layer in a
    Keras 3 Sequential): when they share a guide section the answer is the section's (`generic`),
    when they do not, or when one of them is no migration problem, there is no answer.
    """
    last = len(records) - 1
    return _first_agreed_match(
        records, keras2, catalog.compiled_prefix_signatures(),
        lambda record, position, join_wrapped: _cut_texts(record, position == last, join_wrapped),
        min_match=MIN_PREFIX_CHARS, keras3_evidence=True)


def _find_lead_match(records, keras2=False):
    """(signature, None, None, record, frame, generic) for a message quoted by its first sentence alone.

    A title or a paste may keep a message's first sentence and drop the rest ("Only instances of
    `keras.Layer` can be added to a Sequential model." without "Received: ..."): a signature's
    leading sentence (see `catalog.message_lead_pattern`), found anywhere in a record and not followed
    by the message's next words, stands for it. As with cut messages, every signature the sentence
    starts must agree on the section, the exception's name must be one of theirs, and words older
    Keras raised too need Keras 3's evidence.
    """
    return _first_agreed_match(
        records, keras2, catalog.compiled_lead_signatures(),
        lambda record, _position, join_wrapped: [_matching_text(record, join_wrapped)[:MAX_MESSAGE_CHARS]],
        keras3_evidence=True)


def _agreed_match(hits, record, records, position):
    """The match of words several signatures share, when they all name one guide section.

    Words that could start (or stand inside) messages of different sections name no cause: then
    None, and no diagnosis. `generic` says the diagnosis is the section's rather than one signature's.
    """
    guides = {signature["guide"] for signature in hits}
    if len(guides) != 1 or None in guides:
        return None
    generic = len({signature["id"] for signature in hits}) > 1
    return hits[0], None, None, record, _failing_frame(records, position), generic


def _find_keras3_phrase_match(records, keras2=False):
    """(signature, None, None, record, frame, generic) for a fragment of a message that names Keras 3.

    A title or a quote may start inside the message ("Keras 3 only supports V3 `.keras` files and
    legacy H5"): words of a signature's message that name Keras 3 are that message's wherever they
    stand. As with cut messages, every signature the words belong to must agree on the section.
    """
    return _first_agreed_match(
        records, keras2, catalog.compiled_keras3_phrases(),
        lambda record, _position, join_wrapped: [text for text in [_matching_text(record, join_wrapped)] if "Keras" in text])


def _first_agreed_match(records, keras2, patterns, texts_of, min_match=0, keras3_evidence=False):
    """The agreed match of (signature, pattern) pairs in the last record any of them matches.

    `texts_of(record, position, join_wrapped)` gives the texts to read in a record (as written,
    then with wrapped lines joined). A signature counts when its pattern matches at least
    `min_match` characters, the record's exception names are its own, its `unless` pattern does
    not match and (with `keras3_evidence`) words older Keras raised too come with Keras 3's evidence.
    """
    for position in range(len(records) - 1, -1, -1):
        record = records[position]
        for join_wrapped in (False, True):
            for text in texts_of(record, position, join_wrapped):
                hits = []
                for signature, pattern in patterns:
                    if not _may_answer(signature, keras2):
                        continue
                    if record["types"] and not set(signature["exceptionTypes"]).intersection(record["types"]):
                        continue
                    match = pattern.search(text)
                    if match is None or match.end() - match.start() < min_match:
                        continue
                    if signature.get("unless") and catalog.compiled_pattern(signature["unless"]).search(text):
                        continue
                    if keras3_evidence and _needs_keras3_evidence(signature) and not _shows_keras3(signature, records, text, None):
                        continue
                    hits.append(signature)
                if hits:
                    return _agreed_match(hits, record, records, position)
    return None


def recognize_records(records, keras_version=None, backend=None, from_text=False, keras2_environment=False):
    """The diagnosis dict for these records, or None when nothing migration-related is recognised.

    `from_text`: the records were read from pasted text, which may stop before its exception
    line; then a signature's `cut` evidence may answer when no message matched.
    `keras2_environment`: the paste around them shows Keras 3 could not have run (`predates_keras3`).
    """
    keras2 = keras2_environment or raised_by_keras2(records)
    found = _find_match(records, keras_version, keras2, backend)
    if found is None and from_text and records:
        found = (_find_cut_match(records, keras2) or _find_prefix_match(records, keras2)
                 or _find_lead_match(records, keras2) or _find_keras3_phrase_match(records, keras2))
    if found is None:
        return None
    signature, match, line_match, record, frame = found[:5]
    generic = len(found) > 5 and found[5]
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
                names["layer"] = _truncate(wrapper.group(1))
                break
    if "op" not in names and section.get("adviceNamesTfOp") and frame and frame["text"]:
        op = TF_OP_CALL.search(frame["text"][:MAX_FIELD_CHARS])
        if op:
            names["op"] = _truncate(op.group(1))
    if "path" in names:
        names["path"] = names["path"].rstrip(".,;'\"")
    diagnosis = {
        "guide": signature["guide"],
        "title": (None if generic else signature.get("title")) or section["title"],
        # The API's own explanation where the catalog has one (api-changes lists many unrelated APIs).
        "explanation": (section if generic else catalog.api_explanations().get(signature["id"], section))["explanation"],
        "fix": (None if generic else signature.get("fix")) or section["fix"],
        "guide_url": catalog.guide_url(),
        "names": names,
        "signature": signature["id"],
        "exception_type": _truncate(record["type"], 200),
        "message": _truncate(unwrap_keras_message(record["message"])),
        "keras_version": _truncate(keras_version, 200),
        "backend": _truncate(backend, 200),
        "kind": signature["kind"],
        "incomplete": False,
    }
    diagnosis.update(_where(records, record, frame))
    return diagnosis


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
        "origin": None,
        "names": {},
        "signature": None,
        "exception_type": None,
        "message": _truncate(message),
        "keras_version": None,
        "backend": None,
        "kind": None,
        "incomplete": False,
    }


def _diagnose_group(group, keras2_environment=False):
    records = group["records"]
    diagnosis = recognize_records(records, from_text=True, keras2_environment=keras2_environment)
    if diagnosis is not None:
        return diagnosis
    empty = empty_diagnosis(unwrap_keras_message(records[-1]["message"]) if records else "")
    if records:
        empty["exception_type"] = _truncate(records[-1]["type"], 200)
        empty.update(_where(records, records[-1], _failing_frame(records, len(records) - 1)))
    if group["incomplete"]:
        empty["incomplete"] = True
        empty["title"] = "Incomplete traceback: the exception line is missing"
        empty["explanation"] = (
            "The text has stack frames but not the last line that names the exception and its message, "
            "so it cannot be told whether this is a Keras 3 migration problem."
        )
        empty["fix"] = "Copy the traceback to its end, including the line that starts with the exception's name."
    return empty


def explain_all(text):
    """One diagnosis per traceback (or group of warnings) in pasted text, in order."""
    keras2_environment = predates_keras3(text)
    return [_diagnose_group(group, keras2_environment) for group in tracebacks_from_text(text or "")]


def explain_payload(text):
    """`{"diagnosis", "diagnoses"}` for pasted text: every traceback's diagnosis in order, and
    the one to show first (the first recognised failure, else the first recognised warning, else the last). The explain endpoint's
    answer and `keras-migrate explain --output-format json`."""
    diagnoses = explain_all(text)
    recognised = [diagnosis for diagnosis in diagnoses if diagnosis["guide"] is not None]
    # A failure outranks a warning logged before it (the HDF5 "legacy format" warning of the save
    # whose load then fails): the failure is what the paste is about.
    errors = [diagnosis for diagnosis in recognised if diagnosis.get("kind") != "warning"]
    if recognised:
        first = (errors or recognised)[0]
    elif diagnoses:
        first = diagnoses[-1]
    else:
        first = empty_diagnosis("")
    return {"diagnosis": first, "diagnoses": diagnoses}


def explain_text(text):
    """Diagnosis for pasted text: the first failure recognised (else warning), else the last one's answer.

    `guide` is None when nothing is recognised; `incomplete` then says whether the
    paste lacked its exception line.
    """
    return explain_payload(text)["diagnosis"]


def recognize_exception(exc, filename_map=None, keras_version=None, backend=None):
    return recognize_records(records_from_exception(exc, filename_map), keras_version, backend)
