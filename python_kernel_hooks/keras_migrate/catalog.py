"""The shared catalog of guide knowledge (sections and run-time signatures).

The same JSON files are read by the TypeScript front end; the wheel carries them
as ``keras_migrate/catalog/`` (pyproject force-include) and a source checkout
has them in ``<repo>/src/catalog``. Standard library only: this is imported in
every kernel that loads the hook.
"""

import functools
import json
import os
import re

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
_CANDIDATE_DIRS = (
    os.path.join(_PACKAGE_DIR, "catalog"),  # installed wheel
    os.path.join(os.path.dirname(os.path.dirname(_PACKAGE_DIR)), "src", "catalog"),  # source checkout / editable
)

_FLAG_BITS = {"i": re.IGNORECASE, "s": re.DOTALL, "m": re.MULTILINE}


class CatalogNotFound(RuntimeError):
    pass


def catalog_dir():
    """The first directory that holds sections.json; KERAS_MIGRATE_CATALOG overrides."""
    override = os.environ.get("KERAS_MIGRATE_CATALOG")
    candidates = (override,) + _CANDIDATE_DIRS if override else _CANDIDATE_DIRS
    for directory in candidates:
        if os.path.isfile(os.path.join(directory, "sections.json")):
            return directory
    raise CatalogNotFound("keras_migrate catalog not found in " + ", ".join(candidates))


def _read_json(name):
    with open(os.path.join(catalog_dir(), name), encoding="utf-8") as handle:
        return json.load(handle)


@functools.lru_cache(maxsize=None)
def sections():
    """slug -> section dict."""
    return {section["slug"]: section for section in _read_json("sections.json")["sections"]}


@functools.lru_cache(maxsize=None)
def guide_url():
    return _read_json("sections.json").get("guideUrl")


@functools.lru_cache(maxsize=None)
def backend_settings():
    """backends.json: the training backends (in run order), the environment variable that
    selects one, and the notebook metadata key that keeps a notebook's choice."""
    return _read_json("backends.json")


@functools.lru_cache(maxsize=None)
def api_explanations():
    """signature id -> the apis.json entry explaining that API (what Keras 3 did to it, since when)."""
    by_signature = {}
    for api in _read_json("apis.json")["apis"]:
        for signature in api.get("signatures", ()):
            by_signature.setdefault(signature, api)
    return by_signature


@functools.lru_cache(maxsize=None)
def signatures():
    """The raw signature dicts, in catalog order."""
    return tuple(_read_json("signatures.json")["signatures"])


def compile_regex(pattern, flags=""):
    bits = re.ASCII
    for flag in flags or "":
        bits |= _FLAG_BITS[flag]
    return re.compile(pattern, bits)


_QUANTIFIER_START = frozenset("*+?{")
# Where Keras prints a backtick the paste may have nothing (rendered Markdown) or a quote
# (typed by hand, or a translation that knows no backticks).
_BACKTICK = "['\"]?"
# An opening quote loosened: the quote, or (when the paste lost it) a word start.
_LOOSE_QUOTE = "(?:['\"]|(?<![\\w.]))"
# A closing quote loosened: the quote, or (when the paste lost it) no letter or digit next, so that
# a quoted word cannot match the start of a longer one ('output_mask' is not in 'output_masks');
# an underscore may follow (Markdown's _emphasis_ took the quote: "'overwrite_with_gradient_").
_LOOSE_CLOSING_QUOTE = "(?:['\"]|(?![^\\W_]))"


def loosen(pattern):
    """The pattern as it runs against `paste.for_matching` text.

    That text has no backticks and single spaces only, so a backtick in a pattern
    becomes an optional quote (people retype backticks as quotes); a literal space
    may be missing (a line wrapped inside a word), and
    quotes may be missing or be the other kind (pasted through rendered Markdown;
    a missing opening quote must still be at a word start, to stay linear).
    Character classes are left alone except that `'` in one also admits `"`.
    """
    out = []
    index = 0
    in_class = False
    length = len(pattern)
    while index < length:
        char = pattern[index]
        if char == "\\" and index + 1 < length:
            escaped = pattern[index + 1]
            index += 2
            if not in_class and escaped == "`":
                out.append(_BACKTICK)
                continue
            if not in_class and escaped in ("'", '"', " "):
                char = escaped  # handled below as the plain character
                index -= 1
            else:
                out.append("\\" + escaped)
                continue
        if in_class:
            if char == "]" and not pattern[index - 1 : index] == "[" and not pattern[index - 2 : index] == "[^":
                in_class = False
            elif char == "'":
                out.append("'\"")
                index += 1
                continue
            out.append(char)
            index += 1
            continue
        following = pattern[index + 1 : index + 2]
        if char == "[":
            in_class = True
            out.append(char)
        elif char == "`":
            out.append(_BACKTICK)
        elif char in ("'", '"') and following not in _QUANTIFIER_START:
            # An opening quote that is missing still leaves a word start: without the
            # lookbehind the capture after it would be tried at every letter.
            opening = following in ("(", "[", "\\") or following.isalnum()
            out.append(_LOOSE_QUOTE if opening else _LOOSE_CLOSING_QUOTE)
        elif char == " " and following not in _QUANTIFIER_START:
            out.append(" ?")
        else:
            out.append(char)
        index += 1
    return "".join(out)


@functools.lru_cache(maxsize=None)
def compiled_signatures():
    """Signatures with their regexes compiled: tuples of (signature, regex, line_regex|None).

    `regex` is loosened for pasted text (see `loosen`); `line_regex` runs on source lines as they are.
    """
    compiled = []
    for signature in signatures():
        regex = compile_regex(loosen(signature["regex"]), signature.get("flags", ""))
        line_regex = None
        if signature.get("lineRegex"):
            line_regex = compile_regex(signature["lineRegex"])
        compiled.append((signature, regex, line_regex))
    return tuple(compiled)


# ---------------------------------------------------------------- cut messages
# A pasted message may stop early: the paste ends inside it, or a title or preview cut it with
# an ellipsis. A cut message is read as the start of a signature's message: its literal words up
# to the first stretch of free text (a captured value), which may run to where the paste stops.
_OPEN_QUANTIFIER = re.compile(r"^(?:[*+]|\{\d*,\d*\})\??$")
_WORD_SEPARATORS = frozenset(" ")


def _read_atom(pattern, index):
    """(atom, next index): one regex item of a loosened pattern with its quantifier.

    atom = {"text": regex text with quantifier, "kind": "char" | "set" | "group", "char": the
    literal character a "char" stands for, "inner": a group's text, "opener": "(", "(?:", "(?!"...}.
    """
    char = pattern[index]
    atom = {"kind": "set", "char": None}
    if char == "\\":
        escaped = pattern[index + 1]
        end = index + 2
        if not escaped.isalnum():
            atom.update(kind="char", char=escaped)
    elif char == "[":
        end = index + 1
        if pattern[end : end + 1] == "^":
            end += 1
        if pattern[end : end + 1] == "]":
            end += 1
        while pattern[end] != "]":
            end += 2 if pattern[end] == "\\" else 1
        end += 1
    elif char == "(":
        depth, end, in_class = 0, index, False
        while True:
            current = pattern[end]
            if current == "\\":
                end += 2
                continue
            if in_class:
                in_class = current != "]"
            elif current == "[":
                in_class = True
            elif current == "(":
                depth += 1
            elif current == ")":
                depth -= 1
                if depth == 0:
                    end += 1
                    break
            end += 1
        body = pattern[index:end]
        opener = next((o for o in ("(?<!", "(?<=", "(?:", "(?!", "(?=") if body.startswith(o)), "(")
        atom.update(kind="group", opener=opener, inner=body[len(opener) : -1])
    else:
        end = index + 1
        if char not in ".^$":
            atom.update(kind="char", char=char)
    quantifier_end = end
    if quantifier_end < len(pattern) and pattern[quantifier_end] in "*+?":
        quantifier_end += 1
    elif pattern[quantifier_end : quantifier_end + 1] == "{":
        quantifier_end = pattern.index("}", quantifier_end) + 1
    if quantifier_end > end and pattern[quantifier_end : quantifier_end + 1] == "?":
        quantifier_end += 1
    atom["quantifier"] = pattern[end:quantifier_end]
    atom["text"] = pattern[index:quantifier_end]
    return atom, quantifier_end


def _top_level_alternatives(pattern):
    alternatives, current, index = [], [], 0
    while index < len(pattern):
        if pattern[index] == "|":
            alternatives.append(current)
            current, index = [], index + 1
            continue
        atom, index = _read_atom(pattern, index)
        current.append(atom)
    alternatives.append(current)
    return alternatives


def _is_open(atom):
    """True for free text of any length (a captured value): `[\\s\\S]{1,200}?`, `\\S{1,200}`, `\\w+`."""
    quantifier = atom["quantifier"]
    if atom["kind"] == "group" or not _OPEN_QUANTIFIER.match(quantifier):
        return False
    counts = quantifier.strip("{}?").split(",")
    return quantifier[0] in "*+" or not counts[-1] or int(counts[-1]) >= 20


def _open_inner(atom):
    """The free-text atom a group is made of (`([\\s\\S]{1,200}?)`), else None."""
    if atom["kind"] != "group" or atom["quantifier"] or atom["opener"] not in ("(", "(?:"):
        return None
    try:
        inner = _top_level_alternatives(atom["inner"])
    except (IndexError, ValueError):
        return None
    return inner[0][0] if len(inner) == 1 and len(inner[0]) == 1 and _is_open(inner[0][0]) else None


def _ends_quoted_sentence(head, atoms, position):
    """True when the free-text atom at `position` is a name in quotes that ends a sentence the
    message goes on after ("Could not locate class 'X'. Make sure ..."): an opening quote before it,
    a closing quote and a period after it, more atoms after those, and a class that holds no quote."""
    free = atoms[position]
    inner = _open_inner(free)
    text = (inner or free)["text"]
    return (
        bool(head) and head[-1] == ("fixed", _LOOSE_QUOTE)
        and text.startswith("[^'")
        and position + 3 < len(atoms)
        and atoms[position + 1]["text"] in (_LOOSE_CLOSING_QUOTE, _LOOSE_QUOTE)  # `loosen` reads a quote before `\.` as opening
        and atoms[position + 2]["kind"] == "char" and atoms[position + 2]["char"] == "." and not atoms[position + 2]["quantifier"]
    )


def _message_heads(pattern, through_quoted_names=False):
    """For each top-level alternative of a (loosened) message pattern, its leading items up to the
    first free-text value: [("word" | "fixed" | "free", regex text)], and how many words they hold.

    `through_quoted_names`: a value that is a quoted name ending a sentence (see
    `_ends_quoted_sentence`) does not end the items; it is kept as ("name", its bounded class)
    and the words after it follow."""
    heads = []
    for atoms in _top_level_alternatives(pattern):
        head, words, word = [], 0, ""
        for position, atom in enumerate(atoms):
            if atom["kind"] == "char" and not atom["quantifier"] and atom["char"] not in _WORD_SEPARATORS:
                word += atom["text"]
                continue
            if word:
                head.append(("word", word))
                words, word = words + 1, ""
            free = atom if _is_open(atom) else _open_inner(atom)
            if free is not None and through_quoted_names and _ends_quoted_sentence(head, atoms, position):
                head.append(("name", free["text"]))
                continue
            if free is not None:
                head.append(("free", free["text"]))
                break
            if atom["kind"] == "group" and atom["opener"] in ("(", "(?:") and re.search(r"[*+]|\{\d*,\d*\}", atom["inner"]):
                if atom["quantifier"].startswith("?") and not head:
                    continue  # an optional lead holding free text ("(?:Layer '(x)' )?"): the words start after it
                break  # a group holding free text somewhere inside: the words end before it
            if atom["kind"] == "set" and atom["text"] in ("^", "$"):
                break
            head.append(("fixed", atom["text"]))
        else:
            if word:
                head.append(("word", word))
                words += 1
        heads.append((head, words))
    return heads


# A sentence a message starts with, quoted without the rest (an issue title, a paste that keeps
# the first sentence and drops the value after it): at least this long and this many words.
MIN_LEAD_CHARS = 30
MIN_LEAD_WORDS = 5


def _quoted_text(lead):
    """The text a run of loosened pattern words stands for (escapes, optional quotes and groups
    dropped), or None when it holds a value (a repeated group, a class) rather than words to quote."""
    plain = lead.replace(_LOOSE_CLOSING_QUOTE, "['\"]?")  # counted as a quote that may be missing
    if re.search(r"\{|\\[wdsSWD]", plain.replace(_LOOSE_QUOTE, "")):
        return None
    return re.sub(r"\\(.)", r"\1", re.sub(r"\[[^\]]*\]\??|\(\?:?|\)\??|\?", "", plain))


def message_lead_pattern(pattern):
    """A regex (loosened pattern in, `paste.for_matching` text against it) for the first sentences of
    a message `pattern`, quoted whole but without what follows them: the pattern's leading words up
    to a word that ends a sentence ("model.", its period optional), where more of the message's words
    follow, and not followed by those words. None when the message has no such sentence of at least
    MIN_LEAD_CHARS characters and MIN_LEAD_WORDS words. Linear: literal words and optional characters.
    """
    pieces = []
    for head, _words in _message_heads(pattern, through_quoted_names=True):
        word_positions = [index for index, (kind, _text) in enumerate(head) if kind == "word"]
        ends = [index for index in word_positions[:-1] if head[index][1].endswith("\\.")]
        if not ends:
            continue
        end = ends[-1]
        following = next(head[index][1] for index in word_positions if index > end)
        lead = "".join(text for _kind, text in head[: end + 1])
        # A quoted name the sentence ends with ("Could not locate class 'Functional'.") counts as a word.
        names = [index for index, (kind, _text) in enumerate(head[: end + 1]) if kind == "name"]
        literal = _quoted_text("".join("name" if kind == "name" else text for kind, text in head[: end + 1]))
        words = len([i for i in word_positions if i <= end]) + len(names)
        if literal is None or len(literal) < MIN_LEAD_CHARS or words < MIN_LEAD_WORDS:
            continue
        # Its final period may be missing; the words after it must be (a whole message already matched).
        pieces.append("(?<!\\w)%s\\.?(?!\\.? ?%s)" % (lead[:-2], following))
    pieces.extend(_value_clause_leads(pattern))
    if not pieces:
        return None
    return "|".join(pieces)


# A stretch the pattern skips before Keras 3's value clause: "must end in `.weights.h5`[\s\S]{0,200}?Received: ..."
_VALUE_GAP = re.compile(r"\[\\s\\S\]\{0,(\d{1,4})\}\?")


def _value_clause_leads(pattern):
    """Lead regexes for messages whose words run to a skipped stretch and then Keras 3's value clause
    ("... must end in `.weights.h5` (Keras weights format). Received: filepath=cp-{epoch}"): all of
    those words, the rest of that sentence (no longer than the stretch) and its period, without the
    "Received" clause after it. The words must make a sentence's worth (MIN_LEAD_CHARS, MIN_LEAD_WORDS)."""
    pieces = []
    for head, words in _message_heads(pattern):
        if not head or head[-1][0] != "free" or words < MIN_LEAD_WORDS:
            continue
        gap = _VALUE_GAP.fullmatch(head[-1][1])
        prefix = "".join(text for _kind, text in head[:-1])
        start = pattern.find(prefix + head[-1][1])
        if gap is None or start < 0 or not pattern[start + len(prefix) + len(head[-1][1]):].startswith("Received"):
            continue
        literal = _quoted_text(prefix)
        if literal is None or len(literal) < MIN_LEAD_CHARS:
            continue
        pieces.append("(?<!\\w)%s[^.]{0,%s}?\\.(?! ?Received)" % (prefix, gap.group(1)))
    return pieces


def message_prefix_pattern(pattern):
    """A regex (loosened pattern in, text of `paste.for_matching` against it) that matches where a
    text ends inside a message `pattern` matches: the pattern's leading words, cut anywhere (inside
    a word too), up to its first free-text value, which may run to the end. None when the pattern
    starts with no words. The cut text's own end is the caller's: the result ends in `\\Z`.
    A quoted name that ends a sentence is not that value: the words after it are read too ("Could
    not locate class 'Sequential'. Make sure custom classes are decora", a paste cut mid-word).
    Linear: one free-text atom at most, and only as the last item; a quoted name is a class without
    quotes, so it cannot run past its closing quote.
    """
    pieces = []
    for head, words in _message_heads(pattern, through_quoted_names=True):
        if words < 2:
            continue
        tail = ""
        for kind, text in reversed(head):
            if kind == "word":
                chars, position = [], 0
                while position < len(text):
                    step = 2 if text[position] == "\\" else 1
                    chars.append(text[position : position + step])
                    position += step
                cut = "|".join("".join(chars[:count]) for count in range(len(chars) - 1, 0, -1))
                piece = text + ("(?:%s)?" % tail if tail else "")
                tail = "(?:%s|%s)" % (piece, cut) if cut else piece
            else:
                tail = text + ("(?:%s)?" % tail if tail else "")
        pieces.append(tail)
    if not pieces:
        return None
    return "(?:%s)\\Z" % "|".join(pieces)


@functools.lru_cache(maxsize=None)
def compiled_lead_signatures():
    """(signature, lead regex) for each signature whose message starts with a whole sentence that
    more of its words follow (see `message_lead_pattern`), in catalog order. A `wholeMessage`
    signature is left out: only its whole message tells it from other failures."""
    compiled = []
    for signature in signatures():
        if signature.get("wholeMessage"):
            continue
        lead = message_lead_pattern(loosen(signature["regex"]))
        if lead is not None:
            compiled.append((signature, compile_regex(lead, signature.get("flags", ""))))
    return tuple(compiled)


@functools.lru_cache(maxsize=None)
def compiled_prefix_signatures():
    """(signature, prefix regex) for each signature whose message starts with words (see
    `message_prefix_pattern`), in catalog order. A `wholeMessage` signature is left out: its
    message's first words are shared with failures that are none of its own (what tells them
    apart, such as the shapes it received, comes last)."""
    compiled = []
    for signature in signatures():
        if signature.get("wholeMessage"):
            continue
        prefix = message_prefix_pattern(loosen(signature["regex"]))
        if prefix is not None:
            compiled.append((signature, compile_regex(prefix, signature.get("flags", ""))))
    return tuple(compiled)


# Words that name Keras 3 are Keras 3's, wherever a fragment of its message starts ("Keras 3 only
# supports V3 `.keras` files and legacy H5", an issue title quoting the middle of the message).
_LITERAL_RUN = re.compile(r"(?:[^\\()\[\]{}|?*+.^$]|\\[^A-Za-z0-9])+")
MIN_KERAS3_PHRASE_CHARS = 30


@functools.lru_cache(maxsize=None)
def compiled_keras3_phrases():
    """(signature, phrase regex) for each run of literal words in a signature's message regex that
    names Keras 3 (at least MIN_KERAS3_PHRASE_CHARS long), loosened like the message regexes."""
    phrases = []
    for signature in signatures():
        for run in _LITERAL_RUN.finditer(signature["regex"]):
            words = re.sub(r"\\(.)", r"\1", run.group(0)).replace("`", "").strip()
            if "Keras 3" in words and len(words) >= MIN_KERAS3_PHRASE_CHARS:
                phrases.append((signature, compile_regex(loosen(run.group(0).strip()), signature.get("flags", ""))))
    return tuple(phrases)


@functools.lru_cache(maxsize=None)
def known_names(kind):
    """A frozenset of names a signature capture may be restricted to (`knownNames`), by kind.

    `kerasBackendFunctions`: Keras 2's keras.backend functions that Keras 3's keras.backend
    lacks (ops.json `tfKerasLegacyBackend`) and those ops.json maps to keras.ops; not
    every keras.ops name: keras.backend never held `is_tensor` or `slice`, in Keras 2 either.
    `kerasBackendRemoved`: the keras.backend functions ops.json maps to no Keras op (gone with
    nothing in their place).
    """
    if kind == "keras2CompileIdentifiers":
        identifiers = _read_json("keras2_identifiers.json")
        return frozenset(list(identifiers.get("loss", [])) + list(identifiers.get("metric", [])))
    if kind == "tfKerasOnlyLossesMetrics":
        names = _read_json("tf_keras_only.json").get("names", {})
        return frozenset(n.split(".", 2)[2] for n in names if n.startswith(("keras.losses.", "keras.metrics.")))
    ops = _read_json("ops.json")
    if kind == "kerasBackendFunctions":
        mapped = [entry["name"] for entry in ops.get("backend", []) if entry.get("keras")]
        return frozenset(mapped + list(ops.get("tfKerasLegacyBackend", [])))
    if kind == "kerasBackendRemoved":
        return frozenset(entry["name"] for entry in ops.get("backend", []) if not entry.get("keras"))
    raise KeyError("unknown knownNames kind: %s" % kind)


@functools.lru_cache(maxsize=None)
def compiled_pattern(pattern):
    """A catalog pattern that is not a signature's message regex (e.g. `unless`), compiled once."""
    return compile_regex(pattern)


@functools.lru_cache(maxsize=None)
def keras_builtin_layers():
    """Keras 3's own layer classes that run no user code (signatures.json `kerasBuiltinLayers`)."""
    return frozenset(_read_json("signatures.json").get("kerasBuiltinLayers", ()))


@functools.lru_cache(maxsize=None)
def keras2_frame_files():
    """The compiled `keras2FrameFiles` pattern (file paths of Keras 2's own modules), or None."""
    pattern = _read_json("signatures.json").get("keras2FrameFiles")
    return compile_regex(pattern) if pattern else None


@functools.lru_cache(maxsize=None)
def keras3_arrival():
    """(first release date as 'YYYY-MM-DD', oldest Python as (major, minor)) of Keras 3, or None (`keras3Arrival`)."""
    arrival = _read_json("signatures.json").get("keras3Arrival")
    if not arrival:
        return None
    major, minor = (int(part) for part in arrival["requiresPython"].split(".")[:2])
    return arrival["firstRelease"], (major, minor)


def clear_cache():
    for cached in (sections, guide_url, signatures, compiled_signatures, compiled_pattern, keras2_frame_files, keras3_arrival, known_names):
        cached.cache_clear()
