"""kg: Korean news articles in, a knowledge graph of government-industry meetings and demands out.

    >>> from kg import build
    >>> report = build(["articles/"], "outputs")     # doctest: +SKIP
"""

from __future__ import annotations

__version__ = "0.1.0"

from .build import BuildReport, build, export_store, remove, sample_corpus, store_report
from .errors import ConfigError, ExportError, InputError, KgError, PipelineError, QueryError, ValidationError
from .ingest import clean_article, read_articles
from .model import ArticleMeta, Document, Entity, Evidence, Relation, Section, Sentence, Span, Token
from .pipeline import Pipeline
from .queries import named_queries, query_text
from .query import format_result, load_graph, open_source, run_query
from .results import Answer, Term
from .stats import graph_stats
from .validate import validate_graph

__all__ = [
    "Answer",
    "ArticleMeta",
    "BuildReport",
    "ConfigError",
    "Document",
    "Entity",
    "Evidence",
    "ExportError",
    "InputError",
    "KgError",
    "Pipeline",
    "PipelineError",
    "QueryError",
    "Relation",
    "Section",
    "Sentence",
    "Span",
    "Term",
    "Token",
    "ValidationError",
    "__version__",
    "build",
    "clean_article",
    "export_store",
    "format_result",
    "graph_stats",
    "load_graph",
    "named_queries",
    "open_source",
    "query_text",
    "read_articles",
    "remove",
    "run_query",
    "sample_corpus",
    "store_report",
    "validate_graph",
]
