"""Check kinds: one module per kind. `KINDS` maps a kind name to its module.

Adding a kind: write the module (docstring, `Params`, `run`), add it here, add pass and
fail tests under tests/engine/kinds/. `CheckDef` is the discriminated union of every
kind's `Params`, so rule files are validated and their JSON Schema exported from it.
"""

from __future__ import annotations

from typing import Annotated, Union

from pydantic import Field

from . import (
    annual_report,
    blank_columns,
    broken_links,
    documents_match,
    exists,
    footer_has,
    items_match,
    linked_interpretation,
    not_blank,
    personal_data,
    required_publications,
    search_works,
    stale_columns,
    text_matches,
    timeliness,
    updated_within,
)

KINDS = {
    "exists": exists,
    "not_blank": not_blank,
    "updated_within": updated_within,
    "text_matches": text_matches,
    "documents_match": documents_match,
    "items_match": items_match,
    "footer_has": footer_has,
    "broken_links": broken_links,
    "blank_columns": blank_columns,
    "stale_columns": stale_columns,
    "annual_report": annual_report,
    "linked_interpretation": linked_interpretation,
    "timeliness": timeliness,
    "required_publications": required_publications,
    "personal_data": personal_data,
    "search_works": search_works,
}

CheckDef = Annotated[Union[tuple(m.Params for m in KINDS.values())], Field(discriminator="kind")]  # noqa: UP007
