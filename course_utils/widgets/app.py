"""The fruit-stand app of notebook 07: a small form that asks the prediction service.

A shop assistant fills in a visit - store, hour, weekday, the customer's age, children at
home, loyalty card, the day's prices and promotion, the temperature - and presses
**Predict**. The app sends the visit to the service over HTTP (``POST /predict``), exactly
as any other client would, and shows the answer: the decision and the probability of
banana, as a sentence and as a simple bar with the decision threshold marked. When the
service refuses the request (an age of 230, a negative price), the app shows the
service's own message, field by field.

The app knows nothing about the model: it never loads it, and it does not check the
input itself - the service is the one gatekeeper. The logic is plain and tested:

* :func:`build_request` turns the form's fields into the JSON body of one visit;
* :func:`call_service` sends it and returns a :class:`Result` (never raises);
* :func:`describe` and :func:`bar_html` render a result as text and as a bar.

:class:`FruitStandApp` is thin wiring on them (ipywidgets 7.7 and 8). Changing a field
updates the preview of the request - no network; only the button calls the service.
That preview update is what ``make bench`` times (:data:`BENCH`): the HTTP call itself
has its own benchmark rows.

>>> payload = build_request({"store": "Station", "hour": 8, "weekday": "Tuesday", "age": "",
...                          "has_kids": "no", "loyalty_member": False, "price_apple": 0.5,
...                          "price_banana": 0.3, "promo": "none", "temperature_c": "9,5"})
>>> payload["weekday"], payload["age"], payload["has_kids"], payload["temperature_c"]
(1, None, False, 9.5)
>>> print(describe(Result(ok=True, status=200, decision="banana", p_banana=0.91,
...                       threshold=0.75, model_version="v1")))
Decision: BANANA - P(banana) = 0.91, at or above the threshold 0.75 (model v1).
  P(banana) 0 [###############|##--] 1   (| = threshold)
"""

from __future__ import annotations

import atexit
import html
import json
import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "BENCH",
    "DEFAULT_FIELDS",
    "FIELD_NAMES",
    "WEEKDAYS",
    "FruitStandApp",
    "Result",
    "bar_html",
    "build_request",
    "call_service",
    "describe",
    "make_widget",
    "text_bar",
]

#: The fields of one visit, in the order the service's schema lists them.
FIELD_NAMES = (
    "store",
    "hour",
    "weekday",
    "age",
    "has_kids",
    "loyalty_member",
    "price_apple",
    "price_banana",
    "promo",
    "temperature_c",
)
#: Weekday names; the service counts days from Monday = 0 (as pandas' ``dt.weekday``).
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: What the form shows first: a commuter at the Station kiosk on a Tuesday morning.
DEFAULT_FIELDS: dict[str, Any] = {
    "store": "Station",
    "hour": 8,
    "weekday": 1,
    "age": "29",
    "has_kids": "no",
    "loyalty_member": False,
    "price_apple": 0.50,
    "price_banana": 0.30,
    "promo": "none",
    "temperature_c": "9.5",
}
#: For ``make bench``: typing ages into the form (updates the request preview, no network).
BENCH = ("age", ["30", "45", "230", "", "61", "19", "72", "40", "abc", "34"])

_YES_NO = {"yes": True, "no": False, "unknown": None}
# Okabe-Ito colours (colour-blind safe); the bar also carries its numbers as text.
_ORANGE, _BLUE, _VERMILLION, _GREEN = "#E69F00", "#0072B2", "#D55E00", "#009E73"


# --------------------------------------------------------------------------- the logic


def _number_or_text(value: Any, *, blank_is_unknown: bool) -> Any:
    """A form entry as a JSON number; blank -> None (unknown); text that is no number stays
    text, so the service can say what is wrong with it."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip()
        if text == "" or text.lower() == "unknown":
            return None if blank_is_unknown else text
        try:
            number = float(text.replace(",", "."))  # "9,5" is 9.5 for half of Europe
        except ValueError:
            return text
    if not math.isfinite(number):
        return str(value)  # NaN and infinity are not JSON: let the service refuse them
    return int(number) if number.is_integer() else number


def _weekday(value: Any) -> Any:
    if isinstance(value, str) and value.strip().capitalize() in WEEKDAYS:
        return WEEKDAYS.index(value.strip().capitalize())
    return _number_or_text(value, blank_is_unknown=False)


def _yes_no(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lower() in _YES_NO:
        return _YES_NO[value.strip().lower()]
    return value


def build_request(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The form's fields -> the JSON body of ``POST /predict`` for one visit.

    Converts what a form holds into what the service expects: a weekday name into its
    number (Monday = 0), "yes"/"no"/"unknown" into true/false/null, typed numbers ("34",
    "9,5") into numbers, a blank age or temperature into null (unknown). It checks
    nothing else: a field the form lacks is left out and odd values are sent as they
    are, so the **service** - the one place the rules live - says what is wrong.

    >>> build_request({"store": "Central", "hour": 17, "age": "230"})
    {'store': 'Central', 'hour': 17, 'age': 230}
    """
    if not isinstance(fields, Mapping):
        raise TypeError(
            f"build_request expects the form's fields as a dict, got {type(fields).__name__}"
        )
    payload: dict[str, Any] = {}
    for name in FIELD_NAMES:
        if name not in fields:
            continue
        value = fields[name]
        if name == "weekday":
            payload[name] = _weekday(value)
        elif name == "has_kids":
            payload[name] = _yes_no(value)
        elif name in ("hour", "price_apple", "price_banana"):
            payload[name] = _number_or_text(value, blank_is_unknown=False)
        elif name in ("age", "temperature_c"):
            payload[name] = _number_or_text(value, blank_is_unknown=True)
        elif name == "loyalty_member":
            payload[name] = _yes_no(value) if isinstance(value, str) else value
        else:
            payload[name] = value
    return payload


@dataclass(frozen=True)
class Result:
    """What the service answered to one visit (or why there is no answer).

    ``ok`` is True for a prediction (HTTP 200). Otherwise ``status`` is the HTTP status of
    the refusal (422, 400, ...) or ``None`` when the service could not be reached, and
    ``detail`` and ``errors`` (``(field, message)`` pairs) say why.
    """

    ok: bool
    status: int | None
    decision: str | None = None
    p_banana: float | None = None
    threshold: float | None = None
    model_version: str | None = None
    request_id: str | None = None
    detail: str = ""
    errors: tuple[tuple[str, str], ...] = ()


_CLIENT: Any = None
_CLIENT_LOCK = threading.Lock()


def _shared_client() -> Any:
    """One HTTP client for every call (creating one costs ~50 ms; reusing it keeps the
    connection to the service open between two presses of Predict)."""
    global _CLIENT
    import httpx

    with _CLIENT_LOCK:
        if _CLIENT is None:
            _CLIENT = httpx.Client()
            atexit.register(_CLIENT.close)
        return _CLIENT


def _predict_url(url: str) -> str:
    url = str(url).strip().rstrip("/")
    return url if url.endswith("/predict") else url + "/predict"


def call_service(
    url: str | None, payload: Any, *, timeout: float = 10.0, client: Any = None
) -> Result:
    """Send one visit to the service at ``url`` (``srv.url``) and return its :class:`Result`.

    Never raises: a refusal (4xx), a failure (5xx) and an unreachable service all come
    back as a ``Result`` with ``ok=False`` and the reason. ``client`` is an
    ``httpx.Client`` (default: one shared by all calls).

    >>> call_service(None, {}).detail
    'No service address: start the service and pass its url (srv.url).'
    """
    import httpx

    if not url:
        return Result(
            False, None, detail="No service address: start the service and pass its url (srv.url)."
        )
    try:
        client = client if client is not None else _shared_client()
        response = client.post(_predict_url(url), json=payload, timeout=timeout)
    except (TypeError, ValueError) as exc:  # not JSON-serialisable
        return Result(False, None, detail=f"The request cannot be written as JSON: {exc}")
    except httpx.HTTPError as exc:
        return Result(
            False,
            None,
            detail=f"Could not reach the service at {url} ({type(exc).__name__}). Is it "
            "running? Start it with service.start_in_background(...) and use its url.",
        )
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    if response.status_code == 200:
        try:
            first = body["predictions"][0]
            return Result(
                True,
                200,
                decision=str(first["decision"]),
                p_banana=float(first["p_banana"]),
                threshold=float(body["threshold"]),
                model_version=str(body["model_version"]),
                request_id=str(first["request_id"]),
            )
        except (KeyError, IndexError, TypeError, ValueError):
            return Result(False, 200, detail="The answer is not a prediction: is this the service?")
    errors = tuple(
        (str(e.get("field", "?")), str(e.get("message", "")))
        for e in body.get("errors", [])
        if isinstance(e, dict)
    )
    detail = str(body.get("detail") or response.text[:200] or response.reason_phrase)
    return Result(False, response.status_code, detail=detail, errors=errors)


def text_bar(p: float, threshold: float, width: int = 20) -> str:
    """P(banana) as a bar of text, the threshold marked with ``|``.

    >>> text_bar(0.5, 0.75, width=8)
    '0 [####--|-] 1'
    """
    filled = round(max(0.0, min(1.0, p)) * width)
    cells = ["#" if i < filled else "-" for i in range(width)]
    mark = min(width - 1, max(0, round(threshold * width)))
    cells[mark] = "|"
    return f"0 [{''.join(cells)}] 1"


def describe(result: Result) -> str:
    """The result in words (the app's text, and the static fallback).

    >>> print(describe(Result(False, 422, errors=(("age", "expected a number, got 230"),))))
    Refused by the service (HTTP 422) - nothing was predicted or logged:
      - age: expected a number, got 230
    Fix the field(s) and press Predict again.
    """
    if result.ok and result.p_banana is not None and result.threshold is not None:
        p, t = result.p_banana, result.threshold
        side = "at or above" if p >= t else "below"
        return (
            f"Decision: {str(result.decision).upper()} - P(banana) = {p:.2f}, {side} the "
            f"threshold {t:.2f} (model {result.model_version}).\n"
            f"  P(banana) {text_bar(p, t)}   (| = threshold)"
        )
    if result.status is None:
        return f"No answer: {result.detail}"
    if result.status >= 500:
        return f"The service failed (HTTP {result.status}) - not your input: {result.detail}"
    lines = [f"Refused by the service (HTTP {result.status}) - nothing was predicted or logged:"]
    lines += [f"  - {field}: {message}" for field, message in result.errors]
    if not result.errors:
        lines.append(f"  - {result.detail}")
    lines.append("Fix the field(s) and press Predict again.")
    return "\n".join(lines)


def bar_html(result: Result, width_px: int = 320) -> str:
    """A simple bar of P(banana) with the threshold as a dashed line, labelled in text."""
    if not result.ok or result.p_banana is None or result.threshold is None:
        return ""
    p, t = result.p_banana, result.threshold
    colour = _ORANGE if result.decision == "banana" else _GREEN
    return (
        f'<div style="font-size:90%">P(banana) {p:.2f} &nbsp;·&nbsp; dashed line: '
        f"threshold {t:.2f}</div>"
        f'<div style="position:relative;width:{width_px}px;height:20px;margin-top:6px;'
        f'border:1px solid #333;background:#f2f2f2" role="img" '
        f'aria-label="P(banana) {p:.2f}, threshold {t:.2f}">'
        f'<div style="width:{100 * p:.1f}%;height:100%;background:{colour}"></div>'
        f'<div style="position:absolute;left:{100 * t:.1f}%;top:-4px;height:26px;'
        f'border-left:3px dashed #000"></div></div>'
        f'<div style="width:{width_px}px;display:flex;justify-content:space-between;'
        f'font-size:80%"><span>0 (apple)</span><span>1 (banana)</span></div>'
    )


def _result_html(result: Result) -> str:
    text = html.escape(describe(result)).replace("\n", "<br>")
    if result.ok:
        colour, label = _BLUE, "✔ Prediction"
    else:
        colour, label = _VERMILLION, "✘ No prediction"
    return (
        f'<div style="border-left:5px solid {colour};padding:4px 8px">'
        f'<strong style="color:{colour}">{label}</strong><br>'
        f'<span style="font-family:monospace">{text}</span></div>'
    )


# --------------------------------------------------------------------------- the widget


class FruitStandApp:
    """The form (ipywidgets) wired to :func:`build_request` and :func:`call_service`.

    ``controls`` are the fields by name (their names are the service's field names),
    ``button`` asks the service, ``result`` is the last :class:`Result` and
    ``result_text`` its text. Changing a field refreshes the preview of the request
    (``request_html``); only ``button.click()`` goes over the network.
    """

    def __init__(self, url: str | None, fields: Mapping[str, Any] | None = None) -> None:
        import ipywidgets as W

        from course_utils import world

        self.url = url
        start = {**DEFAULT_FIELDS, **dict(fields or {})}
        style = {"description_width": "140px"}
        wide = W.Layout(width="300px")

        def text(name: str, description: str, placeholder: str) -> W.Text:
            return W.Text(
                value=str(start[name]),
                description=description,
                placeholder=placeholder,
                style=style,
                layout=wide,
            )

        weekday = start["weekday"]
        if isinstance(weekday, str) and weekday.capitalize() in WEEKDAYS:
            weekday = WEEKDAYS.index(weekday.capitalize())
        self.controls: dict[str, Any] = {
            "store": W.Dropdown(
                options=list(world.STORE_NAMES),
                value=start["store"],
                description="Store:",
                style=style,
                layout=wide,
            ),
            "hour": W.IntSlider(
                value=int(start["hour"]),
                min=0,
                max=23,
                description="Hour of the visit:",
                style=style,
                layout=wide,
                continuous_update=False,
            ),
            "weekday": W.Dropdown(
                options=[(name, i) for i, name in enumerate(WEEKDAYS)],
                value=int(weekday),
                description="Weekday:",
                style=style,
                layout=wide,
            ),
            "age": text("age", "Customer's age:", "blank if unknown"),
            "has_kids": W.Dropdown(
                options=list(_YES_NO),
                value=start["has_kids"],
                description="Children at home:",
                style=style,
                layout=wide,
            ),
            "loyalty_member": W.Checkbox(
                value=bool(start["loyalty_member"]),
                description="Loyalty card",
                indent=True,
                style=style,
                layout=wide,
            ),
            "price_apple": W.FloatText(
                value=float(start["price_apple"]),
                step=0.05,
                description="Apple price (€):",
                style=style,
                layout=wide,
            ),
            "price_banana": W.FloatText(
                value=float(start["price_banana"]),
                step=0.05,
                description="Banana price (€):",
                style=style,
                layout=wide,
            ),
            "promo": W.Dropdown(
                options=list(world.PROMOS),
                value=start["promo"],
                description="Promotion:",
                style=style,
                layout=wide,
            ),
            "temperature_c": text("temperature_c", "Temperature (°C):", "blank if unknown"),
        }
        self.button = W.Button(
            description="Predict",
            button_style="primary",
            tooltip="Send this visit to the prediction service",
            icon="paper-plane",
        )
        self.result_html = W.HTML(
            value="<i>Fill in the visit and press <b>Predict</b>: the app asks the service.</i>"
        )
        self.bar = W.HTML()
        self.request_html = W.HTML()
        self.result: Result | None = None
        self.payload: dict[str, Any] = {}
        self.updates = 0
        self.calls = 0
        names = list(self.controls)
        left = W.VBox([self.controls[n] for n in names[:5]])
        right = W.VBox([self.controls[n] for n in names[5:]])
        self.box = W.VBox(
            [
                W.HTML("<b>Fruit-stand app</b> - one visit, one question to the service"),
                W.HBox([left, right]),
                self.button,
                self.result_html,
                self.bar,
                self.request_html,
            ]
        )
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.button.on_click(self._on_click)
        self.refresh()

    @property
    def result_text(self) -> str:
        """The last answer in words ("" before the first Predict)."""
        return describe(self.result) if self.result is not None else ""

    def values(self) -> dict[str, Any]:
        """The current value of every field, by name."""
        return {name: c.value for name, c in self.controls.items()}

    def refresh(self) -> None:
        """Rebuild the request from the fields and show it (no network)."""
        self.payload = build_request(self.values())
        shown = html.escape(json.dumps(self.payload, ensure_ascii=False))
        self.request_html.value = (
            '<div style="font-size:85%;color:#444">The app will send this JSON to '
            f'<code>POST /predict</code>:<br><code style="white-space:normal">{shown}</code></div>'
        )
        self.updates += 1

    def predict(self) -> Result:
        """Send the visit in the form to the service and show the answer."""
        self.refresh()
        self.result = call_service(self.url, self.payload)
        self.calls += 1
        self.result_html.value = _result_html(self.result)
        self.bar.value = bar_html(self.result)
        return self.result

    def _on_change(self, change: dict) -> None:
        self.refresh()

    def _on_click(self, button: Any) -> None:
        self.predict()

    def _ipython_display_(self) -> None:  # ipywidgets 7 and 8 both display a VBox
        from IPython.display import display

        display(self.box)


def make_widget(url: str | None = None, fields: Mapping[str, Any] | None = None) -> FruitStandApp:
    """The fruit-stand app for the service at ``url`` (``srv.url``).

    ``fields`` overrides some of :data:`DEFAULT_FIELDS`. Without ``url`` the form still
    works (the request preview updates), and Predict says that no service is set.
    """
    return FruitStandApp(url, fields)
