"""Type stubs for the native module (python/src/lib.rs). Offsets are code points."""

import datetime
import pathlib
import os
from typing import Any, Dict, Iterable, List, Literal, Mapping, Optional, Sequence, Tuple, Union

_Path = Union[str, "os.PathLike[str]"]
_Date = Union[str, datetime.date, None]
_Status = Literal["suggested", "accepted", "rejected"]

__version__: str

class MarginaliaError(Exception):
    """Any error marginalia reports; the attributes say where, when known."""

    path: Optional[str]
    line: Optional[int]
    column: Optional[int]
    offset: Optional[int]

class CorpusError(MarginaliaError):
    """No corpus found, or errors in marginalia.toml or the knowledge base."""

    diagnostics: List["Diagnostic"]

class ArticleError(MarginaliaError):
    """An article cannot be read: missing, unreadable, or not UTF-8 (offset: the byte)."""

class AnnotationError(MarginaliaError):
    """An annotation was refused, or a sidecar is malformed and will not be rewritten."""

class Span:
    start: int
    end: int
    text: str

class Mention:
    start: int
    end: int
    text: str
    id: str
    kind: Literal["person", "organization", "place", "agreement"]
    roles: List[str]

class Speaker:
    start: int
    end: int
    text: str
    entity: Optional[str]
    roles: List[str]

class Quote:
    start: int
    end: int
    text: str
    kind: Literal["direct", "partial", "scare"]
    utterance: int
    unclosed: bool
    speaker: Optional[Speaker]
    cue: Optional[Span]
    via: Optional[str]
    ambiguous: bool
    @property
    def entity(self) -> Optional[str]: ...

class Diagnostic:
    path: Optional[str]
    start: int
    end: int
    line: int
    column: int
    severity: Literal["error", "warning", "information", "hint"]
    code: str
    message: str

class Analysis:
    path: Optional[str]
    date: Optional[str]
    entities: List[Mention]
    agreements: List[Mention]
    quotes: List[Quote]
    diagnostics: List[Diagnostic]
    @property
    def mentions(self) -> List[Mention]: ...
    def to_dict(self) -> Dict[str, Any]: ...

class KnowledgeBase:
    def __init__(self, path: _Path, strict: bool = True) -> None: ...
    @property
    def diagnostics(self) -> List[Diagnostic]: ...
    def __len__(self) -> int: ...
    def __contains__(self, id: str) -> bool: ...
    def ids(self) -> List[str]: ...
    def entry(self, id: str) -> Optional[Dict[str, Any]]: ...

class Annotation:
    id: str
    kind: Literal["entity", "quote"]
    label: str
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    entity: Optional[str]
    speaker: Optional[str]
    annotator: str
    created: str
    status: _Status

class Export:
    files: Dict[str, str]
    notes: Dict[str, int]
    def write(self, folder: _Path) -> List[pathlib.Path]: ...

class Corpus:
    def __init__(self, path: _Path, strict: bool = True) -> None: ...
    @property
    def root(self) -> pathlib.Path: ...
    @property
    def diagnostics(self) -> List[Diagnostic]: ...
    @property
    def labels(self) -> List[str]: ...
    @property
    def kb(self) -> KnowledgeBase: ...
    def articles(self) -> List[pathlib.Path]: ...
    def analyze(self, text: str, date: _Date = None) -> Analysis: ...
    def analyze_batch(
        self, texts: Sequence[str], dates: Optional[Sequence[_Date]] = None, threads: Optional[int] = None
    ) -> List[Analysis]: ...
    def analyze_articles(self, articles: Optional[Sequence[_Path]] = None, threads: Optional[int] = None) -> List[Analysis]: ...
    def annotations(self, article: _Path) -> List[Annotation]: ...
    def annotate(
        self,
        article: _Path,
        start: int,
        end: int,
        label: str,
        *,
        entity: Optional[str] = None,
        speaker: Optional[str] = None,
        status: _Status = "accepted",
        annotator: Optional[str] = None,
    ) -> Annotation: ...
    def set_status(self, article: _Path, id: str, status: _Status, *, annotator: Optional[str] = None) -> int: ...
    def remove_annotation(self, article: _Path, id: str, *, annotator: Optional[str] = None) -> int: ...
    def apply_ops(self, article: _Path, ops: Iterable[Mapping[str, Any]], *, annotator: Optional[str] = None) -> int: ...
    def agreement(self, a: str, b: str, articles: Optional[Sequence[_Path]] = None) -> Dict[str, Any]: ...
    def export(
        self,
        format: Literal["brat", "conll", "jsonl", "spacy", "webanno", "w3c"],
        status: Literal["accepted", "all", "curated"] = "accepted",
        annotator: Optional[str] = None,
        articles: Optional[Sequence[_Path]] = None,
    ) -> Export: ...

def analyze(text: str, kb: Union[None, KnowledgeBase, Corpus, _Path] = None, date: _Date = None) -> Analysis: ...
def analyze_batch(
    texts: Sequence[str],
    kb: Union[None, KnowledgeBase, Corpus, _Path] = None,
    dates: Optional[Sequence[_Date]] = None,
    threads: Optional[int] = None,
) -> List[Analysis]: ...
def row_columns(names: Sequence[str], analyses: Sequence[Analysis]) -> Tuple[Dict[str, List[Any]], Dict[str, List[Any]]]: ...
