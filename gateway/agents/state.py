"""The agents' process-wide state (one store and one job queue per app)."""

from __future__ import annotations

from dataclasses import dataclass

from .jobs import JobQueue
from .store import AgentStore


@dataclass
class AgentState:
    store: AgentStore
    jobs: JobQueue

