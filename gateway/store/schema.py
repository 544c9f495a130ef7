"""The gateway's schema: every module that declares gateway tables on :class:`gateway.store.base.Base`.

Importing this module registers them all on ``Base.metadata`` (what :meth:`gateway.store.db.Database.create_all`
creates). Adapters keep their tables on their own ``MetaData`` and create them at start-up; they are not listed here.
"""

from __future__ import annotations

from gateway.agents import tables as agent_tables
from gateway.hostmode import tables as host_mode_tables
from gateway.upstream import models as upstream_tables
from gateway.webhooks import models as webhook_tables

from . import models as identity_tables
from . import models_runtime as runtime_tables
from . import models_totp as totp_tables
from .base import Base

#: The modules whose tables make up the gateway's schema.
TABLE_MODULES = (
    identity_tables, runtime_tables, upstream_tables, agent_tables, webhook_tables, host_mode_tables, totp_tables,
)
metadata = Base.metadata
