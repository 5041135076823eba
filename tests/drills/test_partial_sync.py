"""A sync that delivered only one of the two parts of the store: never a lost paper, never a blocking error.

library.json (the light records) and library.texts/ (abstracts, notes, origins)
are separate files; a sync client may deliver one before the other. Each
half-delivered state is read as it is: papers all listed, a text that is
missing or of another generation shown as it is, with one line of warning.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from readlist.core.config import load_settings
from readlist.core.library import Library


def _seed() -> None:
    lib = Library(load_settings())
    lib.add_manual(title="First Paper", authors=["Ada Lovelace"], year=2020, abstract="The first abstract.")
    lib.add_manual(title="Second Paper", authors=["Alan Turing"], year=2021, abstract="The second abstract.")


def _ids(cli: Any) -> set[str]:
    result = cli("list")
    assert result.code == 0, result.err
    return {line.split("\t")[0] for line in result.out.splitlines()}


def _replace_texts(home: Path, source: Path) -> None:
    shutil.rmtree(home / "library.texts")
    shutil.copytree(source / "library.texts", home / "library.texts")


def test_only_the_light_records_arrived(cli: Any, home: Path, tmp_path: Path) -> None:
    _seed()
    old = tmp_path / "old"
    shutil.copytree(home, old)
    first = "manual:first-paper-lovelace-2020"
    assert cli("note", first, "--append", "Written on the other machine.").code == 0
    lib = Library(load_settings())
    lib.add_manual(title="Third Paper", authors=["Grace Hopper"], year=2022, abstract="The third abstract.")
    _replace_texts(home, old)  # the new library.json, the old texts

    assert _ids(cli) == {first, "manual:second-paper-turing-2021", "manual:third-paper-hopper-2022"}
    shown = cli("show", first)
    assert shown.code == 0
    assert "The first abstract." in shown.out  # the text as it is
    assert "Written on the other machine." not in shown.out
    assert len([line for line in shown.err.splitlines() if "another generation" in line]) == 1
    third = cli("show", "manual:third-paper-hopper-2022", "--json")
    assert third.code == 0 and third.json["title"] == "Third Paper" and third.json["abstract"] == ""
    assert "missing" in third.err and len(third.err.strip().splitlines()) == 1
    assert cli("list", "--json").code == 0
    assert cli("list", "-q", "third").code == 0

    # A write on this machine keeps every paper; the rest of the sync then arrives and all is whole.
    assert cli("tag", "manual:second-paper-turing-2021", "here").code == 0
    assert len(_ids(cli)) == 3


def test_only_the_texts_arrived(cli: Any, home: Path, tmp_path: Path) -> None:
    _seed()
    old = tmp_path / "old"
    shutil.copytree(home, old)
    first = "manual:first-paper-lovelace-2020"
    assert cli("note", first, "--append", "Written on the other machine.").code == 0
    Library(load_settings()).add_manual(title="Third Paper", authors=["Grace Hopper"], year=2022, abstract="x y")
    new = tmp_path / "new"
    shutil.copytree(home, new)
    shutil.copyfile(old / "library.json", home / "library.json")  # the old library.json, the new texts

    assert _ids(cli) == {first, "manual:second-paper-turing-2021"}  # the third comes with its record
    shown = cli("show", first)
    assert shown.code == 0 and "The first abstract." in shown.out  # the text its record names (the backup's)

    shutil.copyfile(new / "library.json", home / "library.json")  # the rest of the sync
    assert len(_ids(cli)) == 3
    whole = cli("show", first)
    assert whole.code == 0 and "Written on the other machine." in whole.out and not whole.err.strip()


def test_a_fifo_or_a_link_in_place_of_a_shard_is_never_read_or_followed(cli: Any, home: Path, tmp_path: Path) -> None:
    import os

    _seed()
    shards = sorted((home / "library.texts").glob("*.json"))
    secret = tmp_path / "secret.txt"
    secret.write_text("not yours", encoding="utf-8")
    shards[0].unlink()
    os.mkfifo(shards[0])
    if len(shards) > 1:
        shards[1].unlink()
        shards[1].symlink_to(secret)
    result = cli("list", "--json")  # would hang on the FIFO if it were opened for reading
    assert result.code == 0 and len(result.json) == 2
    assert "missing" in result.err
    assert secret.read_text(encoding="utf-8") == "not yours"
