"""`readlist export markdown`: the files a user keeps, byte for byte."""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from readlist.core.library import Library
from readlist.core.models import Paper
from readlist.formats.markdown.document import parse_document
from readlist.formats.markdown.write import export_markdown
from tests.formats.conftest import make_paper, sample_papers


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("\n---\n", 1)[0].removeprefix("---\n"))


def test_directory_export_writes_one_file_per_paper_and_an_index(cli, sample, home: Path) -> None:
    out = home.parent / "notes"
    r = cli("export", "markdown", "--out", str(out))
    assert r.code == 0, r.err
    assert "Exported 4 papers" in r.err
    names = sorted(p.name for p in out.glob("*.md"))
    assert names == [
        "2101.03697 repvgg-making-vgg-style-convnets-great-again.md",
        "2101.03961 switch-transformers-scaling-to-trillion.md",
        "doi_10.1145_3442188.3445922 on-the-dangers-of-stochastic-parrots-can.md",
        "hep-th_9711200 the-large-n-limit-of-superconformal-field.md",
        "index.md",
    ]
    switch = out / names[1]
    meta = front(switch)
    assert meta == {
        "id": "2101.03961",
        "title": "Switch Transformers: Scaling to Trillion Parameter Models with Simple and Efficient Sparsity",
        "authors": ["William Fedus", "Barret Zoph", "Noam Shazeer"],
        "year": 2021,
        "url": "https://arxiv.org/abs/2101.03961",
        "pdf": "https://arxiv.org/pdf/2101.03961v3",
        "version": "v3",
        "status": "read",
        "tags": ["moe", "sparsity"],
        "added": "2026-01-03T08:00:00+00:00",
        "read": "2026-02-01T09:00:00+00:00",
        "source": "arxiv",
    }
    text = switch.read_text(encoding="utf-8")
    assert text.endswith(
        "---\n\nCapacity factor 1.25 was enough. *Key*: top-1 routing.\n\n# A heading in my notes\n- a list\n"
    )
    repvgg = (out / names[0]).read_text(encoding="utf-8")
    assert "## Why it was picked\n\nA clean re-parameterisation trick" in repvgg
    parrots = front(out / names[2])
    assert parrots["title"] == 'On the Dangers of "Stochastic Parrots": Can Language Models Be Too Big? 🦜'
    assert parrots["doi"] == "10.1145/3442188.3445922" and parrots["url"] == "https://doi.org/10.1145/3442188.3445922"
    index = (out / "index.md").read_text(encoding="utf-8")
    assert "[RepVGG: Making VGG-style ConvNets Great Again](2101.03697%20repvgg-making-vgg-style-convnets" in index
    assert index.index("## To read (2)") < index.index("## Reading (1)") < index.index("## Read (1)")


def test_same_library_gives_byte_identical_files_whatever_the_insertion_order(cli, lib: Library, home: Path) -> None:
    papers = sample_papers()
    with lib._transaction() as tx:
        tx.put_papers({p.id: p.to_dict() for p in papers})
    out1 = home.parent / "one"
    assert cli("export", "markdown", "--out", str(out1)).code == 0
    first_digest = cli("export", "markdown").out
    with lib._transaction() as tx:
        tx.remove_papers([p.id for p in papers])
        tx.put_papers({p.id: p.to_dict() for p in reversed(papers)})
    out2 = home.parent / "two"
    assert cli("export", "markdown", "--out", str(out2)).code == 0
    assert tree(out1) == tree(out2)
    assert cli("export", "markdown").out == first_digest
    assert all(b"\r" not in data for name, data in tree(out1).items() if not name.startswith("doi"))


def test_reexport_overwrites_its_own_files_and_keeps_the_users(cli, sample, home: Path) -> None:
    out = home.parent / "notes"
    assert cli("export", "markdown", "--out", str(out)).code == 0
    mine = out / "my own note.md"
    mine.write_text("not a paper\n", encoding="utf-8")
    (out / "attachments").mkdir()
    (out / "attachments" / "figure.png").write_bytes(b"\x89PNG")
    assert cli("note", "2101.03961", "--append", "A later thought.").code == 0
    r = cli("export", "markdown", "--out", str(out))
    assert r.code == 0, r.err
    assert mine.read_text(encoding="utf-8") == "not a paper\n"
    assert (out / "attachments" / "figure.png").read_bytes() == b"\x89PNG"
    switch = next(out.glob("2101.03961 *.md"))
    assert switch.read_text(encoding="utf-8").endswith("- a list\n\nA later thought.\n")
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_reexport_refuses_to_overwrite_unimported_edits_unless_forced(cli, sample, home: Path) -> None:
    out = home.parent / "notes"
    assert cli("export", "markdown", "--out", str(out)).code == 0
    switch = next(out.glob("2101.03961 *.md"))
    edited = switch.read_text(encoding="utf-8").replace("Capacity factor 1.25", "Capacity factor 2.0")
    switch.write_text(edited, encoding="utf-8")
    before = tree(out)
    r = cli("export", "markdown", "--out", str(out))
    assert r.code == 1
    assert "changed since the last export" in r.err and switch.name in r.err and "--force" in r.err
    assert tree(out) == before
    r = cli("export", "markdown", "--out", str(out), "--force")
    assert r.code == 0, r.err
    assert "Capacity factor 1.25" in switch.read_text(encoding="utf-8")


def test_a_renamed_or_moved_file_is_updated_where_it_is(cli, sample, home: Path) -> None:
    out = home.parent / "notes"
    assert cli("export", "markdown", "--out", str(out)).code == 0
    (out / "papers").mkdir()
    moved = out / "papers" / "Switch.md"
    next(out.glob("2101.03961 *.md")).rename(moved)
    assert cli("status", "2101.03961", "reading").code == 0
    assert cli("export", "markdown", "--out", str(out)).code == 0
    assert not list(out.glob("2101.03961 *.md"))
    assert front(moved)["status"] == "reading"
    assert "(papers/Switch.md)" in (out / "index.md").read_text(encoding="utf-8")


def test_digest_groups_links_and_quotes_notes(cli, sample) -> None:
    r = cli("export", "markdown")
    assert r.code == 0, r.err
    digest = r.out
    assert digest.startswith("# Reading list\n\n4 papers; grouped by status.\n\n## To read (2)\n")
    assert (
        "### [Switch Transformers: Scaling to Trillion Parameter Models with Simple and Efficient Sparsity]"
        "(https://arxiv.org/abs/2101.03961)\n\nWilliam Fedus, Barret Zoph, Noam Shazeer · 2021 · arXiv:2101.03961 · "
        "read · tags: moe, sparsity\n\n> Capacity factor 1.25 was enough. *Key*: top-1 routing.\n>\n"
        "> # A heading in my notes\n> - a list\n"
    ) in digest
    # Notes never escape their quote: no line of the digest starts a heading or rule of its own.
    assert "\n# A heading" not in digest and "\n---\n" not in digest
    assert "> Re-param trick | pipes | and #hashes" in digest
    assert '[On the Dangers of "Stochastic Parrots": Can Language Models Be Too Big? 🦜]' in digest


def test_digest_by_tag_and_month_and_filters(cli, sample, home: Path) -> None:
    by_tag = cli("export", "markdown", "--group-by", "tag").out
    assert [line for line in by_tag.splitlines() if line.startswith("## ")] == [
        "## ethics (1)", "## moe (1)", "## sparsity (1)", "## vision (1)", "## Untagged (1)",
    ]  # fmt: skip
    by_month = cli("export", "markdown", "--group-by", "month").out
    assert "## Added 2026-01 (4)" in by_month
    only_read = cli("export", "markdown", "--status", "read").out
    assert "Switch Transformers" in only_read and "RepVGG" not in only_read
    assert "\n1 paper, status read; grouped by status.\n" in only_read
    since = cli("export", "markdown", "--since", "2026-01-04").out
    assert "RepVGG" in since and "Parrots" in since and "Switch" not in since and "Large N" not in since
    assert (
        cli("export", "markdown", "--tag", "nope").out == "# Reading list\n\n0 papers, tag nope; grouped by status.\n"
    )
    out = home.parent / "reading.md"
    r = cli("export", "markdown", "--out", str(out), "--tag", "moe")
    assert r.code == 0 and "Switch" in out.read_text(encoding="utf-8")
    assert "RepVGG" not in out.read_text(encoding="utf-8")


def test_bad_options_are_bad_input(cli, sample, home: Path) -> None:
    assert cli("export", "markdown", "--group-by", "colour").code == 2
    assert cli("export", "markdown", "--since", "last week").code == 2
    assert cli("export", "markdown", "--status", "skimmed").code == 2
    a_file = home.parent / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    r = cli("export", "markdown", "--out", str(a_file))
    assert r.code == 2 and "is a file" in r.err
    assert a_file.read_text(encoding="utf-8") == "x"


def test_markdown_special_characters_never_break_the_digest(lib: Library) -> None:
    nasty = make_paper(
        "2101.00001",
        title="# Not a heading | [not](a link) *nor* _emphasis_ <b>html</b> `code` $x$ ~~strike~~",
        authors=["- Dash Person", "1. Numbered"],
        url="https://example.org/a paper(1)",
        tags=["c#", "a|b"],
        notes="```\nunclosed fence\n<!-- unclosed comment\n[ref]: http://example.com\n---",
    )
    plain = make_paper("2101.00002", title="Plain follower", added="2026-01-01T00:00:00+00:00")
    with lib._transaction() as tx:
        tx.put_papers({p.id: p.to_dict() for p in (nasty, plain)})
    digest = export_markdown(lib, None)
    assert digest is not None
    line = next(x for x in digest.splitlines() if "Not a heading" in x)
    assert line.startswith("### [\\# Not a heading \\| \\[not\\](a link) \\*nor\\* \\_emphasis\\_ \\<b\\>html")
    assert line.endswith("\\~\\~strike\\~\\~](https://example.org/a%20paper%281%29)")
    meta = next(x for x in digest.splitlines() if "Dash Person" in x)
    assert meta.startswith("\\- Dash Person, 1. Numbered")
    assert "tags: c\\#, a\\|b" in meta
    # The unclosed fence and comment stay inside the quote; the next paper is still a heading.
    assert "\n> ```\n> unclosed fence\n> <!-- unclosed comment\n" in digest
    assert "\n### [Plain follower](https://arxiv.org/abs/2101.00002)\n" not in digest  # url not set on the record
    assert "\n### Plain follower\n" in digest


def test_export_markdown_api_for_the_tui(lib: Library, sample, home: Path) -> None:
    text = export_markdown(lib, None, status="reading", group_by="tag")
    assert text is not None and "## vision (1)" in text
    summary = export_markdown(lib, home.parent / "d", tag="moe")
    assert summary is not None and "Exported 1 paper" in summary
    files = sorted(p.name for p in (home.parent / "d").iterdir())
    assert files == [".readlist-export.json", "2101.03961 switch-transformers-scaling-to-trillion.md", "index.md"]
    doc = parse_document(next((home.parent / "d").glob("2101*.md")).read_text(encoding="utf-8"))
    assert doc.notes == sample[0].notes
    assert isinstance(sample[0], Paper) and os.sep not in files[1]


def test_files_get_the_usual_permissions(cli, sample, home: Path) -> None:
    umask = os.umask(0o022)
    os.umask(umask)
    out = home.parent / "notes"
    assert cli("export", "markdown", "--out", str(out)).code == 0
    for path in out.iterdir():
        assert path.stat().st_mode & 0o777 == 0o666 & ~umask, path.name


NASTY_LINE = st.lists(
    st.one_of(st.sampled_from(["#", "##", "- ", "1. ", "> ", "|", "```", "---", "[", "](", "*", "_", "<", "\n", ":"]),
              st.characters(codec="utf-8", exclude_categories=("Cs",))),
    max_size=20,
).map("".join)  # fmt: skip


@given(
    specs=st.lists(st.tuples(NASTY_LINE, NASTY_LINE, st.lists(NASTY_LINE, max_size=2)), min_size=1, max_size=4),
    group_by=st.sampled_from(["status", "month"]),
)
@settings(max_examples=60, deadline=None)
def test_digest_structure_survives_any_text(specs: list[tuple[str, str, list[str]]], group_by: str) -> None:
    from readlist.formats.markdown.write import render_digest

    papers = [
        Paper(id=f"2101.{i:05d}", title=title, notes=notes, authors=authors, url=f"https://arxiv.org/abs/2101.{i:05d}")
        for i, (title, notes, authors) in enumerate(specs)
    ]
    lines = render_digest(papers, group_by).split("\n")
    headings = [x for x in lines if x.startswith("#")]
    assert headings[0] == "# Reading list"
    assert len([x for x in headings if x.startswith("### ")]) == len(papers)
    assert all(re.match(r"#{1,3} ", x) for x in headings)
    for line in lines:
        assert not line.startswith(("- ", "* ", "+ ", "```", "---", "<", "|", "[")), line
        assert not re.match(r"\d+[.)]( |$)", line), line
    linked = re.compile(r"### \[.+\]\(https://arxiv\.org/abs/2101\.\d{5}\)")
    assert len([x for x in lines if linked.fullmatch(x)]) == len(papers)
