"""`readlist add DOI`: content negotiation against a loopback resolver, the recorded real answers,
arXiv DOIs and same-paper identity, offline, and the errors a user meets."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from readlist.core.doi import arxiv_of, doi_url, find_doi
from tests.arxiv_server import ArxivServer
from tests.conftest import dead_url
from tests.doi_server import REAL_DOI, DoiServer, real_records

PARROTS = "10.1145/3442188.3445922"
SICI = "10.1175/1520-0493(1974)102<0736:wacoj>2.0.co;2"
RERANKERS = "10.1007/978-3-030-72240-1_26"  # the catalog's 2101.08751 names this DOI


def own_records() -> dict[str, dict[str, Any]]:
    """Records of our own, in the shape doi.org serves (CSL JSON)."""
    return {
        PARROTS: {
            "type": "paper-conference", "DOI": PARROTS, "publisher": "ACM",
            "title": "On the Dangers of Stochastic Parrots: Can Language Models Be Too Big? <i>🦜</i>",
            "author": [{"family": "Bender", "given": "Emily M.", "ORCID": "https://orcid.org/0000-0001-5384-6227"},
                       {"family": "Gebru", "given": "Timnit"}],
            "issued": {"date-parts": [[2021, 3, 3]]},
            "container-title": "Proceedings of the 2021 ACM Conference on Fairness, Accountability, and Transparency",
            "page": "610-623",
            "abstract": "<jats:title>Abstract</jats:title><jats:p>The past 3 years of work in NLP have been "
                        "characterized by the development and deployment of ever larger language models, "
                        "H<jats:sub>2</jats:sub>O &amp; <jats:italic>more</jats:italic>.</jats:p>",
        },
        RERANKERS: {
            "type": "chapter", "DOI": RERANKERS,
            "title": "Rethink Training of BERT Rerankers in Multi-stage Retrieval Pipeline",
            "author": [{"family": "Gao", "given": "Luyu"}, {"family": "Dai", "given": "Zhuyun"},
                       {"family": "Callan", "given": "Jamie"}],
            "issued": {"date-parts": [[2021]]}, "container-title": "Advances in Information Retrieval",
            "publisher": "Springer International Publishing", "page": "280-286",
        },
    }  # fmt: skip


@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch) -> Iterator[DoiServer]:
    server = DoiServer({**real_records(), **own_records()}).start()
    monkeypatch.setenv("READLIST_DOI_API", server.url)
    yield server
    server.stop()


def saved(cli) -> dict[str, dict]:
    r = cli("list", "--json")
    assert r.code == 0, r.err
    return {p["id"]: p for p in r.json}


# -- the forms people paste -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "doi"),
    [
        (PARROTS, PARROTS),
        (f"doi:{PARROTS}", PARROTS),
        (f"DOI: {PARROTS}", PARROTS),
        (f"https://doi.org/{PARROTS}", PARROTS),
        (f"http://dx.doi.org/{PARROTS}", PARROTS),
        (f"https://dl.acm.org/doi/{PARROTS}", PARROTS),
        (f"https://dl.acm.org/doi/abs/{PARROTS}", PARROTS),
        (f"https://dl.acm.org/doi/pdf/{PARROTS}", PARROTS),
        ("https://link.springer.com/chapter/10.1007/978-3-030-72240-1_26", RERANKERS),
        ("https://link.springer.com/content/pdf/10.1007/978-3-030-72240-1_26.pdf", RERANKERS),
        ("https://onlinelibrary.wiley.com/doi/full/10.1111/cogs.12009", "10.1111/cogs.12009"),
        ("https://onlinelibrary.wiley.com/doi/epdf/10.1002/anie.201915678", "10.1002/anie.201915678"),
        ("https://doi.org/10.18653/v1/2020.acl-main.463", "10.18653/v1/2020.acl-main.463"),
        ("https://doi.org/10.1175/1520-0493(1974)102%3C0736:WACOJ%3E2.0.CO;2", SICI),
        ("https://example.org/about", None),
        ("10.1145", None),
        ("doi:not-a-doi", None),
    ],
)
def test_dois_are_found_in_every_form(text: str, doi: str | None) -> None:
    assert find_doi(text) == doi


def test_the_doi_is_percent_encoded_but_its_slash() -> None:
    assert (
        doi_url("https://doi.org/", SICI)
        == "https://doi.org/10.1175/1520-0493%281974%29102%3C0736%3Awacoj%3E2.0.co%3B2"
    )
    assert doi_url("https://doi.org", "10.1000/a b#c?d") == "https://doi.org/10.1000/a%20b%23c%3Fd"
    assert arxiv_of("10.48550/arxiv.2101.03961") is not None and arxiv_of(PARROTS) is None


# -- the recorded real answers ------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A CSL or Crossref text as one line (readlist keeps runs of white space as one space)."""
    return " ".join((value[0] if isinstance(value, list) else value or "").split())


def _expected(path: Path) -> dict[str, Any]:
    """What readlist should keep of a recorded answer, read straight from the file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    item = data[0] if isinstance(data, list) else data.get("message", data)
    date = next(item[k]["date-parts"][0] for k in ("issued", "published-print", "published-online", "created")
                if k in item)  # fmt: skip
    return {
        "doi": item["DOI"].lower(),
        "title": _text(item["title"]),
        "authors": [f"{a['given']} {a['family']}" for a in item.get("author", [])],
        "year": date[0],
        "container": _text(item.get("container-title")),
        "volume": item.get("volume"),
        "number": item.get("issue"),
        "pages": item.get("page") or item.get("article-number"),
        "publisher": item.get("publisher"),
    }


REAL_FILES = sorted(REAL_DOI.glob("*.json")) if REAL_DOI.is_dir() else []


@pytest.mark.skipif(not REAL_FILES, reason="../shared/real/doi is absent")
@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: p.name)
def test_a_recorded_real_answer_maps_every_field(cli, resolver: DoiServer, path: Path) -> None:
    want = _expected(path)
    r = cli("add", want["doi"], "--tag", "real")
    assert r.code == 0, r.err
    p = saved(cli)["doi:" + want["doi"]]
    assert p["doi"] == want["doi"] and p["source"] == "doi" and not p["pending"]
    assert p["title"] == want["title"]
    assert p["authors"] == want["authors"]
    assert p["year"] == want["year"] and p["published"].startswith(str(want["year"]))
    venue = p["venue"]
    container = venue.get("journal") or venue.get("booktitle") or ""
    assert container == want["container"]
    assert (venue.get("volume"), venue.get("number"), venue.get("pages")) == (
        want["volume"], want["number"], want["pages"],
    )  # fmt: skip
    assert venue.get("publisher") == want["publisher"]
    served = resolver.records[want["doi"]]
    assert p["type"] == served["type"]
    assert p["origin"] == {"format": "csl", "item": served}  # kept whole: ORCIDs, ISBNs, licences
    assert p["url"] == f"https://doi.org/{want['doi']}"
    assert p["tags"] == ["real"] and p["key"]


@pytest.mark.skipif(not REAL_FILES, reason="../shared/real/doi is absent")
def test_the_real_datacite_abstract_loses_its_html(cli, resolver: DoiServer) -> None:
    assert cli("add", "10.6084/m9.figshare.4724797").code == 0
    p = saved(cli)["doi:10.6084/m9.figshare.4724797"]
    assert p["abstract"].startswith("The PhD Dissertation of Daniel S. Himmelstein. This is my thesis")
    assert "<" not in p["abstract"] and "&amp;" not in p["abstract"] and "Biological & Medical" in p["abstract"]
    assert "<b>" in p["origin"]["item"]["abstract"]


@pytest.mark.skipif(not REAL_FILES, reason="../shared/real/doi is absent")
def test_the_sici_doi_survives_the_address_and_round_trips(cli, resolver: DoiServer) -> None:
    r = cli("add", f"doi:{SICI}")
    assert r.code == 0, r.err
    _, raw, _ = resolver.requests[-1]
    assert raw == "/10.1175/1520-0493%281974%29102%3C0736%3Awacoj%3E2.0.co%3B2"
    assert saved(cli)[f"doi:{SICI}"]["doi"] == SICI
    shown = cli("show", f"doi:{SICI}", "--json")
    assert shown.code == 0 and shown.json["doi"] == SICI
    out = cli("export", "csl")
    assert out.code == 0 and json.loads(out.out)[0]["DOI"] == SICI


# -- fixtures of our own: markup, headers, redirects ------------------------------------------------------


def test_add_by_doi_url_asks_for_csl_json_and_maps_without_markup(cli, resolver: DoiServer) -> None:
    r = cli("add", f"https://doi.org/{PARROTS}")
    assert r.code == 0, r.err
    assert f"Added doi:{PARROTS}  On the Dangers of Stochastic Parrots" in r.err
    doi, raw, headers = resolver.requests[-1]
    assert (doi, raw) == (PARROTS, f"/{PARROTS}")
    assert headers["Accept"] == "application/vnd.citationstyles.csl+json"
    assert "mailto" not in headers["User-Agent"] and headers["User-Agent"].startswith("readlist/")
    p = saved(cli)[f"doi:{PARROTS}"]
    assert p["title"] == "On the Dangers of Stochastic Parrots: Can Language Models Be Too Big? 🦜"
    assert p["abstract"].startswith("The past 3 years of work in NLP")
    assert p["abstract"].endswith("H2O & more.")
    assert p["authors"] == ["Emily M. Bender", "Timnit Gebru"]
    assert p["venue"]["booktitle"].startswith("Proceedings of the 2021 ACM Conference")
    assert p["year"] == 2021 and p["published"] == "2021-03-03" and p["type"] == "paper-conference"
    assert "<i>" in p["origin"]["item"]["title"] and "<jats:p>" in p["origin"]["item"]["abstract"]
    assert p["origin"]["item"]["author"][0]["ORCID"].endswith("0000-0001-5384-6227")


def test_the_contact_email_goes_in_the_user_agent(cli, resolver: DoiServer, tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('contact_email = "reader@example.org"\n', encoding="utf-8")
    assert cli("add", PARROTS).code == 0
    assert "mailto:reader@example.org" in resolver.requests[-1][2]["User-Agent"]


def test_a_bad_contact_email_is_refused(cli, tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('contact_email = "me@example.org\\r\\nX-Evil: 1"\n', encoding="utf-8")
    r = cli("add", PARROTS)
    assert r.code == 2 and "contact_email" in r.err


def test_redirects_are_followed(cli, resolver: DoiServer) -> None:
    resolver.redirect = True
    assert cli("add", PARROTS).code == 0
    assert f"doi:{PARROTS}" in saved(cli)


def test_adding_a_saved_doi_again_merges_tags_without_asking(cli, resolver: DoiServer) -> None:
    assert cli("add", PARROTS, "-t", "ethics").code == 0
    asked = len(resolver.requests)
    r = cli("add", f"doi:{PARROTS.upper()}", "-t", "nlp")
    assert r.code == 0 and "Already saved, updated" in r.err
    assert len(resolver.requests) == asked
    assert saved(cli)[f"doi:{PARROTS}"]["tags"] == ["ethics", "nlp"]


# -- errors -----------------------------------------------------------------------------------------------


def test_an_unknown_doi_saves_nothing(cli, resolver: DoiServer, home: Path) -> None:
    r = cli("add", "10.9999/does-not-exist")
    assert r.code == 1
    assert "10.9999/does-not-exist" in r.err and "knows no such DOI" in r.err and "Traceback" not in r.err
    assert r.err.count("\n") == 1
    assert saved(cli) == {}


@pytest.mark.parametrize("text", ["10.1145", "doi:nothing", "https://doi.org/11.2/x"])
def test_a_malformed_doi_is_bad_input(cli, resolver: DoiServer, text: str) -> None:
    r = cli("add", text)
    assert r.code == 2, r.err
    assert "is not a DOI" in r.err and r.err.count("\n") == 1
    assert resolver.requests == []


def test_a_resolver_answering_html_saves_nothing(cli, resolver: DoiServer) -> None:
    resolver.html = True
    r = cli("add", PARROTS)
    assert r.code == 1 and PARROTS in r.err and "answered text/html, not CSL JSON" in r.err
    assert saved(cli) == {}


def test_a_resolver_answering_junk_json_saves_nothing(cli, resolver: DoiServer) -> None:
    resolver.records[PARROTS] = ["not", "an", "item"]  # type: ignore[assignment]
    r = cli("add", PARROTS)
    assert r.code == 1 and PARROTS in r.err and "not CSL JSON" in r.err
    assert saved(cli) == {}


def test_a_bad_doi_among_good_references_changes_nothing(cli, resolver: DoiServer) -> None:
    r = cli("add", PARROTS, "10.12")
    assert r.code == 2 and saved(cli) == {}


# -- offline is pending ------------------------------------------------------------------------------------


def test_an_unreachable_resolver_keeps_the_paper_pending_and_refresh_completes_it(
    cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READLIST_DOI_API", dead_url())
    r = cli("add", PARROTS, "-t", "later")
    assert r.code == 1 and "kept as pending" in r.err and f"doi:{PARROTS}" in r.err
    p = saved(cli)[f"doi:{PARROTS}"]
    assert (p["pending"], p["doi"], p["tags"], p["title"]) == (True, PARROTS, ["later"], "")
    still = cli("refresh")
    assert still.code == 1 and "still pending" in still.err
    server = DoiServer(own_records()).start()
    try:
        monkeypatch.setenv("READLIST_DOI_API", server.url)
        done = cli("refresh")
    finally:
        server.stop()
    assert done.code == 0, done.err
    assert f"Fetched doi:{PARROTS}" in done.err
    p = saved(cli)[f"doi:{PARROTS}"]
    assert not p["pending"] and p["title"].startswith("On the Dangers") and p["tags"] == ["later"] and p["key"]


def test_a_5xx_keeps_the_paper_pending(cli, resolver: DoiServer) -> None:
    resolver.status = 503
    r = cli("add", PARROTS)
    assert r.code == 1 and "HTTP 503" in r.err and "kept as pending" in r.err
    assert saved(cli)[f"doi:{PARROTS}"]["pending"] is True


def test_refresh_doi_completes_imported_papers_that_lack_fields(cli, resolver: DoiServer, tmp_path: Path) -> None:
    bib = tmp_path / "mine.bib"
    bib.write_text("@misc{parrots,\n  title = {Stochastic Parrots},\n  doi = {10.1145/3442188.3445922},\n}\n")
    assert cli("import", "bibtex", str(bib)).code == 0
    plain = cli("refresh")
    assert plain.code == 0 and resolver.requests == []  # not pending: only --doi asks
    r = cli("refresh", "--doi")
    assert r.code == 0, r.err
    p = saved(cli)[f"doi:{PARROTS}"]
    assert p["title"] == "Stochastic Parrots"  # the reader's own title is kept
    assert p["authors"] == ["Emily M. Bender", "Timnit Gebru"] and p["year"] == 2021
    assert p["venue"]["pages"] == "610-623" and p["key"] == "parrots"


# -- arXiv and DOIs are one paper ------------------------------------------------------------------------------


def test_an_arxiv_doi_is_the_arxiv_paper(cli, arxiv: ArxivServer, resolver: DoiServer) -> None:
    r = cli("add", "10.48550/arXiv.2101.03961", "https://doi.org/10.48550/arXiv.2101.08751v1")
    assert r.code == 0, r.err
    papers = saved(cli)
    assert set(papers) == {"2101.03961", "2101.08751"}
    assert papers["2101.08751"]["version"] == "v1"
    assert resolver.requests == [] and len(arxiv.requests) == 1


def test_a_doi_then_its_arxiv_paper_stay_one_paper(cli, arxiv: ArxivServer, resolver: DoiServer) -> None:
    assert cli("add", RERANKERS, "-t", "ir").code == 0
    r = cli("add", "2101.08751", "-t", "bert")
    assert r.code == 0, r.err
    assert f"2101.08751 is the paper saved as doi:{RERANKERS} (same DOI): merged into one" in r.err
    papers = saved(cli)
    assert list(papers) == ["2101.08751"]
    p = papers["2101.08751"]
    assert p["doi"] == RERANKERS and p["tags"] == ["ir", "bert"]
    assert p["origin"]["item"]["DOI"] == RERANKERS  # the DOI's record is kept
    assert p["venue"]["booktitle"] == "Advances in Information Retrieval"
    assert p["pdf_url"].startswith("https://arxiv.org/pdf/2101.08751") and p["version"]
    assert cli("show", f"doi:{RERANKERS}", "--json").json["id"] == "2101.08751"


def test_an_arxiv_paper_then_its_doi_stay_one_paper(cli, arxiv: ArxivServer, resolver: DoiServer) -> None:
    assert cli("add", "2101.08751").code == 0
    r = cli("add", f"https://link.springer.com/chapter/{RERANKERS}", "-t", "ecir")
    assert r.code == 0, r.err
    assert f"{RERANKERS} is 2101.08751, saved already (same DOI): merged, both kept" in r.err
    papers = saved(cli)
    assert list(papers) == ["2101.08751"]
    p = papers["2101.08751"]
    assert p["tags"] == ["ecir"] and p["origin"]["item"]["DOI"] == RERANKERS
    assert p["title"].startswith("Rethink Training of BERT Rerankers")  # arXiv's, kept
    assert p["venue"]["booktitle"] == "Advances in Information Retrieval"  # the DOI's, filled in


def test_a_doi_record_naming_its_preprint_links_it(cli, resolver: DoiServer) -> None:
    record = dict(own_records()[PARROTS])
    record["relation"] = {
        "has-preprint": [{"id-type": "doi", "id": "10.48550/arXiv.2101.03961", "asserted-by": "subject"}]
    }
    resolver.records[PARROTS] = record
    assert cli("add", PARROTS).code == 0
    p = saved(cli)[f"doi:{PARROTS}"]
    assert p["pdf_url"] == "https://arxiv.org/pdf/2101.03961" and p["url"] == f"https://doi.org/{PARROTS}"
