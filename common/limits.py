"""A cap on request bodies, enforced before anything is read, parsed or spooled to disk.

`RequestBodyLimitMiddleware` comes first in `MIDDLEWARE`. It resolves the URL itself (cheap, no
view runs) to choose the limit: a view marked with `accepts_uploads = True` (an attribute of the
view class or function; `accepts_uploads(view)` sets it) gets `MAX_UPLOAD_REQUEST_BYTES`, every
other URL `MAX_REQUEST_BYTES`. A body announced larger than that (Content-Length) is answered
413 at once, unread. A body without a length (chunked) is counted as it is read: past the limit the
read fails, and whatever the view or Django made of the failure, the answer is the same 413.

The reverse proxy sets the same upload limit (`client_max_body_size`, see the README), so that a
large body does not even reach a worker.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

UPLOAD_MARK = "accepts_uploads"


def accepts_uploads(view: Any) -> Any:
    """Marks a view (function or class) as taking file uploads: it gets the upload limit."""
    setattr(view, UPLOAD_MARK, True)
    return view


def is_upload_view(func: Callable) -> bool:
    for candidate in (func, getattr(func, "view_class", None), getattr(func, "cls", None)):
        if candidate is not None and getattr(candidate, UPLOAD_MARK, False):
            return True
    return False


def body_limit(path_info: str) -> int:
    """The largest body accepted for a request to `path_info`."""
    try:
        match = resolve(path_info)
    except Resolver404:
        return settings.MAX_REQUEST_BYTES
    return settings.MAX_UPLOAD_REQUEST_BYTES if is_upload_view(match.func) else settings.MAX_REQUEST_BYTES


class BodyTooLarge(RequestDataTooBig):
    """Raised by the counting stream once a body without a length passes the limit."""


class CountingStream:
    """The request's input, failing once more than `limit` bytes have been read from it."""

    def __init__(self, stream: Any, limit: int, request: HttpRequest):
        self._stream, self._limit, self._request, self.count = stream, limit, request, 0

    def _counted(self, data: bytes) -> bytes:
        self.count += len(data)
        if self.count > self._limit:
            self._request.body_limit_exceeded = True
            raise BodyTooLarge(_("请求内容过大。"))
        return data

    def read(self, size: int = -1) -> bytes:
        # Never more than one byte past the limit at a time, even when asked for everything.
        room = self._limit - self.count + 1
        return self._counted(self._stream.read(room if size is None or size < 0 else min(size, room)))

    def readline(self, size: int = -1) -> bytes:
        room = self._limit - self.count + 1
        return self._counted(self._stream.readline(room if size is None or size < 0 else min(size, room)))

    def __iter__(self):
        while line := self.readline():
            yield line

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def too_large(limit: int) -> HttpResponse:
    message = _("请求内容过大：上限为 %(limit)s。上传文件请拆分后分批提交。") % {"limit": filesizeformat(limit)}
    response = HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
    response["Connection"] = "close"
    return response


class RequestBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = body_limit(request.path_info)
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            return too_large(limit)
        chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and request.META.get("wsgi.input_terminated"):
            # The server (gunicorn) decoded a chunked body and ends the stream itself: read it,
            # counted, instead of Django's zero-length view of a body without Content-Length.
            request._stream = CountingStream(request.META["wsgi.input"], limit, request)
        elif getattr(request, "_stream", None) is not None:
            # Django reads at most Content-Length bytes; counting is a second guard.
            request._stream = CountingStream(request._stream, limit, request)
        response = self.get_response(request)
        if getattr(request, "body_limit_exceeded", False):
            return too_large(limit)
        return response
