"""The Python API on the bundled corpus: equal to the CLI, offsets in code points,
errors as exceptions with file and position, the GIL released, no threads of its own."""

import json
import multiprocessing
import os
import threading
import time
from pathlib import Path

import pytest

import marginalia
from cli_shape import as_cli, cli_report
from conftest import BUNDLED, run_cli

LAVROV = "“We will not back down,” Sergey Lavrov told reporters in Moscow."


def test_corpus_articles_equal_cli_analyze(corpus_dir):
    corpus = marginalia.Corpus(corpus_dir)
    ours = {Path(a.path).name: as_cli(a.to_dict()) for a in corpus.analyze_articles()}
    result = run_cli("analyze", corpus_dir, "--format", "json")
    assert result.returncode == 0, result.stderr
    theirs = {Path(r["path"]).name: cli_report(r) for r in map(json.loads, result.stdout.splitlines())}
    # Every article of the bundled corpus, each once.
    assert len(ours) == len(list((Path(corpus_dir) / "articles").glob("*.txt")))
    assert ours == theirs


def test_analyze_text_equals_the_articles_analysis(corpus_dir):
    corpus = marginalia.Corpus(corpus_dir)
    path = corpus.articles()[1]
    from_file = corpus.analyze_articles([path])[0].to_dict()
    from_text = corpus.analyze(Path(path).read_text(encoding="utf-8")).to_dict()
    assert from_file.pop("path") == str(path)
    assert from_text.pop("path") is None
    # Diagnostics carry the path for files only.
    for d in from_file["diagnostics"]:
        assert d.pop("path") == str(path)
    for d in from_text["diagnostics"]:
        assert d.pop("path") is None
    assert from_file == from_text
    assert from_text["quotes"], "the seed article has quotations"


def test_typed_quote_fields():
    corpus = marginalia.Corpus(BUNDLED)
    a = corpus.analyze(LAVROV)
    (q,) = a.quotes
    assert (q.kind, q.text, q.utterance, q.unclosed, q.ambiguous) == ("direct", "“We will not back down,”", 0, False, False)
    assert (q.speaker.text, q.speaker.entity, q.entity) == ("Sergey Lavrov", "sergey-lavrov", "sergey-lavrov")
    assert q.cue.text == "told"
    assert q.via == "cue"
    assert [(m.text, m.id, m.kind) for m in a.mentions] == [("Sergey Lavrov", "sergey-lavrov", "person"), ("Moscow", "moscow", "place")]
    assert "Quote(" in repr(q) and "Analysis(" in repr(a)


def assert_slices(text, analysis):
    """Every span the package hands out is `text[start:end]`."""
    spans = []
    for q in analysis.quotes:
        spans.append(q)
        spans += [s for s in (q.speaker, q.cue) if s is not None]
    spans += analysis.mentions
    assert spans
    for s in spans:
        assert text[s.start : s.end] == s.text, s
    for d in analysis.diagnostics:
        assert 0 <= d.start <= d.end <= len(text)


@pytest.mark.parametrize(
    "prefix",
    ["", "😀 ", "𝒜𝒷𝒸 — 🇺🇦 ", "é\u0301 \U0001F9D1\u200D\U0001F52C ", "\U00010348\U00010348\n\n"],
    ids=["ascii", "emoji", "math-and-flag", "combining-and-zwj", "gothic-paragraph"],
)
def test_offsets_are_code_points_as_python_slices(prefix):
    kb = marginalia.Corpus(BUNDLED)
    text = prefix + LAVROV + " Then “a ‘peace’ plan 🕊️,” said Peskov of the Minsk agreements."
    analysis = marginalia.analyze(text, kb=kb)
    assert_slices(text, analysis)
    (first, *_) = analysis.quotes
    assert first.start == len(prefix)
    assert text.index("Sergey") == first.speaker.start
    # The same offsets in a batch, on threads.
    for batch in (marginalia.analyze_batch([text] * 3, kb=kb), marginalia.analyze_batch([text] * 3, kb=kb, threads=2)):
        assert [b.to_dict() for b in batch] == [analysis.to_dict()] * 3


def test_offsets_on_every_seed_article_with_astral_characters(corpus_dir):
    corpus = marginalia.Corpus(corpus_dir)
    for path in corpus.articles():
        text = Path(path).read_text(encoding="utf-8").replace("Moscow", "Mos😀cow").replace(" said", " 🗣 said")
        assert_slices(text, corpus.analyze(text))


def test_module_analyze_takes_no_kb_a_kb_path_a_kb_or_a_corpus():
    plain = marginalia.analyze(LAVROV)
    assert plain.mentions == [] and plain.quotes[0].speaker.text == "Sergey Lavrov"
    assert plain.quotes[0].entity is None
    for kb in (BUNDLED / "kb", str(BUNDLED / "kb" / "entities.json"), marginalia.KnowledgeBase(BUNDLED / "kb"), marginalia.Corpus(BUNDLED)):
        assert marginalia.analyze(LAVROV, kb=kb).quotes[0].entity == "sergey-lavrov"
    with pytest.raises(TypeError):
        marginalia.analyze(LAVROV, kb=42)


def test_knowledge_base_object():
    kb = marginalia.KnowledgeBase(BUNDLED / "kb")
    assert "sergey-lavrov" in kb and "nobody" not in kb
    assert len(kb) == len(kb.ids()) > 20
    entry = kb.entry("sergey-lavrov")
    assert entry["name"] == "Sergey Lavrov" and entry["kind"] == "person"
    assert kb.entry("nobody") is None


def test_date_gives_roles_and_the_header_wins():
    import datetime

    corpus = marginalia.Corpus(BUNDLED)
    a = corpus.analyze(LAVROV, date="2003-05-01")
    assert a.date == "2003-05-01"
    assert a.quotes[0].speaker.roles == ["Permanent Representative of Russia to the United Nations"]
    b = corpus.analyze(LAVROV, date=datetime.date(2022, 1, 27))
    assert b.mentions[0].roles == ["Minister of Foreign Affairs of Russia"]
    assert corpus.analyze(LAVROV).quotes[0].speaker.roles == []
    headed = corpus.analyze("date 2003-05-01\n" + LAVROV, date="2022-01-27")
    assert headed.date == "2003-05-01"
    with pytest.raises(ValueError, match="not a YYYY-MM-DD date"):
        corpus.analyze(LAVROV, date="27/01/2022")
    with pytest.raises(ValueError, match="2 texts but 1 dates"):
        corpus.analyze_batch([LAVROV, LAVROV], dates=["2022-01-01"])


def test_batch_releases_the_gil():
    texts = [LAVROV * 40] * 400
    ticks = []
    done = threading.Event()

    def tick():
        while not done.is_set():
            ticks.append(1)
            time.sleep(0.001)

    ticker = threading.Thread(target=tick)
    ticker.start()
    time.sleep(0.05)
    before = len(ticks)
    start = time.perf_counter()
    marginalia.analyze_batch(texts)
    elapsed = time.perf_counter() - start
    during = len(ticks) - before
    done.set()
    ticker.join()
    assert elapsed > 0.05, "the batch must take long enough to measure"
    # Holding the GIL, the ticker would not run at all during the call.
    assert during >= elapsed / 0.001 / 10, (during, elapsed)


def os_threads():
    return len(os.listdir("/proc/self/task"))


def test_no_threads_of_its_own_unless_asked():
    before = os_threads()
    marginalia.analyze_batch([LAVROV] * 200)
    marginalia.Corpus(BUNDLED).analyze_articles()
    assert os_threads() == before
    # threads=N starts N scoped threads for the call, and they are gone after it.
    marginalia.analyze_batch([LAVROV] * 200, threads=2)
    assert os_threads() == before
    with pytest.raises(ValueError, match="at least 1"):
        marginalia.analyze_batch([LAVROV], threads=0)


def _child(queue):
    queue.put(marginalia.analyze(LAVROV).to_dict())


def test_works_in_a_forked_child_after_use_in_the_parent():
    parent = marginalia.analyze_batch([LAVROV] * 10, threads=2)[0].to_dict()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_child, args=(queue,))
    child.start()
    got = queue.get(timeout=60)
    child.join(timeout=60)
    assert child.exitcode == 0
    assert got == parent


# Errors ---------------------------------------------------------------------


def test_no_corpus_is_a_corpus_error(tmp_path):
    with pytest.raises(marginalia.CorpusError, match="not inside a corpus") as error:
        marginalia.Corpus(tmp_path)
    assert error.value.path == str(tmp_path)
    with pytest.raises(marginalia.CorpusError, match="no such file"):
        marginalia.Corpus(tmp_path / "missing")
    assert issubclass(marginalia.CorpusError, marginalia.MarginaliaError)


def test_broken_kb_raises_with_file_line_and_column(corpus_dir):
    kb = corpus_dir / "kb" / "entities.json"
    lines = kb.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(3, '    {"id": "broken", "kind": "person", "name": 12},\n')
    kb.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(marginalia.CorpusError) as error:
        marginalia.Corpus(corpus_dir)
    e = error.value
    assert e.path == str(kb)
    assert e.line == 4 and e.column > 1
    assert f"{kb}:4:" in str(e)
    assert any(d.severity == "error" and d.line == 4 for d in e.diagnostics)
    # strict=False loads what is good, and keeps the diagnostics.
    corpus = marginalia.Corpus(corpus_dir, strict=False)
    assert any(d.path == str(kb) and d.line == 4 for d in corpus.diagnostics)
    assert corpus.analyze(LAVROV).quotes[0].entity == "sergey-lavrov"
    with pytest.raises(marginalia.CorpusError):
        marginalia.KnowledgeBase(kb)


def test_broken_config_raises_with_its_line(corpus_dir):
    config = corpus_dir / "marginalia.toml"
    config.write_text("[corpus]\narticles = [\"articles\"\nkb = 3\n", encoding="utf-8")
    with pytest.raises(marginalia.CorpusError) as error:
        marginalia.Corpus(corpus_dir)
    assert error.value.path == str(config)
    assert error.value.line is not None


def test_non_utf8_article_names_file_and_byte(corpus_dir):
    article = corpus_dir / "articles" / "bad.txt"
    article.write_bytes(b"date 2022-01-01\nabc \xff def\n")
    corpus = marginalia.Corpus(corpus_dir)
    with pytest.raises(marginalia.ArticleError) as error:
        corpus.analyze_articles([article])
    assert error.value.path == str(article)
    assert error.value.offset == 20 and error.value.line == 2
    assert "not valid UTF-8" in str(error.value)
    with pytest.raises(marginalia.ArticleError, match="no such article"):
        corpus.annotations(corpus_dir / "articles" / "missing.txt")


def test_lone_surrogates_are_a_python_error_not_a_crash():
    with pytest.raises(UnicodeEncodeError) as error:
        marginalia.analyze("ab\ud800cd")
    assert error.value.start == 2
    assert marginalia.analyze("still alive").quotes == []


def test_hostile_texts_never_crash():
    texts = ["", "\n" * 1000, "“" * 5000, '"' * 4001, "date 2022-13-45\nx", "\x00\x01“\u2028”", "‘’" * 3000, "a" * 100_000]
    for analysis, text in zip(marginalia.analyze_batch(texts, kb=marginalia.Corpus(BUNDLED)), texts):
        assert_slices_or_empty(text, analysis)


def assert_slices_or_empty(text, analysis):
    for q in analysis.quotes:
        assert text[q.start : q.end] == q.text
    for d in analysis.diagnostics:
        assert 0 <= d.start <= d.end <= len(text)


# Annotations ------------------------------------------------------------------


def first_article(corpus):
    path = Path(corpus.articles()[1])
    return path, path.read_text(encoding="utf-8")


def test_annotations_round_trip_through_the_locked_store(corpus_dir):
    corpus = marginalia.Corpus(corpus_dir)
    path, text = first_article(corpus)
    assert corpus.annotations(path) == []
    start = text.index("Sergey Lavrov")
    made = corpus.annotate(path, start, start + len("Sergey Lavrov"), "PERSON", entity="sergey-lavrov", annotator="alice")
    assert (made.exact, made.annotator, made.status, made.kind) == ("Sergey Lavrov", "alice", "accepted", "entity")
    (stored,) = corpus.annotations(path)
    assert (stored.id, stored.start, stored.end, stored.entity) == (made.id, start, start + 13, "sergey-lavrov")
    # The sidecar is the server's format: one JSON object a line, code points.
    line = json.loads((path.parent / (path.stem + ".ann.jsonl")).read_text(encoding="utf-8"))
    assert line["id"] == made.id and line["start"] == start and line["exact"] == "Sergey Lavrov"
    # A relative path is taken from the corpus root; marginalia check accepts the sidecar.
    assert corpus.annotations(Path("articles") / path.name)[0].id == made.id
    result = run_cli("check", corpus_dir, "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    codes = [json.loads(line)["code"] for line in result.stdout.splitlines()]
    assert codes and not [c for c in codes if "annotation" in c or "sidecar" in c], codes
    # Status changes and removal, by the owner only.
    with pytest.raises(marginalia.AnnotationError, match="belongs to alice"):
        corpus.remove_annotation(path, made.id, annotator="bob")
    assert corpus.set_status(path, made.id, "rejected", annotator="alice") == 1
    assert corpus.annotations(path)[0].status == "rejected"
    assert corpus.remove_annotation(path, made.id, annotator="alice") == 0
    assert corpus.annotations(path) == []


def test_refused_annotations_write_nothing(corpus_dir):
    corpus = marginalia.Corpus(corpus_dir)
    path, text = first_article(corpus)
    start = text.index("Moscow")
    with pytest.raises(marginalia.AnnotationError, match="unknown label `CITY`") as error:
        corpus.annotate(path, start, start + 6, "CITY", annotator="alice")
    assert error.value.path.endswith(".ann.jsonl")
    with pytest.raises(marginalia.AnnotationError, match="not an id in the knowledge base"):
        corpus.annotate(path, start, start + 6, "PLACE", entity="atlantis", annotator="alice")
    with pytest.raises(marginalia.AnnotationError, match="outside the article"):
        corpus.annotate(path, 10, 10**7, "PLACE", annotator="alice")
    with pytest.raises(ValueError, match="status"):
        corpus.annotate(path, start, start + 6, "PLACE", status="maybe", annotator="alice")
    with pytest.raises(marginalia.AnnotationError, match="invalid annotation ops"):
        corpus.apply_ops(path, [{"op": "explode"}], annotator="alice")
    assert corpus.annotations(path) == []
    assert not (path.parent / (path.stem + ".ann.jsonl")).exists() or corpus.annotations(path) == []


def test_apply_ops_in_the_servers_form(corpus_dir):
    corpus = marginalia.Corpus(corpus_dir)
    path, text = first_article(corpus)
    start = text.index("Moscow")
    op = {
        "op": "add",
        "annotation": {
            "id": "py0000000001",
            "kind": "entity",
            "label": "PLACE",
            "start": start,
            "end": start + 6,
            "exact": "Moscow",
            "annotator": "alice",
            "created": "2026-12-03T16:00:00Z",
            "status": "accepted",
        },
    }
    assert corpus.apply_ops(path, [op], annotator="alice") == 1
    got = corpus.annotations(path)[0]
    assert got.id == "py0000000001" and got.prefix, "the context is filled in from the text"
    # The same op again changes nothing; a different record under its id is refused.
    assert corpus.apply_ops(path, [op], annotator="alice") == 1
    op["annotation"]["label"] = "ORG"
    with pytest.raises(marginalia.AnnotationError, match="already used"):
        corpus.apply_ops(path, [op], annotator="alice")


def test_concurrent_writers_lose_nothing(corpus_dir):
    corpus = marginalia.Corpus(corpus_dir)
    path, text = first_article(corpus)
    words = [(i, i + 4) for i in range(0, 400, 5) if text[i : i + 4].isalpha()][:24]
    errors = []

    def write(chunk, who):
        try:
            for s, e in chunk:
                corpus.annotate(path, s, e, "ORG", annotator=who)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(words[i::3], f"w{i}")) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(corpus.annotations(path)) == len(words)


def test_malformed_sidecar_is_an_error_with_its_line(corpus_dir):
    corpus = marginalia.Corpus(corpus_dir)
    path, text = first_article(corpus)
    start = text.index("Moscow")
    corpus.annotate(path, start, start + 6, "PLACE", annotator="alice")
    sidecar = path.parent / (path.stem + ".ann.jsonl")
    sidecar.write_text(sidecar.read_text(encoding="utf-8") + "{not json\n", encoding="utf-8")
    with pytest.raises(marginalia.AnnotationError) as error:
        corpus.annotations(path)
    assert error.value.path == str(sidecar) and error.value.line == 2
    with pytest.raises(marginalia.AnnotationError, match="line 2 is malformed"):
        corpus.annotate(path, start, start + 6, "ORG", annotator="alice")
    assert sidecar.read_text(encoding="utf-8").endswith("{not json\n"), "never rewritten"


def test_accepted_annotations_win_as_in_the_cli(corpus_dir):
    corpus = marginalia.Corpus(corpus_dir)
    path, text = first_article(corpus)
    start = text.index("Moscow, Russia")
    corpus.annotate(path, start, start + len("Moscow, Russia"), "PLACE", annotator="alice")
    ours = as_cli(corpus.analyze_articles([path])[0].to_dict())
    result = run_cli("analyze", path, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert ours == cli_report(json.loads(result.stdout))


# Agreement and export -----------------------------------------------------------


def annotate_two(corpus):
    path, text = first_article(corpus)
    for name, label in (("Sergey Lavrov", "PERSON"), ("Moscow", "PLACE"), ("NATO", "ORG")):
        s = text.index(name)
        corpus.annotate(path, s, s + len(name), label, annotator="alice")
        if name != "NATO":
            corpus.annotate(path, s, s + len(name), label if name != "Moscow" else "ORG", annotator="bob")
    return path


def test_agreement_equals_the_cli(corpus_dir):
    corpus = marginalia.Corpus(corpus_dir)
    annotate_two(corpus)
    ours = corpus.agreement("alice", "bob")
    result = run_cli("agreement", corpus_dir, "--annotators", "alice,bob", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert ours == json.loads(result.stdout)
    assert ours["documents_compared"] == 1 and ours["overall"]["spans"]["exact"] == 1
    with pytest.raises(ValueError, match="two different annotators"):
        corpus.agreement("alice", "alice")


@pytest.mark.parametrize("format", ["brat", "conll", "jsonl", "spacy", "webanno", "w3c"])
def test_export_equals_the_cli(corpus_dir, tmp_path, format):
    corpus = marginalia.Corpus(corpus_dir)
    annotate_two(corpus)
    export = corpus.export(format, status="all")
    out = tmp_path / "cli-export"
    result = run_cli("export", corpus_dir, "--format", format, "--status", "all", "--out", out)
    assert result.returncode == 0, result.stderr
    theirs = {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file()}
    assert export.files == theirs
    written = export.write(tmp_path / "py-export")
    assert len(written) == len(theirs)
    with pytest.raises(ValueError, match="format"):
        corpus.export("csv")
