"""marginalia over a corpus too big for one process, on Dask distributed.

One task per partition of articles: each worker process loads the corpus (config
and knowledge base) once, analyses its partition with marginalia's Rust core and
returns two tables, written as Parquet datasets:

- ``OUT/quotes/``: one row per quotation part (article, offsets, kind, speaker,
  speaker's entity, cue, the rule that found the speaker);
- ``OUT/mentions/``: one row per knowledge-base mention (article, offsets, id, kind).

Offsets are code points, as ``marginalia analyze`` prints them. Input is a folder of
``*.txt`` articles (a corpus folder gives its articles, with their sidecars'
accepted annotations applied, exactly as ``marginalia analyze`` does), or a JSONL or
Parquet dataset with one article a row (``id``, ``text`` and optionally ``date``).

The same code runs on a laptop (``LocalCluster``) and on a multi-machine cluster
(``Client("tcp://scheduler:8786")``); workers need the package installed and, for a
folder input or a corpus, the files at the same path (a shared or network file
system). From the command line::

    python -m marginalia.distributed INPUT OUT [--corpus DIR] [--workers N]
"""

import argparse
import functools
import json
import os
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import pandas as pd

from . import Analysis, Corpus, analyze_batch
from ._marginalia import row_columns

QUOTE_COLUMNS = {
    "article": "string",
    "start": "int64",
    "end": "int64",
    "text": "string",
    "kind": "string",
    "utterance": "int64",
    "speaker": "string",
    "speaker_start": "Int64",
    "speaker_end": "Int64",
    "entity": "string",
    "cue": "string",
    "cue_start": "Int64",
    "cue_end": "Int64",
    "via": "string",
    "unclosed": "bool",
    "ambiguous": "bool",
}

MENTION_COLUMNS = {
    "article": "string",
    "start": "int64",
    "end": "int64",
    "text": "string",
    "id": "string",
    "kind": "string",
}


@functools.lru_cache(maxsize=4)
def _corpus(root: str) -> Corpus:
    """The corpus, loaded once per worker process."""
    return Corpus(root)


def _frames(names: Sequence[str], analyses: Sequence[Analysis]) -> Tuple[pd.DataFrame, pd.DataFrame]:
    """The quote rows and the mention rows of `analyses` (one article each, named by `names`)."""
    quotes, mentions = row_columns(list(names), list(analyses))
    return (
        pd.DataFrame({name: pd.array(quotes[name], dtype=dtype) for name, dtype in QUOTE_COLUMNS.items()}),
        pd.DataFrame({name: pd.array(mentions[name], dtype=dtype) for name, dtype in MENTION_COLUMNS.items()}),
    )


def analyze_files(paths: Sequence[str], base: str, corpus: Optional[str]) -> Tuple[pd.DataFrame, pd.DataFrame]:
    """One partition of a folder input: articles named by their path under `base`."""
    names = [os.path.relpath(p, base).replace(os.sep, "/") for p in paths]
    if corpus is not None:
        analyses = _corpus(corpus).analyze_articles(list(paths))
    else:
        texts = []
        for p in paths:
            with open(p, encoding="utf-8") as f:
                texts.append(f.read())
        analyses = analyze_batch(texts)
    return _frames(names, analyses)


def analyze_records(frame: pd.DataFrame, corpus: Optional[str], id_column: str, text_column: str, date_column: str) -> Tuple[pd.DataFrame, pd.DataFrame]:
    """One partition of a JSONL or Parquet input: one article a row."""
    texts = frame[text_column].tolist()
    dates = None
    if date_column in frame.columns:
        dates = [None if pd.isna(d) else str(d)[:10] for d in frame[date_column].tolist()]
    kb = _corpus(corpus) if corpus is not None else None
    analyses = analyze_batch(texts, kb=kb, dates=dates)
    return _frames(frame[id_column].astype(str).tolist(), analyses)


def _read_jsonl(path: str) -> pd.DataFrame:
    records = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if line.strip():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as error:
                    raise ValueError(f"{path}:{number}:{error.colno}: not a JSON object: {error.msg}") from None
    return pd.DataFrame.from_records(records)


def _article_files(folder: str, corpus: Optional[str]) -> List[str]:
    """The articles under `folder`: as `marginalia analyze` finds them (the corpus's
    configured article folders) when it lies in the corpus, else every ``*.txt``."""
    inside = Path(folder).resolve()
    if corpus is not None and inside.is_relative_to(Path(corpus).resolve()):
        return [str(p) for p in Corpus(corpus).articles() if Path(p).resolve().is_relative_to(inside)]
    found = []
    for dirpath, _, files in os.walk(folder):
        found += [os.path.join(dirpath, f) for f in files if f.endswith(".txt")]
    return sorted(found)


def run(
    source: str,
    out: str,
    *,
    corpus: Optional[str] = None,
    client: Any = None,
    articles_per_partition: int = 200,
    id_column: str = "id",
    text_column: str = "text",
    date_column: str = "date",
) -> Dict[str, int]:
    """Analyses `source` (a folder, a ``.jsonl`` file or a Parquet file or folder) on
    the Dask cluster of `client` (default: the current one) and writes
    ``out/quotes`` and ``out/mentions`` as Parquet. A folder holding
    ``marginalia.toml`` (or inside one) is used as the corpus unless `corpus` names
    another. Returns the number of articles, quotes and mentions."""
    import dask
    import dask.dataframe as dd
    from dask import delayed

    if corpus is None and os.path.isdir(source):
        corpus = _find_corpus(source)
    if corpus is not None:
        corpus = str(Corpus(corpus).root)  # fails here, on the client, if it is broken
    if os.path.isdir(source) and not _is_parquet_folder(source):
        paths = _article_files(source, corpus)
        base = corpus or source
        parts = [paths[i : i + articles_per_partition] for i in range(0, len(paths), articles_per_partition)]
        results = [delayed(analyze_files, pure=True)(part, base, corpus) for part in parts]
        count = len(paths)
    else:
        if source.endswith(".jsonl") or source.endswith(".json"):
            frame = dd.from_pandas(_read_jsonl(source), chunksize=articles_per_partition)
        else:
            frame = dd.read_parquet(source)
        for column in (id_column, text_column):
            if column not in frame.columns:
                raise ValueError(f"{source}: no column {column!r} (columns: {', '.join(frame.columns)})")
        count = None
        results = [
            delayed(analyze_records, pure=True)(part, corpus, id_column, text_column, date_column) for part in frame.to_delayed()
        ]
    if not results:
        results = [delayed(_frames)([], [])]
    empty_quotes, empty_mentions = _frames([], [])
    quotes = dd.from_delayed([r[0] for r in results], meta=empty_quotes, verify_meta=False)
    mentions = dd.from_delayed([r[1] for r in results], meta=empty_mentions, verify_meta=False)
    writes = [
        quotes.to_parquet(os.path.join(out, "quotes"), write_index=False, compute=False),
        mentions.to_parquet(os.path.join(out, "mentions"), write_index=False, compute=False),
        quotes.map_partitions(len).sum(),
        mentions.map_partitions(len).sum(),
    ]
    if client is not None:
        computed = client.compute(writes, sync=True)
    else:
        computed = dask.compute(*writes)
    counts = {"quotes": int(computed[2]), "mentions": int(computed[3])}
    if count is not None:
        counts["articles"] = count
    return counts


def _find_corpus(folder: str) -> Optional[str]:
    here = os.path.abspath(folder)
    while True:
        if os.path.isfile(os.path.join(here, "marginalia.toml")):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def _is_parquet_folder(folder: str) -> bool:
    return any(name.endswith(".parquet") for name in os.listdir(folder))


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m marginalia.distributed", description=__doc__.split("\n\n")[0])
    parser.add_argument("source", help="folder of articles, .jsonl file, or Parquet file/folder")
    parser.add_argument("out", help="output folder: OUT/quotes and OUT/mentions (Parquet)")
    parser.add_argument("--corpus", help="corpus folder whose KB and settings to use")
    parser.add_argument("--scheduler", help="address of a running Dask scheduler (default: a LocalCluster)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="LocalCluster worker processes")
    parser.add_argument("--articles-per-partition", type=int, default=200)
    args = parser.parse_args(argv)
    from dask.distributed import Client, LocalCluster

    if args.scheduler:
        client = Client(args.scheduler)
    else:
        client = Client(LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True))
    with client:
        counts = run(args.source, args.out, corpus=args.corpus, client=client, articles_per_partition=args.articles_per_partition)
    print(json.dumps(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
