"""Shared fixtures: the repository's bundled corpus (copied, so that tests may write),
the `marginalia` binary whose output the package must equal, and generated corpora."""

import os
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "corpus"


def marginalia_bin() -> str:
    """The CLI to compare with: $MARGINALIA_BIN, else a built one in target/."""
    given = os.environ.get("MARGINALIA_BIN")
    if given:
        return given
    for profile in ("release", "debug"):
        candidate = REPO / "target" / profile / "marginalia"
        if candidate.is_file():
            return str(candidate)
    if os.environ.get("CI"):
        raise RuntimeError("no marginalia binary: build it (cargo build) or set MARGINALIA_BIN")
    pytest.skip("no marginalia binary built (cargo build), and MARGINALIA_BIN unset")


def run_cli(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([marginalia_bin(), *map(str, args)], cwd=cwd, capture_output=True, text=True, check=False)


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A writable copy of the bundled corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(BUNDLED, target)
    return target


def seed_paragraphs():
    """The paragraphs of the bundled seed articles (their date headers left out)."""
    paragraphs = []
    for path in sorted((BUNDLED / "articles").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\Adate \d{4}-\d{2}-\d{2}\n", "", text)
        paragraphs += [p.strip("\n") for p in re.split(r"\n\s*\n", text) if p.strip()]
    return paragraphs


def generate_corpus(root: Path, articles: int, seed: int = 18) -> Path:
    """A corpus of `articles` articles, each a dated shuffle of 4-9 seed paragraphs,
    with the bundled KB and configuration. Deterministic for a seed."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(BUNDLED / "marginalia.toml", root / "marginalia.toml")
    shutil.copytree(BUNDLED / "kb", root / "kb")
    folder = root / "articles"
    folder.mkdir()
    paragraphs = seed_paragraphs()
    rng = random.Random(seed)
    for n in range(articles):
        chosen = rng.sample(paragraphs, rng.randint(4, 9))
        date = f"2022-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        # Every seventh article has no date header; every eleventh carries an astral-plane character.
        header = "" if n % 7 == 0 else f"date {date}\n"
        body = "\n\n".join(chosen)
        if n % 11 == 0:
            body = "🗞️ " + body
        (folder / f"gen_{n:05d}.txt").write_text(header + body + "\n", encoding="utf-8")
    return root
