"""The paper commands, as a user runs them: records in the store, output, exit codes."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from pathlib import Path

import pytest

from readlist.core.light import expand
from tests.arxiv_server import ArxivServer


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "absent"


def papers(cli) -> dict[str, dict]:
    r = cli("list", "--json")
    assert r.code == 0, r.err
    return {p["id"]: p for p in r.json}


def test_add_saves_the_full_record(cli, arxiv: ArxivServer) -> None:
    r = cli("add", "2101.03961")
    assert r.code == 0, r.err
    assert "Added 2101.03961 v3  Switch Transformers" in r.err
    p = papers(cli)["2101.03961"]
    assert p["title"].startswith("Switch Transformers")
    assert p["authors"] == ["William Fedus", "Barret Zoph", "Noam Shazeer"]
    assert (p["year"], p["published"], p["version"]) == (2021, "2021-01-11", "v3")
    assert p["categories"] == ["cs.LG", "cs.AI"] and p["primary_category"] == "cs.LG"
    assert p["url"] == "https://arxiv.org/abs/2101.03961"
    assert p["pdf_url"] == "https://arxiv.org/pdf/2101.03961v3"
    assert p["journal_ref"].startswith("Journal of Machine Learning Research")
    assert (p["status"], p["tags"], p["notes"], p["pending"], p["source"]) == ("to-read", [], "", False, "arxiv")
    assert p["status_history"] == [{"status": "to-read", "date": p["added"]}]
    assert p["added"].endswith("+00:00") and "T" in p["added"]


def test_add_every_reference_form_in_one_request(cli, arxiv: ArxivServer) -> None:
    r = cli(
        "add", "arXiv:2101.03697", "https://arxiv.org/abs/2012.15723v2",
        "https://arxiv.org/pdf/2101.08751.pdf", "hep-th/9711200",
    )  # fmt: skip
    assert r.code == 0, r.err
    saved = papers(cli)
    assert set(saved) == {"2101.03697", "2012.15723", "2101.08751", "hep-th/9711200"}
    assert saved["2012.15723"]["version"] == "v2"
    assert len(arxiv.requests) == 1


def test_add_with_tags_status_and_note(cli, arxiv: ArxivServer) -> None:
    r = cli("add", "2101.03961", "-t", "MoE", "--tag", "sparsity", "--status", "reading", "--note", "Start at §3.")
    assert r.code == 0, r.err
    p = papers(cli)["2101.03961"]
    assert p["tags"] == ["moe", "sparsity"]
    assert p["status"] == "reading"
    assert p["notes"] == "Start at §3."


def test_adding_again_merges_tags_without_asking_arxiv(cli, arxiv: ArxivServer) -> None:
    cli("add", "2101.03961", "--tag", "moe")
    r = cli("add", "2101.03961", "--tag", "scaling", "--tag", "moe")
    assert r.code == 0
    assert "Already saved" in r.err
    assert papers(cli)["2101.03961"]["tags"] == ["moe", "scaling"]
    assert len(arxiv.requests) == 1


def test_unknown_id_fails_alone(cli, arxiv: ArxivServer) -> None:
    r = cli("add", "2101.99001", "2101.00408")
    assert r.code == 1
    assert "2101.99001 is not on arXiv" in r.err
    assert list(papers(cli)) == ["2101.00408"]


@pytest.mark.parametrize("bad", ["not-an-id", "2101.0396", "https://example.com/paper", "2101.03961x"])
def test_malformed_reference_is_bad_input_and_changes_nothing(cli, arxiv: ArxivServer, home: Path, bad: str) -> None:
    cli("add", "2101.03961")
    before = digest(home / "library.json")
    r = cli("add", "2101.03697", bad)
    assert r.code == 2
    assert r.err.count("\n") == 1 and "is not an arXiv reference" in r.err
    assert digest(home / "library.json") == before
    assert len(arxiv.requests) == 1  # nothing was sent for the rejected command


def test_offline_add_keeps_pending_and_refresh_completes(cli, home: Path, monkeypatch, arxiv: ArxivServer) -> None:
    good_url = os.environ["READLIST_ARXIV_API"]
    from tests.conftest import dead_url

    monkeypatch.setenv("READLIST_ARXIV_API", dead_url())
    r = cli("add", "2101.04535", "2012.15723v1", "--tag", "privacy", "--note", "from the reading group")
    assert r.code == 1
    assert "cannot reach arXiv" in r.err and "kept as pending: 2101.04535 2012.15723" in r.err
    pending = papers(cli)
    assert pending["2101.04535"]["pending"] is True
    assert pending["2101.04535"]["tags"] == ["privacy"]
    assert pending["2101.04535"]["notes"] == "from the reading group"
    assert pending["2012.15723"]["version"] == "v1"
    assert cli("list").out.count("\n") == 2

    monkeypatch.setenv("READLIST_ARXIV_API", dead_url())
    r = cli("refresh")
    assert r.code == 1 and "still pending: " in r.err

    monkeypatch.setenv("READLIST_ARXIV_API", good_url)
    r = cli("refresh")
    assert r.code == 0, r.err
    done = papers(cli)
    assert done["2101.04535"]["title"].startswith("Adversary Instantiation")
    assert done["2101.04535"]["pending"] is False
    assert done["2101.04535"]["tags"] == ["privacy"]
    assert done["2012.15723"]["version"] == "v1"  # the version asked for is kept


def test_refresh_reports_newer_versions(cli, arxiv: ArxivServer) -> None:
    cli("add", "2101.03697v1", "2101.00408")
    r = cli("refresh")
    assert r.code == 0, r.err
    assert "Newer version: 2101.03697 saved v1, arXiv has v3" in r.err
    assert "2101.00408" not in r.err
    p = papers(cli)["2101.03697"]
    assert (p["version"], p["latest_version"]) == ("v1", "v3")
    assert "(arXiv has v3)" in cli("show", "2101.03697").out


def test_status_tags_and_notes(cli, arxiv: ArxivServer) -> None:
    cli("add", "2101.03961")
    assert cli("status", "2101.03961", "reading").code == 0
    assert cli("status", "arXiv:2101.03961", "Read").code == 0
    assert cli("tag", "2101.03961", "moe", "sparsity").code == 0
    assert cli("note", "2101.03961", "--append", "Router z-loss matters.").code == 0
    assert cli("note", "2101.03961", "--append", "Ünïcödé ✓ — עברית\nsecond line").code == 0
    p = cli("show", "2101.03961", "--json").json
    assert p["status"] == "read"
    assert [c["status"] for c in p["status_history"]] == ["to-read", "reading", "read"]
    assert p["tags"] == ["moe", "sparsity"]
    assert p["notes"] == "Router z-loss matters.\n\nÜnïcödé ✓ — עברית\nsecond line"
    assert cli("tag", "2101.03961", "sparsity", "--remove").code == 0
    assert cli("show", "2101.03961", "--json").json["tags"] == ["moe"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("status", "2101.03961", "banana"), "unknown status 'banana'"),
        (("list", "--status", "banana"), "unknown status"),
        (("list", "--sort", "colour"), "cannot sort by 'colour'"),
        (("tag", "2101.03961", "  "), "empty tag"),
        (("note", "2101.03961", "--append", "  "), "--append needs some text"),
        (("show", "nonsense"), "is not a paper reference"),
        (("add", "--title", "X", "--year", "12"), "is not a year"),
        (("add", "--title", "X", "--doi", "nope"), "is not a DOI"),
        (("add", "2101.03961", "--title", "X"), "either arXiv references or --title"),
        (("add",), "nothing to add"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    cli, arxiv: ArxivServer, home: Path, args: tuple[str, ...], message: str
) -> None:
    cli("add", "2101.03961")
    before = digest(home / "library.json")
    r = cli(*args)
    assert r.code == 2, r.err
    assert message in r.err and r.err.count("\n") == 1
    assert digest(home / "library.json") == before


def test_unknown_paper_exits_1(cli, arxiv: ArxivServer) -> None:
    cli("add", "2101.03961")
    for args in (
        ("show", "2101.00408"),
        ("status", "2101.00408", "read"),
        ("rm", "2101.00408"),
        ("tag", "2101.00408", "x"),
    ):
        r = cli(*args)
        assert r.code == 1
        assert "2101.00408 is not in your library" in r.err


def test_rm_removes_all_or_nothing(cli, arxiv: ArxivServer) -> None:
    cli("add", "2101.03961", "2101.03697", "2101.00408")
    assert cli("rm", "2101.03697", "2101.99999").code == 1
    assert len(papers(cli)) == 3
    assert cli("rm", "2101.03697", "2101.00408").code == 0
    assert list(papers(cli)) == ["2101.03961"]


def test_list_filters_search_and_sort(cli, arxiv: ArxivServer) -> None:
    cli("add", "2101.03961", "2101.03697", "2012.15723", "hep-th/9711200")
    cli("status", "2101.03961", "reading")
    cli("tag", "2101.03697", "vision")
    cli("note", "hep-th/9711200", "--append", "AdS/CFT, the classic")

    def ids(*args: str) -> list[str]:
        return [p["id"] for p in cli("list", "--json", *args).json]

    assert ids("--status", "reading") == ["2101.03961"]
    assert ids("--tag", "Vision") == ["2101.03697"]
    assert ids("--search", "SWITCH transformers") == ["2101.03961"]
    assert ids("--search", "danqi") == ["2012.15723"]  # author, any case
    assert ids("--search", "re-parameterized") == ["2101.03697"]  # abstract
    assert ids("--search", "ads/cft classic") == ["hep-th/9711200"]  # notes
    assert ids("--search", "vision") == ["2101.03697"]  # tags
    assert ids("--sort", "year")[-2:] == ["2012.15723", "hep-th/9711200"]  # newest first
    assert ids("--sort", "year", "--reverse")[0] == "hep-th/9711200"
    assert ids("--sort", "title")[0] == "2012.15723"  # "Making..." before "RepVGG", "Switch", "The Large"
    assert ids("--sort", "title", "--reverse")[-1] == "2012.15723"
    plain = cli("list").out.splitlines()
    assert len(plain) == 4
    assert any(line.startswith("2101.03961\treading\t2021\tSwitch Transformers") for line in plain)


def test_show_prints_a_readable_card(cli, arxiv: ArxivServer) -> None:
    cli("add", "2101.03961", "--tag", "moe", "--note", "Capacity factor 1.25")
    out = cli("show", "https://arxiv.org/abs/2101.03961").out
    assert out.startswith("Switch Transformers")
    assert "William Fedus, Barret Zoph, Noam Shazeer" in out
    assert "2101.03961 v3" in out and "moe" in out
    assert "Abstract:" in out and "Notes:\nCapacity factor 1.25" in out


def test_manual_paper_by_doi_and_by_title(cli) -> None:
    r = cli(
        "add", "--title", "On the Dangers of Stochastic Parrots: Can Language Models Be Too Big?",
        "--authors", "Emily M. Bender, Timnit Gebru and Angelina McMillan-Major", "--year", "2021",
        "--doi", "https://doi.org/10.1145/3442188.3445922", "--tag", "ethics",
    )  # fmt: skip
    assert r.code == 0, r.err
    p = cli("show", "doi:10.1145/3442188.3445922", "--json").json
    assert p["authors"] == ["Emily M. Bender", "Timnit Gebru", "Angelina McMillan-Major"]
    assert (p["year"], p["source"], p["pending"]) == (2021, "manual", False)
    assert p["url"] == "https://doi.org/10.1145/3442188.3445922"
    assert cli("show", "10.1145/3442188.3445922", "--json").json["id"] == p["id"]
    r = cli("add", "--title", "A Workshop Note", "--url", "https://example.org/note.pdf")
    assert r.code == 0
    assert "manual:a-workshop-note" in papers(cli)


def test_note_opens_the_editor(cli, arxiv: ArxivServer, tmp_path: Path, monkeypatch) -> None:
    cli("add", "2101.03961", "--note", "first")
    editor = tmp_path / "fake-editor"
    # An editor that appends a line: the file it gets ends with a newline, so the line is a line of its own.
    editor.write_text(f"#!{sys.executable}\nimport sys\np = sys.argv[1]\nopen(p, 'a').write('edited ✓\\n')\n")
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("EDITOR", str(editor))
    r = cli("note", "2101.03961")
    assert r.code == 0, r.err
    assert cli("show", "2101.03961", "--json").json["notes"] == "first\nedited ✓"


def test_note_without_editor_falls_back_to_vi_or_nano(cli, arxiv: ArxivServer, tmp_path: Path, monkeypatch) -> None:
    cli("add", "2101.03961", "--note", "first")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    nano = bin_dir / "nano"
    nano.write_text(f"#!{sys.executable}\nimport sys\nopen(sys.argv[1], 'a').write('by nano\\n')\n")
    nano.chmod(nano.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(bin_dir))  # no vi here: nano is next
    r = cli("note", "2101.03961")
    assert r.code == 0, r.err
    assert cli("show", "2101.03961", "--json").json["notes"] == "first\nby nano"


def test_note_without_any_editor_says_how(cli, arxiv: ArxivServer, tmp_path: Path, monkeypatch) -> None:
    cli("add", "2101.03961")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # neither vi nor nano
    r = cli("note", "2101.03961")
    assert r.code == 2 and "set $EDITOR" in r.err


def test_open_uses_the_browser(cli, arxiv: ArxivServer, tmp_path: Path, monkeypatch) -> None:
    cli("add", "2101.03961")
    seen = tmp_path / "opened.txt"
    browser = tmp_path / "fake-browser"
    browser.write_text(f"#!{sys.executable}\nimport sys\nopen({str(seen)!r}, 'a').write(sys.argv[1] + '\\n')\n")
    browser.chmod(browser.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("BROWSER", str(browser))
    import webbrowser

    monkeypatch.setattr(webbrowser, "_tryorder", None)
    monkeypatch.setattr(webbrowser, "_browsers", {})
    assert cli("open", "2101.03961").code == 0
    assert cli("open", "2101.03961", "--pdf").code == 0
    assert seen.read_text().split() == ["https://arxiv.org/abs/2101.03961", "https://arxiv.org/pdf/2101.03961v3"]


def test_corrupt_library_refused_by_every_command(cli, arxiv: ArxivServer, home: Path) -> None:
    cli("add", "2101.03961")
    cli("status", "2101.03961", "reading")
    db = home / "library.json"
    db.write_bytes(b'{"papers": {"1": {"id": "2101.0')
    before = digest(db)
    for args in (("list",), ("add", "2101.03697"), ("status", "2101.03961", "read"), ("show", "2101.03961")):
        r = cli(*args)
        assert r.code == 1, args
        assert "library.json" in r.err and "library.json.bak" in r.err
        assert "Traceback" not in r.err
    assert digest(db) == before
    json.loads((home / "library.json.bak").read_text())


def test_json_of_list_equals_the_stored_records(cli, arxiv: ArxivServer, home: Path) -> None:
    cli("add", "2101.03961", "hep-th/9711200")
    light = json.loads((home / "library.json").read_text(encoding="utf-8"))["papers"]
    texts: dict[str, dict[str, object]] = {}
    for shard in (home / "library.texts").glob("*.json"):  # each paper's abstract, notes and origins
        texts.update(json.loads(shard.read_text(encoding="utf-8"))["texts"])
    stored = {}
    for pid, record in light.items():
        assert texts[pid].pop("gen") == record["text"]  # the record names the generation of its text
        empty = {"abstract": "", "notes": "", "blurb": "", "origin": None, "other_entries": []}
        full = expand(record)  # what the stored record reads as: its defaults and derived links filled in
        del full["text"]
        stored[pid] = {**full, **empty, **texts[pid]}  # a paper without a text has no entry
    listed = {p["id"]: p for p in cli("list", "--json").json}
    assert listed == stored
    assert "abstract" not in light["2101.03961"] and listed["2101.03961"]["abstract"]


def test_a_paper_is_found_by_its_citation_key(cli, tmp_path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@book{aristotle:anima, title = {De Anima}, author = {Aristotle}, year = {1907}}\n", encoding="utf-8"
    )
    assert cli("import", "bibtex", str(bib)).code == 0
    shown = cli("show", "aristotle:anima")
    assert shown.code == 0, shown.err
    assert shown.out.startswith("De Anima") and "aristotle:anima" in shown.out
    assert cli("status", "aristotle:anima", "read").code == 0
    assert cli("show", "aristotle:anima", "--json").json["status"] == "read"
    missing = cli("show", "plato:republic")
    assert missing.code == 2 and "citation key" in missing.err


def test_a_long_json_list_is_one_array_printed_part_by_part(cli) -> None:
    from readlist.core.config import load_settings
    from readlist.core.library import Library

    records = {
        f"manual:p{i}": {"id": f"manual:p{i}", "title": f"Paper {i} \u2028 ü", "abstract": f"Text {i}.", "added": "x"}
        for i in range(1203)  # more than two parts
    }
    with Library(load_settings())._transaction() as tx:
        tx.put_papers(records)
    listed = cli("list", "--json")
    assert listed.code == 0, listed.err
    assert [p["id"] for p in listed.json] == list(reversed(records))  # one array, every paper, in order
    assert listed.json[7]["abstract"] == "Text 1195." and listed.out.endswith("]\n")


def test_json_printed_in_parts_is_byte_for_byte_one_dump(capsysbinary) -> None:
    import orjson

    from readlist.cli.output import print_json, print_json_encoded

    sample = [{"id": "a", "title": "\x85 bidi \u202e"}, {"id": "b"}, {"id": "c", "n": [1, 2]}]
    print_json(sample)
    whole = capsysbinary.readouterr().out
    print_json_encoded([[orjson.dumps(r) for r in part] for part in (sample[:1], [], sample[1:])])
    assert capsysbinary.readouterr().out == whole  # byte for byte what one dump prints
    print_json_encoded([[], []])
    assert capsysbinary.readouterr().out == b"[]\n"


def test_list_json_sorts_by_date_added_on_the_stored_records_as_on_the_full_ones(cli) -> None:
    from readlist.core.config import load_settings
    from readlist.core.library import Library
    from readlist.core.query import list_query, sort_records

    records = {
        f"manual:p{i}": {"id": f"manual:p{i}", "title": f"P{i}", "added": f"2026-01-0{i % 3 + 1}T00:00:00+00:00"}
        for i in range(9)  # papers added on the same day keep the order they were added in
    }
    with Library(load_settings())._transaction() as tx:
        tx.put_papers(records)
        tx.put_papers({"2101.03961": {"id": "2101.03961", "title": "Switch", "added": "2026-01-02T00:00:00+00:00"}})
    lib = Library(load_settings())
    for reverse in (False, True):
        full = [r["id"] for r in sort_records(lib.select(list_query(None)), "added", reverse=reverse)]
        assert lib.sorted_ids(list_query(None), "added", reverse=reverse) == full
        listed = [p["id"] for p in cli("list", "--json", *(["-r"] if reverse else [])).json]
        assert listed == full


def test_a_reader_that_leaves_early_ends_a_long_list_quietly(monkeypatch) -> None:
    import io

    import orjson

    from readlist.cli import output

    class LeavingReader(io.BytesIO):
        writes = 0

        def write(self, data) -> int:  # type: ignore[override]
            LeavingReader.writes += 1
            if LeavingReader.writes > 1:  # `readlist list | head`: head has what it wanted
                raise BrokenPipeError(32, "Broken pipe")
            return super().write(data)

    stdout = io.TextIOWrapper(LeavingReader(), encoding="utf-8", write_through=True)
    monkeypatch.setattr(sys, "stdout", stdout)
    monkeypatch.setattr(output, "LINES_AT_ONCE", 2)
    records = [{"id": f"p{i}", "status": "read", "title": f"T{i}", "authors": [], "tags": []} for i in range(5)]
    output.print_papers(records)  # no error: the rest is not wanted
    output.print_json_encoded([[orjson.dumps(r) for r in records[:2]], [orjson.dumps(r) for r in records[2:]]])
    assert stdout.buffer.getvalue().decode().startswith("p0\tread\t\tT0\t\t\np1\tread\t\tT1\t\t\n")
    # An export printed in pieces ends as quietly (`readlist export bibtex | head`).
    from readlist.cli import transfer

    LeavingReader.writes = 0
    stdout = io.TextIOWrapper(LeavingReader(), encoding="utf-8", write_through=True)
    monkeypatch.setattr(sys, "stdout", stdout)
    assert transfer._write(None, iter(["@misc{a,}\n", "@misc{b,}\n", "@misc{c,}\n"]), force=False, example="x") is False
    assert stdout.buffer.getvalue().decode() == "@misc{a,}\n"
