"""Text into BibTeX/LaTeX and back: escaping, capital protection, accent decoding, and safety.

* :func:`encode` makes readlist's own one-line text (a title, a name) safe
  inside a braced BibTeX field; :func:`encode_text` does the same for
  multi-line text (notes), keeping every newline and space.
  ``decode(encode(s)) == s`` for one-line text with single spaces, and
  ``decode_text(encode_text(s)) == s`` for any clean text.
* :func:`decode` turns field text (ours, or the usual hand-written, Zotero or
  Google Scholar forms) into plain unicode on one line; :func:`decode_text`
  keeps the text's own line breaks and spaces.
* :func:`safe_raw` keeps a field exactly as a user's file wrote it (any
  macro, math or environment) and defuses only what can reach outside the
  document, wherever it appears, in math or not: TeX's file, shell and
  definition primitives (``\\input``, ``\\include``, ``\\write18``,
  ``\\immediate``, ``\\openout``, ``\\read``, ``\\catcode``, ``\\def`` and kin,
  ``\\let``, ``\\csname``, ``\\usepackage``, ``\\special``, ``\\directlua``:
  :func:`denied`), the ``filecontents`` environments (which write files), and
  ``^^`` (TeX's character-code notation).

Inline math in readlist's own text (an arXiv title's ``$\\alpha$``) stays math
when every control sequence in it is a known math one; any other ``$...$`` is
escaped as text.

Every scanner here is a loop over regex matches, linear in the text, and none
recurses: nesting deeper than :data:`MAX_DEPTH` raises :class:`TooDeep`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from readlist.core.clean import clean_line

MAX_DEPTH = 100
"""Brace groups nested deeper than this are not a bibliography."""


class TooDeep(ValueError):
    """Text nests braces deeper than :data:`MAX_DEPTH`."""


# -- what may pass ------------------------------------------------------------

# Control sequences allowed inside math: symbols, operators, fonts, accents, delimiters, spacing.
MATH_ALLOWED = frozenset(
    """
    alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa varkappa lambda mu nu xi
    omicron pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda
    Xi Pi Sigma Upsilon Phi Psi Omega varGamma varDelta varTheta varLambda varXi varPi varSigma varUpsilon
    varPhi varPsi varOmega digamma
    sum prod coprod int iint iiint oint bigcup bigcap bigsqcup bigvee bigwedge bigoplus bigotimes bigodot
    biguplus lim limsup liminf sup inf max min argmax argmin log ln lg exp sin cos tan cot sec csc arcsin
    arccos arctan sinh cosh tanh coth det dim ker deg gcd hom Pr arg mod bmod pmod pod
    leq le geq ge neq ne approx sim simeq cong equiv propto ll gg lesssim gtrsim leqslant geqslant prec succ
    preceq succeq subset subseteq supset supseteq subsetneq supsetneq sqsubset sqsubseteq in notin ni perp
    mid nmid parallel asymp doteq models vdash dashv vDash triangleq coloneqq eqqcolon
    to gets rightarrow leftarrow Rightarrow Leftarrow leftrightarrow Leftrightarrow mapsto longmapsto
    longrightarrow longleftarrow Longrightarrow Longleftarrow longleftrightarrow Longleftrightarrow
    hookrightarrow hookleftarrow uparrow downarrow Uparrow Downarrow updownarrow nearrow searrow swarrow
    nwarrow rightharpoonup leftharpoonup iff implies impliedby xrightarrow xleftarrow
    infty partial nabla forall exists nexists neg lnot emptyset varnothing ell hbar hslash Re Im wp aleph
    beth imath jmath cdot cdots ldots dots dotsc dotsb ddots vdots times div pm mp circ bullet star ast
    oplus ominus otimes oslash odot wedge land vee lor cap cup sqcap sqcup uplus setminus smallsetminus
    backslash prime angle triangle triangledown square blacksquare diamond Diamond top bot dagger ddagger
    amalg wr flat natural sharp clubsuit diamondsuit heartsuit spadesuit checkmark surd
    langle rangle lceil rceil lfloor rfloor lvert rvert lVert rVert vert Vert lbrace rbrace lbrack rbrack
    mathcal mathbb mathbf mathrm mathit mathsf mathtt mathfrak mathscr mathnormal boldsymbol bm pmb
    operatorname text textrm textit textbf textsf texttt textnormal mbox
    hat widehat tilde widetilde bar overline underline vec dot ddot dddot breve check acute grave mathring
    overrightarrow overleftarrow underrightarrow underleftarrow
    frac dfrac tfrac cfrac sqrt binom dbinom tbinom choose over atop left right middle big Big bigg Bigg
    bigl bigr Bigl Bigr biggl biggr Biggl Biggr quad qquad overbrace underbrace stackrel overset underset
    limits nolimits displaystyle textstyle scriptstyle scriptscriptstyle colon cdotp ldotp mathellipsis
    smallint not neq notin phantom hphantom vphantom mathop mathbin mathrel mathord mathopen mathclose
    mathpunct substack
    """.split()
)
# A user's own macros (\mkbibquote, \noopsort, \slash) and environments must pass; these must not.
_DENIED_WORDS = frozenset(
    "let futurelet global long outer protected dump font output shipout makeatletter makeatother "
    "halt stop bye afterassignment aftergroup uppercase lowercase string scantokens detokenize".split()
)
_DENIED_PARTS = (
    "input", "include", "write", "read", "open", "close", "shell", "escape", "catcode", "code", "def",
    "csname", "package", "class", "file", "lua", "special", "every", "expand", "primitive", "command",
    "environment", "immediate", "tokens", "mode", "makeat",
)  # fmt: skip


def denied(name: str) -> bool:
    """Whether a control word must not reach TeX from a bibliography (outside math)."""
    if name in _DENIED_WORDS:
        return True
    lowered = name.lower()
    return any(part in lowered for part in _DENIED_PARTS)


# -- encoding (readlist's own text) --------------------------------------------

_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
# Braces are written as \textbraceleft{} / \textbraceright{}, never \{ \}: BibTeX counts every
# brace, escaped or not, so one unmatched "\{" would break the whole .bib file.
_SPECIAL = re.compile(r"[\\{}&%$#_~^]")
_WORD = re.compile(r"\S+")
_CONTROL = re.compile(r"\\([A-Za-z]+|.)", re.DOTALL)


def _escape(text: str) -> str:
    return _SPECIAL.sub(lambda m: _ESCAPES[m[0]], text)


def clean(text: str) -> str:
    """One line, single spaces, no control or bidi characters."""
    return " ".join(clean_line(text).split())


def encode(text: str, protect_caps: bool = False) -> str:
    """LaTeX-safe one-line field text; with ``protect_caps``, words like RepVGG or BERT are braced."""
    text = clean(text)
    if "$" not in text:
        return _encode_words(text, protect_caps)
    out: list[str] = []
    pos = 0
    for start, end in _math_spans(text):
        out.append(_encode_words(text[pos:start], protect_caps))
        out.append(text[start:end])
        pos = end
    out.append(_encode_words(text[pos:], protect_caps))
    return "".join(out)


def encode_text(text: str) -> str:
    """LaTeX-safe multi-line text: every special character escaped, every space and line kept."""
    return _escape(text)


def _encode_words(text: str, protect_caps: bool) -> str:
    if not protect_caps:
        return _escape(text)
    return _WORD.sub(lambda m: _protect(m[0]), text)


def _protect(word: str) -> str:
    # A capital after the first letter (RepVGG, BERT, GPT-3, iPhone): keep it as written.
    alnum = [i for i, c in enumerate(word) if c.isalnum()]
    if not alnum or not any(c.isupper() for c in word[alnum[0] + 1 :]):
        return _escape(word)
    first, last = alnum[0], alnum[-1] + 1
    return _escape(word[:first]) + "{" + _escape(word[first:last]) + "}" + _escape(word[last:])


# Each "$" followed by a run without "$" and a closing "$": the runs are disjoint, so this is linear.
_MATH_CANDIDATE = re.compile(r"\$(?=([^$]+)\$)")


def _math_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each ``$...$`` worth keeping as math (see :func:`math_is_safe`)."""
    spans: list[tuple[int, int]] = []
    taken = 0
    for m in _MATH_CANDIDATE.finditer(text):
        start = m.start()
        if start < taken:
            continue  # the closing $ of the math just kept
        inner = m[1]
        if not inner[0].isspace() and not inner[-1].isspace() and math_is_safe(inner):
            taken = start + len(inner) + 2
            spans.append((start, taken))
    return spans


def math_is_safe(inner: str) -> bool:
    """Whether ``$inner$`` is math worth keeping: TeX in it, balanced, only known math commands."""
    if not any(c in inner for c in "\\^_{"):
        return False  # "$5 and $10": prices, not math
    if any(c in inner for c in "%#&\n") or "^^" in inner:
        return False
    depth = 0
    for c in inner:  # BibTeX counts every brace, escaped or not
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth < 0:
                return False
    if depth:
        return False
    for m in _CONTROL.finditer(inner):
        name = m[1]
        if name.isalpha() and name not in MATH_ALLOWED:
            return False
        if not name.isalpha() and name not in ",;:! {}|":
            return False
    return not inner.endswith("\\")


def url_text(url: str) -> str:
    """A URL inside a braced field: only unbalanced braces, % (a LaTeX comment) and # hurt; they are encoded."""
    url = clean_line(url).strip().replace("\\", "%5C")
    return url.replace("%", "\\%").replace("#", "\\#").replace("{", "%7B").replace("}", "%7D")


# -- safety of text as the user wrote it -------------------------------------

_RAW_TOKENS = re.compile(r"\\([A-Za-z]+|.?)|\$\$?|\^\^", re.DOTALL)
# The environments that write files (LaTeX's filecontents, built in since 2019): \begin{filecontents*}.
_WRITES_FILES = re.compile(r"[ \t\n]*\{[ \t\n]*filecontents")


def safe_raw(text: str) -> str:
    """A field as written, with every control sequence TeX could use against the reader defused.

    Idempotent: ``safe_raw(safe_raw(s)) == safe_raw(s)``, and text without a
    dangerous sequence comes back unchanged.
    """
    if "\\" not in text and "^^" not in text:
        return text
    out: list[str] = []
    pos = 0
    math: str | None = None  # the closing delimiter while in math
    for m in _RAW_TOKENS.finditer(text):
        token = m[0]
        out.append(text[pos : m.start()])
        pos = m.end()
        if token == "^^":
            out.append("{\\wedge}{\\wedge}" if math else "\\textasciicircum{}\\textasciicircum{}")
        elif token.startswith("$"):
            if math is None:
                math = token
            elif math == token:
                math = None
            out.append(token)
        else:
            name = m[1]
            if name in ("(", "["):
                math = math or ("\\)" if name == "(" else "\\]")
                out.append(token)
            elif math is not None and token == math:
                math = None
                out.append(token)
            elif name.isalpha():
                if denied(name) or (name == "begin" and _WRITES_FILES.match(text, pos)):
                    out.append(("\\backslash{}" if math is not None else "\\textbackslash{}") + name)
                else:
                    out.append(token)
            elif name == "":
                out.append("\\textbackslash{}")  # a lone backslash at the very end
            else:
                out.append(token)
    out.append(text[pos:])
    return "".join(out)


# -- decoding ------------------------------------------------------------------

_ACCENTS = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304", ".": "\u0307",
    "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328", "r": "\u030a", "d": "\u0323",
    "b": "\u0331", "t": "\u0361",
}  # fmt: skip
_NAMED = {
    "textbackslash": "\\", "textasciitilde": "~", "textasciicircum": "^", "textunderscore": "_",
    "textbraceleft": "{", "textbraceright": "}", "textdollar": "$", "textpercent": "%",
    "ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å", "AA": "Å",
    "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "dh": "ð", "DH": "Ð", "th": "þ", "TH": "Þ", "dj": "đ", "DJ": "Đ",
    "ng": "ŋ", "NG": "Ŋ", "textendash": "–", "textemdash": "—", "ldots": "…", "dots": "…", "textellipsis": "…",
    "textquoteright": "’", "textquoteleft": "‘", "textquotedblleft": "“", "textquotedblright": "”",
    "guillemotleft": "«", "guillemotright": "»", "S": "§", "P": "¶", "copyright": "©", "pounds": "£",
    "euro": "€", "textregistered": "®", "texttrademark": "™", "textbar": "|", "textless": "<",
    "textgreater": ">", "textdegree": "°", "textbullet": "•", "dag": "†", "ddag": "‡", "slash": "/",
    "hyphen": "-", "LaTeX": "LaTeX", "TeX": "TeX", "BibTeX": "BibTeX", "LaTeXe": "LaTeX2e", "textexclamdown": "¡",
    "textquestiondown": "¿", "backslash": "\\", "textasciigrave": "`", "quad": " ", "qquad": " ",
    "space": " ", "nobreakspace": " ", "enspace": " ", "thinspace": " ", "textvisiblespace": "␣",
}  # fmt: skip
# Commands whose braced argument is kept and whose name is dropped (value: how the argument changes).
_UPPER: Callable[[str], str] = str.upper
_LOWER: Callable[[str], str] = str.lower


def _quote(text: str) -> str:
    return f"“{text}”"


def _same(text: str) -> str:
    return text


_WRAPPERS: dict[str, Callable[[str], str]] = {
    name: _same
    for name in (
        "emph textit textbf textsc textrm textsf texttt textnormal textup textsl textmd mbox text url nolinkurl "
        "textsuperscript textsubscript mkbibemph mkbibitalic mkbibbold autocap textcite protect ensuremath "
        "foreignlanguage hbox"
    ).split()
}
_WRAPPERS.update(uppercase=_UPPER, MakeUppercase=_UPPER, lowercase=_LOWER, MakeLowercase=_LOWER)
_WRAPPERS.update(mkbibquote=_quote, enquote=_quote)
_SYMBOLS = {
    "&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}", " ": " ", ",": "\u2009", ";": " ",
    ":": " ", "!": "", "/": "", "-": "", "@": "", "\\": " ", "\n": " ", "\t": " ", "|": "‖",
}  # fmt: skip

_NEEDS_DECODING = re.compile(r"[\\{}$~]")
_DECODE_TOKENS = re.compile(r"\\(?:[A-Za-z]+|.?)|[{}~]|\$", re.DOTALL)
_LETTERS = re.compile(r"[A-Za-z]+")


def decode(text: str) -> str:
    """Plain unicode on one line, single spaces, from BibTeX field text (see the module doc)."""
    if _NEEDS_DECODING.search(text) is None:
        joined = " ".join(text.split())
        return text if joined == text else joined  # the same text is kept once, not twice (a long abstract)
    return " ".join(_decode(text).split())


def decode_text(text: str) -> str:
    """Plain unicode from multi-line field text, keeping its own line breaks and spaces.

    LaTeX lists and quotations become Markdown: ``itemize`` items ``- a``,
    ``enumerate`` items ``1. a``, ``description`` items ``- **term** a``,
    ``quote``/``quotation``/``verse`` lines ``> a`` (nested ones indented).
    """
    if _NEEDS_DECODING.search(text) is None:
        return text
    if "\\begin" in text or "\\item" in text:
        text = _markdown_blocks(text)
    return _decode(text)


_LISTS = ("itemize", "enumerate", "description")
_QUOTES = ("quote", "quotation", "verse")
_BLOCK = re.compile(
    r"\\(begin|end)[ \t]*\{(itemize|enumerate|description|quote|quotation|verse)\}"
    r"|\\item(?![A-Za-z])(?:[ \t]*\[([^\]\n]*)\])?"
)


def _markdown_blocks(text: str) -> str:
    """LaTeX lists and quotations as Markdown (see :func:`decode_text`); one pass, no recursion."""
    out: list[str] = []
    stack: list[list[Any]] = []  # [environment, items so far]
    pos = 0
    after_block = False  # text after a list or quotation needs a blank line, or Markdown runs it on

    def prefix() -> str:
        """What each line in the innermost block starts with: "> " per quotation, a marker's width per list."""
        quotes = "".join("> " for env, _ in stack if env in _QUOTES)
        outer = [env for env, _ in stack[:-1] if env in _LISTS]
        return quotes + "".join("   " if env == "enumerate" else "  " for env in outer)

    def put(chunk: str) -> None:
        nonlocal after_block
        if after_block and not stack and chunk.strip():
            chunk = "\n" + chunk.lstrip(" \t\n")
            after_block = False
        if stack:
            chunk = chunk.strip()
            chunk = "\n".join(line.strip() for line in chunk.split("\n"))
            lead = prefix() + ("  " if stack[-1][0] in _LISTS else "")
            chunk = chunk.replace("\n", "\n" + lead)
            if chunk and (not out or out[-1].endswith("\n")):
                chunk = lead + chunk
        if chunk:
            out.append(chunk)

    def new_line() -> None:
        while out and out[-1].endswith((" ", "\t")):
            out[-1] = out[-1].rstrip(" \t")
        if out and not out[-1].endswith("\n"):
            out.append("\n")

    for m in _BLOCK.finditer(text):
        put(text[pos : m.start()])
        pos = m.end()
        if m[1] == "begin":
            if len(stack) >= MAX_DEPTH:
                raise TooDeep(f"environments nested more than {MAX_DEPTH} deep")
            new_line()
            stack.append([m[2], 0])
        elif m[1] == "end":
            if stack and stack[-1][0] == m[2]:
                stack.pop()
            new_line()
            after_block = not stack
        elif stack and stack[-1][0] in _LISTS:
            new_line()
            env = stack[-1]
            env[1] += 1
            lead = prefix() + (f"{env[1]}. " if env[0] == "enumerate" else "- ")
            out.append(lead + (f"**{m[3].strip()}** " if m[3] is not None and m[3].strip() else ""))
        else:
            out.append(m[0])  # an \item outside a list: left as it was
    put(text[pos:])
    return "".join(out)


class _Frame:
    """An open brace group: where its output starts, and what happens to it when it closes."""

    __slots__ = ("apply", "start")

    def __init__(self, start: int, apply: Callable[[str], str] | None = None) -> None:
        self.start = start
        self.apply = apply


def _accent(mark: str) -> Callable[[str], str]:
    def put(text: str) -> str:
        if not text:
            return {"\u0302": "^", "\u0303": "~", "\u0301": "'", "\u0300": "`"}.get(mark, "")
        base = {"ı": "i", "ȷ": "j"}.get(text[0], text[0])
        return unicodedata.normalize("NFC", base + mark) + text[1:]

    return put


def _discard(_: str) -> str:
    return ""


def _decode(s: str) -> str:
    """The decoder: one pass over the tokens, a stack of open groups, no recursion."""
    out: list[str] = []
    stack: list[_Frame] = []
    pending: Callable[[str], str] | None = None  # a command waiting for its {argument}
    n = len(s)
    pos = 0

    def close_group() -> None:
        frame = stack.pop()
        if frame.apply is not None:
            inner = "".join(out[frame.start :])
            del out[frame.start :]
            out.append(frame.apply(inner))

    for m in _DECODE_TOKENS.finditer(s):
        if m.start() < pos:
            continue  # consumed already (an accent's argument, a math span)
        if m.start() > pos:
            out.append(s[pos : m.start()])
        token = m[0]
        pos = m.end()
        if token == "{":
            if len(stack) >= MAX_DEPTH:
                raise TooDeep(f"braces nested more than {MAX_DEPTH} deep")
            stack.append(_Frame(len(out), pending))
            pending = None
        elif token == "}":
            pending = None
            if stack:
                close_group()
        elif token == "~":
            pending = None
            out.append(" ")
        elif token == "$":
            pending = None
            close = _math_end(s, pos, n)
            out.append(s[m.start() : close + 1])
            pos = close + 1
        else:
            pos, pending = _command(s, m.start(), pos, n, out)
    if pos < n:
        out.append(s[pos:])
    while stack:
        close_group()
    return "".join(out)


def _skip_spaces(s: str, i: int, n: int) -> int:
    while i < n and s[i] in " \t\n":
        i += 1
    return i


def _command(s: str, start: int, after: int, n: int, out: list[str]) -> tuple[int, Callable[[str], str] | None]:
    """Decode the control sequence s[start:after]: (where scanning goes on, what the next {group} becomes)."""
    name = s[start + 1 : after]
    if not name:  # a lone backslash at the end
        out.append("\\")
        return after, None
    if len(name) == 1 and name in _ACCENTS:
        put = _accent(_ACCENTS[name])
        i = _skip_spaces(s, after, n)
        if i >= n:
            return n, None
        c = s[i]
        if c == "{":
            return i, put
        if c == "\\":
            m = _LETTERS.match(s, i + 1)
            if m is not None and m[0] in _NAMED:
                out.append(put(_NAMED[m[0]]))
                return m.end(), None
            return i, None  # an accent on something it cannot combine with: dropped
        if c == "}":
            return i, None
        out.append(put(c))
        return i + 1, None
    if not name.isalpha():
        out.append(_SYMBOLS.get(name, name))
        return after, None
    if name in _NAMED:
        if s[after : after + 2] == "{}":
            after += 2
        elif after < n and s[after] == " ":
            after += 1
        out.append(_NAMED[name])
        return after, None
    i = _skip_spaces(s, after, n)
    if i < n and s[i] == "{":
        if name == "href":
            return i, _discard  # \href{url}{text}: the url goes, the text stays
        return i, _WRAPPERS.get(name)
    # Unknown: the name goes, its arguments stay as text (\noopsort{a} -> a). TeX eats the space after it.
    return i, None


def _math_end(s: str, i: int, n: int) -> int:
    """Index of the ``$`` closing math opened before ``i`` (or the last index)."""
    while i < n:
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c == "$":
            return i
        i += 1
    return n - 1
