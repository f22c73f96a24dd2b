"""Text fields free of control characters, for request bodies and query parameters.

C0/C1 controls break logs, CSV exports and terminals; NUL and lone surrogates cannot even
be stored in Postgres text (a 500 from the driver). `Line` (names, titles, codes, query
parameters) refuses every control character; `Text` (multi-line prose: subjects, reasons)
keeps tab, line feed and carriage return. A refusal is a 422 naming the field, with the code
`control_character`:

    class DealIn(BaseModel):
        title: Line = Field(min_length=1, max_length=200)

    async def list_deals(region: Line | None = Query(None, max_length=6)) -> ...
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, StrictStr
from pydantic_core import PydanticCustomError

CONTROL_MULTI_LINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
CONTROL_SINGLE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _refusing(control: re.Pattern[str]) -> AfterValidator:
    def check(value: str) -> str:
        if control.search(value):
            raise PydanticCustomError("control_character", "contains a control character")
        return value

    return AfterValidator(check)


Line = Annotated[StrictStr, _refusing(CONTROL_SINGLE_LINE)]
Text = Annotated[StrictStr, _refusing(CONTROL_MULTI_LINE)]
