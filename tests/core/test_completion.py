"""Shell completion: the words file every write keeps current, and the scripts, run in a real bash."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from readlist.cli import completion
from readlist.cli.completion import refresh_words
from readlist.core import completion_words
from readlist.core.completion_words import FILE_NAME, words_text

bash = pytest.mark.skipif(shutil.which("bash") is None, reason="no bash on this machine")


def words(home: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in (home / FILE_NAME).read_text(encoding="utf-8").splitlines()[1:]:
        kind, word = line.split("\t")
        found.setdefault(kind, []).append(word)
    return found


@pytest.fixture
def shelf(cli: Any, home: Path) -> Any:
    assert cli("add", "--title", "On the Dangers of Stochastic Parrots", "--doi", "10.1145/3442188.3445922",
               "--authors", "Emily M. Bender", "--year", "2021", "--tag", "ethics").code == 0  # fmt: skip
    assert cli("add", "--title", "Attention Is All You Need", "--authors", "Ashish Vaswani", "--year", "2017",
               "--tag", "nlp", "--tag", "classic").code == 0  # fmt: skip
    return cli


def test_every_write_keeps_the_words_file_current_and_reads_write_nothing(shelf: Any, home: Path) -> None:
    found = words(home)
    assert found["i"] == ["doi:10.1145/3442188.3445922", "manual:attention-is-all-you-need-vaswani-2017"]
    assert found["k"] == ["bender2021dangers", "vaswani2017attention"]
    assert found["t"] == ["classic", "ethics", "nlp"]
    assert {"zeta-alpha", "hf-daily"} <= set(found["s"])
    assert shelf("tag", "bender2021dangers", "llm").code == 0
    assert words(home)["t"] == ["classic", "ethics", "llm", "nlp"]
    assert shelf("rm", "vaswani2017attention").code == 0
    assert words(home)["i"] == ["doi:10.1145/3442188.3445922"]
    (home / FILE_NAME).unlink()
    assert shelf("list").code == 0 and shelf("show", "bender2021dangers").code == 0
    assert not (home / FILE_NAME).exists()


def _header_stamp(home: Path) -> str:
    first = (home / FILE_NAME).read_text(encoding="utf-8").splitlines()[0]
    return first.removeprefix("# readlist completion words").strip()


def _library_stamp(home: Path) -> str:
    st = (home / "library.json").stat()
    return f"{st.st_ino},{st.st_mtime_ns},{st.st_size}"


def test_a_write_that_changes_no_word_keeps_the_words_and_names_the_new_library(shelf: Any, home: Path) -> None:
    body = (home / FILE_NAME).read_text(encoding="utf-8").split("\n", 1)[1]
    assert shelf("status", "bender2021dangers", "read").code == 0
    assert shelf("note", "bender2021dangers", "--append", "a note").code == 0
    assert _header_stamp(home) == _library_stamp(home)  # current: the TUI will not rebuild it
    assert (home / FILE_NAME).read_text(encoding="utf-8").split("\n", 1)[1] == body  # its words kept as they were
    # A file written for another state of the library (another program wrote it since) is rebuilt.
    planted = body.replace("\tnlp", "\tplanted")
    (home / FILE_NAME).write_text(f"# readlist completion words 1,2,3\n{planted}", encoding="utf-8")
    assert shelf("status", "bender2021dangers", "reading").code == 0
    assert "nlp" in words(home)["t"] and _header_stamp(home) == _library_stamp(home)
    # One written for this state is trusted: a status keeps its words, a new tag joins them, a tag removed
    # (perhaps from every paper) has them gathered again.
    (home / FILE_NAME).write_text(f"# readlist completion words {_library_stamp(home)}\n{planted}", encoding="utf-8")
    assert shelf("status", "bender2021dangers", "read").code == 0
    assert "planted" in words(home)["t"]
    assert shelf("tag", "bender2021dangers", "fresh").code == 0
    assert words(home)["t"] == ["classic", "ethics", "fresh", "planted"]
    assert shelf("tag", "bender2021dangers", "--remove", "fresh").code == 0
    assert words(home)["t"] == ["classic", "ethics", "nlp"]


def _kept_and_rebuilt(home: Path) -> tuple[list[str], list[str]]:
    """The words file's lines as a write left them, and as gathered again from every paper, in order (a write
    moves the papers it changes last in the library, and the scripts read the words in any order)."""
    kept = (home / FILE_NAME).read_text(encoding="utf-8").splitlines()
    (home / FILE_NAME).unlink()
    assert refresh_words()
    rebuilt = (home / FILE_NAME).read_text(encoding="utf-8").splitlines()
    assert kept[0] == rebuilt[0]  # the same library state
    assert [line[0] for line in kept] == [line[0] for line in rebuilt]  # the kinds in the same order
    return sorted(kept), sorted(rebuilt)


def test_the_words_a_write_adds_are_those_gathering_them_again_finds(
    shelf: Any, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    completion_refresh_words = completion.refresh_words
    gathered: list[bool] = []  # each time a write gathered the words from every paper
    monkeypatch.setattr(completion, "refresh_words", lambda: gathered.append(completion_refresh_words()))
    steps = [
        ("add", "--title", "Deep Residual Learning", "--authors", "Kaiming He", "--year", "2016", "--tag", "vision"),
        ("tag", "bender2021dangers", "a-first", "zz-last", "ethics"),  # new tags, first and last in order
        ("add", "--title", "No Tags Yet", "--year", "2020"),
        ("status", "vaswani2017attention", "read"),
    ]
    for step in steps:
        assert shelf(*step).code == 0
        kept, rebuilt = _kept_and_rebuilt(home)
        assert kept == rebuilt, step
    assert gathered == []  # each write added its words
    bib = tmp_path / "two.bib"
    bib.write_text(
        "@article{one2019, title={One Paper}, author={Doe, Jane}, year={2019}, keywords={imported, vision}}\n"
        "@article{two2018, title={Two Paper}, author={Roe, Rick}, year={2018}}\n",
        encoding="utf-8",
    )
    assert shelf("import", "bibtex", str(bib)).code == 0
    found = words(home)
    assert {"one2019", "two2018"} <= set(found["k"]) and {"imported", "vision"} <= set(found["t"])
    kept, rebuilt = _kept_and_rebuilt(home)
    assert kept == rebuilt and gathered == []
    assert shelf("rm", "one2019").code == 0  # a paper gone: its words are gathered again
    assert gathered == [True] and "one2019" not in words(home)["k"]


def test_a_words_file_out_of_readlists_layout_is_gathered_again(shelf: Any, home: Path) -> None:
    stamp = _library_stamp(home)
    for body in ("t\tethics\ni\tplanted-id\n", "i\tno-newline-at-the-end", "no kind here\n"):
        (home / FILE_NAME).write_text(f"# readlist completion words {stamp}\n{body}", encoding="utf-8")
        assert shelf("tag", "bender2021dangers", "new-tag").code == 0
        assert "planted-id" not in words(home).get("i", [])
        assert "new-tag" in words(home)["t"] and "nlp" in words(home)["t"]
        assert shelf("tag", "bender2021dangers", "--remove", "new-tag").code == 0
        stamp = _library_stamp(home)


def test_unfit_words_are_left_out() -> None:
    text = words_text([{"id": "manual:a b", "key": "k\x1b[2J", "tags": ["ok", "tab\tbed"]}], ["src"])
    assert text.splitlines()[1:] == ["t\tok", "s\tsrc"]


def test_a_planted_link_is_replaced_not_followed(shelf: Any, home: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("mine", encoding="utf-8")
    (home / FILE_NAME).unlink()
    (home / FILE_NAME).symlink_to(victim)
    assert shelf("tag", "bender2021dangers", "llm").code == 0
    assert victim.read_text(encoding="utf-8") == "mine"
    assert not (home / FILE_NAME).is_symlink() and "llm" in words(home)["t"]


def complete(script: Path, home: Path, line: str) -> list[str]:
    """What bash offers for ``line`` (the cursor at its end), as the completion function answers."""
    snippet = (
        f'source "{script}"; COMP_LINE="$1"; COMP_POINT=${{#COMP_LINE}}; _readlist; printf "%s\\n" "${{COMPREPLY[@]}}"'
    )
    env = {"PATH": "/usr/bin:/bin", "READLIST_HOME": str(home)}
    r = subprocess.run(["bash", "--norc", "-c", snippet, "bash", line], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    return [w for w in r.stdout.splitlines() if w]


def on_the_line(line: str, answer: str) -> str:
    """The line after bash puts ``answer`` in place of the current word, which bash ends at ':' or '='."""
    cut = max(line.rfind(" "), line.rfind(":"), line.rfind("="))
    return line[: cut + 1] + answer


@bash
def test_bash_completes_commands_options_ids_keys_tags_statuses_and_sources(
    shelf: Any, home: Path, tmp_path: Path
) -> None:
    script = tmp_path / "readlist.bash"
    script.write_text(shelf("completion", "bash").out, encoding="utf-8")
    assert complete(script, home, "readlist sh") == ["show"]
    assert complete(script, home, "readlist export ") == ["bibtex", "csl", "markdown"]
    assert complete(script, home, "readlist list --st") == ["--status"]
    assert complete(script, home, "readlist show ") == [
        "doi:10.1145/3442188.3445922", "manual:attention-is-all-you-need-vaswani-2017",
        "bender2021dangers", "vaswani2017attention",
    ]  # fmt: skip
    assert complete(script, home, "readlist status bender2021dangers r") == ["reading", "read"]
    assert complete(script, home, "readlist list --tag ") == ["classic", "ethics", "nlp"]
    assert complete(script, home, "readlist tag vaswani2017attention cl") == ["classic"]
    assert complete(script, home, "readlist pull --source zeta") == ["zeta-alpha"]
    assert complete(script, home, "readlist export bibtex --status dr") == ["dropped"]
    assert complete(script, home, "readlist completion ") == ["bash", "zsh", "fish"]


@bash
def test_ids_with_a_colon_complete_whole_in_bash(shelf: Any, home: Path, tmp_path: Path) -> None:
    """bash splits words at ':'; each answer replaces only the part after it, and the line holds the whole id."""
    script = tmp_path / "readlist.bash"
    script.write_text(shelf("completion", "bash").out, encoding="utf-8")
    for line in ("readlist show doi:10.11", "readlist show doi:", "readlist rm manual:att"):
        (answer,) = complete(script, home, line)
        finished = on_the_line(line, answer)
        assert finished.split()[-1] in ("doi:10.1145/3442188.3445922", "manual:attention-is-all-you-need-vaswani-2017")
    assert complete(script, home, "readlist show manual:nothing-like-it") == []


def test_zsh_and_fish_scripts(shelf: Any, home: Path) -> None:
    zsh = shelf("completion", "zsh")
    assert zsh.code == 0 and "bashcompinit" in zsh.out and "complete -o default -F _readlist readlist" in zsh.out
    fish = shelf("completion", "fish")
    assert fish.code == 0
    assert "complete -c readlist -n '__readlist_path \\'\\'' -a 'show'" in fish.out
    assert "complete -c readlist -n '__readlist_path export' -a 'bibtex'" in fish.out
    assert "-l 'status' -x -a 'to-read reading read dropped'" in fish.out
    assert "(__readlist_words ik)" in fish.out and str(home / FILE_NAME) in fish.out
    for shell in ("zsh", "fish"):
        if shutil.which(shell):
            r = subprocess.run([shell, "-n"], input=shelf("completion", shell).out, capture_output=True, text=True)
            assert r.returncode == 0, r.stderr
    r = shelf("completion", "powershell")
    assert r.code == 2 and "give bash, zsh or fish" in r.err


def test_a_transaction_that_writes_nothing_after_a_write_keeps_what_the_write_added(shelf: Any, home: Path) -> None:
    from readlist.cli.app import library
    from readlist.cli.completion import keep_words_current

    library.cache_clear()
    lib = library()
    lib.add_manual(title="Written Then Read", year=2024, tags=["after"])
    lib.used_keys()  # a transaction of its own, which writes nothing
    keep_words_current(tui=False)
    found = words(home)
    assert "manual:written-then-read-2024" in found["i"] and "after" in found["t"]
    assert _header_stamp(home) == _library_stamp(home)


def test_a_words_file_too_large_to_be_readlists_is_written_again_not_read(
    shelf: Any, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(completion_words, "MAX_BYTES", 4096)
    stamp = _library_stamp(home)
    (home / FILE_NAME).write_text(f"# readlist completion words {stamp}\n" + "t\tpadding\n" * 1000, encoding="utf-8")
    assert shelf("tag", "bender2021dangers", "new-tag").code == 0
    assert words(home)["t"] == ["classic", "ethics", "new-tag", "nlp"]
