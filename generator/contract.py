"""Facts of the wire contract (docs/contract.md) that more than one output spells out.

Defined once here so the OpenAPI document, `serve` and both clients cannot disagree.
"""

from __future__ import annotations

# BullMQ's job lifecycle states, as GET /api/jobs/{jobId} reports them.
JOB_STATES = (
    "waiting",
    "active",
    "completed",
    "failed",
    "delayed",
    "prioritized",
    "waiting-children",
    "unknown",
)
