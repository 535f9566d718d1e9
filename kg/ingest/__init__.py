"""Ingestion: files in, cleaned Documents (text, sections, metadata) out."""

from .clean import clean_article
from .readers import RawArticle, Skipped, expand_paths, read_articles

__all__ = ["RawArticle", "Skipped", "clean_article", "expand_paths", "read_articles"]
