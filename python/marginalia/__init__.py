"""marginalia: quotations, speakers and knowledge-base mentions in news articles.

The analysis is marginalia's Rust core (the one behind ``marginalia analyze`` and the
language server); this package only converts. Every offset is a Unicode code point, so
``text[q.start:q.end] == q.text`` holds for every span, astral-plane characters included.

>>> import marginalia
>>> a = marginalia.analyze('“We will not back down,” Lavrov said.')
>>> [(q.kind, q.speaker.text) for q in a.quotes]
[('direct', 'Lavrov')]

No thread pool is started behind your back: ``analyze_batch`` runs in the calling
thread with the GIL released unless ``threads=N`` asks for N threads for that call.
Parallelism across processes and machines comes from the engine that runs you (see
``marginalia.distributed`` for a Dask job).
"""

from ._marginalia import (
    Analysis,
    Annotation,
    AnnotationError,
    ArticleError,
    Corpus,
    CorpusError,
    Diagnostic,
    Export,
    KnowledgeBase,
    MarginaliaError,
    Mention,
    Quote,
    Span,
    Speaker,
    __version__,
    analyze,
    analyze_batch,
)

__all__ = [
    "Analysis",
    "Annotation",
    "AnnotationError",
    "ArticleError",
    "Corpus",
    "CorpusError",
    "Diagnostic",
    "Export",
    "KnowledgeBase",
    "MarginaliaError",
    "Mention",
    "Quote",
    "Span",
    "Speaker",
    "__version__",
    "analyze",
    "analyze_batch",
]
