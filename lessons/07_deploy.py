# ruff: noqa: E402

# %% [markdown]
# # 07 · Deploy
#
# *Put the tested model to work: save it safely with its model card, serve it over HTTP,
# refuse bad input, log every prediction - and ask it from a small fruit-stand app.*
#
# **Learning objectives.** By the end of this notebook you can
#
# * explain why a model file you received must never be loaded with `pickle`, and how a
#   skops file and a list of **trusted types** avoid the danger;
# * register a model **version** with its **model card** - when, on what data, how good,
#   against which contract, for which inputs - and promote it to `production`;
# * start a prediction **service** and call it over HTTP: its health, its model card, one
#   visit and a batch;
# * read a refused request (a 4xx status) and fix it;
# * query the **prediction log** with SQL;
# * use a small app that is just one more client of the service.
#
# **Estimated time:** 90 minutes.

# %% [markdown]
# ## Where we start
#
# Notebook 06 gave its verdict on the tuned model: **deploy**. To deploy it we need three
# things from earlier notebooks: the **success contract** (notebook 01), the **training and
# test rows** (notebook 03) and the **tuned pipeline** (notebook 05), fitted on the
# training rows only. The checkpoints rebuild them if you start here.

# %%
import json

import numpy as np
import pandas as pd
from IPython.display import display
from threadpoolctl import threadpool_limits

from course_utils import checkpoints, contract, paths

signed = contract.load()
train, test = checkpoints.split()
X_train, y_train = checkpoints.xy(train)
X_test, y_test = checkpoints.xy(test)
with threadpool_limits(limits=1):  # one thread: quicker on a small, shared machine
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
from course_utils.exercises.nb07 import q1, q2, q3, q4

display(q1)

# %%
# BEGIN SOLUTION
answer_q1 = "c"
# END SOLUTION
q1.check(answer_q1)

# %% [markdown]
# Here is what the check says to the most tempting wrong answer, (b):

# %%
q1.check("b")

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
# intervals.

# %%
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
# **fingerprint** of the training data: a hash of every training row and label. Retrain on
# other data, even one changed value, and the fingerprint changes - so the card says
# exactly which data this version learned from. The sha256 of the model file lets the
# registry refuse a file that was changed or damaged afterwards.
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
# Last, the **input schema**: which fields a visit must have, and what each may hold. The
# registry read it from the training table - the categories seen, the number ranges
# (widened to what is plausible: an age from 16 to 110), and which fields may be unknown
# (`null`) because the training rows had gaps the pipeline imputes.

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
# moving it back is how we roll back (notebook 09). Every move is logged.

# %%
# NBVAL_CHECK_OUTPUT
registry.promote(card.version, alias="production")
print(registry.aliases())

# %% tags=["volatile-output"]
pd.DataFrame(registry.history("production"))

# %% [markdown]
# ## 5. Start the service
#
# The **prediction service** is a small web server (FastAPI): it loads the `production`
# model from the registry - checking the file's sha256 and its types against our trusted
# list - and answers HTTP requests. A notebook can't run a server in the foreground
# without blocking, so `start_in_background` runs it in a background thread and returns
# once it accepts connections. Every prediction it serves is written to a **log** (an
# SQLite file); we start from an empty one.

# %% tags=["volatile-output"]
from course_utils import service

log_path = paths.work_dir() / "predictions_07.sqlite"
for old in paths.work_dir().glob("predictions_07.sqlite*"):
    old.unlink()  # start with an empty log, so your counts match the text
srv = service.start_in_background(registry, alias="production", log_path=log_path)
print(srv)

# %% [markdown]
# The address is `srv.url`: `127.0.0.1` is this computer, and the port is a free one the
# system picked. The service is now as real as any web service: any program on this
# computer can call it (on a server, it would listen on the network, and the tills would
# call it). Interactive documentation of every endpoint is at `srv.url + "/docs"` - open
# it in your browser if the notebook runs on your own computer and you are online.

# %% [markdown]
# ## 6. Call it over HTTP
#
# We talk to the service with [httpx](https://www.python-httpx.org), an HTTP client - as
# any other program would. First: is it up, and which model answers?

# %%
# NBVAL_CHECK_OUTPUT
import httpx

health = httpx.get(srv.url + "/health")
print(health.status_code)
print(health.json())

# %% [markdown]
# Status **200** means OK. The service serves `v1` through the alias `production`, and has
# served nothing yet. `GET /model` returns the whole model card, so any client can check
# what it is talking to:

# %%
# NBVAL_CHECK_OUTPUT
served_card = httpx.get(srv.url + "/model").json()
print(sorted(served_card))
print(served_card["version"], served_card["threshold"])

# %% [markdown]
# Now a prediction. One visit is one JSON object with every field of the schema - here, a
# commuter at the Station kiosk on a Tuesday at 8 in the morning. `json=visit` makes httpx
# send the dict as JSON.

# %% tags=["volatile-output"]
visit = {
    "store": "Station",
    "hour": 8,
    "weekday": 1,  # Tuesday (Monday = 0)
    "age": 29,
    "has_kids": False,
    "loyalty_member": False,
    "price_apple": 0.50,
    "price_banana": 0.30,
    "promo": "none",
    "temperature_c": 9.5,
}
response = httpx.post(srv.url + "/predict", json=visit)
print(response.status_code)
response.json()

# %% [markdown]
# The answer names the model version and the threshold, and for each visit a
# `request_id` (the log's key: the real fruit will be joined on it later), the probability
# `p_banana` and the `decision`.

# %%
# NBVAL_CHECK_OUTPUT
answer = response.json()["predictions"][0]
print(f"decision: {answer['decision']}, P(banana) = {answer['p_banana']:.2f}")

# %% [markdown]
# A commuter at rush hour: banana, and a confident one. A till that sends many visits at
# once uses a **batch**: `{"visits": [...]}`. pandas writes rows as JSON records, with
# missing values as `null`:

# %%
few = X_test.head(5)
batch = {"visits": json.loads(few.to_json(orient="records"))}
batch["visits"][0]

# %%
# NBVAL_CHECK_OUTPUT
response = httpx.post(srv.url + "/predict", json=batch)
answers = pd.DataFrame(response.json()["predictions"])
shown = few[["store", "hour", "age", "has_kids"]].reset_index(drop=True)
shown[["p_banana", "decision"]] = answers[["p_banana", "decision"]]
print(response.status_code)
print(shown.round(2).to_string())

# %% [markdown]
# One answer per visit, in the order sent. Notice the third visit: whether the customer
# has children is unknown (`NaN` here, `null` in the JSON). The service accepts it,
# because the schema allows that field to be unknown, and the pipeline imputes it as it
# did in training.
#
# ### Exercise 2: send a valid request

# %%
display(q2)

# %%
# BEGIN SOLUTION
riverside_visit = {
    "store": "Riverside",
    "hour": 11,
    "weekday": 5,
    "age": 34,
    "has_kids": True,
    "loyalty_member": True,
    "price_apple": 0.55,
    "price_banana": 0.30,
    "promo": "banana",
    "temperature_c": 18,
}
# END SOLUTION
q2.check(riverside_visit, url=srv.url)

# %% [markdown]
# A field name the model does not know is a common slip. The check (like the service)
# names it:

# %%
q2.check({"store": "Riverside", "hour": 11, "day": "Saturday"}, url=srv.url)

# %% [markdown]
# ## 7. When the service says no
#
# A new till at the Station kiosk was set up with the vendor's demo store name, "Airport",
# and the assistant typed 230 instead of 23 for the age. The service checks every visit
# against the schema **before** the model sees it:

# %%
# NBVAL_CHECK_OUTPUT
bad_visit = dict(visit, store="Airport", age=230)
response = httpx.post(srv.url + "/predict", json=bad_visit)
print(response.status_code)
for problem in response.json()["errors"]:
    print(f"{problem['field']}: {problem['message']}")

# %% [markdown]
# **422** is one of the **4xx** statuses: *your request is wrong* (a **5xx** would say *the
# service failed*). The body lists every problem, with the rule and the value sent, so
# the fix is obvious: the store is the Station, the age 23.

# %%
# NBVAL_CHECK_OUTPUT
fixed_visit = dict(bad_visit, store="Station", age=23)
response = httpx.post(srv.url + "/predict", json=fixed_visit)
print(response.status_code, response.json()["predictions"][0]["decision"])
print(httpx.get(srv.url + "/health").json())

# %% [markdown]
# Why refuse instead of guessing? A model given an age of 230 or an unknown store still
# returns *a* number - a confident, meaningless one. Refusing protects the decision, and
# the refused request is not logged (`rejected` counts it), so the log holds only real
# predictions. The `served` count includes your answer to exercise 2.
#
# ### Exercise 3: why was this one refused?
#
# The Central store's till sends this visit, and gets a 422:

# %%
# NBVAL_CHECK_OUTPUT
central_visit = dict(visit, store="Central", hour=12, temperature_c=71.6)
response = httpx.post(srv.url + "/predict", json=central_visit)
print(response.status_code)
for problem in response.json()["errors"]:
    print(f"{problem['field']}: {problem['message']}")

# %%
display(q3)

# %%
# BEGIN SOLUTION
answer_q3 = "b"
# END SOLUTION
q3.check(answer_q3)

# %% [markdown]
# Whatever you answered, here is the fix: convert °F to °C, and the same visit is
# accepted.

# %%
# NBVAL_CHECK_OUTPUT
celsius = round((71.6 - 32) * 5 / 9, 1)
response = httpx.post(srv.url + "/predict", json=dict(central_visit, temperature_c=celsius))
print(celsius, response.status_code)

# %% [markdown]
# ## 8. The prediction log
#
# A deployed model must be watched (notebook 08), and watching starts with a record of
# every prediction. Let a busy morning's traffic through first: 300 visits from the test
# rows, in one batch, as a till would send them.

# %%
# NBVAL_CHECK_OUTPUT
morning = {"visits": json.loads(X_test.head(300).to_json(orient="records"))}
response = httpx.post(srv.url + "/predict", json=morning)
print(response.status_code, len(response.json()["predictions"]), "predictions")

# %% [markdown]
# The log is an ordinary SQLite file, so any SQL tool can read it. Its table
# `predictions` has one row per served prediction: `request_id`, `time`, `model_version`,
# `inputs` (the visit as JSON text), `p_banana` and `decision`. How many rows?

# %%
# NBVAL_CHECK_OUTPUT
import sqlite3

con = sqlite3.connect(log_path)
print(pd.read_sql_query("SELECT COUNT(*) AS predictions FROM predictions", con))

# %% [markdown]
# 309: the Station commuter, the batch of five, the Riverside visit of exercise 2, the two
# fixed requests and the 300 of the morning - and none of the refused requests. (One fewer
# if you skipped exercise 2; one more each time you re-ran its passing check.)
# The last few predictions, newest first; the store sits inside the `inputs` JSON, and
# SQLite's `json_extract` reads it out:

# %% tags=["volatile-output"]
pd.read_sql_query(
    """
    SELECT time, model_version, json_extract(inputs, '$.store') AS store, p_banana, decision
    FROM predictions
    ORDER BY rowid DESC
    LIMIT 5
    """,
    con,
)

# %% [markdown]
# ### Exercise 4: query the log

# %%
display(q4)

# %%
# BEGIN SOLUTION
station_bananas = pd.read_sql_query(
    """
    SELECT COUNT(*) AS n FROM predictions
    WHERE decision = 'banana' AND json_extract(inputs, '$.store') = 'Station'
    """,
    con,
).iloc[0, 0]
# END SOLUTION
q4.check(station_bananas, log_path=log_path)

# %% [markdown]
# Whatever you answered, here are the decisions per store - one `GROUP BY`:

# %%
# NBVAL_CHECK_OUTPUT
per_store = pd.read_sql_query(
    """
    SELECT json_extract(inputs, '$.store') AS store, decision,
           COUNT(*) AS predictions, ROUND(AVG(p_banana), 1) AS mean_p_banana
    FROM predictions
    GROUP BY store, decision
    ORDER BY store, decision
    """,
    con,
)
con.close()
print(per_store.to_string(index=False))

# %% [markdown]
# Each store's mix of decisions reflects its clientele (notebook 00). And look at
# `mean_p_banana`: the banana decisions are all confident - a banana is only offered from
# 0.75 up - while the apple decisions hold every visit the model was unsure about, from
# "surely an apple" to "probably a banana, but not sure enough".
#
# For notebook 08, `predlog.read_log` gives the same log as a table, with one column per
# input field, and a column `fruit` for what the customer really bought - empty until the
# labels arrive, days later.

# %% tags=["volatile-output"]
from course_utils import predlog

predlog.read_log(log_path).tail(3)

# %% [markdown]
# ## 9. The fruit-stand app
#
# Finally, something a shop assistant could use: a form with the visit's fields and a
# **Predict** button. The app is just one more client of the service: it builds the same
# JSON you built by hand, sends it over HTTP, and shows the answer - or the service's
# reasons for refusing. It knows nothing about the model, and it checks nothing itself:
# the service is the one gatekeeper.

# %%
from course_utils.widgets import app

stand = app.make_widget(srv.url)
display(stand)

# %% [markdown]
# Things to try: type `230` as the age and press Predict; leave the age blank (unknown);
# make bananas cost `-0.30 €`; move a commuter from the Station to Riverside, or from 8 in
# the morning to 2 in the afternoon. Below the answer, the app shows the JSON it sends.
#
# Under the hood it is two plain functions, which you can call yourself:
# `build_request(fields)` turns the form's fields into the request, and
# `call_service(url, payload)` sends it and returns the answer.

# %%
payload = app.build_request(stand.values())
print(payload)

# %% [markdown]
# The same buttons work from code: set a field's `.value`, then `.click()`. An age of 230,
# in a second copy of the form (so the one above stays as you left it):

# %%
# NBVAL_CHECK_OUTPUT
demo = app.make_widget(srv.url)
demo.controls["age"].value = "230"
demo.button.click()
print(demo.result_text)

# %% [markdown]
# Folded below, for pages where the app does not show: what it shows for its first visit -
# the commuter at 8 in the morning - made by the same two functions, as text.

# %%
# NBVAL_CHECK_OUTPUT
from course_utils.widgets import StaticCopy

result = app.call_service(srv.url, app.build_request(app.DEFAULT_FIELDS))
display(StaticCopy(text=app.describe(result), summary="Static copy of the app's first answer"))

# %% [markdown]
# ## 10. Stop the service
#
# A service runs until it is stopped, and keeps its port busy until then. Stop it, and
# check that the port now refuses connections - then start it again on the same port, so
# that the app above keeps working (it stops for good with the kernel):

# %%
# NBVAL_CHECK_OUTPUT
import socket

srv.stop()
with socket.socket() as probe:
    refused = probe.connect_ex((srv.host, srv.port)) != 0
print(f"service running: {srv.running}; its port refuses connections: {refused}")
srv = service.start_in_background(registry, alias="production", log_path=log_path, port=srv.port)
print(f"started again on the same port: {srv.running}")

# %% [markdown]
# The registry, its model card and the prediction log stay in your work folder. A real
# deployment runs the same service as a program of its own, on a server, with the same
# registry behind it - the code does not change.

# %% [markdown]
# ## Recap
#
# In this notebook you
#
# * saw that loading a pickle runs code, and saved the pipeline with skops instead,
#   trusting by name the one function of ours it needs - an importable one, never a
#   function defined in a notebook;
# * registered the pipeline as `v1` with its model card - time, training-data fingerprint,
#   test metrics (within the contract), the contract, the input schema - and promoted it to
#   `production`;
# * started the service and called it over HTTP: health, model card, one visit, a batch;
# * read refused requests (422: an age of 230, an unknown store, a temperature in °F) and
#   fixed them - the service refuses bad input instead of guessing, and logs nothing;
# * queried the prediction log with SQL: counts, the latest predictions, decisions per
#   store;
# * used the fruit-stand app, a thin client of the same service - then stopped the
#   service, and started it again for the app.
#
# **Next:** [08 · Monitor](08_monitor.ipynb) - months of production traffic go through the
# service: drift metrics, labels that arrive late, and alerts that fire when the world
# changes.
