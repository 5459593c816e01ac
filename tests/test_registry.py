"""The model registry: versions with model cards, safe loading, integrity checks, aliases."""

from __future__ import annotations

import json
import operator
import re
import threading
from datetime import UTC, datetime

import numpy as np
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

from course_utils import checkpoints, contract, registry, world
from course_utils.registry import (
    ModelIntegrityError,
    Registry,
    RegistryError,
    UnknownModelError,
    UntrustedTypesError,
)

CAT = ["store", "promo"]
NUM = [c for c in world.FEATURES if c not in CAT]


def make_pipeline_lr(extra=None) -> Pipeline:
    numeric = [SimpleImputer(strategy="median"), StandardScaler()]
    if extra is not None:
        numeric.insert(1, extra)
    pre = ColumnTransformer(
        [
            ("cat", OneHotEncoder(handle_unknown="ignore"), CAT),
            ("num", make_pipeline(*numeric), NUM),
        ]
    )
    return Pipeline([("pre", pre), ("model", LogisticRegression(max_iter=1000))])


@pytest.fixture(scope="module")
def data():
    train, test = checkpoints.split()
    return train[world.FEATURES], train["fruit"], test[world.FEATURES]


@pytest.fixture(scope="module")
def fitted(data):
    X, y, _ = data
    return make_pipeline_lr().fit(X, y)


@pytest.fixture
def reg(tmp_path):
    return Registry(tmp_path / "registry")


def register(reg, fitted, data, **kw):
    X, _, _ = data
    kw.setdefault("metrics", {"accuracy": 0.72, "expected_cost": 0.05})
    return reg.register(fitted, X_train=X, **kw)


# --------------------------------------------------------------------------- the card's words


def test_the_card_says_what_the_model_is_for_and_how_sure_its_metrics_are(reg, fitted, data):
    card = register(
        reg,
        fitted,
        data,
        contract=contract.DEFAULT,
        metrics={"expected_cost": 0.028, "accuracy_at_threshold": 0.79},
        intended_use=" Decide apple or banana at the chain's three stands. ",
        out_of_scope=["other stores", "prices beyond the training year"],
        limitations=("weakest slice: unknown ages",),
        intervals={"expected_cost": (0.025, 0.030), "method": "bootstrap, 1,000 resamples"},
    )
    assert card.intended_use == "Decide apple or banana at the chain's three stands."
    assert card.out_of_scope == ["other stores", "prices beyond the training year"]
    assert card.limitations == ["weakest slice: unknown ages"]
    assert card.intervals == {
        "expected_cost": [0.025, 0.03],
        "method": "bootstrap, 1,000 resamples",
    }
    text = card.summary()
    assert "metrics at the threshold 0.75" in text
    assert "expected_cost 0.028 (95 % interval 0.025 to 0.03)" in text
    assert "accuracy_at_threshold 0.79," not in text  # no interval given: none shown
    assert "intended use: Decide apple" in text and "weakest slice" in text
    assert "out of scope: other stores; prices beyond" in text
    assert reg.card("v1") == card  # stored and read back
    # an old card without these fields still loads
    old = {k: v for k, v in card.to_dict().items() if k not in {"intervals", "limitations"}}
    assert registry.ModelCard.from_dict(old).limitations == []


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"intended_use": ["a list"]}, TypeError, "intended_use must be a sentence"),
        ({"out_of_scope": "one string"}, TypeError, "out_of_scope must be a list"),
        ({"limitations": ["fine", ""]}, TypeError, "non-empty str"),
        ({"limitations": [3]}, TypeError, "non-empty str"),
        ({"intervals": [0.1, 0.2]}, TypeError, "intervals must be a dict"),
        ({"intervals": {"auc": [0.8, 0.9]}}, ValueError, "names no metric"),
        ({"intervals": {"expected_cost": [0.1]}}, TypeError, "[low, high]"),
        ({"intervals": {"expected_cost": [0.06, 0.07]}}, ValueError, "does not contain"),
        ({"intervals": {"method": 3}}, TypeError, "method"),
    ],
)
def test_bad_card_words_are_refused_before_anything_is_written(
    reg, fitted, data, kwargs, error, words
):
    with pytest.raises(error, match=re.escape(words)):
        register(reg, fitted, data, **kwargs)
    assert reg.versions() == []


# --------------------------------------------------------------------------- register


def test_register_writes_a_complete_version_with_its_card(reg, fitted, data):
    X, _, X_test = data
    card = register(reg, fitted, data, contract=contract.DEFAULT, notes="first model")
    folder = reg.root / "v1"
    assert card.version == "v1" and reg.versions() == ["v1"]
    assert sorted(p.name for p in folder.iterdir()) == ["card.json", "model.skops"]
    on_disk = json.loads((folder / "card.json").read_text())
    assert on_disk == card.to_dict()
    created = datetime.fromisoformat(card.created)
    assert created.tzinfo is not None and created.utcoffset().total_seconds() == 0
    assert abs((datetime.now(UTC) - created).total_seconds()) < 60
    assert card.model_sha256 == registry.sha256_file(folder / "model.skops")
    assert card.model_bytes == (folder / "model.skops").stat().st_size
    assert card.training_data["fingerprint"] == registry.fingerprint(X)
    assert card.training_data["rows"] == len(X) and card.training_data["columns"] == list(X)
    assert card.metrics == {"accuracy": 0.72, "expected_cost": 0.05}
    assert card.contract["cost_false_banana"] == 0.30 and card.threshold == 0.75
    assert card.classes == ["apple", "banana"] and card.notes == "first model"
    assert {"scikit-learn", "skops", "numpy", "pandas", "python"} <= set(card.libraries)
    nullable = {f.name for f in card.schema.features if f.nullable}
    assert nullable == {"age", "has_kids", "temperature_c"}
    assert card.schema.names == world.FEATURES
    assert "v1" in card.summary() and "0.75" in card.summary()
    # no temporary folders left behind
    assert not [p for p in reg.root.iterdir() if p.name.startswith(".incoming")]

    pipeline, loaded = reg.load("v1")
    assert loaded == card
    np.testing.assert_allclose(pipeline.predict_proba(X_test), fitted.predict_proba(X_test))


def test_versions_count_up_and_no_contract_means_threshold_half(reg, fitted, data):
    register(reg, fitted, data, contract=contract.DEFAULT)
    card = register(reg, fitted, data, name="fruit-stand-lr")
    assert card.version == "v2" and card.contract is None and card.threshold == 0.5
    assert reg.versions() == ["v1", "v2"]
    assert [c.version for c in reg.cards()] == ["v1", "v2"]
    assert reg.resolve("latest") == "v2"
    # a contract passed as a dict is accepted too
    assert register(reg, fitted, data, contract=vars(contract.DEFAULT)).threshold == 0.75


def test_fingerprint_is_canonical(data):
    X, y, _ = data
    fp = registry.fingerprint(X)
    assert fp == registry.fingerprint(X[list(reversed(X.columns))])
    assert fp == registry.fingerprint(X.astype({"store": object, "promo": object}))
    changed = X.copy()
    changed.iloc[0, changed.columns.get_loc("age")] = 99.0
    assert registry.fingerprint(changed) != fp
    assert registry.fingerprint(X, y) != fp


def test_concurrent_registrations_get_distinct_versions(reg, fitted, data):
    cards, errors = [], []

    def work():
        try:
            cards.append(register(reg, fitted, data))
        except Exception as exc:  # pragma: no cover - reported by the assert below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(c.version for c in cards) == ["v1", "v2", "v3", "v4"]
    assert reg.versions() == ["v1", "v2", "v3", "v4"]


def test_a_failed_registration_leaves_nothing(reg, fitted, data, monkeypatch):
    register(reg, fitted, data)

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(registry, "_write_json", boom)
    with pytest.raises(OSError, match="disk full"):
        register(reg, fitted, data)
    assert reg.versions() == ["v1"]
    assert sorted(p.name for p in reg.root.iterdir() if not p.name.startswith(".lock")) == ["v1"]


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"pipeline": "unfitted"}, ValueError, "not fitted"),
        ({"pipeline": "string"}, TypeError, "predict_proba"),
        ({"X_train": "array"}, TypeError, "DataFrame"),
        ({"X_train": "other columns"}, ValueError, "columns"),
        ({"metrics": [0.8]}, TypeError, "dict"),
        ({"metrics": {"accuracy": "high"}}, TypeError, "must be a number"),
        ({"metrics": {"accuracy": float("nan")}}, ValueError, "NaN"),
        ({"contract": "strict"}, TypeError, "Contract"),
        ({"name": ""}, TypeError, "name"),
    ],
)
def test_register_refuses_bad_arguments_clearly(reg, fitted, data, kwargs, error, words):
    X, y, _ = data
    args = {"pipeline": fitted, "X_train": X, "metrics": {"accuracy": 0.7}}
    args.update(kwargs)
    if args["pipeline"] == "unfitted":
        args["pipeline"] = make_pipeline_lr()
    elif args["pipeline"] == "string":
        args["pipeline"] = "my model"
    if isinstance(args["X_train"], str):
        args["X_train"] = X.to_numpy() if args["X_train"] == "array" else X.iloc[:, :5]
    pipeline = args.pop("pipeline")
    with pytest.raises(error, match=words):
        reg.register(pipeline, **args)
    assert reg.versions() == []


# --------------------------------------------------------------------------- loading safely


def test_trusted_types_are_an_explicit_list(reg, fitted, data):
    register(reg, fitted, data)
    types = registry.trusted_types(reg.root / "v1" / "model.skops")
    assert types == reg.trusted_types("v1")
    assert types and all(registry.is_trusted_type(t) for t in types)
    assert registry.is_trusted_type("sklearn.linear_model._logistic.LogisticRegression")
    for name in [
        "builtins.eval",
        "os.system",
        "numpy.load",
        "sklearn.utils.validation.check_array",  # a function, not a class
        "sklearn.no_such_module.Thing",
        "sklearnx.Evil",
    ]:
        assert not registry.is_trusted_type(name), name


def test_a_pipeline_with_a_function_needs_explicit_trust(reg, data):
    X, y, _ = data
    logged = make_pipeline_lr(FunctionTransformer(operator.abs)).fit(X, y)
    with pytest.raises(UntrustedTypesError, match="_operator.abs"):
        reg.register(logged, X_train=X, metrics={})
    assert reg.versions() == []
    card = reg.register(logged, X_train=X, metrics={}, extra_trusted=["_operator.abs"])
    assert card.extra_trusted == ["_operator.abs"]
    # the card records what was trusted, but trust is the loader's decision
    with pytest.raises(UntrustedTypesError, match="_operator.abs"):
        reg.load("v1")
    pipeline, _ = reg.load("v1", extra_trusted=["_operator.abs"])
    trusting = Registry(reg.root, extra_trusted=["_operator.abs"])
    assert "_operator.abs" in trusting.trusted_types("v1")
    assert trusting.load("v1")[1] == card
    np.testing.assert_allclose(pipeline.predict_proba(X.head()), logged.predict_proba(X.head()))


def test_a_tampered_model_file_is_refused(reg, fitted, data):
    register(reg, fitted, data)
    path = reg.root / "v1" / "model.skops"
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.raises(ModelIntegrityError) as info:
        reg.load("v1")
    message = str(info.value)
    assert str(path) in message and "changed since it was registered" in message
    assert "register the model again" in message and "\n" not in message


def test_a_truncated_or_missing_model_file_is_refused(reg, fitted, data):
    register(reg, fitted, data)
    register(reg, fitted, data)
    path = reg.root / "v1" / "model.skops"
    size = path.stat().st_size
    path.write_bytes(path.read_bytes()[: size // 3])
    with pytest.raises(ModelIntegrityError, match=rf"truncated \({size // 3} of {size} bytes\)"):
        reg.load("v1")
    (reg.root / "v2" / "model.skops").unlink()
    with pytest.raises(ModelIntegrityError, match="is missing"):
        reg.load("v2")


def test_a_damaged_card_is_refused(reg, fitted, data):
    register(reg, fitted, data)
    (reg.root / "v1" / "card.json").write_text("{half a card")
    with pytest.raises(ModelIntegrityError, match="card.json cannot be read"):
        reg.load("v1")


def test_unknown_names_list_what_exists(reg, fitted, data):
    with pytest.raises(UnknownModelError, match="empty; register a model first"):
        reg.load("production")
    register(reg, fitted, data)
    register(reg, fitted, data)
    reg.promote("v1", alias="staging")
    with pytest.raises(UnknownModelError) as info:
        reg.load("v7")
    assert "Versions: v1, v2" in str(info.value) and "staging -> v1" in str(info.value)
    with pytest.raises(UnknownModelError, match=r"promote a version first.*'production'"):
        reg.load("production")
    with pytest.raises(UnknownModelError, match="expected a version"):
        reg.load(3)
    assert isinstance(info.value, LookupError) and isinstance(info.value, RegistryError)


# --------------------------------------------------------------------------- aliases


def test_promote_rollback_and_history(reg, fitted, data):
    for _ in range(3):
        register(reg, fitted, data)
    assert reg.aliases() == {} and reg.history() == []
    assert reg.promote("v1").version == "v1"
    reg.promote("v2")
    reg.promote("v2")  # already there: no event
    reg.promote("v3")
    reg.promote("v1", alias="staging")
    assert reg.aliases() == {"production": "v3", "staging": "v1"}
    assert reg.load("production")[1].version == "v3"

    assert reg.rollback().version == "v2"
    assert reg.aliases()["production"] == "v2"
    assert reg.rollback().version == "v1"
    with pytest.raises(RegistryError, match="cannot roll back 'production'"):
        reg.rollback()
    with pytest.raises(RegistryError, match="never promoted"):
        reg.rollback("canary")
    reg.promote("production", alias="canary")  # an alias can be promoted by name
    assert reg.aliases()["canary"] == "v1"

    events = reg.history("production")
    assert [(e["action"], e["version"], e["previous"]) for e in events] == [
        ("promote", "v1", None),
        ("promote", "v2", "v1"),
        ("promote", "v3", "v2"),
        ("rollback", "v2", "v3"),
        ("rollback", "v1", "v2"),
    ]
    assert all(datetime.fromisoformat(e["time"]).utcoffset().total_seconds() == 0 for e in events)
    assert len(reg.history(None)) == 7


def test_the_alias_log_is_append_only_and_written_atomically(reg, fitted, data, monkeypatch):
    register(reg, fitted, data)
    register(reg, fitted, data)
    reg.promote("v1")
    log = reg.root / registry.ALIAS_LOG
    before = json.loads(log.read_text())
    reg.promote("v2")
    after = json.loads(log.read_text())
    assert after[: len(before)] == before and len(after) == len(before) + 1
    assert not [p for p in reg.root.iterdir() if p.name.startswith(f".{registry.ALIAS_LOG}")]

    def crash(src, dst):
        raise OSError("power cut")

    monkeypatch.setattr(registry.os, "replace", crash)
    with pytest.raises(OSError, match="power cut"):
        reg.rollback()
    monkeypatch.undo()
    assert json.loads(log.read_text()) == after and reg.aliases() == {"production": "v2"}


@pytest.mark.parametrize("alias", ["v2", "", "prod uction", "latest", 5])
def test_bad_alias_names(reg, fitted, data, alias):
    register(reg, fitted, data)
    with pytest.raises(RegistryError, match="alias"):
        reg.promote("v1", alias=alias)


def test_promote_an_unknown_version(reg, fitted, data):
    register(reg, fitted, data)
    with pytest.raises(UnknownModelError, match="Versions: v1"):
        reg.promote("v9")
    assert reg.aliases() == {}


def test_default_root_is_in_the_work_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_WORK_DIR", str(tmp_path))
    assert Registry().root == tmp_path / "registry"
    (tmp_path / "afile").write_text("x")
    with pytest.raises(RegistryError, match="is a file"):
        Registry(tmp_path / "afile")


def test_the_course_pipeline_needs_its_function_trusted_by_name(tmp_path):
    """The course's pipelines call course_utils.features.add_features: trusted by name only."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from course_utils import checkpoints
    from course_utils.registry import COURSE_FUNCTIONS, Registry, UntrustedTypesError

    train, _ = checkpoints.split()
    X, y = checkpoints.xy(train.head(400))
    pipe = make_pipeline(checkpoints.preprocessor(), LogisticRegression(max_iter=500)).fit(X, y)
    card = Registry(tmp_path, extra_trusted=COURSE_FUNCTIONS).register(
        pipe, X_train=X, metrics={"accuracy": 0.5}
    )
    assert card.to_dict()["extra_trusted"] == list(COURSE_FUNCTIONS)
    with pytest.raises(UntrustedTypesError, match="add_features"):
        Registry(tmp_path).load(card.version)
    loaded, _ = Registry(tmp_path, extra_trusted=COURSE_FUNCTIONS).load(card.version)
    assert (loaded.predict_proba(X) == pipe.predict_proba(X)).all()
