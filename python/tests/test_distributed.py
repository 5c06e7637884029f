"""The Dask job on a generated corpus of a few thousand articles, with worker
processes: its Parquet output equals `marginalia analyze` on the same files."""

import json
from pathlib import Path

import pytest

pd = pytest.importorskip("pandas")
pytest.importorskip("pyarrow")
distributed = pytest.importorskip("dask.distributed")

import marginalia  # noqa: E402
from marginalia import distributed as job  # noqa: E402
from conftest import generate_corpus, run_cli  # noqa: E402

ARTICLES = 3000


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return generate_corpus(tmp_path_factory.mktemp("generated") / "corpus", ARTICLES)


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with distributed.Client(cluster) as client:
        yield client
    cluster.close()


def cli_rows(folder: Path):
    """Quote and mention rows from `marginalia analyze --format json`."""
    result = run_cli("analyze", folder, "--format", "json", cwd=folder)
    assert result.returncode == 0, result.stderr
    quotes, mentions = [], []
    for report in map(json.loads, result.stdout.splitlines()):
        article = report["path"]
        for q in report["quotes"]:
            s, c = q["speaker"], q["cue"]
            quotes.append(
                (article, q["start"], q["end"], q["text"], q["kind"], q["utterance"],
                 s and s["text"], s and s["start"], s and s["end"], s and s["id"], c and c["text"], c and c["start"], c and c["end"])
            )
        for m in sorted(report["entities"] + report["agreements"], key=lambda m: (m["start"], m["end"])):
            mentions.append((article, m["start"], m["end"], m["text"], m["id"], m.get("kind", "agreement")))
    return sorted(quotes, key=str), sorted(mentions, key=str), len(result.stdout.splitlines())


def parquet_rows(out: Path):
    q = pd.read_parquet(out / "quotes")
    m = pd.read_parquet(out / "mentions")

    def value(v):
        return None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else (int(v) if hasattr(v, "item") else v)

    quote_columns = ["article", "start", "end", "text", "kind", "utterance", "speaker", "speaker_start", "speaker_end", "entity", "cue", "cue_start", "cue_end"]
    quotes = [tuple(value(v) for v in row) for row in q[quote_columns].astype(object).itertuples(index=False)]
    mentions = [tuple(value(v) for v in row) for row in m[["article", "start", "end", "text", "id", "kind"]].astype(object).itertuples(index=False)]
    return sorted(quotes, key=str), sorted(mentions, key=str), q, m


def test_folder_job_on_worker_processes_equals_the_cli(generated, client, tmp_path):
    out = tmp_path / "out"
    counts = job.run(str(generated), str(out), client=client, articles_per_partition=250)
    assert counts["articles"] == ARTICLES
    # Really on the workers: both processes ran tasks.
    assert len(client.scheduler_info()["workers"]) == 2
    cli_quotes, cli_mentions, reports = cli_rows(generated)
    quotes, mentions, q, m = parquet_rows(out)
    assert reports == ARTICLES
    assert len(quotes) == counts["quotes"] > ARTICLES
    assert len(mentions) == counts["mentions"] > ARTICLES
    assert quotes == cli_quotes
    assert mentions == cli_mentions
    assert {"direct", "partial"} <= set(q["kind"])
    assert q["via"].notna().any() and m["kind"].isin(["person", "organization", "place", "agreement"]).all()


def test_jsonl_and_parquet_inputs_equal_the_folder(generated, client, tmp_path):
    paths = sorted((generated / "articles").glob("*.txt"))[:300]
    records = [{"id": f"articles/{p.name}", "text": p.read_text(encoding="utf-8")} for p in paths]
    source = tmp_path / "articles.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    job.run(str(source), str(tmp_path / "from-jsonl"), corpus=str(generated), client=client, articles_per_partition=70)
    parquet = tmp_path / "articles.parquet"
    pd.DataFrame.from_records(records).to_parquet(parquet)
    job.run(str(parquet), str(tmp_path / "from-parquet"), corpus=str(generated), client=client)
    expected = [marginalia.Corpus(generated).analyze_articles(paths)]
    want_quotes = sorted(
        (f"articles/{Path(a.path).name}", q.start, q.end, q.text) for a in expected[0] for q in a.quotes
    )
    for out in ("from-jsonl", "from-parquet"):
        got = pd.read_parquet(tmp_path / out / "quotes")
        assert sorted(zip(got["article"], got["start"], got["end"], got["text"])) == want_quotes


def test_bad_input_is_reported_with_file_and_line(tmp_path, client):
    source = tmp_path / "bad.jsonl"
    source.write_text('{"id": "a", "text": "ok"}\n{"id": "b", "text": \n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.jsonl:2:"):
        job.run(str(source), str(tmp_path / "out"), client=client)
    (tmp_path / "nocol.jsonl").write_text('{"id": "a", "body": "x"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="no column 'text'"):
        job.run(str(tmp_path / "nocol.jsonl"), str(tmp_path / "out2"), client=client)
