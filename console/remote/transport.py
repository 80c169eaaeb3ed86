"""HTTP to the Cirro v2 API: a fresh token per request, JSON bodies, typed errors, retries.

What is retried, and why:
- the connection could not be opened (nothing was sent): always;
- 429: always, after ``Retry-After`` when the server gives one (it refused the request);
- 5xx, timeouts and connections dropped mid-request: only when the request is safe to repeat
  (reads, and writes that set a state). A create or an action sent twice could happen twice, so
  those raise :class:`OutcomeUnknown` instead of being repeated blindly.
- other 4xx: never; they become the typed errors of :mod:`console.backends.errors`.

Bounds, so that no server can hold a command or fill memory:
- one attempt, the whole answer included, ends after ``timeout`` seconds (httpx's timeouts are
  per read: a server dripping a byte a second would never trip them);
- an answer is read as a stream and refused past ``max_answer_bytes`` (16 MiB) once decoded,
  so a gzip bomb stops there;
- redirects are followed only to the same scheme, host and port, or between Cirro's own hosts
  (``CIRRO_HOSTS``, over https); the token goes nowhere else.

Neither the Authorization header nor the token ever reaches a log line or an error message.
"""

from __future__ import annotations

import asyncio
import email.utils
import functools
import json
import logging
import os
import random
import ssl
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import httpx

from console.backends.errors import (
    BackendError,
    ConnectionFailed,
    InvalidResponse,
    OutcomeUnknown,
    RateLimited,
    error_for_status,
)
from console.remote.auth import TokenSigner

log = logging.getLogger(__name__)

Params = Mapping[str, Any] | Sequence[tuple[str, Any]]
MAX_REDIRECTS = 5
# The largest answer read, after decompression; Cirro's biggest page (500 invitations) is ~1 MB.
MAX_ANSWER_BYTES = 16 * 1024 * 1024
# Cirro's API hosts (reference: base URLs old and new, staging): redirects among them over https
# keep the token, as api.cirro.io/v2 -> cirro.io/api/v2 needs.
CIRRO_HOSTS = frozenset({"cirro.io", "api.cirro.io", "staging.cirro.io", "api.staging.cirro.io"})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Errors raised before the request left this machine: repeating it cannot apply it twice.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Errors after the request may have reached the server.
_MAYBE_SENT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter; ``attempts`` counts the first try."""

    attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0
    # A Retry-After longer than this is not waited out: the caller gets RateLimited at once.
    max_retry_after: float = 60.0

    def backoff(self, retry: int, rand: float) -> float:
        """Delay before retry number ``retry`` (1-based): half fixed, half random ("equal jitter"),
        so that clients that failed together do not retry together."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** (retry - 1))
        return ceiling / 2 + ceiling / 2 * rand


def http_date(value: str | None) -> float | None:
    """An HTTP date as UNIX seconds; None when absent or unreadable."""
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value.strip()).timestamp()
    except (TypeError, ValueError, IndexError):
        return None


def retry_after_seconds(value: str | None, now: float) -> float | None:
    """``Retry-After`` as delay-seconds or an HTTP date; None when absent or unreadable."""
    if value and value.strip().isdigit():
        return float(value.strip())
    when = http_date(value)
    return None if when is None else max(0.0, when - now)


def _describe(exc: httpx.HTTPError) -> str:
    # httpx messages name the URL at most; headers never appear in them.
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if str(exc) else text


def _connect_failure(exc: httpx.HTTPError) -> str:
    """Why a connection could not be opened, in the system's words ("connection refused"), found
    under httpx's generic "All connection attempts failed"."""
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, OSError) and cause.errno is not None:
            if cause.errno > 0:
                return os.strerror(cause.errno).lower()
            return str(cause.strerror or cause).lower()  # name resolution (gaierror)
        cause = cause.__cause__ or cause.__context__
    return _describe(exc)


def _snippet(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "..."


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # Loading the CA bundle costs ~0.2 s: every client of the process shares one context.
    return httpx.create_ssl_context()


class _Retry(Exception):
    """One attempt failed in a way the policy may retry."""

    def __init__(self, reason: str, *, sent: bool, delay: float | None = None,
                 error: BackendError | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.sent = sent
        self.delay = delay
        self.error = error


class Transport:
    def __init__(
        self,
        base_url: str,
        signer: TokenSigner,
        *,
        timeout: float = 10.0,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rand: Callable[[], float] = random.random,
        client: httpx.AsyncClient | None = None,
        max_answer_bytes: int = MAX_ANSWER_BYTES,
    ) -> None:
        self.base_url = base_url.rstrip("/") + "/"
        self.timeout = timeout
        self.max_answer_bytes = max_answer_bytes
        self._signer = signer
        self._retry = retry or RetryPolicy()
        # Server time minus ours, from each answer's Date header: the console shows the server's
        # "now" (a served simulation's clock, or Cirro's, whatever our clock's skew). Synced
        # once anything answered, Date or not.
        self.clock_offset = 0.0
        self.clock_synced = False
        self._sleep = sleep
        self._rand = rand
        # Redirects are followed by hand: httpx drops the Authorization header on a cross-host
        # redirect, and Cirro's old host redirects to the new one; we re-sign for the new URL.
        self._client = client or httpx.AsyncClient(
            timeout=httpx.Timeout(timeout), follow_redirects=False, verify=_tls_context(),
            headers={"Accept": "application/json", "User-Agent": "cirro-console"},
        )

    async def close(self) -> None:
        await self._client.aclose()

    async def request(self, method: str, path: str, *, params: Params | None = None,
                      body: Mapping[str, Any] | None = None, repeatable: bool | None = None) -> Any:
        """Send one API call and return its decoded JSON.

        ``repeatable``: whether sending the request twice has the same effect as once. Defaults
        to True for GET and DELETE, False otherwise."""
        if repeatable is None:
            repeatable = method in ("GET", "DELETE")
        what = f"{method} {path}"
        last: _Retry | None = None
        for attempt in range(1, self._retry.attempts + 1):
            try:
                return await self._attempt(method, path, params, body, what)
            except _Retry as failure:
                last = failure
                if failure.sent and not repeatable:
                    raise OutcomeUnknown(
                        f"{what}: {failure.reason}; it may or may not have been applied, so it "
                        f"was not repeated automatically: check before trying again",
                        status=failure.error.status if failure.error else None,
                    ) from None
                if attempt == self._retry.attempts:
                    break
                delay = failure.delay if failure.delay is not None else self._retry.backoff(
                    attempt, self._rand())
                log.warning("%s: %s; retry %d of %d in %.2fs", what, failure.reason, attempt,
                            self._retry.attempts - 1, delay)
                await self._sleep(delay)
        assert last is not None
        # The reason first: it is what the operator needs, and what a cut line still shows.
        message = f"{what}: {last.reason} (gave up after {self._retry.attempts} attempts)"
        if last.error is not None:
            raise type(last.error)(message, status=last.error.status)
        raise ConnectionFailed(message, reason=last.reason)

    async def _attempt(self, method: str, path: str, params: Params | None,
                       body: Mapping[str, Any] | None, what: str) -> Any:
        url = urljoin(self.base_url, path.lstrip("/"))
        for _ in range(MAX_REDIRECTS + 1):
            started = time.monotonic()
            request = self._client.build_request(
                method, url, params=params, json=body,
                headers={"Authorization": f"Bearer {self._signer.token()}"},
            )
            try:
                async with asyncio.timeout(self.timeout):
                    response, content = await self._exchange(request, what)
            except TimeoutError:
                raise _Retry(f"no complete answer within {self.timeout:g} s", sent=True) from None
            except _NOT_SENT as exc:
                raise _Retry(f"cannot connect to {httpx.URL(url).netloc.decode()}: "
                             f"{_connect_failure(exc)}", sent=False) from None
            except _MAYBE_SENT as exc:
                raise _Retry(f"no answer ({_describe(exc)})", sent=True) from None
            except httpx.HTTPError as exc:
                raise ConnectionFailed(f"{what}: {_describe(exc)}") from None
            log.debug("%s -> %d (%.3fs)", what, response.status_code, time.monotonic() - started)
            server_now = http_date(response.headers.get("Date"))
            if server_now is not None:
                self.clock_offset = server_now - time.time()
            self.clock_synced = True
            if response.status_code not in _REDIRECTS:
                return self._decode(response, content, what)
            url, method, body = self._redirect(response, url, method, body, what)
            params = None  # the Location carries the whole target URL
        raise ConnectionFailed(f"{what}: more than {MAX_REDIRECTS} redirects")

    async def _exchange(self, request: httpx.Request, what: str) -> tuple[httpx.Response, bytes]:
        """Send ``request`` and read its decoded body, at most ``max_answer_bytes`` of it."""
        response = await self._client.send(request, stream=True)
        try:
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > self.max_answer_bytes:
                    raise InvalidResponse(
                        f"{what}: the answer is larger than {self.max_answer_bytes:,} bytes "
                        f"(decompressed); refused")
                chunks.append(chunk)
            return response, b"".join(chunks)
        finally:
            await response.aclose()

    def _redirect(self, response: httpx.Response, url: str, method: str,
                  body: Mapping[str, Any] | None, what: str
                  ) -> tuple[str, str, Mapping[str, Any] | None]:
        location = response.headers.get("Location")
        if not location:
            raise InvalidResponse(f"{what}: HTTP {response.status_code} without a Location")
        target = httpx.URL(url).join(location)
        source = httpx.URL(url)
        if not may_follow(source, target):
            raise ConnectionFailed(
                f"{what}: redirected to {_origin(target)}, which is not {_origin(source)} nor a "
                f"Cirro host; not sending credentials there (set base_url if the API moved)")
        if response.status_code in (301, 308):
            log.warning("%s: the API moved permanently to %s; update base_url", what, target)
        if response.status_code == 303:
            return str(target), "GET", None
        return str(target), method, body

    def _decode(self, response: httpx.Response, content: bytes, what: str) -> Any:
        status = response.status_code
        text = content.decode(response.encoding or "utf-8", errors="replace")
        try:
            data = json.loads(text) if text.strip() else None
        except json.JSONDecodeError as exc:
            data = exc
        if status == 429:
            wait = retry_after_seconds(response.headers.get("Retry-After"), time.time())
            error = RateLimited(f"{what}: rate limited by the server (HTTP 429)")
            if wait is not None and wait > self._retry.max_retry_after:
                raise RateLimited(f"{what}: rate limited; the server asks to wait {wait:.0f}s")
            raise _Retry("rate limited (HTTP 429)", sent=False, delay=wait, error=error)
        if status >= 500:
            detail = _error_message(data) or _snippet(text) or response.reason_phrase
            raise _Retry(f"server error {status}: {detail}", sent=True,
                         error=BackendError(f"{what}: server error {status}: {detail}",
                                            status=status))
        if isinstance(data, json.JSONDecodeError):
            raise InvalidResponse(
                f"{what}: HTTP {status} with a body that is not JSON ({data.msg} at line "
                f"{data.lineno} column {data.colno}): {_snippet(text)!r}")
        if status >= 400:
            message = _error_message(data) or f"HTTP {status} {response.reason_phrase}"
            raise error_for_status(status, message)
        return data


def _error_message(data: Any) -> str | None:
    if isinstance(data, dict) and isinstance(data.get("error"), str):
        return data["error"]
    return None


def may_follow(source: httpx.URL, target: httpx.URL) -> bool:
    """Whether a redirect from ``source`` may carry the token to ``target``: the same scheme,
    host and port, or from one Cirro host to another over https."""
    if (source.scheme, source.host, source.port) == (target.scheme, target.host, target.port):
        return True
    return (source.scheme == target.scheme == "https" and target.port in (None, 443)
            and source.host in CIRRO_HOSTS and target.host in CIRRO_HOSTS)


def _origin(url: httpx.URL) -> str:
    port = f":{url.port}" if url.port is not None else ""
    return f"{url.scheme}://{url.host}{port}"
