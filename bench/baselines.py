"""The baselines the gateway is measured against, each a small aiohttp server in its own process.

- ``proxy --port P --upstream URL``: a minimal reverse proxy; every request is forwarded to ``URL`` with its
  method, path, query, headers and body, and the upstream's status, body and content type come back.
- ``static --port P --body FILE [--content-type CT]``: answers every GET with the bytes of ``FILE``.

Usage: ``python -m bench.baselines proxy|static …`` (bench/request_path.py starts them).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import aiohttp
from aiohttp import web

HOP_BY_HOP = {"host", "connection", "keep-alive", "transfer-encoding", "content-length"}
SESSION: web.AppKey[aiohttp.ClientSession] = web.AppKey("session")


def proxy_app(upstream: str) -> web.Application:
    """Forward everything to ``upstream`` over one keep-alive client session."""

    async def session(app: web.Application):
        async with aiohttp.ClientSession(upstream, connector=aiohttp.TCPConnector(limit=100)) as client:
            app[SESSION] = client
            yield

    async def forward(request: web.Request) -> web.Response:
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
        async with request.app[SESSION].request(request.method, request.rel_url, headers=headers,
                                                data=await request.read()) as answer:
            return web.Response(status=answer.status, body=await answer.read(),
                                content_type=answer.content_type)

    app = web.Application()
    app.cleanup_ctx.append(session)
    app.router.add_route("*", "/{tail:.*}", forward)
    return app


def static_app(body: bytes, content_type: str) -> web.Application:
    """Answer every GET with ``body``."""

    async def answer(_request: web.Request) -> web.Response:
        return web.Response(body=body, content_type=content_type)

    app = web.Application()
    app.router.add_get("/{tail:.*}", answer)
    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench.baselines", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="kind", required=True)
    proxy = sub.add_parser("proxy")
    proxy.add_argument("--upstream", required=True)
    static = sub.add_parser("static")
    static.add_argument("--body", type=Path, required=True)
    static.add_argument("--content-type", default="application/json")
    for p in (proxy, static):
        p.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    app = (proxy_app(args.upstream) if args.kind == "proxy"
           else static_app(args.body.read_bytes(), args.content_type))
    web.run_app(app, host="127.0.0.1", port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
