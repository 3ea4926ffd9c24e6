"""Request bodies and response envelopes of the REST API."""

from __future__ import annotations

import datetime as dt
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

T = TypeVar("T")


class ArticleSubmission(BaseModel):
    """An article to extract: exactly one of ``text``, ``html`` or ``url``, plus optional metadata."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, description="plain article text (offsets in the extraction refer to it)")
    html: str | None = Field(None, description="a web page; the article text is extracted from it")
    url: str | None = Field(None, description="fetched by the server and reduced to the article")
    id: str | None = Field(None, max_length=200, description="your id for the article; derived if absent")
    title: str | None = Field(None, max_length=1000)
    published: dt.date | None = Field(None, description="publication date, YYYY-MM-DD")
    source: str | None = Field(None, max_length=200, description="publisher, e.g. 'Reuters'")

    @model_validator(mode="after")
    def _exactly_one_input(self) -> ArticleSubmission:
        given = [name for name in ("text", "html", "url") if getattr(self, name) not in (None, "")]
        if len(given) != 1:
            raise ValueError("give exactly one of 'text', 'html' or 'url'"
                             + (f" (got {', '.join(given)})" if given else ""))
        for name in given:
            if not str(getattr(self, name)).strip():
                raise ValueError(f"'{name}' is empty")
        return self

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and value and not value.startswith(("http://", "https://")):
            raise ValueError("url must start with http:// or https://")
        return value


class PageOut(BaseModel, Generic[T]):
    """Every list answer: the items of one page and the total across pages."""

    items: list[T]
    total: int
    limit: int
    offset: int


class AccessOut(BaseModel):
    """What the caller may do on this server with the key it sent (an invalid key is a 401 instead)."""

    private: bool = Field(description="reads need a key too")
    key: Literal["valid", "none"] = Field(description="whether a valid key was sent")
    read: bool
    write: bool


class ArticleOut(BaseModel):
    """One stored article: its metadata, its text (for offsets) and its full extraction."""

    id: str
    text: str | None = Field(None, description="article text the extraction offsets refer to, when stored")
    extraction: dict[str, Any] = Field(description="the newsgraph.extraction/1 document")


class ProblemOut(BaseModel):
    """An error (RFC 9457 problem details), served as application/problem+json."""

    type: str = Field(description="URI naming the kind of problem")
    title: str
    status: int
    detail: str = Field(description="what went wrong, in words")
    instance: str | None = Field(None, description="the request path")
    errors: list[dict[str, Any]] | None = Field(None, description="validation errors: location, message")
