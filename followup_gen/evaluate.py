"""Apply every enabled rule to a CRM on a day: the follow-ups, stalled
opportunities, bridges and pipeline health, in a deterministic order.
"""

from __future__ import annotations

import datetime as dt

from .followup import Evaluation, Pipeline
from .model import CRM
from .settings import Settings


def evaluate(crm: CRM, today: dt.date, settings: Settings) -> Evaluation:
    """Everything the rules say about ``crm`` on ``today`` (to be completed by the rules issue)."""
    return Evaluation(
        today=today,
        followups=(),
        stalled=(),
        bridges=(),
        pipeline=Pipeline(0, settings.stalled.min_active_interviews),
    )
