"""A model registry on disk: versioned models, each with a model card, and aliases.

Production code never loads "the model I trained yesterday"; it loads *a version* from a
registry and knows exactly what that version is. This registry is a folder - no server:

.. code-block:: text

    registry/
      v1/model.skops       the fitted pipeline, in skops' safe format (not pickle)
      v1/card.json         the model card: what it is, what it was trained on, how good
      v2/...
      aliases.json         append-only log of promotions and rollbacks

* :meth:`Registry.register` writes a new version; the version folder appears complete or
  not at all (written to a temporary folder, then renamed).
* The **model card** records the version, the creation time (UTC), a fingerprint of the
  training table, the metrics, the success contract, the input schema
  (:mod:`course_utils.schema`), the sha256 of the model file and the library versions.
* :meth:`Registry.load` checks the model file against the sha256 in its card and refuses
  a changed or truncated file (:class:`ModelIntegrityError`). It then loads with skops,
  which constructs only the types on a trusted list: scikit-learn's classes and a few
  numpy types (:func:`trusted_types` shows what a file needs). A pickle file, by
  contrast, can run any code when it is loaded.
* Aliases name the version in use: :meth:`Registry.promote` moves ``"production"`` to a
  version, :meth:`Registry.rollback` moves it back to the version before.

Example
-------
>>> import tempfile
>>> from sklearn.dummy import DummyClassifier
>>> X = pd.DataFrame({"hour": [7, 8, 17, 18]})
>>> model = DummyClassifier().fit(X, ["apple", "banana", "banana", "banana"])
>>> reg = Registry(tempfile.mkdtemp())
>>> card = reg.register(model, X_train=X, metrics={"accuracy": 0.75})
>>> card.version, reg.promote("v1").version, reg.aliases()
('v1', 'v1', {'production': 'v1'})
>>> pipeline, card = reg.load("production")
>>> round(float(pipeline.predict_proba(X)[0, 1]), 2)
0.75
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import numbers
import os
import platform
import re
import shutil
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from .schema import InputSchema, infer_schema

MODEL_FILE = "model.skops"
CARD_FILE = "card.json"
ALIAS_LOG = "aliases.json"
POSITIVE = "banana"
_VERSION = re.compile(r"^v([1-9][0-9]*)$")
_ALIAS = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,39}$")
_LOCAL_LOCK = threading.RLock()

#: numpy types a scikit-learn pipeline may hold (dtypes, scalars, random generators).
#: Together with scikit-learn's own *classes* (never its functions) they are all that
#: :meth:`Registry.load` lets skops construct.
#: The course's own functions that its pipelines call (importable, reviewed code). Not on
#: the default rule - trust is given explicitly: ``Registry(extra_trusted=COURSE_FUNCTIONS)``
#: (``python -m course_utils serve`` does so).
COURSE_FUNCTIONS = ("course_utils.features.add_features",)

TRUSTED_NUMPY_TYPES = frozenset(
    {
        "numpy.dtype",
        "numpy.bool_",
        "numpy.float16",
        "numpy.float32",
        "numpy.float64",
        "numpy.int8",
        "numpy.int16",
        "numpy.int32",
        "numpy.int64",
        "numpy.uint8",
        "numpy.uint16",
        "numpy.uint32",
        "numpy.uint64",
        "numpy.str_",
        "numpy.random.mtrand.RandomState",
        "numpy.random._mt19937.MT19937",
        "numpy.random._generator.Generator",
        "numpy.random._pcg64.PCG64",
    }
)


class RegistryError(Exception):
    """Something is wrong with the registry or a request to it (the message says what)."""


class UnknownModelError(RegistryError, LookupError):
    """No such version or alias (the message lists what exists)."""


class ModelIntegrityError(RegistryError):
    """A model file does not match its card (changed, truncated, missing) - refused."""


class UntrustedTypesError(RegistryError):
    """A model file needs types outside the trusted list - refused."""


@dataclass(frozen=True)
class ModelCard:
    """What a registered model is. Stored as ``card.json`` beside the model file.

    ``threshold`` is the probability of banana from which the service answers "banana":
    the contract's cost-based best threshold if the card has a contract, else 0.5.

    What a reader needs before trusting the model: ``intended_use`` (one sentence),
    ``out_of_scope`` (uses it was not made or tested for), ``limitations`` (where it is
    known to be weak) and ``intervals`` (each metric's 95 % interval, ``[low, high]``, and
    how it was computed under ``"method"``). Every metric is measured at ``threshold``.
    """

    name: str
    version: str
    created: str
    model_file: str
    model_sha256: str
    model_bytes: int
    training_data: dict[str, Any]
    metrics: dict[str, Any]
    contract: dict[str, Any] | None
    input_schema: dict[str, Any]
    classes: list[str]
    threshold: float
    libraries: dict[str, str]
    notes: str = ""
    extra_trusted: list[str] = field(default_factory=list)
    intended_use: str = ""
    out_of_scope: list[str] = field(default_factory=list)
    limitations: list[str] = field(default_factory=list)
    intervals: dict[str, Any] = field(default_factory=dict)

    @property
    def schema(self) -> InputSchema:
        """The input schema as an :class:`~course_utils.schema.InputSchema`."""
        return InputSchema.from_dict(self.input_schema)

    def to_dict(self) -> dict[str, Any]:
        """The card as a JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ModelCard:
        """The inverse of :meth:`to_dict` (unknown keys are ignored)."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in known})

    def summary(self) -> str:
        """A few lines for people: version, when, what data, metrics (with their intervals,
        at the decision threshold), threshold, intended use and limitations."""

        def metric(k: str, v: Any) -> str:
            interval = self.intervals.get(k)
            if isinstance(interval, list | tuple) and len(interval) == 2:
                return f"{k} {_fmt(v)} (95 % interval {_fmt(interval[0])} to {_fmt(interval[1])})"
            return f"{k} {_fmt(v)}"

        metrics = ", ".join(metric(k, v) for k, v in self.metrics.items()) or "none"
        td = self.training_data
        lines = [
            f"{self.name} {self.version} (created {self.created})",
            f"  trained on {td.get('rows')} rows x {len(td.get('columns', []))} columns, "
            f"fingerprint {str(td.get('fingerprint'))[:12]}...",
            f"  metrics at the threshold {self.threshold:.3g}: {metrics}",
            f"  decision: banana when P(banana) >= {self.threshold:.3g}",
        ]
        if self.intended_use:
            lines.append(f"  intended use: {self.intended_use}")
        if self.out_of_scope:
            lines.append("  out of scope: " + "; ".join(self.out_of_scope))
        if self.limitations:
            lines.append("  limitations: " + "; ".join(self.limitations))
        lines.append(f"  model file sha256 {self.model_sha256[:12]}... ({self.model_bytes} bytes)")
        return "\n".join(lines)


# --------------------------------------------------------------------------- trust


def is_trusted_type(name: str) -> bool:
    """Is ``name`` (as skops reports it) on the trusted list?

    Trusted: a **class** defined in scikit-learn (checked by importing it from
    scikit-learn - never a function, whose later call could do anything), or one of
    :data:`TRUSTED_NUMPY_TYPES`. Functions, even the course's own, are trusted only by name
    (``extra_trusted``).

    >>> is_trusted_type("sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor")
    True
    >>> is_trusted_type("builtins.eval"), is_trusted_type("sklearn.utils.validation.check_array")
    (False, False)
    """
    if name in TRUSTED_NUMPY_TYPES:
        return True
    if not name.startswith("sklearn."):
        return False
    parts = name.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for attr in parts[cut:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return False
        return isinstance(obj, type) and obj.__module__.startswith("sklearn")
    return False


def trusted_types(path: str | os.PathLike, extra_trusted: Iterable[str] = ()) -> list[str]:
    """The types a skops file needs beyond skops' defaults - each checked against the list.

    Returns the sorted list (what :meth:`Registry.load` passes to ``skops.io.load`` as
    ``trusted``); raises :class:`UntrustedTypesError` naming any type that is neither
    trusted (:func:`is_trusted_type`) nor in ``extra_trusted``.

    >>> # trusted_types("registry/v1/model.skops")  ->  ['numpy.dtype']
    """
    import skops.io as sio

    path = Path(path)
    try:
        needed = sio.get_untrusted_types(file=path)
    except Exception as exc:  # a damaged zip, not a skops file at all
        raise ModelIntegrityError(
            f"{path} is not a readable skops model file ({type(exc).__name__}: {exc}); "
            "register the model again"
        ) from None
    allowed = set(extra_trusted)
    refused = [t for t in needed if t not in allowed and not is_trusted_type(t)]
    if refused:
        raise UntrustedTypesError(
            f"{path} needs types that are not on the trusted list: {', '.join(refused)}. "
            "Loading would let the file construct them. If you wrote this pipeline yourself "
            "and these are your own or numpy's functions, pass them explicitly: "
            f"extra_trusted={refused!r}"
        )
    return sorted(needed)


# --------------------------------------------------------------------------- registry


class Registry:
    """Versioned models with model cards and aliases, in a folder.

    ``root`` defaults to ``work_dir()/"registry"``. ``extra_trusted`` adds type names to
    the trusted list for every load (for a pipeline with your own functions in it).

    >>> import tempfile
    >>> Registry(tempfile.mkdtemp()).versions()
    []
    """

    def __init__(
        self, root: str | os.PathLike | None = None, *, extra_trusted: Iterable[str] = ()
    ) -> None:
        if root is None:
            from .paths import work_dir

            root = work_dir() / "registry"
        self.root = Path(root)
        if self.root.exists() and not self.root.is_dir():
            raise RegistryError(f"{self.root} is a file, not a registry folder")
        self.extra_trusted = tuple(extra_trusted)

    def __repr__(self) -> str:
        return f"Registry({str(self.root)!r})"

    # ----------------------------------------------------------------- reading

    def versions(self) -> list[str]:
        """The registered versions, oldest first (``["v1", "v2", ...]``)."""
        if not self.root.is_dir():
            return []
        found = [
            p.name
            for p in self.root.iterdir()
            if _VERSION.match(p.name) and (p / CARD_FILE).is_file()
        ]
        return sorted(found, key=lambda v: int(v[1:]))

    def cards(self) -> list[ModelCard]:
        """The model cards of every version, oldest first."""
        return [self.card(v) for v in self.versions()]

    def card(self, version_or_alias: str) -> ModelCard:
        """The model card of a version or alias (no model loaded)."""
        version = self.resolve(version_or_alias)
        path = self.root / version / CARD_FILE
        try:
            return ModelCard.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError) as exc:
            raise ModelIntegrityError(
                f"the model card {path} cannot be read ({exc}); register the model again"
            ) from None

    def resolve(self, version_or_alias: str) -> str:
        """The version a name points to: ``"v2"`` -> ``"v2"``, ``"production"`` -> its version.

        ``"latest"`` is the newest version. Unknown names raise :class:`UnknownModelError`
        listing the versions and aliases that exist.
        """
        if not isinstance(version_or_alias, str):
            raise UnknownModelError(
                f"expected a version like 'v1' or an alias like 'production', "
                f"got {version_or_alias!r}"
            )
        versions = self.versions()
        if version_or_alias in versions:
            return version_or_alias
        aliases = self.aliases()
        if version_or_alias in aliases:
            return aliases[version_or_alias]
        if version_or_alias == "latest" and versions:
            return versions[-1]
        raise UnknownModelError(self._unknown(version_or_alias, versions, aliases))

    def _unknown(self, name: str, versions: list[str], aliases: dict[str, str]) -> str:
        if not versions:
            return (
                f"no model {name!r}: the registry at {self.root} is empty; "
                "register a model first (Registry.register)"
            )
        alias_text = ", ".join(f"{a} -> {v}" for a, v in aliases.items()) or "none"
        hint = (
            f"; promote a version first, e.g. Registry.promote({versions[-1]!r}, alias={name!r})"
            if _ALIAS.match(name) and not _VERSION.match(name)
            else ""
        )
        return (
            f"no version or alias {name!r} in the registry at {self.root}. "
            f"Versions: {', '.join(versions)}. Aliases: {alias_text}. "
            f"'latest' means {versions[-1]}{hint}"
        )

    def load(
        self, version_or_alias: str = "production", *, extra_trusted: Iterable[str] = ()
    ) -> tuple[Any, ModelCard]:
        """Load a model safely: ``(pipeline, card)``.

        1. the model file's sha256 must match the card (else :class:`ModelIntegrityError`);
        2. every type skops would construct must be trusted (else
           :class:`UntrustedTypesError`; see :func:`trusted_types`) - by the built-in list,
           the registry's ``extra_trusted`` or this call's;
        3. skops loads it with exactly that list.

        The sha256 in the card detects a changed or truncated file; it is not a signature
        (whoever can rewrite the card can rewrite the hash), which is why trust is decided
        here and not read from the card.
        """
        import skops.io as sio

        card = self.card(version_or_alias)
        path = self.root / card.version / card.model_file
        verify_file(path, card)
        # The trust decision belongs to the code that loads, never to the files: the
        # card's own ``extra_trusted`` is a record of what was needed, not a permission.
        trusted = trusted_types(path, [*self.extra_trusted, *extra_trusted])
        try:
            pipeline = sio.load(path, trusted=trusted)
        except Exception as exc:
            raise ModelIntegrityError(
                f"{path} matches its card but cannot be loaded ({type(exc).__name__}: {exc}); "
                "it may need other library versions: the card lists "
                f"{card.libraries}"
            ) from None
        return pipeline, card

    def trusted_types(
        self, version_or_alias: str = "production", *, extra_trusted: Iterable[str] = ()
    ) -> list[str]:
        """:func:`trusted_types` of a registered version's file (after checking its sha256)."""
        card = self.card(version_or_alias)
        path = self.root / card.version / card.model_file
        verify_file(path, card)
        return trusted_types(path, [*self.extra_trusted, *extra_trusted])

    # ----------------------------------------------------------------- writing

    def register(
        self,
        pipeline: Any,
        *,
        X_train: pd.DataFrame,
        metrics: Mapping[str, Any],
        contract: Any = None,
        name: str = "fruit-stand",
        notes: str = "",
        y_train: pd.Series | None = None,
        extra_trusted: Iterable[str] = (),
        intended_use: str = "",
        out_of_scope: Iterable[str] = (),
        limitations: Iterable[str] = (),
        intervals: Mapping[str, Any] | None = None,
    ) -> ModelCard:
        """Save a fitted pipeline as the next version, with its model card.

        ``X_train`` is the training table the pipeline was fitted on (its columns become
        the input schema; its fingerprint goes in the card; ``y_train`` too if given).
        ``metrics`` maps names to numbers (e.g. test scores). ``contract`` is a
        :class:`~course_utils.contract.Contract` (or its dict): the card keeps it and the
        service decides with its best threshold. ``intended_use``, ``out_of_scope``,
        ``limitations`` and ``intervals`` are the card's words for people (see
        :class:`ModelCard`); an interval must name a metric of ``metrics``.

        Before anything is written, the pipeline must predict probabilities with a
        "banana" class on a few training rows, and the saved file must load back (with the
        trusted list) and give the same probabilities.
        """
        import numpy as np
        import sklearn
        import skops
        import skops.io as sio

        _check_pipeline(pipeline, X_train)
        metrics = _check_metrics(metrics)
        contract_dict, threshold = _contract(contract)
        if not isinstance(name, str) or not name.strip():
            raise TypeError(f"name must be a non-empty string, got {name!r}")
        if not isinstance(notes, str):
            raise TypeError(f"notes must be a string, got {type(notes).__name__}")
        card_text = _check_card_text(intended_use, out_of_scope, limitations)
        intervals = _check_intervals(intervals, metrics)
        schema = infer_schema(X_train)
        classes = [str(c) for c in pipeline.classes_]
        probe = X_train.head(5)
        expected = pipeline.predict_proba(probe)
        extra = sorted(set(extra_trusted))

        self.root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".incoming-", dir=self.root))
        try:
            model_path = tmp / MODEL_FILE
            sio.dump(pipeline, model_path)
            _fsync(model_path)
            trusted = trusted_types(model_path, [*self.extra_trusted, *extra])
            # Record what this file needs beyond the default list, whoever allowed it.
            extra = sorted(t for t in trusted if not is_trusted_type(t))
            again = sio.load(model_path, trusted=trusted).predict_proba(probe)
            if not np.allclose(again, expected, rtol=0, atol=1e-12, equal_nan=True):
                raise RegistryError(
                    "the saved model does not predict like the original; it cannot be registered"
                )
            base = {
                "name": name.strip(),
                "created": datetime.now(UTC).isoformat(timespec="seconds"),
                "model_file": MODEL_FILE,
                "model_sha256": sha256_file(model_path),
                "model_bytes": model_path.stat().st_size,
                "training_data": {
                    "fingerprint": fingerprint(X_train, y_train),
                    "rows": int(len(X_train)),
                    "columns": [str(c) for c in X_train.columns],
                    "includes_labels": y_train is not None,
                },
                "metrics": metrics,
                "contract": contract_dict,
                "input_schema": schema.to_dict(),
                "classes": classes,
                "threshold": threshold,
                "libraries": {
                    "python": platform.python_version(),
                    "scikit-learn": sklearn.__version__,
                    "skops": skops.__version__,
                    "numpy": np.__version__,
                    "pandas": pd.__version__,
                },
                "notes": notes,
                "extra_trusted": extra,
                **card_text,
                "intervals": intervals,
            }
            with self._lock():
                for _ in range(1000):  # another process may take a number first: try the next
                    existing = [int(v[1:]) for v in self.versions()]
                    version = f"v{max(existing, default=0) + 1}"
                    card = ModelCard(version=version, **base)
                    _write_json(tmp / CARD_FILE, card.to_dict())
                    try:
                        os.rename(tmp, self.root / version)  # atomic: complete or absent
                    except OSError:
                        if (self.root / version).exists():
                            continue
                        raise
                    _fsync_dir(self.root)
                    return card
            raise RegistryError(f"could not find a free version number in {self.root}")
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)

    # ----------------------------------------------------------------- aliases

    def _events(self) -> list[dict[str, Any]]:
        path = self.root / ALIAS_LOG
        if not path.exists():
            return []
        try:
            events = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise RegistryError(f"the alias log {path} cannot be read ({exc})") from None
        if not isinstance(events, list):
            raise RegistryError(f"the alias log {path} is not a list of events")
        return events

    @staticmethod
    def _stacks(events: list[dict[str, Any]]) -> dict[str, list[str]]:
        """Replay the log: each alias's versions, current last (promote pushes, rollback pops)."""
        stacks: dict[str, list[str]] = {}
        for e in events:
            stack = stacks.setdefault(e["alias"], [])
            if e["action"] == "promote":
                stack.append(e["version"])
            elif e["action"] == "rollback" and stack:
                stack.pop()
        return {a: s for a, s in stacks.items() if s}

    def aliases(self) -> dict[str, str]:
        """Each alias and the version it points to now, e.g. ``{"production": "v2"}``."""
        return {a: s[-1] for a, s in self._stacks(self._events()).items()}

    def history(self, alias: str | None = "production") -> list[dict[str, Any]]:
        """The log of promotions and rollbacks of ``alias`` (every alias if None), oldest first.

        Each event: ``time`` (UTC), ``alias``, ``action`` ("promote" or "rollback"),
        ``version`` (where the alias points afterwards), ``previous`` (before).
        """
        events = self._events()
        return [dict(e) for e in events if alias is None or e["alias"] == alias]

    def promote(self, version: str, alias: str = "production") -> ModelCard:
        """Point ``alias`` at ``version`` (a version name, or another alias); return its card.

        Promoting the version the alias already points to changes nothing.
        """
        _check_alias(alias)
        with self._lock():
            target = self.resolve(version)
            events = self._events()
            stack = self._stacks(events).get(alias, [])
            previous = stack[-1] if stack else None
            if previous != target:
                self._append(events, alias, "promote", target, previous)
            return self.card(target)

    def rollback(self, alias: str = "production") -> ModelCard:
        """Move ``alias`` back to the version it pointed to before its last promotion.

        Raises :class:`RegistryError` if there is nothing to go back to.
        """
        _check_alias(alias)
        with self._lock():
            events = self._events()
            stack = self._stacks(events).get(alias, [])
            if len(stack) < 2:
                where = f"it points to {stack[-1]} only" if stack else "it was never promoted"
                raise RegistryError(
                    f"cannot roll back {alias!r}: {where}; promote a version instead "
                    f"(versions: {', '.join(self.versions()) or 'none'})"
                )
            self._append(events, alias, "rollback", stack[-2], stack[-1])
            return self.card(stack[-2])

    def _append(
        self, events: list, alias: str, action: str, version: str, previous: str | None
    ) -> None:
        event = {
            "time": datetime.now(UTC).isoformat(timespec="microseconds"),
            "alias": alias,
            "action": action,
            "version": version,
            "previous": previous,
        }
        _write_json(self.root / ALIAS_LOG, [*events, event])

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        """One writer at a time: a thread lock, and a file lock between processes (POSIX)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with _LOCAL_LOCK, open(self.root / ".lock", "a+b") as fh:
            try:
                import fcntl
            except ImportError:  # pragma: no cover - Windows: the thread lock only
                yield
                return
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


# --------------------------------------------------------------------------- helpers


def sha256_file(path: str | os.PathLike) -> str:
    """The sha256 of a file's bytes, as hex."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def verify_file(path: Path, card: ModelCard) -> None:
    """Raise :class:`ModelIntegrityError` unless the file is exactly what the card describes."""
    if not path.is_file():
        raise ModelIntegrityError(
            f"the model file {path} is missing; load another version or register the model again"
        )
    size = path.stat().st_size
    found = sha256_file(path)
    if found == card.model_sha256:
        return
    what = (
        f"truncated ({size} of {card.model_bytes} bytes)"
        if size < card.model_bytes
        else "changed since it was registered"
    )
    raise ModelIntegrityError(
        f"refusing to load {path}: the file is {what} - its sha256 is {found[:12]}..., "
        f"the model card says {card.model_sha256[:12]}.... Do not use it: load another "
        "version, or register the model again from its training code"
    )


def fingerprint(X: pd.DataFrame, y: pd.Series | None = None) -> str:
    """sha256 of a table in a canonical form: same data -> same fingerprint.

    The canonical form is CSV with the columns in name order, the rows in their order,
    numbers written exactly (17 significant digits), missing values empty, no index - so
    it does not depend on dtypes (category vs text) or the pandas version.

    >>> a = pd.DataFrame({"x": [1.0, None], "s": ["a", "b"]})
    >>> fingerprint(a) == fingerprint(a[["s", "x"]].astype({"s": "category"}))
    True
    """
    if not isinstance(X, pd.DataFrame):
        raise TypeError(f"expected the training table as a DataFrame, got {type(X).__name__}")
    table = X.copy()
    table.columns = [str(c) for c in table.columns]
    if y is not None:
        table["__label__"] = pd.Series(y).to_numpy()
    table = table[sorted(table.columns)]
    for c in table.columns:
        if isinstance(table[c].dtype, pd.CategoricalDtype) or table[c].dtype == object:
            table[c] = table[c].astype(object)
    text = table.to_csv(index=False, lineterminator="\n", float_format="%.17g", na_rep="")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _check_pipeline(pipeline: Any, X_train: Any) -> None:
    if not isinstance(X_train, pd.DataFrame):
        raise TypeError(
            f"X_train must be the training table (a DataFrame), got {type(X_train).__name__}"
        )
    if len(X_train) == 0:
        raise ValueError("X_train is empty; pass the rows the pipeline was fitted on")
    if not hasattr(pipeline, "predict_proba"):
        raise TypeError(
            f"expected a fitted classifier or pipeline with predict_proba, "
            f"got {type(pipeline).__name__}"
        )
    classes = getattr(pipeline, "classes_", None)
    if classes is None:
        raise ValueError("the pipeline is not fitted yet: call .fit(X_train, y_train) first")
    if POSITIVE not in [str(c) for c in classes]:
        raise ValueError(
            f"the pipeline's classes are {list(map(str, classes))}; expected 'apple' and "
            "'banana' (fit it on the fruit column)"
        )
    seen = getattr(pipeline, "feature_names_in_", None)
    if seen is not None and list(map(str, seen)) != [str(c) for c in X_train.columns]:
        raise ValueError(
            "X_train's columns are not the ones the pipeline was fitted on: "
            f"fitted on {list(map(str, seen))}, got {[str(c) for c in X_train.columns]}"
        )
    try:
        pipeline.predict_proba(X_train.head(5))
    except Exception as exc:
        raise ValueError(
            f"the pipeline cannot predict on X_train ({type(exc).__name__}: {exc}); "
            "is it fitted, on these columns?"
        ) from None


def _check_metrics(metrics: Any) -> dict[str, Any]:
    if not isinstance(metrics, Mapping):
        raise TypeError(
            f"metrics must be a dict like {{'accuracy': 0.83}}, got {type(metrics).__name__}"
        )
    out: dict[str, Any] = {}
    for k, v in metrics.items():
        if isinstance(v, bool) or not isinstance(v, numbers.Real):
            raise TypeError(f"metric {k!r} must be a number, got {v!r}")
        value = float(v)
        if value != value:
            raise ValueError(f"metric {k!r} is NaN; compute it before registering")
        out[str(k)] = value
    return out


def _check_card_text(intended_use: Any, out_of_scope: Any, limitations: Any) -> dict[str, Any]:
    """The card's words for people, checked: a str and two lists of str."""
    if not isinstance(intended_use, str):
        raise TypeError(
            f"intended_use must be a sentence (a str), got {type(intended_use).__name__}"
        )
    out: dict[str, Any] = {"intended_use": intended_use.strip()}
    for name, items in (("out_of_scope", out_of_scope), ("limitations", limitations)):
        if isinstance(items, str) or not isinstance(items, Iterable):
            raise TypeError(
                f"{name} must be a list of sentences, e.g. ['...', '...'], got "
                f"{type(items).__name__}"
            )
        items = list(items)
        bad = [item for item in items if not isinstance(item, str) or not item.strip()]
        if bad:
            raise TypeError(f"every item of {name} must be a non-empty str, got {bad[0]!r}")
        out[name] = [item.strip() for item in items]
    return out


def _check_intervals(intervals: Any, metrics: Mapping[str, float]) -> dict[str, Any]:
    """Each metric's 95 % interval as ``[low, high]`` around its value; ``"method"`` a str."""
    if intervals is None:
        return {}
    if not isinstance(intervals, Mapping):
        raise TypeError(
            "intervals must be a dict like {'expected_cost': [0.025, 0.030], 'method': "
            f"'bootstrap'}}, got {type(intervals).__name__}"
        )
    out: dict[str, Any] = {}
    for k, v in intervals.items():
        if k == "method":
            if not isinstance(v, str):
                raise TypeError(f"intervals['method'] must be a str, got {v!r}")
            out[k] = v
            continue
        if k not in metrics:
            raise ValueError(
                f"interval {k!r} names no metric of this card (metrics: {sorted(metrics)})"
            )
        ok = (
            isinstance(v, list | tuple)
            and len(v) == 2
            and all(isinstance(x, numbers.Real) and not isinstance(x, bool) for x in v)
        )
        if not ok:
            raise TypeError(f"interval {k!r} must be [low, high], two numbers; got {v!r}")
        low, high = float(v[0]), float(v[1])
        if not low <= metrics[k] <= high:
            raise ValueError(
                f"interval {k!r} [{low}, {high}] does not contain the metric's value "
                f"{metrics[k]}; compute both from the same rows"
            )
        out[str(k)] = [low, high]
    return out


def _contract(contract: Any) -> tuple[dict[str, Any] | None, float]:
    if contract is None:
        return None, 0.5
    from .contract import Contract

    if isinstance(contract, Mapping):
        known = {f.name for f in fields(Contract)}
        try:
            contract = Contract(**{k: v for k, v in contract.items() if k in known})
        except TypeError as exc:
            raise TypeError(f"the contract dict is incomplete or wrong: {exc}") from None
    if not isinstance(contract, Contract):
        raise TypeError(
            f"contract must be a Contract (course_utils.contract.load()) or None, "
            f"got {type(contract).__name__}"
        )
    return asdict(contract), round(float(contract.best_threshold()), 10)


def _check_alias(alias: Any) -> None:
    if not isinstance(alias, str) or not _ALIAS.match(alias) or _VERSION.match(alias):
        raise RegistryError(
            f"an alias is a short name like 'production' or 'staging' (letters, digits, - and _, "
            f"not a version like 'v2'), got {alias!r}"
        )
    if alias == "latest":
        raise RegistryError("'latest' always means the newest version; choose another alias")


def _write_json(path: Path, data: Any) -> None:
    """Write JSON atomically: a temporary file in the same folder, then os.replace."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _fsync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _fmt(v: Any) -> str:
    return f"{v:.4g}" if isinstance(v, float) else str(v)
