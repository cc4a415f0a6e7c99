"""Request bodies are capped before anything is read or spooled: 413 with a clear message.

The requests go through the whole WSGI handler (every middleware, as gunicorn calls it), with a
body that is a generator: it counts what is read from it, and writing a temporary file fails.
"""

from __future__ import annotations

import inspect
import io
import sys

import pytest
from django.core.files import uploadedfile
from django.core.handlers.wsgi import WSGIHandler
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from common.limits import is_upload_view

GB = 1024**3


class EndlessBody(io.RawIOBase):
    """A body of `size` bytes (endless by default) made up as it is read, never held whole."""

    def __init__(self, size: int | None = None):
        self.size, self.read_bytes = size, 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            n = 64 * 1024
        if self.size is not None:
            n = min(n, self.size - self.read_bytes)
        self.read_bytes += n
        return b"a" * n

    def readline(self, n: int = -1) -> bytes:
        return self.read(n if n and n > 0 else 1024)


@pytest.fixture
def no_disk(monkeypatch, tmp_path):
    """Any temporary upload file is an error: the body must not reach the disk."""

    def refuse(*args, **kwargs):
        raise AssertionError("a request body was spooled to disk")

    monkeypatch.setattr(uploadedfile.TemporaryUploadedFile, "__init__", refuse)
    monkeypatch.setattr("tempfile.NamedTemporaryFile", refuse)
    monkeypatch.setattr("tempfile.SpooledTemporaryFile", refuse)


def call(path: str, body: EndlessBody, *, length: int | None, content_type: str = "application/x-www-form-urlencoded"):
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": body,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "CONTENT_TYPE": content_type,
        "HTTP_COOKIE": "csrftoken=" + "a" * 32,
    }
    if length is None:
        environ["HTTP_TRANSFER_ENCODING"] = "chunked"
        environ["wsgi.input_terminated"] = True
    else:
        environ["CONTENT_LENGTH"] = str(length)
    status: list[str] = []
    content = b"".join(WSGIHandler()(environ, lambda s, headers, exc_info=None: status.append(s)))
    return int(status[0].split()[0]), content.decode()


@pytest.mark.django_db
class TestBodyLimit:
    def test_a_1_gb_body_is_refused_unread(self, no_disk):
        body = EndlessBody(GB)
        status, content = call("/public/", body, length=GB)
        assert status == 413
        assert "请求内容过大" in content and "2.0\xa0MB" in content
        assert body.read_bytes == 0

    def test_a_chunked_body_is_counted_and_refused_past_the_limit(self, no_disk, settings):
        body = EndlessBody()
        status, content = call("/public/", body, length=None)
        assert status == 413
        assert "请求内容过大" in content
        assert body.read_bytes <= settings.MAX_REQUEST_BYTES + 64 * 1024

    def test_a_multipart_chunked_body_is_refused_before_a_file_is_written(self, no_disk, settings):
        body = EndlessBody()
        status, _content = call(
            reverse("kindergartens:kindergarten_import"),
            body,
            length=None,
            content_type="multipart/form-data; boundary=x",
        )
        # Django's multipart parser reads nothing without a Content-Length: the CSRF check answers.
        assert status in (403, 413)
        assert body.read_bytes <= settings.MAX_UPLOAD_REQUEST_BYTES + 64 * 1024

    def test_uploads_get_the_upload_limit_and_nothing_more(self, settings):
        settings.MAX_REQUEST_BYTES, settings.MAX_UPLOAD_REQUEST_BYTES = 1000, 5000
        url = reverse("kindergartens:kindergarten_import")
        assert call(url, EndlessBody(3000), length=3000)[0] != 413  # past the small limit: fine here
        assert call("/public/", EndlessBody(3000), length=3000)[0] == 413
        assert call(url, EndlessBody(6000), length=6000)[0] == 413

    def test_a_body_within_the_limit_is_served_as_before(self, settings):
        status, _content = call("/public/", EndlessBody(100), length=100)
        assert status == 403  # the CSRF check, as without the cap


def _views():
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern.callback

    return list(walk(get_resolver().url_patterns))


def takes_files(callback) -> bool:
    """Whether a view reads uploaded files: its form or serializer has a file field, or its code
    reads request.FILES or accepts multipart bodies."""
    from django import forms
    from rest_framework import serializers

    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view is None or view.__module__.startswith(("django.", "rest_framework", "drf_spectacular")):
        return False
    form_class = getattr(view, "form_class", None)
    if form_class is not None and issubclass(form_class, forms.BaseForm):
        if any(isinstance(f, forms.FileField) for f in form_class.base_fields.values()):
            return True
    source = ""
    for cls in view.__mro__:
        if cls.__module__.split(".")[0] in {"django", "rest_framework", "builtins", "django_filters", "django_tables2"}:
            continue
        try:
            source += inspect.getsource(cls)
        except (OSError, TypeError):
            pass
    if "request.FILES" in source or "MultiPartParser" in source or "FileUploadParser" in source:
        return True
    serializer_class = getattr(view, "serializer_class", None)
    if serializer_class is not None and issubclass(serializer_class, serializers.Serializer):
        fields = serializer_class().fields.values()
        return any(isinstance(f, serializers.FileField) and not f.read_only for f in fields)
    return False


def test_every_view_that_takes_files_is_marked_for_the_upload_limit():
    unmarked = sorted({route for route, callback in _views() if takes_files(callback) and not is_upload_view(callback)})
    assert unmarked == []


def test_only_upload_views_are_marked():
    marked = {route for route, callback in _views() if is_upload_view(callback)}
    assert "kindergartens/import/" in marked
    assert not any(route.startswith(("public/", "accounts/")) for route in marked)


def test_the_proxy_and_the_readme_set_the_same_limit():
    import re
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    nginx = (root / "deploy" / "nginx.conf").read_text()
    megabytes = int(re.search(r"client_max_body_size (\d+)m;", nginx).group(1))
    assert megabytes * 1024 * 1024 == settings.MAX_UPLOAD_REQUEST_BYTES
    assert "deploy/nginx.conf:/etc/nginx/conf.d/default.conf" in (root / "docker-compose.yml").read_text()
    readme = (root / "README.md").read_text()
    assert f"client_max_body_size {megabytes}m;" in readme
    assert f"`{settings.MAX_UPLOAD_REQUEST_BYTES}`" in readme and f"`{settings.MAX_REQUEST_BYTES}`" in readme
