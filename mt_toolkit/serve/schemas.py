"""The HTTP API's request bodies (pydantic), so /docs documents them and bad input is a 422/400.

Responses are the library's own records made JSON: `/api/trace` answers with exactly the
`trace --json` document (`mt_toolkit.report.json.to_dict`).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

MAX_LABEL = 80


class TraceText(BaseModel):
    """One text of a trace: give exactly one of ``text``, ``html`` or ``url``."""

    model_config = ConfigDict(extra="forbid")

    label: str = Field(min_length=1, max_length=MAX_LABEL, description="Short name shown in the report.")
    text: str | None = Field(None, description="The text (plain; pasted HTML is recognised and extracted).")
    html: str | None = Field(None, description="A saved page; its main text is extracted (trafilatura).")
    url: str | None = Field(None, description="A public http(s) page to fetch (when the server allows fetching).")
    lang: str | None = Field(None, description="Language code; omitted or 'auto': identified from the text.")
    translation: list[str] | str | None = Field(
        None, description="Its pivot-language translation, one line (item) per sentence.")
    presegmented: bool = Field(False, description="The text is one sentence per line: do not segment it.")

    @model_validator(mode="after")
    def _one_source(self) -> "TraceText":
        given = [name for name in ("text", "html", "url") if getattr(self, name)]
        if len(given) != 1:
            raise ValueError(f"{self.label}: give exactly one of text, html or url (got {', '.join(given) or 'none'})")
        return self


class ThresholdsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    not_found_chrf: float | None = Field(None, ge=0, le=100)
    faithful_chrf: float | None = Field(None, ge=0, le=100)
    min_clause_tokens: int | None = Field(None, ge=1, le=100)


class TraceRequest(BaseModel):
    """An article and its candidate originals (upstream first), as `mt-toolkit trace` takes them."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "article": {"label": "article", "lang": "en", "text": "The minister said trade reached 174.5 billion dollars."},
        "originals": [{"label": "Official-EN", "lang": "en", "text": "The minister said trade reached 147.5 billion dollars."}],
    }]})

    article: TraceText
    originals: list[TraceText] = Field(min_length=1, max_length=20)
    pivot: str = Field("en", description="The language every comparison is made in.")
    model: str | None = Field(None, description="A model the server offers (GET /api/models); default: the registry's route.")
    thresholds: ThresholdsIn | None = None
    save: bool = Field(True, description="Keep the trace in the server's history.")


class AlignRequest(BaseModel):
    """Two documents to align sentence by sentence (lists of sentences, or texts to segment)."""

    model_config = ConfigDict(extra="forbid")

    src: list[str] | str
    tgt: list[str] | str
    src_lang: str
    tgt_lang: str
    src_mt: list[str] | None = Field(None, description="SRC translated into TGT's language, line by line.")
    tgt_mt: list[str] | None = Field(None, description="TGT translated into SRC's language, line by line.")
    translate: bool = Field(True, description="Translate SRC with the server's models when no translation is given.")
    model: str | None = None


class ScoreRequest(BaseModel):
    """Hypotheses and references, line-parallel, scored with sacrebleu."""

    model_config = ConfigDict(extra="forbid")

    hypotheses: list[str] = Field(min_length=1)
    references: list[list[str]] | list[str] = Field(description="One reference stream, or several.")
    metrics: list[Literal["bleu", "chrf", "chrf++", "ter"]] = ["bleu", "chrf", "ter"]
    lang: str = "en"
    sentence_level: bool = Field(False, description="Also score every sentence.")


def plain(value: Any) -> Any:
    """A library record as JSON-ready data (enums by value)."""
    from mt_toolkit.report.json import _plain

    return _plain(value)
