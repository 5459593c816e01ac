"""The input schema of a model: which fields a visit must have, and what each may hold.

A deployed model must refuse input it was not built for *before* predicting: a string
where a number belongs, an age of 230, a store that does not exist, a field with a typo.
:func:`infer_schema` reads the rules from the training table (one :class:`FeatureSpec` per
column); :meth:`InputSchema.model` turns them into a strict **pydantic** model that the
prediction service validates every visit with; :func:`human_errors` turns pydantic's
errors into one plain sentence per problem, naming the field.

What a visit may hold (the rules are deliberately strict - a typo is an error, not a guess):

==============  ==========================================================================
kind            accepted JSON values
==============  ==========================================================================
``category``    exactly one of the known values (``"Central"``; not ``"central"``)
``integer``     a whole number in range (``7``; ``7.0`` is accepted as 7; ``7.5``, ``"7"``
                and ``true`` are not)
``number``      a number in range (``34`` or ``34.5``; not ``"34"``, not NaN or infinity)
``bool``        ``true`` / ``false``, or the numbers ``1`` / ``0`` (the training table
                stores 0/1); not ``"yes"``, not ``2``
==============  ==========================================================================

Every field is required; a *nullable* field (one the training table has gaps in, which
the pipeline imputes) accepts ``null`` for "unknown". Fields the model does not know are
refused. Ranges are the training range widened to what is plausible
(:mod:`course_utils.bounds`: an age from 16 to 110, a temperature from -30 to 50 °C,
prices from 0.01 to 20 euros), so a new but plausible value passes and an impossible one
does not.

Example
-------
>>> import pandas as pd
>>> X = pd.DataFrame({"store": ["Central", "Station"], "age": [34.0, None]})
>>> schema = infer_schema(X)
>>> [f.describe() for f in schema.features]
["one of 'Central', 'Station'", 'a number from 16 to 110, or null if unknown']
>>> errors = schema.errors({"store": "Central", "age": 230})
>>> errors[0]["message"]
'expected a number from 16 to 110, or null if unknown, got 230'
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, create_model

from .bounds import PLAUSIBLE

KINDS = ("category", "integer", "number", "bool")

#: Plausible ranges of the course's numeric features (:data:`course_utils.bounds.PLAUSIBLE`,
#: the one set of bounds the lessons and the monitor use too): the schema widens the
#: training range to these (and never narrows it).
KNOWN_RANGES: dict[str, tuple[float, float]] = PLAUSIBLE

#: How many problems a validation reports at most (the rest are counted, not listed).
MAX_ERRORS = 50


class SchemaError(ValueError):
    """A schema that cannot be inferred or read (a learner's table, a damaged card)."""


@dataclass(frozen=True)
class FeatureSpec:
    """The rule for one input field.

    ``kind`` is one of :data:`KINDS`; ``values`` lists a category's known values;
    ``minimum``/``maximum`` bound numbers and integers; ``nullable`` says whether ``null``
    ("unknown") is accepted; ``dtype`` is the training column's dtype, used to rebuild a
    table the pipeline accepts (:meth:`InputSchema.to_frame`).

    >>> FeatureSpec("hour", "integer", "int64", minimum=0, maximum=23).describe()
    'a whole number from 0 to 23'
    """

    name: str
    kind: str
    dtype: str
    nullable: bool = False
    values: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise SchemaError(
                f"feature {self.name!r}: kind must be one of {KINDS}, got {self.kind!r}"
            )
        if self.kind == "category" and not self.values:
            raise SchemaError(f"feature {self.name!r}: a category needs its known values")
        if self.kind in ("integer", "number") and (self.minimum is None or self.maximum is None):
            raise SchemaError(f"feature {self.name!r}: a {self.kind} needs a minimum and maximum")

    def describe(self) -> str:
        """What this field accepts, in words (used in every error message)."""
        if self.kind == "category":
            text = "one of " + ", ".join(repr(v) for v in self.values)
        elif self.kind == "integer":
            text = f"a whole number from {_num(self.minimum)} to {_num(self.maximum)}"
        elif self.kind == "number":
            text = f"a number from {_num(self.minimum)} to {_num(self.maximum)}"
        else:
            text = "true or false (or 1 or 0)"
        return text + (", or null if unknown" if self.nullable else "")

    def annotation(self) -> Any:
        """The pydantic type of this field (strict: no silent conversions)."""
        if self.kind == "category":
            base: Any = Literal[tuple(self.values)]  # type: ignore[valid-type]
        elif self.kind == "integer":
            # Constraints first, then the before-validator that wraps them (the order
            # older pydantic 2.x versions need).
            base = Annotated[
                int,
                Field(strict=True, ge=int(self.minimum), le=int(self.maximum)),
                BeforeValidator(_whole_float_to_int),
            ]
        elif self.kind == "number":
            base = Annotated[
                float, Field(strict=True, ge=self.minimum, le=self.maximum, allow_inf_nan=False)
            ]
        else:
            base = Annotated[bool, Field(strict=True), BeforeValidator(_zero_one_to_bool)]
        return base | None if self.nullable else base

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (stored in the model card)."""
        d = asdict(self)
        d["values"] = list(self.values)
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> FeatureSpec:
        """The inverse of :meth:`to_dict`."""
        try:
            return cls(
                name=str(d["name"]),
                kind=str(d["kind"]),
                dtype=str(d["dtype"]),
                nullable=bool(d.get("nullable", False)),
                values=tuple(str(v) for v in d.get("values", ())),
                minimum=d.get("minimum"),
                maximum=d.get("maximum"),
            )
        except KeyError as exc:
            raise SchemaError(f"a feature in the schema has no {exc.args[0]!r}") from None


@dataclass
class InputSchema:
    """The rules for a whole visit: one :class:`FeatureSpec` per column, in training order.

    >>> s = InputSchema([FeatureSpec("promo", "category", "object", values=("apple", "none"))])
    >>> s.validate({"promo": "none"})
    {'promo': 'none'}
    """

    features: list[FeatureSpec]
    _model: type[BaseModel] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def names(self) -> list[str]:
        """The field names, in training-column order."""
        return [f.name for f in self.features]

    def model(self) -> type[BaseModel]:
        """The pydantic model of one visit (built once, then cached).

        ``extra="forbid"``: an unknown field is an error. Every field is required;
        nullable ones accept ``None``.
        """
        if self._model is None:
            fields = {
                f.name: (f.annotation(), Field(..., description=f.describe()))
                for f in self.features
            }
            self._model = create_model(  # type: ignore[call-overload]
                "Visit",
                __config__=ConfigDict(extra="forbid", title="Visit"),
                **fields,
            )
        return self._model

    def json_schema(self) -> dict[str, Any]:
        """The JSON Schema of one visit (for the service's OpenAPI page), with no $refs."""
        return self.model().model_json_schema()

    def validate(self, visit: Any) -> dict[str, Any]:
        """Check one visit; return its values (a dict in field order) or raise ValidationError."""
        return self.model().model_validate(visit).model_dump()

    def errors(self, visit: Any, prefix: str = "") -> list[dict[str, str]]:
        """The problems with one visit as ``[{"field", "message"}]`` ([] if it is valid)."""
        try:
            self.model().model_validate(visit)
        except ValidationError as exc:
            return human_errors(exc, self, prefix=prefix)
        return []

    def example(self) -> dict[str, Any]:
        """A valid visit (middle of each range, first category): for docs and tests."""
        out: dict[str, Any] = {}
        for f in self.features:
            if f.kind == "category":
                out[f.name] = f.values[0]
            elif f.kind == "bool":
                out[f.name] = False
            elif f.kind == "integer":
                out[f.name] = int((f.minimum + f.maximum) // 2)  # type: ignore[operator]
            else:
                out[f.name] = round((f.minimum + f.maximum) / 2, 2)  # type: ignore[operator]
        return out

    def to_frame(self, visits: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
        """Validated visits as a table with the training columns and dtypes.

        Categories become the training dtype (a pandas categorical with the known values
        if the training column was one), bools become 0/1 (float with NaN if nullable),
        ``None`` becomes NaN - so the pipeline sees what it was fitted on.
        """
        data: dict[str, Any] = {}
        for f in self.features:
            col = [v.get(f.name) for v in visits]
            if f.kind == "category":
                if f.dtype == "category":
                    data[f.name] = pd.Categorical(col, categories=list(f.values))
                else:
                    data[f.name] = pd.Series(col, dtype=object)
            elif f.kind == "bool":
                arr = np.asarray([np.nan if x is None else float(x) for x in col], dtype=float)
                exact = f.dtype.startswith(("int", "bool")) and not np.isnan(arr).any()
                data[f.name] = arr.astype(f.dtype) if exact else arr
            else:
                arr = np.asarray([np.nan if x is None else x for x in col], dtype=float)
                if f.dtype.startswith("int") and not np.isnan(arr).any():
                    data[f.name] = arr.astype(f.dtype)
                else:
                    data[f.name] = arr
        return pd.DataFrame(data, columns=self.names)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (stored in the model card)."""
        return {"features": [f.to_dict() for f in self.features]}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> InputSchema:
        """The inverse of :meth:`to_dict`."""
        if not isinstance(d, Mapping) or not isinstance(d.get("features"), list):
            raise SchemaError("an input schema is a dict with a 'features' list")
        return cls([FeatureSpec.from_dict(f) for f in d["features"]])


# --------------------------------------------------------------------------- inference


def infer_schema(
    X: pd.DataFrame,
    *,
    nullable: Iterable[str] | None = None,
    ranges: Mapping[str, tuple[float, float]] | None = None,
) -> InputSchema:
    """Read the input rules from a training table (the columns the model is fitted on).

    Per column: text or categorical -> ``category`` with the values seen; only 0/1 (or a
    bool dtype) -> ``bool``; whole-number dtype -> ``integer``; other numbers -> ``number``.
    Numeric ranges are the training range widened to :data:`KNOWN_RANGES` (or
    ``ranges``) for the course's features, and by half the observed span on each side
    for other columns (never below 0 for a column that never goes below 0). A column is
    nullable if it has gaps (or is listed in ``nullable``).

    >>> X = pd.DataFrame({"hour": [7, 9], "has_kids": [1.0, None], "promo": ["none", "apple"]})
    >>> [(f.name, f.kind, f.nullable) for f in infer_schema(X).features]
    [('hour', 'integer', False), ('has_kids', 'bool', True), ('promo', 'category', False)]
    """
    if not isinstance(X, pd.DataFrame):
        raise SchemaError(
            f"infer_schema expects the training table as a pandas DataFrame, got {type(X).__name__}"
        )
    if X.empty or X.shape[1] == 0:
        raise SchemaError("infer_schema needs a non-empty training table")
    forced = set(nullable or ())
    unknown = forced - set(map(str, X.columns))
    if unknown:
        raise SchemaError(f"nullable names columns the table does not have: {sorted(unknown)}")
    bounds = {**KNOWN_RANGES, **(ranges or {})}
    specs = []
    for name in X.columns:
        col = X[name]
        key = str(name)
        is_null = bool(col.isna().any()) or key in forced
        dtype = str(col.dtype)
        present = col.dropna()
        if present.empty:
            raise SchemaError(f"column {key!r} has no values at all: drop it before fitting")
        if isinstance(col.dtype, pd.CategoricalDtype):
            values = tuple(str(v) for v in col.cat.categories)
            specs.append(FeatureSpec(key, "category", "category", is_null, values))
        elif pd.api.types.is_datetime64_any_dtype(col.dtype) or pd.api.types.is_timedelta64_dtype(
            col.dtype
        ):
            raise SchemaError(
                f"column {key!r} holds dates or times; a visit's fields are categories, numbers "
                "and booleans - derive features from it (hour, weekday) and drop it before fitting"
            )
        elif pd.api.types.is_bool_dtype(col.dtype):
            specs.append(FeatureSpec(key, "bool", dtype, is_null))
        elif pd.api.types.is_numeric_dtype(col.dtype):
            arr = present.to_numpy(dtype=float)
            if not np.isfinite(arr).all():
                raise SchemaError(f"column {key!r} holds infinite values: clean them first")
            if set(np.unique(arr)) <= {0.0, 1.0}:
                specs.append(FeatureSpec(key, "bool", dtype, is_null))
                continue
            lo, hi = float(arr.min()), float(arr.max())
            if key in bounds:
                lo, hi = min(lo, bounds[key][0]), max(hi, bounds[key][1])
            else:
                span = (hi - lo) or max(abs(hi), 1.0)
                floor = 0.0 if lo >= 0 else -math.inf
                lo, hi = max(lo - span / 2, floor), hi + span / 2
            kind = "integer" if pd.api.types.is_integer_dtype(col.dtype) else "number"
            if kind == "integer":
                lo, hi = math.floor(lo), math.ceil(hi)
            specs.append(FeatureSpec(key, kind, dtype, is_null, (), _clean(lo), _clean(hi)))
        else:
            try:
                values = tuple(sorted({str(v) for v in present}))
            except TypeError:  # pragma: no cover - str() of anything sorts
                raise SchemaError(f"column {key!r} mixes types that cannot be compared") from None
            if len(values) > 200:
                raise SchemaError(
                    f"column {key!r} has {len(values)} distinct text values: "
                    "that is an identifier, not a feature - drop it before fitting"
                )
            specs.append(FeatureSpec(key, "category", "object", is_null, values))
    return InputSchema(specs)


# --------------------------------------------------------------------------- messages


def human_errors(
    exc: ValidationError, schema: InputSchema | None = None, prefix: str = ""
) -> list[dict[str, str]]:
    """Pydantic's errors as one plain message per problem: ``[{"field", "message"}]``.

    ``prefix`` names where the visit sits (``"visits"`` for a batch: the field becomes
    ``visits[3].age``). With ``schema``, a wrong value gets "expected <the rule>, got <value>".
    At most :data:`MAX_ERRORS` problems are listed; a last entry counts the rest.

    >>> s = infer_schema(pd.DataFrame({"age": [30.0, 40.0]}))
    >>> try:
    ...     s.model().model_validate({"age": "30"})
    ... except ValidationError as e:
    ...     human_errors(e, s)
    [{'field': 'age', 'message': "expected a number from 16 to 110, got '30'"}]
    """
    specs = {f.name: f for f in schema.features} if schema is not None else {}
    out: list[dict[str, str]] = []
    raw = exc.errors()
    for err in raw[:MAX_ERRORS]:
        loc = list(err.get("loc", ()))
        path = _path(prefix, loc)
        kind = err.get("type", "")
        name = loc[-1] if loc else None
        spec = specs.get(name) if isinstance(name, str) else None
        value = err.get("input")
        if kind == "missing":
            rule = f": expected {spec.describe()}" if spec else ""
            message = "is missing" + rule
        elif kind == "extra_forbidden":
            expected = f"; the model knows: {', '.join(specs)}" if specs else ""
            message = f"is not a field of a visit{expected}"
        elif kind in ("model_type", "model_attributes_type", "dict_type"):
            message = f"expected a JSON object with the visit's fields, got {_show(value)}"
        elif spec is not None:
            message = f"expected {spec.describe()}, got {_show(value)}"
        else:
            message = f"{err.get('msg', 'is not valid')}, got {_show(value)}"
        out.append({"field": path or "body", "message": message})
    if len(raw) > MAX_ERRORS:
        out.append({"field": "body", "message": f"... and {len(raw) - MAX_ERRORS} more problems"})
    return out


# --------------------------------------------------------------------------- helpers


def _whole_float_to_int(v: Any) -> Any:
    """7.0 -> 7 (JSON does not distinguish them); anything else is left for pydantic."""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _zero_one_to_bool(v: Any) -> Any:
    """0/1 (and 0.0/1.0) -> False/True; anything else is left for pydantic to refuse."""
    if not isinstance(v, bool) and isinstance(v, int | float) and v in (0, 1):
        return bool(v)
    return v


def _clean(x: float) -> float | int:
    """A bound as a short JSON number (20 not 20.0, 0.01 not 0.010000000000000002)."""
    x = round(float(x), 6)
    return int(x) if x.is_integer() else x


def _num(x: float | None) -> str:
    return "?" if x is None else f"{_clean(x):g}"


def _path(prefix: str, loc: list) -> str:
    text = prefix
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _show(value: Any, limit: int = 40) -> str:
    """A value as the client sent it (JSON), shortened."""
    try:
        text = json.dumps(value, allow_nan=True, default=str)
    except (TypeError, ValueError):  # pragma: no cover - default=str handles the rest
        text = repr(value)
    if isinstance(value, str):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
