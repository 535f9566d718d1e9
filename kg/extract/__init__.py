"""Extractors: each takes a Document and returns a new one with more entities and relations."""

from .demands import extract_demands
from .meetings import extract_meetings
from .orgs import extract_orgs
from .participation import extract_participation
from .people import extract_people
from .quotes import extract_quotes

__all__ = ["extract_demands", "extract_meetings", "extract_orgs", "extract_participation", "extract_people",
           "extract_quotes"]
