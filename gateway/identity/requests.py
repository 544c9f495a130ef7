"""The boundary between aiohttp and Authlib's synchronous core.

A view reads the aiohttp request fully first (:func:`snapshot`: method, URL, headers, query, form body) into an
immutable :class:`RequestSnapshot`; Authlib then works on :class:`AiohttpOAuth2Request`, a thin
:class:`authlib.oauth2.rfc6749.OAuth2Request` over that snapshot, in a worker thread. This mirrors Authlib's own
Flask integration (``authlib.integrations.flask_oauth2.requests``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from aiohttp import web
from authlib.oauth2.rfc6749 import OAuth2Payload, OAuth2Request
from multidict import CIMultiDict, CIMultiDictProxy, MultiDict, MultiDictProxy

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


@dataclass(frozen=True)
class RequestSnapshot:
    """Everything Authlib may read from one HTTP request.

    Attributes:
        method: ``GET``/``POST``.
        uri: the URL as clients see it (``{public_url}{path_qs}``); Authlib refuses non-https URLs except on
            loopback hosts (RFC 6749 §10.9; ``AUTHLIB_INSECURE_TRANSPORT`` lifts that for development).
        headers: request headers.
        args: query parameters.
        form: ``application/x-www-form-urlencoded`` body parameters (empty for other bodies).
    """

    method: str
    uri: str
    headers: CIMultiDictProxy[str] = field(default_factory=lambda: CIMultiDictProxy(CIMultiDict()))
    args: MultiDictProxy[str] = field(default_factory=lambda: MultiDictProxy(MultiDict()))
    form: MultiDictProxy[str] = field(default_factory=lambda: MultiDictProxy(MultiDict()))


async def snapshot(request: web.Request, *, public_url: str) -> RequestSnapshot:
    """Read ``request`` completely (body included) into a :class:`RequestSnapshot`."""
    form: MultiDict[str] = MultiDict()
    if request.method == "POST" and request.content_type in _FORM_TYPES:
        posted = await request.post()
        for key, value in posted.items():
            if isinstance(value, str):
                form.add(key, value)
    return RequestSnapshot(
        method=request.method,
        uri=public_url + request.rel_url.path_qs,
        headers=CIMultiDictProxy(CIMultiDict(request.headers)),
        args=MultiDictProxy(MultiDict(request.query)),
        form=MultiDictProxy(form),
    )


class AiohttpOAuth2Payload(OAuth2Payload):
    """The parameters of a request: the form body of a POST, the query of a GET (RFC 6749 §3.1, §3.2)."""

    def __init__(self, params: MultiDictProxy[str]) -> None:
        self._params = params

    @property
    def data(self) -> MultiDictProxy[str]:
        return self._params

    @property
    def datalist(self) -> defaultdict[str, list]:
        values: defaultdict[str, list] = defaultdict(list)
        for key in set(self._params.keys()):
            values[key].extend(self._params.getall(key))
        return values


class AiohttpOAuth2Request(OAuth2Request):
    """Authlib's request object over a :class:`RequestSnapshot`.

    Raises:
        authlib.oauth2.rfc6749.InsecureTransportError: ``snapshot.uri`` is plain http on a non-loopback host.
    """

    def __init__(self, snap: RequestSnapshot) -> None:
        super().__init__(method=snap.method, uri=snap.uri, headers=snap.headers)
        self.snapshot = snap
        self.payload = AiohttpOAuth2Payload(snap.form if snap.method == "POST" else snap.args)

    @property
    def args(self) -> MultiDictProxy[str]:
        return self.snapshot.args

    @property
    def form(self) -> MultiDictProxy[str]:
        return self.snapshot.form
