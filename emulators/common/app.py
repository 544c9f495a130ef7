"""The app factory every emulator uses: settings validated once, typed state, the emulator's routes, the hooks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from aiohttp import web
from aiohttp.typedefs import Middleware

from . import admin
from .config import BaseEmulatorConfig, OAuthClient
from .state import EmulatorState

C = TypeVar("C", bound=BaseEmulatorConfig)
S = TypeVar("S", bound=EmulatorState)


def create_app(config: C | dict[str, Any] | None, *, config_cls: type[C], build_state: Callable[[C], S],
               state_key: web.AppKey[S], middleware: Middleware,
               add_routes: Callable[[web.Application, S], None],
               client_model: type[OAuthClient] | None = None,
               client_max_size: int = 1024 ** 2) -> web.Application:
    """Build an emulator app (for aiohttp's test client or the emulator's ``main``).

    Args:
        config: a ``config_cls`` instance, or its fields as a dict; default settings when ``None``.
        config_cls: the emulator's settings model.
        build_state: makes the emulator's state from validated settings.
        state_key: the application key the state is stored under.
        middleware: the emulator's guard of its API paths (log, faults, authentication, limits).
        add_routes: adds the emulator's OAuth and API routes.
        client_model: enables ``PUT /_emulator/clients`` with this developer-app model (:mod:`.admin`).
        client_max_size: the largest request body in bytes (aiohttp's default 1 MiB unless the upstream takes more).

    Raises:
        ValueError: invalid settings; whatever ``build_state`` raises (a missing seed directory…).
    """
    if not isinstance(config, config_cls):
        config = config_cls.model_validate(config or {})
    state = build_state(config)
    app = web.Application(middlewares=[middleware], client_max_size=client_max_size)
    app[state_key] = state
    add_routes(app, state)
    admin.add_routes(app, state_key, client_model=client_model)
    return app
