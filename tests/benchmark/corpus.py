"""Realistic, reproducible papers for the benchmark and the failure drills.

Every paper looks like a saved arXiv paper: a plausible new-style id, a title
of 6-14 words, 1-8 authors, an abstract of about 1,200 characters, categories,
tags, a reading status with its history, and notes on about a third. The same
seed always gives the same papers.
"""

from __future__ import annotations

import random
import re
from typing import Any

FIRST = (
    "Ada Alan Alec Amelia Ananya Aryan Bo Carla Chen Chiara Daniel Dmitri Elena Emma Fatima Felix Gabriel Hana "
    "Hiroshi Ilya Ines Jakob Jia Jonas Julia Kaiming Karen Lara Lena Li Lucas Maria Mateo Mei Mohammed Nadia "
    "Noam Olga Omar Pablo Priya Quoc Rafael Ravi Rosa Sara Sebastian Shreya Sofia Tao Thomas Uma Victor Wei "
    "Xin Yann Yoshua Yuki Zara Zhen"
).split()
LAST = (
    "Abadi Agarwal Bengio Brown Chen Choi Dai Dean Devlin Dosovitskiy Fei Finn Goodfellow Gupta Hassabis He "
    "Hinton Ho Huang Jordan Kim Kingma Krizhevsky Kumar LeCun Lee Levine Li Liang Lin Liu Malik Manning Mikolov "
    "Nguyen Ng Olah Park Radford Raffel Ramesh Rossi Ruiz Salakhutdinov Schmidhuber Singh Smith Sutskever Tan "
    "Tanaka Vaswani Wang Welling Wu Xu Yang Zaremba Zhang Zhao Zhou Müller Sørensen Łukasz"
).split()
METHOD = (
    "Transformers|Diffusion Models|Graph Networks|Contrastive Learning|Sparse Mixtures|Kernel Methods|Neural "
    "Operators|State Space Models|Normalizing Flows|Energy-Based Models|Vision Transformers|Retrieval Augmentation|"
    "Policy Gradients|Bayesian Optimization|Low-Rank Adapters|Equivariant Networks|Implicit Layers|Tokenizers"
).split("|")
TOPIC = (
    "Protein Folding|Long-Context Reasoning|Image Segmentation|Speech Recognition|Machine Translation|"
    "Robotic Manipulation|Weather Forecasting|Code Generation|Molecule Design|Video Understanding|"
    "Time Series Forecasting|Question Answering|Recommendation|Anomaly Detection|Theorem Proving|"
    "Offline Reinforcement Learning|Federated Learning|Causal Discovery|Medical Imaging|Program Synthesis"
).split("|")
PATTERNS = (
    "{m} for {t}",
    "Scaling {m} to {t}",
    "On the Limits of {m} in {t}",
    "{m} Are Strong Baselines for {t}",
    "Revisiting {t} with {m}",
    "Efficient {t} via {m} and Curriculum Training",
    "A Unified View of {m} and {t}",
    "Towards Robust {t}: Lessons from {m}",
)
SENTENCES = (
    "We study the problem of {t} and show that {m} offer a simple and effective alternative to prior approaches.",
    "Existing methods require large amounts of labelled data and careful tuning, which limits their use in practice.",
    "We introduce a training objective that combines a reconstruction term with a contrastive regulariser.",
    "Our analysis reveals that the benefit grows with model size and with the diversity of the training data.",
    "On {n} benchmarks our approach matches or exceeds the state of the art while using {k} times less compute.",
    "We further propose a lightweight inference procedure that reduces latency by {p} percent on commodity hardware.",
    "Ablations show that each component contributes, and that the method is robust to the choice of hyperparameters.",
    "We release code, trained checkpoints and a new evaluation suite to support future research on {t}.",
    "Theoretical results establish convergence under mild assumptions and explain the observed scaling behaviour.",
    "Finally, we discuss limitations, including sensitivity to distribution shift and the cost of pretraining.",
    "Surprisingly, a carefully tuned baseline closes most of the gap reported in earlier work on {t}.",
    "Experiments on synthetic and real-world data confirm the predictions of our theory across {n} settings.",
)
NOTE_LINES = (
    "Key idea: {m} applied to {t}; the ablation in section 4 is the interesting part.",
    "Compare with the baseline numbers in table 2, they look too good.",
    "- reproduce the main experiment\n- check the released code\n- ask about the data split",
    "Read with the reading group on Thursday. Follow-up: the appendix proofs.",
    "The related-work section is a good map of {t}.",
)
TAGS = (
    "llm vision rl theory graphs diffusion nlp speech robotics optimization survey benchmark to-cite "
    "reading-group thesis datasets efficiency safety interpretability scaling"
).split()
CATEGORIES = ("cs.LG", "cs.CL", "cs.CV", "cs.AI", "stat.ML", "cs.RO", "cs.NE", "q-bio.QM", "math.OC", "eess.AS")
STATUSES = ("to-read", "to-read", "to-read", "reading", "read", "read", "dropped")


def _abstract(rng: random.Random, method: str, topic: str, target: int = 1200) -> str:
    parts: list[str] = []
    length = 0
    order = rng.sample(SENTENCES, len(SENTENCES))
    while length < target - 60:
        sentence = order[len(parts) % len(order)].format(
            t=topic.lower(), m=method.lower(), n=rng.randint(3, 12), k=rng.randint(2, 9), p=rng.randint(10, 70)
        )
        parts.append(sentence)
        length += len(sentence) + 1
    return " ".join(parts)


def paper_ids(count: int, seed: int = 0) -> list[str]:
    """``count`` distinct new-style arXiv ids (yymm.nnnnn), none starting 99 in the number."""
    rng = random.Random(seed)
    ids: set[str] = set()
    while len(ids) < count:
        yy = rng.randint(15, 25)
        mm = rng.randint(1, 12)
        ids.add(f"{yy:02d}{mm:02d}.{rng.randint(10000, 98999):05d}")
    return sorted(ids)


def make_papers(count: int, seed: int = 0) -> list[dict[str, Any]]:
    """``count`` paper records, shaped as library.json holds them (Paper.to_dict)."""
    rng = random.Random(seed)
    papers = []
    for index, arxiv_id in enumerate(paper_ids(count, seed)):
        method = rng.choice(METHOD)
        topic = rng.choice(TOPIC)
        title = rng.choice(PATTERNS).format(m=method, t=topic)
        if rng.random() < 0.5:
            title += f" ({rng.choice(['Extended Version', 'Technical Report', 'Preprint'])})"
        year = 2000 + int(arxiv_id[:2])
        month = int(arxiv_id[2:4])
        published = f"{year}-{month:02d}-{rng.randint(1, 28):02d}"
        authors = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(1, 8))]
        categories = rng.sample(CATEGORIES, rng.randint(1, 3))
        status = rng.choice(STATUSES)
        added = (
            f"{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{index % 24:02d}:00:00+00:00"
        )
        history = [{"status": "to-read", "date": added}]
        if status != "to-read":
            history.append({"status": status, "date": added[:11] + "23:30:00+00:00"})
        notes = ""
        if index % 3 == 0:
            notes = "\n\n".join(
                rng.choice(NOTE_LINES).format(m=method, t=topic.lower()) for _ in range(rng.randint(1, 3))
            )
        papers.append(
            {
                "id": arxiv_id,
                "title": title,
                "version": f"v{rng.randint(1, 4)}",
                "authors": authors,
                "year": year,
                "published": published,
                "updated": published,
                "abstract": _abstract(rng, method, topic),
                "categories": categories,
                "primary_category": categories[0],
                "url": f"https://arxiv.org/abs/{arxiv_id}",
                "pdf_url": f"https://arxiv.org/pdf/{arxiv_id}",
                "doi": f"10.48550/arXiv.{arxiv_id}" if rng.random() < 0.3 else None,
                "journal_ref": None,
                "comment": f"{rng.randint(8, 40)} pages, {rng.randint(2, 12)} figures" if rng.random() < 0.6 else None,
                "status": status,
                "status_history": history,
                "tags": sorted(set(rng.sample(TAGS, rng.randint(0, 4)))),
                "notes": notes,
                "blurb": "",
                "added": added,
                "modified": None,
                "pending": False,
                "source": "arxiv",
                "latest_version": None,
            }
        )
    return papers


def seed_store(path: Any, count: int, seed: int = 0) -> list[dict[str, Any]]:
    """Write ``count`` papers into the library at ``path`` through the real store."""
    from readlist.core.store import Store

    papers = make_papers(count, seed)
    store = Store(path)
    with store.transaction() as tx:
        tx.put_papers({p["id"]: p for p in papers})
    return papers


def _bib_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}")


READSTATUS = {"read": "read", "reading": "skimmed", "dropped": "dropped"}  # JabRef's words; to-read has none


def write_bibtex(papers: list[dict[str, Any]], path: Any) -> None:
    """The papers as a .bib file such as JabRef keeps one: arXiv eprint fields, and the reader's
    tags (keywords), notes (annote) and status (readstatus)."""
    chunks = []
    for p in papers:
        last = re.sub(r"[^a-z]", "", p["authors"][0].split()[-1].lower()) or "anon"
        fields = {
            "title": p["title"],
            "author": " and ".join(p["authors"]),
            "year": str(p["year"]),
            "eprint": p["id"] + (p["version"] or ""),
            "archivePrefix": "arXiv",
            "primaryClass": p["primary_category"],
            "url": p["url"],
            "abstract": p["abstract"],
        }
        if p["doi"]:
            fields["doi"] = p["doi"]
        if p["tags"]:
            fields["keywords"] = ", ".join(p["tags"])
        if p["notes"]:
            fields["annote"] = p["notes"]
        if p["status"] in READSTATUS:
            fields["readstatus"] = READSTATUS[p["status"]]
        body = ",\n".join(f"  {name} = {{{_bib_escape(value)}}}" for name, value in fields.items())
        chunks.append(f"@misc{{{last}{p['year']}{p['id'].replace('.', '')},\n{body}\n}}\n")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(chunks))


def apply_user_data(path: Any, papers: list[dict[str, Any]]) -> int:
    """Give imported papers their readers' status histories and dates added (a .bib file carries neither)."""
    from readlist.core.store import Store

    store = Store(path)
    wanted = {p["id"]: p for p in papers}
    with store.transaction() as tx:
        records = dict(tx.papers)
        updates = {}
        for paper_id, record in records.items():
            source = wanted.get(paper_id)
            if source is None:
                continue
            record = dict(record)
            for key in ("status", "status_history", "tags", "notes", "added"):
                record[key] = source[key]
            updates[paper_id] = record
        tx.put_papers(updates)
    return len(updates)
