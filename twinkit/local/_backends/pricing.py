"""The account's pricing plan: GetPricingPlan, UpdatePricingPlan.

Owns `EmulatorState.extra["pricing"]["plan"]`, a `PricingRecord` (absent until the first
update). Rules (our reading of the service's pricing documentation; where it says nothing, the
simplest choice):

* An account starts on BASIC (`updateReason` DEFAULT), effective from the start of the current
  billing month (UTC calendar month).
* Moving to a higher mode (BASIC < STANDARD < TIERED_BUNDLE) takes effect at once. Moving to a
  lower mode, or changing the bundles of TIERED_BUNDLE, becomes the `pendingPricingPlan`,
  effective at the start of the next billing month (when the clock gets there it is the current
  plan); a new pending plan replaces the previous one (`updateReason` OVERWRITTEN). Asking for
  the current plan drops a pending one.
* `bundleNames` is required with TIERED_BUNDLE and refused with the other modes.
* `billableEntityCount` is the number of entities in all workspaces.

Deliberate deviations: no `pricingTier` (the emulator does not know the tier thresholds) and
nothing is billed.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from twinkit import models
from twinkit.local._backends import handles
from twinkit.local._errors import validation
from twinkit.local._state import Context
from twinkit.models import PricingMode, UpdateReason

__all__ = ["PlanChoice", "PricingRecord", "current_pricing_mode"]

PRICING = "pricing"
_RANK = {PricingMode.BASIC: 0, PricingMode.STANDARD: 1, PricingMode.TIERED_BUNDLE: 2}


@attrs.frozen
class PlanChoice:
    """One pricing plan as chosen: the mode, its bundles, and since when."""

    mode: PricingMode
    bundle_names: tuple[str, ...] | None
    effective: datetime
    updated: datetime
    reason: UpdateReason


@attrs.frozen
class PricingRecord:
    """The plan in force and the one that will be, as last updated."""

    current: PlanChoice
    pending: PlanChoice | None = None

    def at(self, now: datetime) -> PricingRecord:
        """The plans as of `now`: a pending plan whose time has come is the current one."""
        if self.pending is not None and now >= self.pending.effective:
            return PricingRecord(current=self.pending)
        return self


def _month_start(now: datetime, months_later: int = 0) -> datetime:
    years, month = divmod(now.month - 1 + months_later, 12)
    return now.replace(
        year=now.year + years, month=month + 1, day=1, hour=0, minute=0, second=0, microsecond=0
    )


def _record(ctx: Context) -> PricingRecord:
    stored: PricingRecord | None = ctx.state.extra.get(PRICING, {}).get("plan")
    if stored is not None:
        return stored.at(ctx.now)
    start = _month_start(ctx.now)
    basic = PlanChoice(
        mode=PricingMode.BASIC,
        bundle_names=None,
        effective=start,
        updated=start,
        reason=UpdateReason.DEFAULT,
    )
    return PricingRecord(current=basic)


def current_pricing_mode(ctx: Context) -> PricingMode:
    """The pricing mode in force now (other backends' rules depend on it: ExecuteQuery)."""
    return _record(ctx).current.mode


def _plan(ctx: Context, choice: PlanChoice) -> models.PricingPlan:
    entities = sum(len(workspace) for workspace in ctx.state.entities.values())
    bundles = None
    if choice.bundle_names is not None:
        bundles = models.BundleInformation(bundle_names=list(choice.bundle_names))
    return models.PricingPlan(
        billable_entity_count=entities,
        bundle_information=bundles,
        effective_date_time=choice.effective,
        pricing_mode=choice.mode,
        update_date_time=choice.updated,
        update_reason=choice.reason,
    )


@handles("GetPricingPlan")
def get_pricing_plan(ctx: Context, request: None) -> models.GetPricingPlanResponse:
    """The current pricing plan, and the pending one if a change waits for the next month."""
    record = _record(ctx)
    return models.GetPricingPlanResponse(
        current_pricing_plan=_plan(ctx, record.current),
        pending_pricing_plan=None if record.pending is None else _plan(ctx, record.pending),
    )


def _requested(
    request: models.UpdatePricingPlanRequest,
) -> tuple[PricingMode, tuple[str, ...] | None]:
    if request.pricing_mode not in _RANK:
        raise validation(f"pricingMode: {request.pricing_mode} is not a pricing mode")
    mode = PricingMode(request.pricing_mode)
    bundles = None if request.bundle_names is None else tuple(request.bundle_names)
    if mode is PricingMode.TIERED_BUNDLE and not bundles:
        raise validation("bundleNames: is required with TIERED_BUNDLE")
    if mode is not PricingMode.TIERED_BUNDLE and bundles is not None:
        raise validation(f"bundleNames: only apply with TIERED_BUNDLE, not {mode}")
    return mode, bundles


def _updated(
    ctx: Context, record: PricingRecord, mode: PricingMode, bundles: tuple[str, ...] | None
) -> PricingRecord:
    current = record.current
    if (mode, bundles) == (current.mode, current.bundle_names):
        return PricingRecord(current=current)
    if _RANK[mode] > _RANK[current.mode]:
        now = ctx.now
        chosen = PlanChoice(mode, bundles, now, now, UpdateReason.PRICING_MODE_UPDATE)
        return PricingRecord(current=chosen)
    reason = UpdateReason.OVERWRITTEN if record.pending else UpdateReason.PRICING_MODE_UPDATE
    pending = PlanChoice(mode, bundles, _month_start(ctx.now, 1), ctx.now, reason)
    return PricingRecord(current=current, pending=pending)


@handles("UpdatePricingPlan")
def update_pricing_plan(
    ctx: Context, request: models.UpdatePricingPlanRequest
) -> models.UpdatePricingPlanResponse:
    """Change the pricing plan: at once to a higher mode, next month otherwise."""
    mode, bundles = _requested(request)
    record = _updated(ctx, _record(ctx), mode, bundles)
    box = ctx.state.extra.get(PRICING)
    if box is None:
        box = {}
        ctx.journal.put(ctx.state.extra, PRICING, box)
    ctx.journal.put(box, "plan", record)
    return models.UpdatePricingPlanResponse(
        current_pricing_plan=_plan(ctx, record.current),
        pending_pricing_plan=None if record.pending is None else _plan(ctx, record.pending),
    )
