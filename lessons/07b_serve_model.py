# ruff: noqa: E402

# %% [markdown]
# # 07b · Deploy: serve the model
#
# *Serve the registered model over HTTP, refuse bad input, log every prediction - and write
# the client a till needs to ask it.*
#
# **Learning objectives.** By the end of this notebook you can
#
# * start a prediction [service](glossary:service) and call it over HTTP:
#   its health, its model card, one visit and a [batch](glossary:batch-prediction);
# * read a refused request (a [4xx status](glossary:4xx-status-code)) and fix it;
# * write a client function that sends a visit and handles every answer of the service;
# * query the [prediction log](glossary:prediction-log) with SQL;
# * use a small app that is just one more client of the service.
#
# **Estimated time:** 60 minutes.

# %% [markdown]
# ## Where we start
#
# Notebook 07a saved the tuned pipeline in a registry, with its model card, and promoted
# it to `production`. If you ran it, we open that registry; if not,
# `checkpoints.production_registry()` registers and promotes the same model, as 07a does.

# %% tags=["hidden"]
from threadpoolctl import threadpool_limits

threadpool_limits(limits=1)  # one thread per library: quicker on a small, shared machine

# %%
import json

import pandas as pd
from IPython.display import display

from course_utils import checkpoints, paths

registry = checkpoints.production_registry()
X_test, _ = checkpoints.xy(checkpoints.split()[1])  # the test rows: visits to send
print(registry.aliases())

# %% [markdown]
# ## 1. Start the service
#
# The **prediction service** is a small web server (FastAPI): it loads the `production`
# model from the registry - checking the file's sha256 and its types against our trusted
# list - and answers HTTP requests. A notebook can't run a server in the foreground
# without blocking, so `start_in_background` runs it in a background thread and returns
# once it accepts connections. Every prediction it serves is written to a **log** (an
# SQLite file); the collapsed cell below empties it first, so your counts match the text.

# %% tags=["hidden"]
previous = globals().get("srv")
if previous is not None:  # this cell is run again: stop the service started the first time
    previous.stop()
log_path = paths.work_dir() / "predictions_07.sqlite"
for old in paths.work_dir().glob("predictions_07.sqlite*"):
    old.unlink()  # start with an empty log, so your counts match the text

# %% tags=["volatile-output"]
from course_utils import service

srv = service.start_in_background(registry, alias="production", log_path=log_path)
print(srv)

# %% [markdown]
# The address is `srv.url`: `127.0.0.1` is this computer, and the port is a free one the
# system picked. Any program on this computer can now call it (on a server, the tills
# would). Its interactive documentation is at `srv.url + "/docs"`.

# %% [markdown]
# ## 2. Call it over HTTP
#
# We talk to the service with [httpx](https://www.python-httpx.org), an HTTP
# [client](glossary:client) - as any other program would. First: is it up, and which model
# answers?

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
# The card holds the **input schema** that 07a read from the training table: which fields a
# visit must have, and what each may hold.

# %%
# NBVAL_CHECK_OUTPUT
from course_utils.schema import InputSchema

schema = InputSchema.from_dict(served_card["input_schema"])
print("\n".join(f"{f.name:<15} {f.describe()}" for f in schema.features))

# %% [markdown]
# `weekday` counts from Monday = 0 to Sunday = 6; yes/no fields take `true`/`false`; prices
# are in euros and temperatures in °C. Anything else will be refused.

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
# NBVAL_CHECK_OUTPUT
few = X_test.head(5)
batch = {"visits": json.loads(few.to_json(orient="records"))}
response = httpx.post(srv.url + "/predict", json=batch)
shown = few[["store", "hour", "age", "has_kids"]].reset_index(drop=True)
print(shown.join(pd.DataFrame(response.json()["predictions"])[["p_banana", "decision"]]))

# %% [markdown]
# One answer per visit, in the order sent. Notice the third visit: whether the customer
# has children is unknown (`NaN` here, `null` in the JSON). The service accepts it,
# because the schema allows that field to be unknown, and the pipeline imputes it as it
# did in training.
#
# ### Exercise 2: send a valid request
#
# Now build a request yourself, for the visit described below. The check validates it
# against the served model's input schema, then sends it. Stuck? `q2.hint()`.

# %%
from course_utils.exercises.nb07 import q2, q3, q4, wrapup_b

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
# ## 3. When the service says no
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
# **422** is one of the **4xx** statuses: *your request is wrong* (a
# [5xx](glossary:5xx-status-code) would say *the service failed*). The body lists every
# problem, with the rule and the value sent, so the fix is obvious: the store is the
# Station, the age 23.

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

# %% [markdown]
# ## 4. The prediction log
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
# 308: the Station commuter, the batch of five, the Riverside visit of exercise 2, the
# fixed request and the 300 of the morning - and none of the refused requests. (One fewer
# if you skipped exercise 2; one more each time you re-ran its passing check.)

# %% [markdown]
# Each row keeps the visit as JSON text in `inputs`; SQLite's `json_extract(inputs,
# '$.store')` reads one field out of it. One `GROUP BY` summarises the log per decision:
# how many, and how sure the model was.

# %%
# NBVAL_CHECK_OUTPUT
per_decision = pd.read_sql_query(
    """
    SELECT decision, COUNT(*) AS predictions,
           ROUND(MIN(p_banana), 2) AS lowest_p, ROUND(MAX(p_banana), 2) AS highest_p
    FROM predictions
    GROUP BY decision
    """,
    con,
)
print(per_decision.to_string(index=False))

# %% [markdown]
# The banana decisions are all confident - a banana is only offered from 0.75 up - while
# the apple decisions hold every visit the model was unsure about, from "surely an apple"
# to "probably a banana, but not sure enough".
#
# ### Exercise 3: query the log

# %%
display(q3)

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
q3.check(station_bananas, log_path=log_path)

# %%
con.close()

# %% [markdown]
# Notebook 08 reads the same log with `predlog.read_log`, as a table with one column per
# input field, and joins to it the fruit each customer really bought - days later
# ([delayed labels](glossary:delayed-labels)).

# %% [markdown]
# ## 5. A client for the till
#
# Every till that asks the service runs the same few steps: send the visit, look at the
# **status code**, then use the answer - or say why there is none. You did each step by
# hand above; now write them once, as a function any till can call.
#
# ### Exercise 4: build `ask_service`
#
# The specification is the docstring below (and `display(q4)`, in full). Two rules matter
# most: **look at the status before reading the answer**, and **never send a refused
# request again**: the same request gets the same refusal. A **5xx** says the service itself
# failed (**503**, *service unavailable*, while it restarts) - not the visit's fault. The
# check runs your function on visits you have not seen, against the real service and
# stand-in services that answer 422, 400 and 503. Stuck? `q4.hint()`.

# %%
display(q4)


# %% tags=["build"]
def ask_service(visit, url):
    """Send `visit` (a dict, left unchanged) once, as JSON, to `url` + "/predict".

    - status 200: return response.json()["predictions"][0] (p_banana, decision);
    - a 4xx (400-499): raise ValueError naming the field and message of every
      problem in the body's "errors";
    - any other status (a 5xx): raise RuntimeError with the status and "detail".
    """
    # BEGIN SOLUTION
    response = httpx.post(url + "/predict", json=visit)
    if response.status_code == 200:
        return response.json()["predictions"][0]
    body = response.json()
    if 400 <= response.status_code < 500:
        problems = "; ".join(f"{e['field']} {e['message']}" for e in body["errors"])
        raise ValueError(f"refused ({response.status_code}): {problems}")
    raise RuntimeError(f"the service failed ({response.status_code}): {body['detail']}")
    # STUDENT: return ...  # your code here
    # END SOLUTION


q4.check(ask_service, url=srv.url)

# %% [markdown]
# ## 6. The fruit-stand app
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
# Things to try: an age of `230`; an age left blank (unknown); bananas at `-0.30 €`; a
# commuter moved from the Station to Riverside. Below the answer, the app shows the JSON
# it sends - the request your `ask_service` would send.

# %% [markdown]
# Folded below, for pages where the app does not show: what it shows for its first visit -
# the commuter at 8 in the morning - made by the same two functions, as text.

# %%
# NBVAL_CHECK_OUTPUT
from course_utils.widgets import StaticCopy

result = app.call_service(srv.url, app.build_request(app.DEFAULT_FIELDS))
display(StaticCopy(text=app.describe(result), summary="Static copy of the app's first answer"))

# %% [markdown]
# ## 7. Stop the service
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
# A real deployment runs the same service as a program of its own, on a server, with the
# same registry behind it - the code does not change.
#
# ## Wrap-up quiz
#
# Six questions on this notebook and the ones before it. Answer each with a letter; the
# check explains every answer you give.

# %%
display(wrapup_b)

# %% tags=["quiz"]
# BEGIN SOLUTION
answers = {1: "b", 2: "c", 3: "a", 4: "c", 5: "a", 6: "b"}
# STUDENT: answers = {1: ..., 2: ..., 3: ..., 4: ..., 5: ..., 6: ...}
# END SOLUTION
wrapup_b.check(answers)

# %% [markdown]
# ## Recap
#
# In this notebook you
#
# * started the service and called it over HTTP: health, model card, one visit, a batch;
# * read a refused request (422: an age of 230 and an unknown store) and fixed it - the
#   service refuses bad input instead of guessing, and logs nothing;
# * queried the prediction log with SQL: counts, the latest predictions, decisions by
#   confidence;
# * wrote `ask_service`, a client that looks at the status first, returns the prediction,
#   and raises the service's own reasons for a refusal or a failure - never retrying a 4xx;
# * used the fruit-stand app, a thin client of the same service - then stopped the
#   service, and started it again for the app.
#
# **Next:** [08a · Monitor: detect drift](08a_detect_drift.ipynb) - months of production traffic
# go through the service: drift metrics, labels that arrive late, and alerts that fire when the
# world changes.
