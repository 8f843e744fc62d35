"""The maths spans of a Markdown document as GitHub finds them, and what GitHub's Markdown would alter in them."""
from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass

# CommonMark: these lines start a block, so they end the paragraph a $$…$$ display stands in.
_BLOCK_START = re.compile(r" {0,3}([-+*][ \t]+\S|\d{1,9}[.)][ \t]+\S|#{1,6}([ \t]|$)|>"
                          r"|([-*_])( *\3){2,} *$|=+ *$|-+ *$)")
_HEADING = re.compile(r" {0,3}#{1,6}([ \t]|$)")
_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([^`\s]*)")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_ENTITY = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]*);")
_HTML_TAG = re.compile(r"<[A-Za-z/!?]")


@dataclass(frozen=True)
class Span:
    """One maths span: its TeX, display or inline, how it is delimited, where, and whether on a table row."""
    tex: str
    display: bool
    form: str  # "math block" (```math), "backticks" ($`…`$), "dollars" ($$…$$) or "dollar" ($…$)
    line: int
    table: bool = False
    start: int = 0  # the span's place in the text, delimiters included: text[start:end]
    end: int = 0


@dataclass(frozen=True)
class Change:
    """Something GitHub's Markdown does to a maths span (or to maths it then fails to find) before MathJax sees it."""
    line: int
    form: str
    what: str
    at: int = -1  # where the span begins in the text (Span.start), when the change is to a span found


def _blocks(text: str):
    """Math fences as spans, and the other lines grouped into paragraph-like blocks of (line number, line)."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    spans, blocks, changes, block = [], [], [], []
    i = 0
    while i < len(lines):
        line = lines[i]
        fence = _FENCE.match(line)
        if fence:
            indent, mark, info = fence.groups()
            close = re.compile(r"^\s*" + re.escape(mark[0]) + "{" + str(len(mark)) + r",}\s*$")
            end = next((j for j in range(i + 1, len(lines)) if close.match(lines[j])), len(lines))
            if info == "math":
                body = [ln[len(indent):] if ln.startswith(indent) else ln.lstrip() for ln in lines[i + 1:end]]
                spans.append(Span("\n".join(body), True, "math block", i + 1, False, offsets[i],
                                  offsets[min(end + 1, len(lines))] - 1))
                if end == len(lines):
                    changes.append(Change(i + 1, "math block", "```math is never closed"))
            blocks.append(block)
            block, i = [], end + 1
            continue
        if not line.strip() or (block and _BLOCK_START.match(line)):
            blocks.append(block)
            block = []
        if line.strip():
            block.append((i + 1, line))
        if _HEADING.match(line):
            blocks.append(block)
            block = []
        i += 1
    blocks.append(block)
    return spans, [b for b in blocks if b], changes


def _close_run(s: str, start: int, k: int) -> int:
    """Where a backtick run of exactly k characters begins at or after start, or -1."""
    for m in re.finditer(r"`+", s[start:]):
        if len(m.group()) == k:
            return start + m.start()
    return -1


def _code_content(raw: str) -> str:
    """A code span's text as CommonMark gives it: line endings as spaces, one space each side stripped."""
    raw = raw.replace("\n", " ")
    if len(raw) > 1 and raw[0] == raw[-1] == " " and raw.strip():
        raw = raw[1:-1]
    return raw


def _dollar_close(s: str, start: int) -> int:
    """The closing $ of inline dollar maths opened before start (pandoc's rule), or -1."""
    j = start
    while j < len(s):
        if s[j] == "\\":
            j += 2
            continue
        if s[j] == "$" and not s[j - 1].isspace() and not (j + 1 < len(s) and s[j + 1].isdigit()):
            return j
        j += 1
    return -1


def _scan(s: str):
    """Maths spans of one block as (start, end, content start, content end, form), code spans, and lone dollars."""
    found, code, lone = [], [], []
    i = 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            i += 2
        elif c == "`" or (c == "$" and s.startswith("$`", i)):
            at = i + (c == "$")
            k = len(re.match(r"`+", s[at:]).group())
            j = _close_run(s, at + k, k)
            if j < 0:
                if c == "$":
                    lone.append((i, "$` opens maths that no backtick run closes"))
                i = at + k
            elif c == "$" and s.startswith("$", j + k):
                found.append((i, j + k + 1, at + k, j, "backticks"))
                i = j + k + 1
            else:
                code.append((at, j + k))
                if c == "$":
                    lone.append((i, "$` is not closed by `$ (a backtick inside the maths ends it early)"))
                i = j + k
        elif c == "$" and s.startswith("$$", i):
            j = s.find("$$", i + 2)
            while j > 0 and s[j - 1] == "\\":
                j = s.find("$$", j + 1)
            if j < 0:
                lone.append((i, "$$ is not closed within its paragraph (a blank line, or a line that starts "
                                "a list, heading or quote, ends it)"))
                i += 2
            else:
                found.append((i, j + 2, i + 2, j, "dollars"))
                i = j + 2
        elif c == "$":
            j = _dollar_close(s, i + 1) if i + 1 < len(s) and not s[i + 1].isspace() else -1
            if j < 0:
                lone.append((i, "a lone $ (GitHub finds no maths here; escape it as \\$ if it is text)"))
                i += 1
            else:
                found.append((i, j + 1, i + 1, j, "dollar"))
                i = j + 1
        else:
            i += 1
    return found, code, lone


def _punct(c: str) -> bool:
    return c in string.punctuation or unicodedata.category(c)[0] in "PS"


def _emphasis(s: str, opaque: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Positions of `*`/`_` delimiter runs CommonMark could pair as emphasis (ignoring its rule of 3)."""
    masked = list(s)
    for a, b in opaque:
        masked[a + 1:b - 1] = "x" * max(0, b - a - 2)
    i = 0
    while i < len(masked):
        if masked[i] == "\\" and i + 1 < len(masked):
            masked[i + 1] = "x" if masked[i + 1] in "*_" else masked[i + 1]
            i += 2
        else:
            i += 1
    t = "".join(masked)
    openers, pairs = [], []
    for m in re.finditer(r"\*+|_+", t):
        before = t[m.start() - 1] if m.start() else " "
        after = t[m.end()] if m.end() < len(t) else " "
        left = not after.isspace() and (not _punct(after) or before.isspace() or _punct(before))
        right = not before.isspace() and (not _punct(before) or after.isspace() or _punct(after))
        char = m.group()[0]
        can_open = left and (char == "*" or not right or _punct(before))
        can_close = right and (char == "*" or not left or _punct(after))
        match = next((k for k in range(len(openers) - 1, -1, -1) if openers[k][1] == char), None) \
            if can_close else None
        if match is not None:
            pairs.append((openers[match][0], m.start()))
            del openers[match:]
        elif can_open:
            openers.append((m.start(), char))
    return pairs


def _dollar_changes(tex: str, form: str, before: str, table: bool) -> list[str]:
    """What CommonMark's inline rules do to the text of bare-dollar maths."""
    what = []
    # finditer pairs backslashes left to right, as CommonMark does: \\, is "\\" then ",".
    escapes = sorted({m.group() for m in re.finditer(r"\\[!-/:-@\[-`{-~]", tex)})
    if escapes:
        what.append("backslash escapes " + " ".join(f"{e} -> {e[1]}" for e in escapes))
    if _HTML_TAG.search(tex):
        what.append(f"{_HTML_TAG.search(tex).group()} reads as an HTML tag")
    if _ENTITY.search(tex):
        what.append(f"the entity {_ENTITY.search(tex).group()} is decoded")
    if "](" in tex:
        what.append("[…](…) reads as a link")
    if form == "dollar":
        # Not CommonMark but GitHub's own finder of dollar maths (examples kept in nschloe/github-math-bugs).
        if "\n" in tex:
            what.append("a line break inside inline $…$, which GitHub does not render")
        if before.isalnum() or before in "'\"([{/":
            what.append(f"inline $…$ right after {before!r}, which GitHub does not render")
    if table and "|" in tex:
        what.append("| splits the table cell")
    return what


def _block_spans(block: list[tuple[int, str]], here: int) -> tuple[list[Span], list[Change]]:
    """The spans of one paragraph-like block that begins at offset `here`, and their changes."""
    table = len(block) > 1 and "|" in block[0][1] and bool(_TABLE_RULE.match(block[1][1]))
    s = "\n".join(line for _, line in block)
    starts = [0]
    for _, line in block:
        starts.append(starts[-1] + len(line) + 1)

    def line_of(at: int) -> int:
        return block[next(k for k in range(len(block)) if starts[k + 1] > at)][0]

    found, code, lone = _scan(s)
    spans, changes = [], [Change(line_of(at), "dollar", what) for at, what in lone]
    opaque = code + [(a, b) for a, b, _, _, form in found if form == "backticks"]
    # A table's cells are parsed one by one: emphasis cannot pair across rows.
    pieces = [(starts[k], starts[k + 1]) for k in range(len(block))] if table else [(0, len(s))]
    emphasis = [(a + p, b + p) for p, q in pieces
                for a, b in _emphasis(s[p:q], [(x - p, y - p) for x, y in opaque if p <= x < q])]
    for a, b, ca, cb, form in found:
        raw = s[ca:cb]
        tex = _code_content(raw) if form == "backticks" else raw.strip() if form == "dollars" else raw
        spans.append(Span(tex, form == "dollars", form, line_of(a), table, here + a, here + b))
        if form == "backticks":
            what = ["| splits the table cell"] if table and "|" in raw else []
            if re.search(r"(?<!\\)%.*\n", raw):
                what.append("% comments out the rest, the line break being a space in a code span")
        else:
            what = _dollar_changes(raw, form, s[a - 1] if a else " ", table)
            runs = sorted({s[x] for pair in emphasis for x in pair if ca <= x < cb})
            if runs:
                what.append(" and ".join(runs) + " could pair with another as emphasis")
        changes += [Change(line_of(a), form, w, here + a) for w in what]
    return spans, changes


def scan(text: str) -> tuple[list[Span], list[Change]]:
    """Every maths span of a Markdown text, and every change GitHub's Markdown would make to one."""
    spans, blocks, changes = _blocks(text)
    offsets = [0]
    for line in text.split("\n"):
        offsets.append(offsets[-1] + len(line) + 1)
    for block in blocks:
        more, changed = _block_spans(block, offsets[block[0][0] - 1])
        spans += more
        changes += changed
    return sorted(spans, key=lambda sp: sp.start), sorted(changes, key=lambda ch: ch.line)


_WRITE = {
    "github": {"dollar": lambda tex: f"$`{tex}`$", "dollars": lambda tex: f"```math\n{tex}\n```"},
    "dollars": {"backticks": lambda tex: f"${tex}$", "math block": lambda tex: f"$$\n{tex}\n$$"},
}


def rewrite(text: str, to: str) -> str:
    """The text with its maths written GitHub's way (to="github") or in bare dollars (to="dollars")."""
    spans, _ = scan(text)
    out, at = [], 0
    for sp in spans:
        write = _WRITE[to].get(sp.form)
        if write:
            new = write(sp.tex)
            if sp.display and sp.start and text[sp.start - 1] != "\n":
                new = "\n" + new
            if sp.display and sp.end < len(text) and text[sp.end] != "\n":
                new += "\n"
            out += [text[at:sp.start], new]
            at = sp.end
    return "".join(out) + text[at:]
