"""The spaCy component on a blank English pipeline (no model needed)."""

import subprocess
import sys

import pytest

spacy = pytest.importorskip("spacy")

import marginalia  # noqa: E402
from conftest import BUNDLED  # noqa: E402

TEXT = "🗞️ “We will not back down,” Sergey Lavrov told reporters in Moscow. Peskov called it a “provocation.”"


def test_add_pipe_finds_the_component_through_its_entry_point():
    # A fresh interpreter that never imports marginalia itself.
    code = (
        "import spacy\n"
        "nlp = spacy.blank('en')\n"
        f"nlp.add_pipe('marginalia', config={{'corpus': {str(BUNDLED)!r}}})\n"
        f"doc = nlp({TEXT!r})\n"
        "print([(s.text, s.label_, s._.speaker.text) for s in doc.spans['quotes']][0])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "('“We will not back down,”', 'direct', 'Sergey Lavrov')"


def make_nlp(**config):
    import marginalia.spacy_component  # noqa: F401 - registers the factory on import

    nlp = spacy.blank("en")
    nlp.add_pipe("marginalia", config={"corpus": str(BUNDLED), **config})
    return nlp


def test_quotes_as_span_group_with_speaker_and_kind():
    doc = make_nlp()(TEXT)
    quotes = doc.spans["quotes"]
    analysis = marginalia.analyze(TEXT, kb=marginalia.Corpus(BUNDLED))
    assert [(s.start_char, s.end_char) for s in quotes] == [(q.start, q.end) for q in analysis.quotes]
    first = quotes[0]
    assert first.text == "“We will not back down,”"
    assert (first.label_, first._.kind, first.kb_id_, first._.speaker_id) == ("direct", "direct", "sergey-lavrov", "sergey-lavrov")
    assert first._.speaker.text == "Sergey Lavrov" and first._.cue.text == "told" and first._.via == "cue"
    assert doc._.marginalia.quotes[0].text == first.text


def test_kb_mentions_as_entities_with_kb_ids():
    doc = make_nlp()(TEXT)
    assert [(e.text, e.label_, e.kb_id_) for e in doc.ents] == [
        ("Sergey Lavrov", "PERSON", "sergey-lavrov"),
        ("Moscow", "PLACE", "moscow"),
        ("Peskov", "PERSON", "dmitry-peskov"),
    ]


def test_entities_of_another_component_are_kept_where_they_do_not_overlap():
    import marginalia.spacy_component  # noqa: F401

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "MISC", "pattern": "reporters"}, {"label": "MISC", "pattern": "Moscow"}])
    nlp.add_pipe("marginalia", config={"corpus": str(BUNDLED)})
    doc = nlp(TEXT)
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Sergey Lavrov", "PERSON"),
        ("reporters", "MISC"),
        ("Moscow", "PLACE"),
        ("Peskov", "PERSON"),
    ]


def test_pipe_equals_call_and_no_kb_works():
    nlp = make_nlp()
    texts = [TEXT, "Nothing quoted here.", "“Fine,” she said."] * 5
    piped = [[(s.start_char, s.end_char, s.label_) for s in d.spans["quotes"]] for d in nlp.pipe(texts, batch_size=4)]
    called = [[(s.start_char, s.end_char, s.label_) for s in nlp(t).spans["quotes"]] for t in texts]
    assert piped == called
    bare = spacy.blank("en")
    bare.add_pipe("marginalia")
    doc = bare(TEXT)
    assert doc.ents == () and doc.spans["quotes"][0]._.speaker.text == "Sergey Lavrov"


def test_component_config_errors():
    with pytest.raises(ValueError, match="not both"):
        make_nlp(kb=str(BUNDLED / "kb"))
    with pytest.raises(marginalia.CorpusError):
        spacy.blank("en").add_pipe("marginalia", config={"corpus": "/nonexistent/corpus"})
