"""Run the named steps over a Document, checking what each returns."""

from __future__ import annotations

from collections.abc import Sequence

from .errors import PipelineError
from .model import Document
from .plugins import DEFAULT_STEPS, load_step

__all__ = ["Pipeline"]


class Pipeline:
    """Document -> step -> Document -> step ...; a step that breaks the contract is named in the error."""

    def __init__(self, steps: Sequence[str] = DEFAULT_STEPS) -> None:
        self.names = tuple(steps)
        self.steps = [(name, load_step(name)) for name in self.names]

    def __call__(self, doc: Document) -> Document:
        for name, step in self.steps:
            out = step(doc)
            if not isinstance(out, Document):
                raise PipelineError(f"step {name!r} returned {type(out).__name__}, not a Document")
            if out.text != doc.text or out.id != doc.id:
                raise PipelineError(f"step {name!r} changed the document's text or id; steps may only add")
            for ent in out.entities:
                for span in ent.spans:
                    if span.end > len(out.text):
                        raise PipelineError(f"step {name!r} made a span {span} outside the text")
            doc = out
        return doc
