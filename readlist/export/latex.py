"""Text into BibTeX/LaTeX and back: escaping, capital protection, accent decoding.

:func:`encode` makes any text safe inside a braced BibTeX field; :func:`decode`
turns such text (ours, or the usual hand-written or Zotero/Google Scholar
forms) back into plain unicode. ``decode(encode(s)) == s`` for any text with
single spaces and no control characters. Inline math (``$\\alpha$``) in a
title is kept as math, since arXiv titles are written in TeX.
"""

from __future__ import annotations

import re
import unicodedata

_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL = re.compile(r"[\\{}&%$#_~^]")
# Inline math worth keeping as math: TeX inside, balanced braces, nothing that breaks a .bib or LaTeX.
_MATH = re.compile(r"\$(?=[^$\s])([^$%#&\n]*?[\\^_{][^$%#&\n]*?)(?<![\s\\])\$")


def _escape(text: str) -> str:
    return _SPECIAL.sub(lambda m: _ESCAPES[m[0]], text)


def clean(text: str) -> str:
    """One line, single spaces, no control characters."""
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text)
    return " ".join(text.split())


def encode(text: str, protect_caps: bool = False) -> str:
    """LaTeX-safe field text; with ``protect_caps``, words like RepVGG or BERT are braced."""
    text = clean(text)
    out: list[str] = []
    pos = 0
    for m in _MATH.finditer(text):
        if not _balanced(m[1]):
            continue
        out.append(_encode_words(text[pos : m.start()], protect_caps))
        out.append(m[0])
        pos = m.end()
    out.append(_encode_words(text[pos:], protect_caps))
    return "".join(out)


def _encode_words(text: str, protect_caps: bool) -> str:
    if not protect_caps:
        return _escape(text)
    return re.sub(r"\S+", lambda m: _protect(m[0]), text)


def _protect(word: str) -> str:
    # A capital after the first letter (RepVGG, BERT, GPT-3, iPhone): keep it as written.
    alnum = [i for i, c in enumerate(word) if c.isalnum()]
    if not alnum or not any(c.isupper() for c in word[alnum[0] + 1 :]):
        return _escape(word)
    first, last = alnum[0], alnum[-1] + 1
    return _escape(word[:first]) + "{" + _escape(word[first:last]) + "}" + _escape(word[last:])


def _balanced(text: str) -> bool:
    depth = 0
    escaped = False
    for c in text:
        if escaped:
            escaped = False
        elif c == "\\":
            escaped = True
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0 and not escaped


# -- decoding --------------------------------------------------------------

_ACCENTS = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304", ".": "\u0307",
    "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328", "r": "\u030a", "d": "\u0323",
    "b": "\u0331",
}  # fmt: skip
_NAMED = {
    "textbackslash": "\\", "textasciitilde": "~", "textasciicircum": "^", "textunderscore": "_",
    "ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å", "AA": "Å",
    "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "dh": "ð", "DH": "Ð", "th": "þ", "TH": "Þ",
    "textendash": "–", "textemdash": "—", "ldots": "…", "dots": "…", "textquoteright": "’",
    "textquoteleft": "‘", "textquotedblleft": "“", "textquotedblright": "”", "S": "§", "P": "¶",
    "copyright": "©", "pounds": "£", "euro": "€", "textregistered": "®", "texttrademark": "™",
    "textbar": "|", "textless": "<", "textgreater": ">", "textdegree": "°", "LaTeX": "LaTeX", "TeX": "TeX",
}  # fmt: skip
# Formatting commands whose argument is kept and whose name is dropped.
_WRAPPERS = frozenset(
    "emph textit textbf textsc textrm textsf texttt textnormal textup textsl mbox text url href nolinkurl "
    "textsuperscript textsubscript uppercase lowercase MakeUppercase MakeLowercase".split()
)
_SIMPLE = frozenset("&%$#_{}~^ ,;:!/-@")
_SPACES = {",": "\u2009", ";": " ", ":": " ", "!": "", "/": "", "-": "", " ": " "}


_NEEDS_DECODING = re.compile(r"[\\{}$~]")


def decode(text: str) -> str:
    """Plain unicode from BibTeX field text (see the module doc)."""
    if _NEEDS_DECODING.search(text) is None:
        return " ".join(text.split())
    out: list[str] = []
    _decode_into(text, 0, len(text), out)
    return " ".join("".join(out).split())


def _decode_into(s: str, i: int, end: int, out: list[str]) -> None:
    while i < end:
        c = s[i]
        if c == "\\":
            i = _command(s, i, end, out)
        elif c in "{}":
            i += 1
        elif c == "$":
            close = _math_end(s, i + 1, end)
            out.append(s[i : close + 1])
            i = close + 1
        elif c == "~":
            out.append(" ")
            i += 1
        else:
            out.append(c)
            i += 1


def _math_end(s: str, i: int, end: int) -> int:
    while i < end:
        if s[i] == "\\":
            i += 2
            continue
        if s[i] == "$":
            return i
        i += 1
    return end - 1 if end > 0 and s[end - 1] == "$" else end


def _group(s: str, i: int, end: int) -> tuple[int, int]:
    """The span inside a {...} group starting at i, and the index after it."""
    depth = 0
    j = i
    while j < end:
        if s[j] == "\\":
            j += 2
            continue
        if s[j] == "{":
            depth += 1
        elif s[j] == "}":
            depth -= 1
            if depth == 0:
                return i + 1, j + 1
        j += 1
    return i + 1, end


def _argument(s: str, i: int, end: int) -> tuple[str, int]:
    """One command argument: a {group} or a single character (spaces skipped)."""
    while i < end and s[i] == " ":
        i += 1
    if i >= end:
        return "", i
    if s[i] == "{":
        start, after = _group(s, i, end)
        inner: list[str] = []
        _decode_into(s, start, after - 1 if s[after - 1 : after] == "}" else after, inner)
        return "".join(inner), after
    if s[i] == "\\":
        inner = []
        after = _command(s, i, end, inner)
        return "".join(inner), after
    return s[i], i + 1


def _command(s: str, i: int, end: int, out: list[str]) -> int:
    if i + 1 >= end:
        out.append("\\")
        return end
    nxt = s[i + 1]
    if nxt in _ACCENTS and not (nxt.isalpha() and i + 2 < end and s[i + 2].isalpha()):
        arg, after = _argument(s, i + 2, end)
        base = {"ı": "i", "ȷ": "j"}.get(arg[:1], arg[:1])
        out.append(unicodedata.normalize("NFC", base + _ACCENTS[nxt]) + arg[1:] if arg else "")
        return after
    if nxt in _SIMPLE:
        out.append(_SPACES.get(nxt, nxt))
        return i + 2
    if nxt == "\\":
        out.append(" ")
        return i + 2
    m = re.compile(r"[A-Za-z]+").match(s, i + 1, end)
    if m is None:
        out.append(nxt)
        return i + 2
    name, after = m[0], m.end()
    if name in _NAMED:
        if s[after : after + 2] == "{}":
            after += 2
        elif after < end and s[after] == " ":
            after += 1
        out.append(_NAMED[name])
        return after
    if name in _WRAPPERS:
        if name == "href":  # \href{url}{text}: keep the text
            _, after = _argument(s, after, end)
        arg, after = _argument(s, after, end)
        out.append(arg.upper() if name in ("uppercase", "MakeUppercase") else arg)
        return after
    out.append("\\" + name)  # unknown: keep it as written
    return after
