"""The site's JSON API contract, once for every django-ninja API and route.

``JsonAPI`` (a ``NinjaAPI``) answers every request under its mount with JSON, DEBUG on or
off: an unknown path 404, a wrong method 405 (with ``Allow``), a body over
``max_body_bytes`` 413 (chunked bodies included, read from the WSGI stream), a body that is
not ``application/json`` 415, an empty body where the operation takes one 400, a validation
error 422, an unexpected exception 500 (logged with its traceback). Every 4xx/5xx body is
``{"detail": ...}``: a list of ``{type, loc, msg}`` for 422, a string otherwise, and the
OpenAPI schema says so for every operation. Input schemas derive from ``StrictSchema`` (or
``StrictModel`` for plain pydantic): types are strict (no "102" → 102, no true → 1, no
"true"/1 → true) and every string, dict key included, must be storable in PostgreSQL text
(no NUL, no lone surrogate), else a 422 naming the field.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import re_path
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError, ValidationError
from pydantic import BaseModel, ConfigDict, field_validator

from prep.lib.text import unstorable_reason

logger = logging.getLogger("django.request")

BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _check_storable(value: Any) -> None:
    """Raise ValueError naming the first string PostgreSQL cannot store: the value itself, a
    dict's keys and string values, a list's strings (nested models check their own fields)."""
    if isinstance(value, str):
        strings = [("The text", value)]
    elif isinstance(value, dict):
        strings = [(f"The key {k!r}", k) for k in value if isinstance(k, str)]
        strings += [(f"The value of {k!r}", v) for k, v in value.items() if isinstance(v, str)]
    elif isinstance(value, list | tuple):
        strings = [(f"Item {i}", v) for i, v in enumerate(value) if isinstance(v, str)]
    else:
        return
    for where, text in strings:
        reason = unstorable_reason(text)
        if reason:
            raise ValueError(f"{where} contains {reason}, which cannot be stored.")


def _storable(cls, value: Any) -> Any:
    if isinstance(value, str | dict | list | tuple):
        _check_storable(value)
    return value


class StrictSchema(Schema):
    """Base of every API input schema: strict types, storable text."""

    model_config = ConfigDict(strict=True)
    _storable_text = field_validator("*", mode="before")(classmethod(_storable))


class StrictModel(BaseModel):
    """The same rules for plain pydantic models (cheaper per item than ninja's Schema)."""

    model_config = ConfigDict(strict=True)
    _storable_text = field_validator("*", mode="before")(classmethod(_storable))


class ErrorOut(Schema):
    detail: str


class ValidationItem(Schema):
    type: str
    loc: list[str | int]
    msg: str


class ValidationErrorOut(Schema):
    detail: list[ValidationItem]


def validation_item(*, loc: list, msg: str, type: str = "value_error") -> dict:
    return {"type": type, "loc": list(loc), "msg": msg}


STANDARD_ERRORS = {
    400: "The request is malformed: its body is empty or not JSON, or a header is invalid.",
    401: "No valid `Authorization: Bearer <token>` header.",
    403: "The token's scope does not allow this call (a read-only token writing).",
    404: "No such path, or no such object for this user.",
    405: "The path exists but not with this method (see `Allow`).",
    413: "The request body is larger than the limit (chunked bodies included).",
    415: "A request body must be `application/json`.",
    422: "The body, path or query does not satisfy the schema: a list of `{type, loc, msg}`.",
    429: "Too many requests: retry after `Retry-After` seconds.",
    500: "An unexpected server error (logged).",
}


class JsonAPI(NinjaAPI):
    """A NinjaAPI that keeps the JSON contract on every path, method and failure."""

    def __init__(self, *args, max_body_bytes: int = 1_000_000, **kwargs):
        self.max_body_bytes = max_body_bytes
        super().__init__(*args, **kwargs)
        self.add_exception_handler(Exception, self._server_error)
        self.add_exception_handler(Http404, self._not_found)
        self.add_exception_handler(HttpError, self._http_error)
        self.add_exception_handler(ValidationError, self._validation_error)
        self.add_exception_handler(RequestDataTooBig, self._too_large_error)

    # --- error answers ---------------------------------------------------------------
    def error(self, request, status: int, detail, **extra) -> HttpResponse:
        return JsonResponse({"detail": detail, **extra}, status=status)

    def _server_error(self, request, exc):
        logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=exc,
            extra={"status_code": 500, "request": request},
        )
        return self.error(request, 500, "Internal server error.")

    def _not_found(self, request, exc):
        return self.error(request, 404, "Not found.")

    def _http_error(self, request, exc: HttpError):
        return self.error(request, exc.status_code, str(exc))

    def _too_large_error(self, request, exc):
        return self.error(request, 413, self.too_large_detail)

    @property
    def too_large_detail(self) -> str:
        return f"The request body is larger than {self.max_body_bytes} bytes."

    def _validation_error(self, request, exc: ValidationError):
        items = [
            validation_item(
                loc=[p if isinstance(p, int) else str(p) for p in e.get("loc", ())],
                msg=str(e.get("msg", "")),
                type=str(e.get("type", "value_error")),
            )
            for e in exc.errors
        ]
        missing_body = [i for i in items if i["type"] == "missing" and i["loc"][:1] == ["body"]]
        if missing_body and len(missing_body[0]["loc"]) <= 2 and not request.body:
            return self.error(request, 400, "The request body is empty; send a JSON object.")
        return self.error(request, 422, items)

    # --- the edge: size, media type, method, unknown paths ------------------------------
    def _guard(self, request: HttpRequest) -> HttpResponse | None:
        meta = request.META
        length = meta.get("CONTENT_LENGTH") or ""
        chunked = "chunked" in meta.get("HTTP_TRANSFER_ENCODING", "").lower()
        if length.strip().isdigit() and int(length) > self.max_body_bytes:
            return self.error(request, 413, self.too_large_detail)
        if chunked and not length.strip():
            # Django reads CONTENT_LENGTH bytes, so a chunked body would vanish: read the
            # (server-decoded) stream ourselves, never more than the limit + 1.
            stream = meta.get("wsgi.input")
            data = b""
            while stream is not None and len(data) <= self.max_body_bytes:
                chunk = stream.read(min(65536, self.max_body_bytes + 1 - len(data)))
                if not chunk:
                    break
                data += chunk
            if len(data) > self.max_body_bytes:
                return self.error(request, 413, self.too_large_detail)
            request._body = data
        if request.method in BODY_METHODS and (length.strip() not in {"", "0"} or chunked):
            media = meta.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
            if media != "application/json" and not media.endswith("+json"):
                return self.error(request, 415, "The request body must be application/json.")
        return None

    def _wrap(self, view):
        def guarded(request, *args, **kwargs):
            try:
                refused = self._guard(request)
                if refused is not None:
                    return refused
                response = view(request, *args, **kwargs)
            except RequestDataTooBig:
                return self.error(request, 413, self.too_large_detail)
            except Http404:  # ninja's own root view raises it
                return self._not_found(request, None)
            except Exception as exc:  # the contract holds even for a bug outside an operation
                return self._server_error(request, exc)
            if response.status_code == 405 and "json" not in response.get("Content-Type", ""):
                allow = response.get("Allow", "")
                response = self.error(
                    request, 405, f"Method {request.method} is not allowed here; use {allow}."
                )
                response["Allow"] = allow
            self.decorate(request, response)
            return response

        guarded.csrf_exempt = True
        return guarded

    def decorate(self, request: HttpRequest, response: HttpResponse) -> None:
        """Headers every answer carries (a subclass or the throttle may add some)."""
        for name, value in getattr(request, "api_headers", {}).items():
            response[name] = value

    def _unknown_path(self, request, *args, **kwargs):
        return self.error(request, 404, "No such API path.")

    def _get_urls(self):
        patterns = super()._get_urls()
        for pattern in patterns:
            pattern.callback = self._wrap(pattern.callback)
        patterns.append(re_path(r"^.*$", self._wrap(self._unknown_path)))
        return patterns

    # --- the schema says all of it ------------------------------------------------------
    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["ErrorOut"] = ErrorOut.json_schema()
        item = ValidationItem.json_schema()
        components["ValidationItem"] = item
        components["ValidationErrorOut"] = {
            "title": "ValidationErrorOut",
            "type": "object",
            "properties": {
                "detail": {
                    "title": "Detail",
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/ValidationItem"},
                }
            },
            "required": ["detail"],
        }
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                responses = operation.setdefault("responses", {})
                for status, description in STANDARD_ERRORS.items():
                    ref = "ValidationErrorOut" if status == 422 else "ErrorOut"
                    responses.pop(str(status), None)
                    responses[status] = {
                        "description": description,
                        "content": {
                            "application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}
                        },
                    }
        return schema
