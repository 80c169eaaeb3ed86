"""What a finished gig produces: results (paid per task) and time activities (paid time)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from console.base_model import Model
from .fields import Id

DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
# A workday's worth: Cirro asks Spaces not to report more than 8 hours a day.
MAX_DURATION_MS = 8 * 3600 * 1000


def _multiplier(value: str) -> str:
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"must be a decimal number as a string, not {value!r}") from None
    if not Decimal("0") <= number <= Decimal("9.9999"):
        raise ValueError(f"must be between 0.0000 and 9.9999, got {value}")
    return value


class CostCenterData(Model):
    model_config = ConfigDict(extra="allow")

    customer_id: str | None = None
    company: str | None = None
    legal_entity: str | None = None
    inhouse: str | None = None


class GigResult(Model):
    model_config = ConfigDict(extra="allow")

    id: Id
    object: Literal["gig_result"] = "gig_result"
    gig_task_id: Id
    user_id: Id
    title: str
    description: str | None = None
    quantity: int
    multiplier: str = "1.0"
    delivery_date: str | None = None
    cost_center_key: str | None = None
    cost_center_data: CostCenterData | None = None

    def payout(self, base_price: int) -> Decimal:
        """quantity x the task's base price x multiplier (minor units)."""
        return self.quantity * base_price * Decimal(self.multiplier)


class GigResultCreate(Model):
    """The body of ``POST /gig_results``: a cost center by key or by data."""

    model_config = ConfigDict(extra="forbid")

    gig_task_id: Id
    user_id: Id
    title: str = Field(min_length=1)
    description: str | None = None
    quantity: int = Field(ge=1)
    multiplier: str = "1.0"
    delivery_date: str | None = Field(default=None, pattern=DATE_PATTERN)
    currency: Literal["USD", "EUR"] | None = None
    cost_center_key: str | None = None
    cost_center_data: CostCenterData | None = None
    idempotency_key: str | None = None

    _check_multiplier = field_validator("multiplier")(_multiplier)

    @model_validator(mode="after")
    def _cost_center(self) -> GigResultCreate:
        if self.cost_center_key is None and self.cost_center_data is None:
            raise ValueError("cost_center_key or cost_center_data is required")
        return self


class GigTimeActivity(Model):
    model_config = ConfigDict(extra="allow")

    id: Id
    object: Literal["gig_time_activity"] = "gig_time_activity"
    gig_id: Id
    user_id: Id
    description: str | None = None
    duration_in_ms: int
    date: str


class GigTimeActivityCreate(Model):
    model_config = ConfigDict(extra="forbid")

    gig_id: Id
    user_id: Id
    date: str = Field(pattern=DATE_PATTERN)
    description: str | None = None
    duration_in_ms: int = Field(gt=0, le=MAX_DURATION_MS)
