"""The spaCy component: ``nlp.add_pipe("marginalia")``.

It sets ``doc.spans["quotes"]`` (one span per quotation part, marks included; its
``label_`` is the kind and its ``kb_id_`` the speaker's knowledge-base id) with the
span attributes ``span._.kind``, ``span._.speaker`` (the speaker's span),
``span._.speaker_id``, ``span._.cue`` and ``span._.via``; knowledge-base mentions
become ``doc.ents`` with ``kb_id_`` (labels PERSON, ORG, PLACE, AGREEMENT, as in
marginalia.toml). Entities another component set are kept where they do not
overlap marginalia's. ``doc._.marginalia`` holds the whole :class:`marginalia.Analysis`.

The factory is registered when this module is imported, and spaCy imports it by
itself through the ``spacy_factories`` entry point, so no import is needed::

    nlp = spacy.blank("en")
    nlp.add_pipe("marginalia", config={"corpus": "path/to/corpus"})
"""

from typing import Iterable, Iterator, List, Optional

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from . import Analysis, Corpus, KnowledgeBase, analyze_batch

#: marginalia's KB kinds as entity labels (the default label set of marginalia.toml).
LABELS = {"person": "PERSON", "organization": "ORG", "place": "PLACE", "agreement": "AGREEMENT"}

for _name in ("kind", "speaker", "speaker_id", "cue", "via"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)
if not Doc.has_extension("marginalia"):
    Doc.set_extension("marginalia", default=None)


class MarginaliaComponent:
    """Runs marginalia's analysis on each doc's text and writes it into the doc."""

    def __init__(self, nlp: Language, name: str, corpus: Optional[str], kb: Optional[str], quotes_key: str, ents: bool):
        self.name = name
        self.quotes_key = quotes_key
        self.ents = ents
        if corpus and kb:
            raise ValueError("marginalia: give `corpus` or `kb`, not both")
        self._kb = Corpus(corpus) if corpus else KnowledgeBase(kb) if kb else None

    def __call__(self, doc: Doc) -> Doc:
        return self._apply(doc, analyze_batch([doc.text], kb=self._kb)[0])

    def pipe(self, docs: Iterable[Doc], batch_size: int = 256) -> Iterator[Doc]:
        """Analyses docs in batches, with the GIL released during each batch."""
        batch: List[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._run(batch)
                batch = []
        if batch:
            yield from self._run(batch)

    def _run(self, batch: List[Doc]) -> Iterator[Doc]:
        analyses = analyze_batch([doc.text for doc in batch], kb=self._kb)
        for doc, analysis in zip(batch, analyses):
            yield self._apply(doc, analysis)

    def _apply(self, doc: Doc, analysis: Analysis) -> Doc:
        doc._.marginalia = analysis
        quotes = []
        for quote in analysis.quotes:
            # Quotation marks are tokens of their own in spaCy's tokenizers, so
            # "expand" only matters where a tokenizer glued a mark to a word.
            span = doc.char_span(quote.start, quote.end, label=quote.kind, alignment_mode="expand")
            if span is None:
                continue
            speaker = quote.speaker
            if speaker is not None and speaker.entity:
                span = Span(doc, span.start, span.end, label=quote.kind, kb_id=speaker.entity)
            span._.kind = quote.kind
            span._.speaker = doc.char_span(speaker.start, speaker.end, alignment_mode="expand") if speaker else None
            span._.speaker_id = speaker.entity if speaker else None
            span._.cue = doc.char_span(quote.cue.start, quote.cue.end, alignment_mode="expand") if quote.cue else None
            span._.via = quote.via
            quotes.append(span)
        doc.spans[self.quotes_key] = quotes
        if self.ents:
            ours = []
            for mention in analysis.mentions:
                span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
                if span is not None:
                    ours.append(Span(doc, span.start, span.end, label=LABELS[mention.kind], kb_id=mention.id))
            ours = filter_spans(ours)
            taken = {i for span in ours for i in range(span.start, span.end)}
            kept = [e for e in doc.ents if not any(i in taken for i in range(e.start, e.end))]
            doc.ents = sorted(ours + kept, key=lambda s: s.start)
        return doc


@Language.factory(
    "marginalia",
    default_config={"corpus": None, "kb": None, "quotes_key": "quotes", "ents": True},
    assigns=["doc.ents", "doc.spans", "doc._.marginalia"],
)
def make_marginalia(
    nlp: Language, name: str, corpus: Optional[str], kb: Optional[str], quotes_key: str, ents: bool
) -> MarginaliaComponent:
    """The factory behind ``nlp.add_pipe("marginalia", config={"corpus": ..., "kb": ...})``."""
    return MarginaliaComponent(nlp, name, corpus, kb, quotes_key, ents)
