"""BibTeX out of readlist is safe to ``\\input``; BibTeX into readlist is bounded.

Every payload is made here. The exported text is read the way TeX reads it
(a backslash and letters are one control word, a backslash and any other
character one control symbol), so an escape such as ``\\textbackslash{}input``
counts as what it is: no ``\\input``.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from readlist.core.library import Library
from readlist.formats.bibtex.latex import decode, encode, math_is_safe, safe_raw

PRIMITIVES = ("input", "include", "write18", "immediate", "openout", "openin", "read", "catcode", "def", "csname",
              "usepackage")  # fmt: skip
DANGEROUS = {
    "input", "include", "write", "immediate", "openout", "openin", "read", "readline", "catcode", "def", "edef",
    "gdef", "xdef", "csname", "endcsname", "usepackage", "RequirePackage", "newcommand", "renewcommand", "let",
    "expandafter", "special", "directlua", "scantokens", "makeatletter", "InputIfFileExists",
}  # fmt: skip


def control_words(tex: str) -> list[str]:
    """The control words TeX sees in ``tex``."""
    words = []
    i = 0
    while i < len(tex):
        if tex[i] == "\\":
            j = i + 1
            while j < len(tex) and tex[j].isascii() and tex[j].isalpha():
                j += 1
            if j > i + 1:
                words.append(tex[i + 1 : j])
                i = j
            else:
                i += 2  # a control symbol: \\ \{ \% ...
        else:
            i += 1
    return words


def assert_safe(tex: str) -> None:
    found = sorted(set(control_words(tex)) & DANGEROUS)
    assert not found, f"{found} reach TeX in:\n{tex}"
    assert "^^" not in tex
    assert not re.search(r"\\begin\s*\{\s*filecontents", tex), f"a filecontents environment reaches TeX in:\n{tex}"


def payloads(name: str) -> list[str]:
    return [
        f"Leaky ${{\\{name}{{/etc/hostname}}}}$ Paper",
        f"Leaky $\\{name}{{/etc/hostname}}$ Paper",
        f"Plain \\{name}{{/etc/passwd}} and \\immediate\\write18{{touch /tmp/pwned}}",
        f"Math $x^2 \\{name}$ and \\(\\{name}\\) and \\[\\{name}\\]",
        f"Hex ^^5c{name} and $^^5c{name}$",
        f"Env \\begin{{filecontents*}}[overwrite]{{/tmp/{name}}}x\\end{{filecontents*}} \\begin {{ filecontents}}",
    ]


@pytest.mark.parametrize("name", PRIMITIVES)
def test_readlists_own_text_never_carries_a_primitive(cli, name: str) -> None:
    for i, title in enumerate(payloads(name)):
        r = cli("add", "--title", f"{title} {i}", "--authors", f"Eve \\{name}{{x}} Mallory", "--year", "2021")
        assert r.code == 0, r.err
    r = cli("export", "bibtex")
    assert r.code == 0
    assert_safe(r.out)
    # And what was written still reads as what readlist holds.
    for paper in cli("list", "--json").json:
        assert decode(encode(paper["title"])) == paper["title"]


@pytest.mark.parametrize("name", PRIMITIVES)
def test_a_hostile_bib_file_is_defused_on_the_way_out(cli, lib: Library, tmp_path: Path, name: str) -> None:
    evil = tmp_path / "evil.bib"
    fields = ",\n".join(
        f"  {field} = {{{payload}}}"
        for field, payload in zip(
            ("title", "note", "x-custom", "booktitle", "annote", "abstract"), payloads(name), strict=True
        )
    )
    evil.write_text(
        f"@misc{{evil,\n{fields},\n  author = {{Eve \\{name}{{x}} and {{\\{name}{{corp}}}}}},\n"
        f"  keywords = {{\\{name}, ok}},\n  month = {{\\{name}}}\n}}\n",
        encoding="utf-8",
    )
    assert cli("import", "bibtex", str(evil)).code == 0
    first = cli("export", "bibtex").out
    assert_safe(first)
    cli("tag", lib.papers()[0].id, "edited")  # rewritten fields are safe too
    assert_safe(cli("export", "bibtex").out)
    # Defused text stays defused, and the round trip still holds.
    again = tmp_path / "again.bib"
    again.write_text(first, encoding="utf-8")
    (paper,) = lib.papers()
    assert cli("rm", paper.id).code == 0
    assert cli("import", "bibtex", str(again)).code == 0
    assert cli("export", "bibtex").out == first


def test_what_the_users_file_wrote_passes_unless_it_reaches_outside(cli, tmp_path: Path) -> None:
    """Macros, math macros and environments of the user's own file come back as written."""
    kept = (
        r"GaN{$\slash$}AlN and {\rm Si} at 5\,{\textmu}m, $x \greaterequivlnt y$",
        r"\begin{quotation}x\end{quotation} and \begin{itemize}\item a\end{itemize}",
    )
    path = tmp_path / "user.bib"
    path.write_text(
        f"@article{{user, title = {{{kept[0]}}}, note = {{{kept[1]}}}, year = {{2020}}}}\n", encoding="utf-8"
    )
    assert cli("import", "bibtex", str(path)).code == 0
    out = cli("export", "bibtex").out
    assert f"title = {{{kept[0]}}}" in out and f"note = {{{kept[1]}}}" in out
    assert_safe(out)


def test_readlists_own_math_passes_only_with_known_math_commands() -> None:
    assert math_is_safe(r"\mathcal{N}=4") and math_is_safe(r"O(n^2)") and math_is_safe(r"\alpha_{i}^{\top}")
    for name in PRIMITIVES:
        assert not math_is_safe(f"\\{name}{{x}}")
    assert not math_is_safe("^^5cinput") and not math_is_safe(r"\text{\input x}")
    assert (
        encode(r"$\alpha$ and $\input{x}$")
        == r"$\alpha$ and \$\textbackslash{}input\textbraceleft{}x\textbraceright{}\$"
    )
    # What a user's file wrote passes untouched unless it is dangerous, and defusing is stable.
    fine = r"\mkbibquote{{\"U}ber} $\mathbb{R}^n \slash \mymacro$ \noopsort{a} \begin{quote}x\end{quote}"
    assert safe_raw(fine) == fine
    for name in PRIMITIVES:
        once = safe_raw(f"a \\{name}{{x}} $\\{name}$ ^^5c")
        assert safe_raw(once) == once
        assert_safe(once)


def test_deep_nesting_is_one_line_not_a_recursion_error(cli, home: Path, tmp_path: Path) -> None:
    path = tmp_path / "deep.bib"
    path.write_text("@misc{deep, title = {" + "\\textbf{" * 500 + "x" + "}" * 500 + "}}\n", encoding="utf-8")
    r = cli("import", "bibtex", str(path))
    assert r.code == 2
    assert r.err.count("\n") == 1 and "nested more than 100 deep" in r.err and "line 1" in r.err
    assert "Traceback" not in r.err and "Recursion" not in r.err
    assert not (home / "library.json").exists() or "deep" not in (home / "library.json").read_text()


@pytest.mark.parametrize(
    "line",
    [
        "{a}" * 350_000,
        "\\'e" * 350_000,
        "$" * 1_000_000,
        "\\" * 1_000_000,
        "a and " * 170_000,
        "{" * 99 + "x" * 1_000_000 + "}" * 99,
    ],
    ids=["braces", "accents", "dollars", "backslashes", "ands", "deep-and-long"],
)
def test_a_megabyte_line_is_read_in_bounded_time(cli, tmp_path: Path, line: str) -> None:
    path = tmp_path / "long.bib"
    path.write_text(f"@misc{{long, title = {{{line}}}, author = {{{line[:200_000]}}}}}\n", encoding="utf-8")
    started = time.perf_counter()
    r = cli("import", "bibtex", str(path))
    elapsed = time.perf_counter() - started
    assert r.code in (0, 2) and "Traceback" not in r.err
    assert elapsed < 10, f"a 1 MB line took {elapsed:.1f} s"
    started = time.perf_counter()
    assert cli("export", "bibtex").code == 0
    assert time.perf_counter() - started < 10


def test_control_characters_never_reach_the_store(cli, lib: Library, tmp_path: Path) -> None:
    path = tmp_path / "controls.bib"
    path.write_text(
        "@misc{ctl\x1b, title = {Evil \x1b]0;owned\x07 \x1b[2J\x9b31m Title},"
        " author = {Eve\u202e, Mallory}, annote = {a\x1b[31m\nb\x9d}, x-raw = {\x07bell}}\n",
        encoding="utf-8",
    )
    assert cli("import", "bibtex", str(path)).code == 0
    text = (lib.settings.library_path).read_text(encoding="utf-8")
    assert not any(c in text for c in "\x1b\x07\x9b\x9d\u202e")
    (paper,) = lib.papers()
    assert paper.notes == "a [31m\nb " and paper.title.startswith("Evil ]0;owned") and paper.key == "ctl"
    out = cli("export", "bibtex").out
    assert not any(c in out for c in "\x1b\x07\x9b\x9d\u202e")


def test_a_files_own_blocks_written_back_are_defused_too(cli, tmp_path: Path) -> None:
    """An export of exactly one file's papers writes its blocks back; @preamble goes into the .bbl."""
    path = tmp_path / "blocks.bib"
    path.write_text(
        "% \\input in a comment line is never read by BibTeX\n"
        '@preamble{"\\input{/etc/passwd}\\immediate\\write18{touch /tmp/pwned}"}\n\n'
        "@misc{one, title = {One}, year = {2020}}\n\n"
        "@misc{two, title = {Two \\input{/etc/hostname}}, year = {2020}}\n\n"
        "@comment{kept as it was}\n",
        encoding="utf-8",
    )
    assert cli("import", "bibtex", str(path)).code == 0
    out = cli("export", "bibtex").out
    assert "@preamble{" in out and "@comment{kept as it was}" in out
    assert "@misc{one, title = {One}, year = {2020}}" in out  # a safe entry, as written
    body = "\n".join(line for line in out.splitlines() if not line.startswith("%"))
    assert_safe(body)
