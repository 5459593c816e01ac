"""The prediction service: a registered model behind a real HTTP API (FastAPI + uvicorn).

Endpoints
---------
``GET /health``     is it up, and which model version answers
``GET /model``      the model card of that version
``POST /predict``   one visit (a JSON object of its fields) or a batch
                    (``{"visits": [ ... ]}``, at most ``max_batch`` visits, 1000 by default)
``GET /docs``       the interactive OpenAPI page

Every answer to ``/predict`` names the model version, the decision threshold and, per
visit in the order sent, a ``request_id`` (keep it: labels are joined on it later), the
probability ``p_banana`` and the ``decision`` - "banana" when ``p_banana`` reaches the
threshold (the success contract's cost-based threshold if the model card has a contract,
else 0.5). Each served prediction is one row of the prediction log
(:mod:`course_utils.predlog`).

Bad input never reaches the model and is never logged. A request with any bad visit is
refused whole with a 4xx and a JSON body ``{"detail": ..., "errors": [{"field",
"message"}]}`` naming each problem: 415 for a body that is not declared JSON, 400 for one
that is not valid JSON, 413 for a batch (or body) that is too large, 422 for JSON that
breaks the rules (:mod:`course_utils.schema`). A failure inside the service is a 500 with
a one-line message, never a traceback.

Example
-------
>>> from course_utils import service                                   # doctest: +SKIP
>>> with service.start_in_background(registry) as srv:                 # doctest: +SKIP
...     r = httpx.post(srv.url + "/predict", json=visit)
...     r.json()["predictions"][0]["decision"]
'banana'
"""

from __future__ import annotations

import json
import logging
import math
import os
import socket
import threading
import time
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from .predlog import PredictionLog, now
from .registry import Registry, RegistryError
from .schema import human_errors

DEFAULT_MAX_BATCH = 1000
#: Room per visit when capping the size of a request body (a visit is about 250 bytes).
BYTES_PER_VISIT = 4096
logger = logging.getLogger(__name__)


class ServiceError(RuntimeError):
    """The service cannot start (no usable model, port taken, ...): the message says why."""


class Prediction(BaseModel):
    """One visit's answer."""

    request_id: str = Field(description="Unique id of this prediction (labels join on it).")
    p_banana: float = Field(ge=0, le=1, description="Probability that the customer buys a banana.")
    decision: str = Field(description='"banana" if p_banana >= threshold, else "apple".')


class PredictResponse(BaseModel):
    """The answer to ``POST /predict``: one prediction per visit, in the order sent."""

    model_config = ConfigDict(protected_namespaces=())  # "model_version" is our field

    model_version: str
    threshold: float
    predictions: list[Prediction]


class Problem(BaseModel):
    """One thing wrong with a request."""

    field: str = Field(description='Where: "age", "visits[3].store", "body", "Content-Type".')
    message: str = Field(description="What was expected and what was sent.")


class ErrorResponse(BaseModel):
    """Every 4xx/5xx answer of the service."""

    detail: str
    errors: list[Problem] = []


class _Refused(Exception):
    """A request refused with a 4xx (internal: turned into an ErrorResponse)."""

    def __init__(self, status: int, detail: str, errors: list[dict[str, str]]) -> None:
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, errors


def _refuse(status: int, field: str, message: str, detail: str | None = None) -> _Refused:
    return _Refused(status, detail or f"{field}: {message}", [{"field": field, "message": message}])


def _error(status: int, detail: str, errors: list[dict[str, str]] | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail, "errors": errors or []}, status_code=status)


# --------------------------------------------------------------------------- the app


def log_rows(
    visits: list[dict[str, Any]], proba: Any, *, version: str, threshold: float
) -> list[dict[str, Any]]:
    """The prediction-log rows for validated visits and their P(banana): one per visit.

    Each gets a fresh request id and the decision at ``threshold``; yes/no inputs are
    logged as 1/0, as the model saw them. Used by the service and by the batch replay of
    notebook 08, so both log exactly the same way.
    """
    at = now()
    rows = []
    for visit, p in zip(visits, proba, strict=True):
        p = float(p)
        if not math.isfinite(p) or not 0.0 <= p <= 1.0:
            raise ValueError(f"the model returned {p} as a probability")
        rows.append(
            {
                "request_id": uuid.uuid4().hex,
                "time": at,
                "model_version": version,
                "inputs": {k: int(v) if isinstance(v, bool) else v for k, v in visit.items()},
                "p_banana": p,
                "decision": "banana" if p >= threshold else "apple",
            }
        )
    return rows


def create_app(
    registry: Registry | str | os.PathLike | None = None,
    alias: str = "production",
    log_path: str | os.PathLike | None = None,
    max_batch: int = DEFAULT_MAX_BATCH,
) -> FastAPI:
    """The FastAPI app serving ``alias`` (or a version) of the registry.

    The model is loaded - and checked (sha256, trusted types) - here, once: a model that
    cannot be loaded stops the app from being created, with the registry's clear error.
    The prediction log (``log_path``, default ``work_dir()/"predictions.sqlite"``) is
    created here too.

    >>> app = create_app(Registry("work/registry"))                    # doctest: +SKIP
    >>> sorted(r.path for r in app.routes if r.path.startswith("/p"))  # doctest: +SKIP
    ['/predict']
    """
    if isinstance(max_batch, bool) or not isinstance(max_batch, int) or max_batch < 1:
        raise ValueError(f"max_batch must be a whole number of at least 1, got {max_batch!r}")
    reg = registry if isinstance(registry, Registry) else Registry(registry)
    pipeline, card = reg.load(alias)
    schema = card.schema
    log = PredictionLog(log_path)
    positive = [str(c) for c in card.classes].index("banana")
    threshold = float(card.threshold)
    Visit = schema.model()
    visits_adapter = TypeAdapter(list[Visit])  # type: ignore[valid-type]
    max_bytes = 65536 + BYTES_PER_VISIT * max_batch
    stats = {"served": 0, "rejected": 0, "errors": 0}
    stats_lock = threading.Lock()

    def count(key: str, n: int = 1) -> None:
        with stats_lock:
            stats[key] += n

    app = FastAPI(
        title="Apple or Banana? - fruit-stand prediction service",
        version=card.version,
        description=(
            f"Serves **{card.name} {card.version}** (alias `{alias}`): for each visit to a fruit "
            f"stand, the probability that the customer buys a banana, and the decision "
            f"(banana when `p_banana >= {threshold:.4g}`). Send one visit as a JSON object, or "
            f'a batch as `{{"visits": [...]}}` with at most {max_batch} visits. Every field '
            "is required; `null` means unknown where the model allows it; unknown fields "
            "are refused. A request with any bad visit is refused whole and nothing is logged. "
            "`temperature_c` is the store sensor's last reading before the visit, in °C - the "
            "same point-in-time value the model was trained on, never the day's mean."
        ),
    )
    app.state.card = card
    app.state.pipeline = pipeline
    app.state.schema = schema
    app.state.log = log
    app.state.stats = stats
    app.state.alias = alias
    app.state.max_batch = max_batch

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        response = _error(exc.status_code, str(exc.detail))
        response.headers.update(getattr(exc, "headers", None) or {})  # e.g. Allow on a 405
        return response

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:  # pragma: no cover
        count("errors")
        logger.error(
            "%s %s failed: %s: %s", request.method, request.url.path, type(exc).__name__, exc
        )
        return _error(500, f"the service failed ({type(exc).__name__}); nothing was logged")

    @app.get("/health", summary="Is the service up, and which model answers?")
    def health() -> dict[str, Any]:
        with stats_lock:
            counts = dict(stats)
        return {
            "status": "ok",
            "model": card.name,
            "model_version": card.version,
            "alias": alias,
            "served": counts["served"],
            "rejected": counts["rejected"],
        }

    @app.get("/model", summary="The model card of the version being served")
    def model_card() -> dict[str, Any]:
        return card.to_dict()

    visit_schema = schema.json_schema()
    batch_schema = {
        "title": "Batch",
        "type": "object",
        "properties": {
            "visits": {"type": "array", "items": visit_schema, "minItems": 1, "maxItems": max_batch}
        },
        "required": ["visits"],
        "additionalProperties": False,
    }
    example = schema.example()

    def work(values: list[dict[str, Any]]) -> dict[str, Any]:
        """Predict and log (in a worker thread): everything logged, or an error."""
        frame = schema.to_frame(values)
        proba = pipeline.predict_proba(frame)[:, positive]
        rows = log_rows(values, proba, version=card.version, threshold=threshold)
        answers = [
            {"request_id": r["request_id"], "p_banana": r["p_banana"], "decision": r["decision"]}
            for r in rows
        ]
        log.write(rows)
        return {"model_version": card.version, "threshold": threshold, "predictions": answers}

    def parse(body: bytes) -> list[dict[str, Any]]:
        """The validated visits of a request body, or :class:`_Refused`."""
        if not body.strip():
            raise _refuse(400, "body", "is empty; send a JSON object (one visit) or a batch")
        try:
            data = json.loads(body, parse_constant=_no_constant)
        except (ValueError, RecursionError) as exc:
            if isinstance(exc, json.JSONDecodeError):
                msg = exc.msg
            elif isinstance(exc, RecursionError):
                msg = "it is nested too deeply"
            elif "digits" in str(exc):
                msg = "a number has too many digits"
            else:
                msg = str(exc)
            where = f" (line {exc.lineno}, column {exc.colno})" if hasattr(exc, "lineno") else ""
            raise _refuse(400, "body", f"is not valid JSON: {msg}{where}") from None
        if not isinstance(data, dict):
            hint = (
                '; to send several visits, wrap them: {"visits": [...]}'
                if isinstance(data, list)
                else ""
            )
            raise _refuse(
                422,
                "body",
                f'expected a JSON object (one visit) or {{"visits": [...]}} (a batch), '
                f"got {_json_kind(data)}{hint}",
            )
        if "visits" not in data:
            try:
                return [Visit.model_validate(data).model_dump()]
            except ValidationError as exc:
                raise _invalid(human_errors(exc, schema)) from None
        extra = [k for k in data if k != "visits"]
        if extra:
            raise _invalid(
                [
                    {"field": k, "message": 'is not a field of a batch: send {"visits": [...]}'}
                    for k in extra
                ]
            )
        visits = data["visits"]
        if not isinstance(visits, list):
            raise _invalid(
                [
                    {
                        "field": "visits",
                        "message": f"expected a list of visits, got {_json_kind(visits)}",
                    }
                ]
            )
        if not visits:
            raise _invalid([{"field": "visits", "message": "is empty; send at least one visit"}])
        if len(visits) > max_batch:
            raise _refuse(
                413,
                "visits",
                f"holds {len(visits)} visits; a batch holds at most {max_batch} - split it",
            )
        try:
            return [v.model_dump() for v in visits_adapter.validate_python(visits)]
        except ValidationError as exc:
            raise _invalid(human_errors(exc, schema, prefix="visits")) from None

    @app.post(
        "/predict",
        summary="Predict apple or banana for one visit or a batch",
        response_model=PredictResponse,
        responses={
            400: {"model": ErrorResponse, "description": "The body is not valid JSON."},
            413: {"model": ErrorResponse, "description": f"More than {max_batch} visits."},
            415: {"model": ErrorResponse, "description": "The body is not declared JSON."},
            422: {"model": ErrorResponse, "description": "A visit breaks the input rules."},
            500: {"model": ErrorResponse, "description": "The service failed (not your input)."},
        },
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {"oneOf": [visit_schema, batch_schema]},
                        "examples": {
                            "one visit": {"value": example},
                            "a batch": {"value": {"visits": [example, example]}},
                        },
                    }
                },
            }
        },
    )
    async def predict(request: Request) -> JSONResponse:
        try:
            media = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if media != "application/json":
                raise _refuse(
                    415,
                    "Content-Type",
                    f"expected application/json, got {media or 'nothing'}",
                )
            declared = request.headers.get("content-length")
            if declared is not None and declared.isdigit() and int(declared) > max_bytes:
                raise _refuse(413, "body", f"is larger than {max_bytes} bytes")
            chunks, size = [], 0
            async for chunk in request.stream():
                size += len(chunk)
                if size > max_bytes:
                    raise _refuse(413, "body", f"is larger than {max_bytes} bytes")
                chunks.append(chunk)
            values = parse(b"".join(chunks))
        except _Refused as exc:
            count("rejected")
            return _error(exc.status, exc.detail, exc.errors)
        try:
            result = await run_in_threadpool(work, values)
        except Exception as exc:
            count("errors")
            logger.error("prediction failed: %s: %s", type(exc).__name__, exc)
            return _error(
                500,
                f"the service failed while predicting ({type(exc).__name__}: {str(exc)[:200]}); "
                "nothing was logged. This is not a problem with your input.",
            )
        count("served", len(values))
        return JSONResponse(result)

    return app


def _invalid(errors: list[dict[str, str]]) -> _Refused:
    n = len(errors)
    detail = (
        f"{n} problem{'s' if n != 1 else ''} in the request "
        f"(first: {errors[0]['field']} {errors[0]['message']}); nothing was predicted or logged"
    )
    return _Refused(422, detail, errors)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


# --------------------------------------------------------------------------- running it


def _bind(host: str, port: int) -> socket.socket:
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise ServiceError(f"the port must be a whole number from 0 to 65535, got {port!r}")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise ServiceError(f"cannot listen on {host!r}: unknown host ({exc.strerror})") from None
    family = infos[0][0]
    try:
        sock = socket.create_server((host, port), family=family, backlog=128)
    except OSError as exc:
        hint = "; choose another port (0 picks a free one)" if port else ""
        reason = str(exc.strerror or exc).split(" (while attempting")[0]
        raise ServiceError(f"cannot listen on {host}:{port}: {reason}{hint}") from None
    # Connections accepted from a socket we bound inherit its options: without TCP_NODELAY
    # every small response waits ~40 ms for the client's delayed acknowledgement.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def _url(host: str, port: int) -> str:
    shown = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


def _server(app: FastAPI, *, quiet: bool) -> Any:
    import uvicorn

    config = uvicorn.Config(
        app,
        log_config=None if quiet else uvicorn.config.LOGGING_CONFIG,
        log_level="warning" if quiet else "info",
        access_log=not quiet,
        timeout_graceful_shutdown=5,
    )
    return uvicorn.Server(config)


class ServiceHandle:
    """A service running in a background thread: ``.url``, ``.port``, ``.stop()``.

    Use it as a context manager to stop it at the end of the block.
    """

    def __init__(
        self,
        app: FastAPI,
        server: Any,
        thread: threading.Thread,
        sock: socket.socket,
        host: str,
        port: int,
    ) -> None:
        self.app, self._server, self._thread, self._sock = app, server, thread, sock
        self.host, self.port = host, port
        self.url = _url(host, port)

    @property
    def running(self) -> bool:
        """Is the server thread still serving?"""
        return self._thread.is_alive()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving and free the port (idempotent)."""
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout)
        if self._thread.is_alive():  # pragma: no cover - a request that never ends
            self._server.force_exit = True
            self._thread.join(timeout)
        self._sock.close()
        if not self._thread.is_alive():
            self.app.state.log.close()

    def __enter__(self) -> ServiceHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        card = self.app.state.card
        return f"<fruit-stand service {card.version} at {self.url} ({state})>"


def start_in_background(
    registry: Registry | str | os.PathLike | None = None,
    alias: str = "production",
    host: str = "127.0.0.1",
    port: int = 0,
    log_path: str | os.PathLike | None = None,
    *,
    max_batch: int = DEFAULT_MAX_BATCH,
    timeout: float = 15.0,
) -> ServiceHandle:
    """Start the service in a background thread; return once it accepts connections.

    ``port=0`` picks a free port (see ``handle.port``). A notebook cannot run uvicorn in
    its own event loop, so the server gets a thread (and an event loop) of its own.

    >>> with start_in_background(registry) as srv:                     # doctest: +SKIP
    ...     httpx.get(srv.url + "/health").json()["status"]
    'ok'
    """
    app = create_app(registry, alias=alias, log_path=log_path, max_batch=max_batch)
    sock = _bind(host, port)
    actual = sock.getsockname()[1]
    server = _server(app, quiet=True)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name=f"fruit-stand-{actual}", daemon=True
    )
    thread.start()
    handle = ServiceHandle(app, server, thread, sock, host, actual)
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            handle.stop()
            raise ServiceError(f"the service did not start on {handle.url} within {timeout:g} s")
        time.sleep(0.01)
    family, addr = sock.family, sock.getsockname()[:2]
    with socket.socket(family, socket.SOCK_STREAM) as probe:  # it really accepts connections
        probe.settimeout(timeout)
        probe.connect(addr)
    return handle


def serve(
    registry: Registry | str | os.PathLike | None = None,
    alias: str = "production",
    host: str = "127.0.0.1",
    port: int = 8000,
    log_path: str | os.PathLike | None = None,
    *,
    max_batch: int = DEFAULT_MAX_BATCH,
) -> None:
    """Run the service in the foreground until Ctrl+C (``python -m course_utils serve``)."""
    app = create_app(registry, alias=alias, log_path=log_path, max_batch=max_batch)
    sock = _bind(host, port)
    url = _url(host, sock.getsockname()[1])
    card = app.state.card
    print(
        f"Serving {card.name} {card.version} (alias {alias!r}) at {url} - "
        f"docs at {url}/docs, log in {app.state.log.path}. Press Ctrl+C to stop.",
        flush=True,
    )
    try:
        _server(app, quiet=False).run(sockets=[sock])
    finally:
        sock.close()
        app.state.log.close()


__all__ = [
    "DEFAULT_MAX_BATCH",
    "ErrorResponse",
    "PredictResponse",
    "RegistryError",
    "ServiceError",
    "ServiceHandle",
    "create_app",
    "serve",
    "start_in_background",
]
