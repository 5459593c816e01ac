# ruff: noqa: E402

# %% [markdown]
# # 07a · Deploy: save and register the model
#
# *Put the tested model in a safe file, with its model card, in a registry - ready to be
# served in notebook 07b.*
#
# **Learning objectives.** By the end of this notebook you can
#
# * explain why a model file you received must never be loaded with
#   [`pickle`](glossary:pickle), and how a [skops](glossary:skops) file and a list of
#   **trusted types** avoid the danger;
# * explain why a saved pipeline may only use functions that can be imported from a
#   package;
# * register a model **version** in a [registry](glossary:registry) with its
#   [model card](glossary:model-card) - when, on what data, how good, against which
#   contract, for which inputs - and [promote](glossary:promote) it to `production` with
#   an [alias](glossary:alias).
#
# **Estimated time:** 40 minutes.

# %% [markdown]
# ## Where we start
#
# Notebook 06 gave its verdict on the tuned model: **deploy** - put it to work where the
# shop's programs can use it. To deploy it we need three things from earlier notebooks:
# the **success contract** (notebook 01), the **training and test rows** (notebook 03) and
# the **tuned pipeline** (notebook 05), fitted on the training rows only. The checkpoints
# rebuild them if you start here.

# %% tags=["hidden"]
from threadpoolctl import threadpool_limits

threadpool_limits(limits=1)  # one thread per library: quicker on a small, shared machine

# %%
import json

import numpy as np
import pandas as pd
from IPython.display import display

from course_utils import checkpoints, contract, paths

signed = contract.load()
train, test = checkpoints.split()
X_train, y_train = checkpoints.xy(train)
X_test, y_test = checkpoints.xy(test)
model = checkpoints.tuned_model()  # notebook 05's pipeline, fitted on X_train, y_train

# %% tags=["volatile-output"]
display(model)  # the whole pipeline: notebook 03's preparation, then the logistic regression

# %% [markdown]
# Right now the model lives in this notebook's memory. Close the notebook and it is gone;
# and no till, app or colleague can ask it anything. Deploying means: save it as a file
# that can be loaded safely elsewhere, describe it, and put it behind an address that
# any program can call.

# %% [markdown]
# ## 1. Why not pickle?
#
# Python's `pickle` turns almost any object into bytes and back, and many tutorials save
# models with it. But to rebuild an object, a pickle tells the loader *which function to
# call, with which arguments* - any function. Here is a harmless object whose pickle calls
# `print`. A malicious one would name a function that deletes files or sends your
# passwords away.

# %%
import pickle


class Surprise:
    """An object whose pickle says: 'to rebuild me, call print(...)'."""

    def __reduce__(self):
        return (print, ("Hello from inside the file! I could have run any command instead.",))


received = pickle.dumps(Surprise())  # the bytes someone sends you, e.g. "model.pkl"
print(f"{len(received)} bytes received - they look like any other file")

# %% [markdown]
# Now load it, as a tutorial would tell you to:

# %%
# NBVAL_CHECK_OUTPUT
loaded = pickle.loads(received)  # loading runs the function the file names
print("what we got back:", loaded)

# %% [markdown]
# The line was printed *while loading*: the code ran before we could look at what we got
# (which is `None`, the result of `print`). **Loading a pickle is running a program.** So
# never unpickle a file from a source you do not trust - a colleague's e-mail, a download,
# a shared drive - however much it looks like "just a model".
#
# ### Exercise 1: a model file from a colleague

# %%
from course_utils.exercises.nb07 import q1, wrapup_a

display(q1)

# %%
# BEGIN SOLUTION
answer_q1 = "c"
# END SOLUTION
q1.check(answer_q1)

# %% [markdown]
# ## 2. skops: a model file that says what it contains
#
# [skops](https://skops.readthedocs.io) saves a scikit-learn pipeline as *data*, not as
# instructions. Before loading, you can ask a skops file which types it would build beyond
# the everyday ones (lists, arrays, scikit-learn's common estimators), and loading builds
# only the types you have explicitly trusted. Let us save our pipeline to a scratch file
# and ask:

# %%
import skops.io as sio

scratch = paths.work_dir() / "scratch_07.skops"
sio.dump(model, scratch)
needed = sio.get_untrusted_types(file=scratch)
for name in needed:
    print(name)

# %% [markdown]
# These types need a decision. Our model registry (next section) decides by a rule:
# **classes** of scikit-learn and a few numpy types are trusted - building them runs no
# code of the file's choosing. A **function** is different: calling it can do anything.

# %%
from course_utils.registry import is_trusted_type

for name in needed:
    status = "trusted by the rule" if is_trusted_type(name) else "NOT trusted by the rule"
    print(f"{name:<68} {status}")

# %% [markdown]
# `numpy.dtype` describes a number type (gradient-boosted trees would add a `TreePredictor`
# here, the class that holds their trees). The other one is **our own function**: notebook
# 03's `add_features` (prices relative to each other, rush hours at the Station, ...),
# which the pipeline calls first. We wrote it, it lives in the course's package
# (`course_utils/features.py`) where anyone can read it, so we trust it - explicitly, by
# name. That list is ours to keep:

# %%
OUR_FUNCTIONS = ["course_utils.features.add_features"]  # functions we wrote and trust

# %% [markdown]
# Why does `add_features` live in a package, and not in a notebook cell as in notebook
# 03? Watch what skops records for a function defined here, in this notebook:

# %%
from sklearn.preprocessing import FunctionTransformer

from course_utils import features


def add_features_here(X):
    """The same features - but defined in this notebook."""
    return features.add_features(X)


sio.dump(FunctionTransformer(add_features_here), scratch)
print(sio.get_untrusted_types(file=scratch))
scratch.unlink()  # the scratch file has done its job

# %% [markdown]
# The file only stores the function's *name*: `__main__.add_features_here`, where
# `__main__` is this notebook's own memory. The service is another program (later,
# another computer): it cannot import anything from this notebook, so it could never load
# that pipeline - nor could a colleague, or you tomorrow after a restart. A saved pipeline
# may only use functions that can be **imported** from a package.

# %% [markdown]
# ### In your own words
#
# **A teammate's pipeline uses `FunctionTransformer(clean_prices)`, with `clean_prices`
# defined in their notebook. It works in the notebook. What will happen when the service
# loads the saved pipeline, and what should the teammate change?** One or two sentences.

# %% [markdown] tags=["solution"]
# The file only names `__main__.clean_prices`, which exists in the teammate's notebook and
# nowhere else, so the service cannot load the pipeline (and skops would not build an
# untrusted function anyway). Move `clean_prices` into an importable module of the project,
# build the pipeline with that one, and trust it by name.

# %% [markdown]
# ## 3. Register the model with its model card
#
# A **registry** keeps every model we deploy as a numbered **version**, never overwritten,
# each with a **model card**: what it is, when it was made, on which data, how good it is,
# under which contract, and which inputs it accepts. Months from now, when someone asks
# "which model made this prediction, and was it any good?", the card answers.
#
# First, how good is it, and for what? Notebook 06 measured it on the test rows - with
# 95 % intervals - and wrote down what the model is for, what it is not for, and its
# limitations. If you ran notebook 06, its verdict is in your work folder and we read it;
# otherwise we recompute the numbers the same way: one pass over the test rows, decided at
# the contract's threshold, and the same bootstrap (1,000 resamples, seed 0) for the
# intervals. That bookkeeping sits in the collapsed cell below; the next one prints the
# result.

# %% tags=["hidden"]
threshold = signed.best_threshold()  # predict banana when P(banana) >= 0.75
verdict_file = paths.work_dir() / "verdict_06.json"
verdict = None
if verdict_file.exists():
    verdict = json.loads(verdict_file.read_text(encoding="utf-8"))
if verdict is not None and "accuracy_at_threshold" in verdict.get("test_metrics", {}):
    measured = verdict["test_metrics"]  # notebook 06 was run: use its verdict
    cost, accuracy = measured["expected_cost"], measured["accuracy_at_threshold"]
    card_words = {key: verdict.get(key) for key in ("intended_use", "out_of_scope", "limitations")}
    intervals = verdict.get("intervals_95", {})
    print("test metrics read from notebook 06's verdict")
else:  # recompute, as notebook 06 does
    banana_column = list(model.classes_).index("banana")
    proba_test = model.predict_proba(X_test)[:, banana_column]
    decided = np.where(proba_test >= threshold, "banana", "apple")
    false_bananas = ((decided == "banana") & (y_test == "apple")).sum()
    false_apples = ((decided == "apple") & (y_test == "banana")).sum()
    cost = signed.cost_false_banana * false_bananas + signed.cost_false_apple * false_apples
    cost = cost / len(y_test)
    accuracy = (decided == y_test).mean()
    cost_per_visit = np.where(
        (decided == "banana") & (y_test == "apple"), signed.cost_false_banana, 0.0
    ) + np.where((decided == "apple") & (y_test == "banana"), signed.cost_false_apple, 0.0)
    right = (decided == y_test).to_numpy(dtype=float)
    rng, n = np.random.default_rng(0), len(y_test)
    draws = [rng.integers(0, n, n) for _ in range(1000)]  # notebook 06's resamples
    intervals = {
        "expected_cost": np.percentile([cost_per_visit[d].mean() for d in draws], [2.5, 97.5]),
        "accuracy_at_threshold": np.percentile([right[d].mean() for d in draws], [2.5, 97.5]),
        "method": "bootstrap of the test visits, 1,000 resamples, seed 0, percentiles",
    }
    card_words = {  # as notebook 06 writes them; its slices were not recomputed here
        "intended_use": "Decide, visit by visit, whether the fruit stands of the chain's "
        f"three stores offer a banana (P(banana) >= {threshold:.2f}) or an apple, under the "
        "success contract.",
        "out_of_scope": [
            "other stores, other products or other customers' decisions than apple or banana",
            "inputs outside the ranges of the training year (prices, temperatures)",
            "deciding at another threshold than the contract's without re-judging the costs",
        ],
        "limitations": [
            "temperature is learned as a straight line; the world's effect is a hinge (06)",
            "the slices of notebook 06 (weakest: unknown ages) were not recomputed here",
        ],
    }
    print("test metrics recomputed on the test rows")
test_metrics = {  # both at the contract's threshold
    "expected_cost": round(float(cost), 6),  # euros per visit
    "accuracy_at_threshold": round(float(accuracy), 6),
}
card_intervals = {  # each metric's 95 % interval [low, high], and how it was computed
    k: v if k == "method" else [round(float(x), 6) for x in v]
    for k, v in intervals.items()
    if k in test_metrics or k == "method"
}

# %%
print(f"expected cost {cost:.4f} € per visit, accuracy at {threshold:.2f}: {accuracy:.3f}")

# %%
# NBVAL_CHECK_OUTPUT
print(f"judged on {len(y_test):,} test visits")
print(f"meets the contract (at most {signed.minimum} € per visit): {signed.is_met(cost)}")

# %% [markdown]
# On 3,815 visits it has never seen, the model costs well under the contract's 0.042 € per
# visit. Now we register the pipeline with everything its card needs. `register` saves the
# skops file, loads it back with our trusted list and checks that it predicts exactly like
# the original - before anything is written.

# %% tags=["volatile-output"]
from course_utils.registry import Registry

registry = Registry(extra_trusted=OUR_FUNCTIONS)  # a folder in your work folder
card = registry.register(
    model,
    X_train=X_train,
    y_train=y_train,
    metrics=test_metrics,
    contract=signed,
    notes=f"Notebook 05's tuned pipeline; metrics on the {len(y_test):,} test visits (06).",
    intervals=card_intervals,
    **card_words,
)
print(card.summary())

# %% [markdown]
# The summary names the **version**, the **time** it was created (UTC) and a
# [fingerprint](glossary:fingerprint) of the training data: a hash of every training row
# and label. Retrain on other data, even one changed value, and the fingerprint changes -
# so the card says exactly which data this version learned from. The sha256 of the model
# file lets the registry refuse a file that was changed or damaged afterwards.
#
# The card also keeps the metrics - each with its 95 % interval, all measured at the
# contract's threshold - the contract they were judged by, and, for people, what the model
# is for, what it is not for and its limitations (from notebook 06):

# %%
# NBVAL_CHECK_OUTPUT
print(f"version:       {card.version}")
print(f"trained on:    {card.training_data['rows']:,} visits, labels included")
for name, value in card.metrics.items():
    low, high = card.intervals[name]
    print(f"metric:        {name} {value:.3f} (95 % interval {low:.3f} to {high:.3f})")
print(f"contract:      {card.contract['metric']}, at most {card.contract['minimum']} € per visit")
print(
    f"costs:         false banana {card.contract['cost_false_banana']} €, "
    f"false apple {card.contract['cost_false_apple']} €"
)
print(f"decision:      banana when P(banana) >= {card.threshold}")
print(f"intended use:  {card.intended_use}")
print(f"out of scope:  {len(card.out_of_scope)} uses, limitations: {len(card.limitations)}")

# %% [markdown]
# This is `v1`, the first version in your registry (run this notebook again and you get
# `v2`: registering never overwrites). Its decision rule comes from the contract's costs:
# banana when P(banana) ≥ 0.75.
#
# Last, the [input schema](glossary:input-schema): which fields a visit must have, and what
# each may hold. The registry read it from the training table - the categories seen, the
# number ranges (widened to what is plausible: an age from 16 to 110), and which fields
# may be unknown (`null`) because the training rows had gaps the pipeline imputes.

# %%
# NBVAL_CHECK_OUTPUT
schema_table = pd.DataFrame(
    [{"field": f.name, "accepts": f.describe()} for f in card.schema.features]
)
print(schema_table.to_string(index=False))

# %% [markdown]
# `weekday` counts from Monday = 0 to Sunday = 6; yes/no fields take `true`/`false`; prices
# are in euros and temperatures in °C. Anything else will be refused.

# %% [markdown]
# ## 4. Promote it to production
#
# Which version should the service use? Not "the newest": the one we **promote**. An
# alias, `production`, points at a version; moving it is how a new model goes live - and
# moving it back is how we [roll back](glossary:rollback) (notebook 09). Every move is
# logged.

# %%
# NBVAL_CHECK_OUTPUT
registry.promote(card.version, alias="production")
print(registry.aliases())

# %% tags=["volatile-output"]
pd.DataFrame(registry.history("production"))

# %% [markdown]
# The registry, the skops file and its model card stay in your work folder: notebook 07b
# serves this version over [HTTP](glossary:http).
#
# ## Wrap-up quiz
#
# Six questions on this notebook and the ones before it. Answer each with a letter; the
# check explains every answer you give.

# %%
display(wrapup_a)

# %% tags=["quiz"]
# BEGIN SOLUTION
answers = {1: "c", 2: "a", 3: "b", 4: "c", 5: "b", 6: "a"}
# STUDENT: answers = {1: ..., 2: ..., 3: ..., 4: ..., 5: ..., 6: ...}
# END SOLUTION
wrapup_a.check(answers)

# %% [markdown]
# ## Recap
#
# In this notebook you
#
# * saw that loading a pickle runs code, and saved the pipeline with skops instead,
#   trusting by name the one function of ours it needs - an importable one, never a
#   function defined in a notebook;
# * registered the pipeline as `v1` with its model card - time, training-data fingerprint,
#   test metrics (within the contract), the contract, the input schema;
# * promoted it to `production`: the alias a service reads.
#
# **Next:** [07b · Deploy: serve the model](07b_serve_model.ipynb) - start a prediction
# service for this version, call it over HTTP, handle its refusals in a client of your
# own, and read its prediction log.
