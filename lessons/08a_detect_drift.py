# ruff: noqa: E402

# %% [markdown]
# # 08a · Monitor: detect drift
#
# *Replay a year of production traffic through the deployed model, and write the rule that
# tells a real change in the inputs from the noise a small window makes on its own.*
#
# **Learning objectives.** By the end of this notebook you can
#
# * replay traffic through a deployed model and join the **labels that arrive late** to the
#   predictions, on the request id;
# * compute the **population stability index** (PSI) by hand, and read the KS and
#   chi-square tests - and say why their p-values alone would page someone every day;
# * count the **effective sample size** when rows share a value (a store-day's prices),
#   and tell a PSI from the noise a small window makes on its own;
# * write an **alert rule** as a function, and apply it to another store and another year.
#
# **Estimated time:** 60 minutes.


# %% [markdown]
# ## Where we start
#
# Notebook 07 deployed the tuned model behind a web service. We rebuild that state here:
# the **success contract** (notebook 01), the **training and test rows** (03) and the
# **tuned pipeline** (05), fitted on the training rows - a few seconds.

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display

from course_utils import checkpoints, contract, monitoring, world

signed = contract.load()
train, test = checkpoints.split()
X_train, y_train = checkpoints.xy(train)
X_test, y_test = checkpoints.xy(test)
model = checkpoints.tuned_model()

# %% [markdown]
# Monitoring compares production with what we knew at deployment, so we first need the
# model's scores on the test rows, as notebook 06 measured them. They go into the model
# card, and they are the level the live metric will be compared with. As everywhere in
# the course, both numbers come from the decisions the service makes: banana when
# P(banana) is at least the contract's threshold, 0.75.

# %%
# NBVAL_CHECK_OUTPUT
banana = list(model.classes_).index("banana")
test_scores = monitoring.live_metrics(y_test, model.predict_proba(X_test)[:, banana], signed)
test_metrics = {k: round(test_scores[k], 6) for k in ("expected_cost", "accuracy")}
print(f"on the test rows: expected cost {test_metrics['expected_cost']:.4f} € per visit, ", end="")
print(f"accuracy at {test_scores['threshold']:.2f}: {test_metrics['accuracy']:.3f}")
print(f"contract: at most {signed.minimum} € per visit")

# %% [markdown]
# 0.0278 € per visit, well under the contract's 0.042 € - on rows of the same year and
# mostly the same customers as the training rows. Production is the future, and sometimes
# new people: part b (08b) follows, month by month, whether that promise holds.
#
# Now register the pipeline and promote it to production, as in notebook 07. The pipeline
# calls one function of the course (`add_features`), which we trust explicitly.

# %%
from course_utils.registry import Registry

registry = Registry(extra_trusted=["course_utils.features.add_features"])
card = registry.register(
    model,
    X_train=X_train,
    y_train=y_train,
    metrics=test_metrics,
    contract=signed,
    notes="Notebook 05's tuned pipeline, deployed in notebook 08.",
)
registry.promote(card.version, alias="production")
print(f"{card.version} registered and promoted: the service will serve it")

# %% [markdown]
# The service writes every prediction to a [log](glossary:prediction-log) (an SQLite file). This
# notebook keeps its
# own log in a folder of its own, emptied first - so a re-run starts from scratch and your
# numbers match the text (the folded cell below does that, and stops a service left from an
# earlier run). Then we start the service in the background.

# %% tags=["hidden"]
import shutil

from course_utils import paths

previous = globals().get("server")
if previous is not None:  # this cell is run again: stop the service started the first time
    previous.stop()
monitor_dir = paths.work_dir() / "monitor_08"
shutil.rmtree(monitor_dir, ignore_errors=True)  # an empty log for every run

# %%
import httpx

from course_utils import service

log_path = monitor_dir / "predictions.sqlite"
server = service.start_in_background(registry, alias="production", log_path=log_path)
print(httpx.get(server.url + "/health").json())

# %% [markdown]
# ## 1. A year of production traffic
#
# The world is simulated, so we can play the year after deployment in advance: twelve
# months of about 2,000 visits each. Each month follows a script - one change at a time.
# **The monitor does not know the script.** Our job in this notebook: find out whether the
# monitor catches each change, and only those.

# %%
# NBVAL_CHECK_OUTPUT
from course_utils import drift

months = list(drift.production_schedule(drift.DEFAULT_SCHEDULE))
for m in months:  # the script: what happens (the monitor does not know)
    print(f"{m.period}: {m.scenario:<16} {len(m.visits):,} visits")

# %% [markdown]
# * **seasonality** (Jan-Mar): an ordinary winter and spring - weather and prices follow
#   the calendar;
# * **covariate shift** (Apr-May): students discover the stands - young, no children,
#   rarely in the loyalty programme;
# * **price shock** (Jun-Jul): bananas become 60 % dearer after a supply problem;
# * **taste change** (Aug-Oct): families with children go off bananas;
# * **unit switch** (Nov-Dec): a firmware update makes the thermometers report °F.
#
# ### January, through the real service
#
# A till sends each visit to the service as JSON. `replay.to_requests` turns a table of
# visits into exactly those JSON bodies - plain values, `None` for "unknown":

# %%
from course_utils import replay

january = months[0]
requests_jan = replay.to_requests(january.visits)
requests_jan[0]

# %% [markdown]
# We send January's 2,000 visits to the service over HTTP, in batches of 500 (the service
# takes up to 1,000 per request). Every answer carries a `request_id`: keep it - it is how
# the label, arriving later, finds its prediction.

# %%
answers = []
with httpx.Client(base_url=server.url, timeout=60) as client:
    for start in range(0, len(requests_jan), 500):
        response = client.post("/predict", json={"visits": requests_jan[start : start + 500]})
        response.raise_for_status()  # stop here if the service refused a batch
        answers += response.json()["predictions"]
served_jan = pd.DataFrame(answers)
served_jan.insert(0, "visit_id", january.visits["visit_id"].to_numpy())  # in the order sent
served_jan.head(3)

# %% [markdown]
# ### The same path, in batch
#
# Twelve months over HTTP would only make us wait, so the other months go through
# `replay.replay_month`: a plain function that does what the service does - validate each
# visit with the model card's schema, predict with the registered pipeline, write the same
# rows to the log - without the web server. The same probabilities, to the last digit: a
# test of the course checks it.
#
# ### Labels arrive a month late
#
# The tills know which fruit each customer took, but the data reaches us with the monthly
# sales report: the labels of January arrive at the end of February - [delayed
# labels](glossary:delayed-labels). We record them in the
# log with `predlog.record_labels`, joined on the request id. The loop below plays the year:
# each month is served, then the labels of the month before arrive.

# %%
from course_utils import predlog

LABEL_DELAY = 1  # months between a visit and its label
sent = {january.period: served_jan}  # month -> the answers the tills received
labels_known_at = {}  # month of the visits -> month at whose end their labels arrived

for k, month in enumerate(months):
    if k > 0:  # January went through the service above
        sent[month.period] = replay.replay_month(month.visits, registry, log_path=log_path)
    if k >= LABEL_DELAY:  # the end of this month: older labels arrive
        due = months[k - LABEL_DELAY]
        answered = sent[due.period].dropna(subset=["request_id"])  # refused visits: no label
        bought = answered.merge(due.visits[["visit_id", "fruit"]], on="visit_id")
        pairs = zip(bought["request_id"], bought["fruit"], strict=True)
        predlog.record_labels(log_path, pairs)
        labels_known_at[due.period] = month.period

# %% [markdown]
# Now read the log back, as a monitor would - one row per prediction, with its inputs and,
# where it has arrived, its label (`fruit`). We add the month of each request from the
# answers we kept.

# %%
requests = pd.concat([a.assign(period=p) for p, a in sent.items()], ignore_index=True)
log = predlog.read_log(log_path).merge(requests[["request_id", "visit_id", "period"]])
log[["period", "store", "hour", "age", "temperature_c", "p_banana", "decision", "fruit"]].head()

# %% [markdown]
# What arrived, month by month:

# %%
# NBVAL_CHECK_OUTPUT
by_month = requests.groupby("period").agg(
    sent=("visit_id", "size"), refused=("problem", lambda s: int(s.notna().sum()))
)
by_month["logged"] = log.groupby("period").size()
by_month["predicted banana"] = log.groupby("period")["decision"].apply(
    lambda d: f"{(d == 'banana').mean():.0%}"
)
by_month["labels"] = log.groupby("period")["fruit"].count()
by_month["labels arrived"] = pd.Series(labels_known_at).reindex(by_month.index).fillna("not yet")
display(by_month)

# %% [markdown]
# Three things to notice before any statistics:
#
# * **December has no labels yet** - they arrive next month. The newest month is always
#   judged without them.
# * **The service refused visits in November and December**: 1,302 and 949 of them. Each
#   till got an error (a 422) instead of a prediction. Here is why:

# %%
# NBVAL_CHECK_OUTPUT
print(requests.loc[requests["problem"].notna(), "problem"].iloc[0])

# %% [markdown]
# * The share of visits predicted **banana** swings from 49 % in January to 26 % in June.
#   Something moves - but what, and does it matter?

# %% [markdown]
# ## 2. Drift, measured by hand: the population stability index
#
# Monitoring compares production inputs with a [reference](glossary:reference). Our reference is
# the first
# month in production, January (the training history is biased, as notebook 02 found, so
# production differs from it from day one). `inputs` holds each month's inputs, as the log
# recorded them:

# %%
yes_no = {"has_kids": "boolean", "loyalty_member": "boolean"}  # the log stores them as 1/0
inputs = {period: rows[world.FEATURES].astype(yes_no) for period, rows in log.groupby("period")}
reference_month = inputs["2026-01"]

# %% [markdown]
# The [population stability index](glossary:population-stability-index) (PSI) measures how far a
# column's distribution moved.
# We compute it once by hand, for `temperature_c` in February against January:
#
# 1. cut the *reference* into ten bins at its deciles (outer edges −∞ and +∞, so no value
#    falls outside);
# 2. take the share of each month in each bin;
# 3. add up (current share − reference share) × ln(current share / reference share).

# %%
reference = reference_month["temperature_c"]
current = inputs["2026-02"]["temperature_c"]

inner = np.unique(np.quantile(reference, np.linspace(0, 1, 11))[1:-1])  # the nine deciles
edges = np.concatenate([[-np.inf], inner, [np.inf]])
ref_share = np.histogram(reference, edges)[0] / len(reference)
cur_share = np.histogram(current, edges)[0] / len(current)
terms = (cur_share - ref_share) * np.log(cur_share / ref_share)

bins = [f"{lo:.1f} to {hi:.1f}" for lo, hi in zip(edges[:-1], edges[1:], strict=True)]
by_bin = pd.DataFrame({"January": ref_share, "February": cur_share, "term": terms}, index=bins)
by_bin.round(3)

# %% [markdown]
# Each bin holds about a tenth of January - that is how the edges were cut. February has
# fewer visits in the cold bins and many more in the warm ones. Each term is positive - both
# factors have the same sign - and the PSI is their sum:

# %%
# NBVAL_CHECK_OUTPUT
psi_by_hand = terms.sum()
print(f"PSI by hand:        {psi_by_hand:.4f}")
print(f"monitoring.psi:     {monitoring.psi(reference, current):.4f}")
print(f"rule of thumb: stable up to {monitoring.PSI_WATCH}, alert above {monitoring.PSI_ALERT}")

# %% tags=["hidden"]
fig, ax = plt.subplots(figsize=(8, 3.6))
x = np.arange(len(bins))
ax.bar(x - 0.2, ref_share, 0.4, color="#0072B2", edgecolor="black", label="January (reference)")
ax.bar(x + 0.2, cur_share, 0.4, color="#E69F00", edgecolor="black", hatch="//", label="February")
ax.set_xticks(x, bins, rotation=30, ha="right", fontsize=9)
ax.set_xlabel("temperature bin (°C), cut at January's deciles")
ax.set_ylabel("share of the month's visits")
ax.set_title(f"Temperature, February against January: PSI = {psi_by_hand:.2f}")
ax.legend()
plt.show()

# %% [markdown]
# **Takeaway:** with its bins cut at the reference's deciles, January stays near 10 % per
# bin, and the PSI adds up how far February's bars stray from it - most of all at the warm
# end.
#
# The helper `monitoring.psi` gives the same number (it also gives missing values a bin of
# their own, and a tiny floor to empty bins so the logarithm stays finite). The usual rule
# of thumb: below **0.10** stable, 0.10-0.25 worth a look, above **0.25** an
# [alert](glossary:alert). So February's temperature, at 0.52, would be an *alert* - in an
# ordinary February. Keep that thought; part b (08b) comes back to it.

# %% [markdown]
# ### One table per month: PSI and the statistical tests
#
# `monitoring.drift_table` computes the PSI of every input, plus a classical test of "same
# distribution?" (both from scipy): the Kolmogorov-Smirnov [KS test](glossary:ks-test) for
# continuous numbers (it measures the largest gap between the two samples' cumulative
# shares), the [chi-square test](glossary:chi-square-test) for categories (it compares the
# counts per category with those one distribution would give) - and for whole numbers with
# few values, like `hour` and `weekday`: the KS test assumes a continuous distribution, and
# on numbers with many ties its p-values are off (too large: the test turns conservative).
# A [p-value](glossary:p-value) is the chance of a difference at least this large *if
# nothing had changed*: a tiny one says "the two samples differ", nothing more.
#
# A test also assumes **independent rows**, and here they are not. The prices, the
# promotion and the weekday are set once per store and day, and the temperature is one
# day's weather: February's 2,000 visits fall on about 84 store-days, so they hold about
# 84 independent values of the banana price, each repeated two dozen times. The [effective
# sample size](glossary:effective-sample-size) - the number of independent units - is 84, not
# 2,000. A test that counts
# every row believes it has far more evidence than it has: its p-value is not merely
# oversensitive, it is *invalid*. So those columns are compared one value per store-day.
# `drift_table` needs the store-day of every row for that:

# %%
from course_utils.exercises.nb08 import store_days

visit_days = pd.concat([m.visits[["visit_id", "timestamp", "store"]] for m in months])
logged = log[["visit_id", "period"]].merge(visit_days, on="visit_id")  # in the log's order
days = {p: store_days(rows) for p, rows in logged.groupby("period")}  # "Central 2026-02-03"

# %%
# NBVAL_CHECK_OUTPUT
february = monitoring.drift_table(
    reference_month, inputs["2026-02"], groups=(days["2026-01"], days["2026-02"])
)
columns = ["psi", "psi_no_drift", "n", "test", "p_value", "level"]
print(february[columns].to_string(formatters={"p_value": "{:.1e}".format}))
per_row = monitoring.drift_table(reference_month, inputs["2026-02"])  # every visit counted
print("\np-values if every visit counted as independent:")
print(per_row.loc[list(monitoring.DAY_LEVEL), "p_value"].map("{:.1e}".format).to_string())

# %% [markdown]
# Read the `n` column first: the visit-level inputs are compared on 2,000 rows a side, the
# day-level ones on 93 and 84 store-days. Counted properly, the day-level evidence shrinks.
# The banana price's KS test gives p = 0.95 on the store-days - no sign of a change - where
# counting every visit gives 5.0e-08, "highly significant"; the promotion's chi-square
# test goes from 7.8e-13 to 0.40. Those tiny p-values came from counting each store-day
# two dozen times. The no-drift PSI grows too, to 0.20 for a day-level input: the banana
# price's PSI of 0.15 is **within noise** (a value that chance alone exceeds more than 5 %
# of the time), not a change worth a look. The apple price and the temperature move
# beyond the noise - with the calendar, as they do every year (part b).
#
# Even a valid p-value answers another question than the monitor's. **A p-value answers
# "is there any difference?"**, and with enough independent units the answer is almost
# always yes, for differences far too small to matter. Paging someone whenever p < 0.05
# would page every day; the course's rules report p-values but never alert on them alone.

# %% [markdown]
# ### PSI's blind spot: small windows
#
# The `psi_no_drift` column is the PSI that **sampling noise alone** gives when nothing
# changed: about (bins − 1) × (1/n + 1/m) for n and m units. PSI is a divergence between
# two *samples*, and two samples of the same population never match exactly; the rule of
# thumb's 0.10 and 0.25 ignore how many rows there are. With 2,000 visits on each side the
# noise is about 0.009 - nothing. On a small window it is not. Draw two random samples of
# 89 visits from January - the same month, no drift at all, by construction - twenty
# times, and compute the PSI of `age`:

# %%
# NBVAL_CHECK_OUTPUT
rng = np.random.default_rng(0)
quiet = []
for _ in range(20):
    picked = rng.permutation(len(reference_month))[:178]
    half_a = reference_month["age"].iloc[picked[:89]]
    half_b = reference_month["age"].iloc[picked[89:]]
    quiet.append(monitoring.psi(half_a, half_b))
quiet = np.array(quiet)
print(f"PSI of age, two samples of 89 visits of the same month: median {np.median(quiet):.2f}")
print(f"'alerts' (PSI above {monitoring.PSI_ALERT}): {(quiet > monitoring.PSI_ALERT).sum()} of 20")
print(f"no-drift expectation, 89 and 89 rows:     {monitoring.psi_no_drift(89, 89):.2f}")
print(f"no-drift expectation, 2,000 and 2,000:    {monitoring.psi_no_drift(2000, 2000):.3f}")

# %% [markdown]
# Six "alerts" in twenty comparisons where nothing changed, and a median PSI (0.17) close
# to the no-drift expectation of 0.20: noise, not drift. A store with 89 visits a month,
# a customer segment, a day-level input with 84 store-days - on every small window the
# rule of thumb pages for nothing. That is why `drift_table` reports the no-drift
# expectation next to each PSI and calls a PSI that noise reaches "within noise". The cure
# is more independent units, not a braver reading of the thresholds.

# %% [markdown]
# ## 3. Exercise 1 (build): your alert rule
#
# Now a rule a monitor can run every month, for a **day-level input** such as a price: it
# must page for a price shock and stay quiet when noise alone pushes the PSI above 0.25.
# The noise level to beat is the PSI chance exceeds only 5 % of the time,
# `monitoring.psi_noise_quantile(n_reference, n_current, bins=...)` - `psi_no_drift`'s
# approximation, at its 95th percentile instead of its mean.
#
# **Specification.** `drift_alert(reference, current, reference_days, current_days)`:
#
# * `reference`, `current`: one number per visit (pandas Series) - an input of the
#   reference month and of the current month;
# * `reference_days`, `current_days`: the store-day of each of those visits (same length);
# * returns the pair `(alert, psi)`:
#   1. one value per store-day: the mean of its visits (`groupby`);
#   2. bins at the reference *days'* deciles, outer edges −∞ and +∞;
#   3. each side's share per bin, **floored at 1e-4** (an empty bin must not make ln(0));
#   4. psi = Σ (current − reference) × ln(current / reference);
#   5. `alert` is True when psi is above **both** 0.25 and the noise quantile for your
#      numbers of store-days and bins.
#
# The check **runs** your function on months and stores you have not seen. Stuck?
# `q1.hint()`.

# %%
from course_utils.exercises.nb08 import q1, q2, transfer_months, wrapup_a

display(q1)


# %% tags=["build"]
def drift_alert(reference, current, reference_days, current_days):
    """(alert, psi) for a day-level input: the spec above, steps 1 to 5."""
    # BEGIN SOLUTION
    ref = reference.groupby(reference_days).mean()  # one value per store-day
    cur = current.groupby(current_days).mean()
    inner = np.unique(np.quantile(ref, np.linspace(0, 1, 11))[1:-1])
    edges = np.concatenate([[-np.inf], inner, [np.inf]])
    ref_share = np.clip(np.histogram(ref, edges)[0] / len(ref), 1e-4, None)
    cur_share = np.clip(np.histogram(cur, edges)[0] / len(cur), 1e-4, None)
    psi = float(np.sum((cur_share - ref_share) * np.log(cur_share / ref_share)))
    noise = monitoring.psi_noise_quantile(len(ref), len(cur), bins=len(ref_share))
    alert = psi > max(monitoring.PSI_ALERT, noise)
    return alert, psi
    # STUDENT: # your code here: steps 1 to 5 of the specification
    # STUDENT: return ...  # the pair (alert, psi)
    # END SOLUTION


q1.check(drift_alert)

# %% [markdown]
# ### Exercise 2 (transfer): your rule on another store and another year
#
# A rule is worth something when it works on data it was not written for. Here is
# Riverside - the store without students - in May and June of *another* year of the world
# (a June with a price shock). Apply your `drift_alert` to each of its day-level numbers,
# `price_apple`, `price_banana` and `temperature_c` - May as the reference, June as the
# current month - and list those that raise an alert. `store_days(visits)` gives each
# visit's store-day.

# %%
may, june = transfer_months()
print(f"Riverside, another year: {len(may)} visits in May, {len(june)} in June")
display(q2)

# %%
# BEGIN SOLUTION
names = ["price_apple", "price_banana", "temperature_c"]
days_may, days_june = store_days(may), store_days(june)
flagged = [n for n in names if drift_alert(may[n], june[n], days_may, days_june)[0]]
# END SOLUTION
q2.check(flagged)

# %% [markdown]
# ## Stop the service
#
# A server left running keeps its port and its log file open. Stop it:

# %%
# NBVAL_CHECK_OUTPUT
server.stop()
print(f"service running: {server.running}")

# %% [markdown]
# ## Wrap-up quiz
#
# Six questions on this notebook and the ones before it. Put a letter for each in
# `answers`, run the cell, and read the answer to each choice.

# %%
display(wrapup_a)

# %% tags=["quiz"]
# BEGIN SOLUTION
answers = {1: "b", 2: "c", 3: "a", 4: "b", 5: "c", 6: "a"}
# STUDENT: answers = {1: ..., 2: ..., 3: ..., 4: ..., 5: ..., 6: ...}
# END SOLUTION
wrapup_a.check(answers)

# %% [markdown]
# ## Recap
#
# In this notebook you
#
# * served January through the real HTTP service and the other eleven months through the
#   same code path in batch - identical probabilities - and joined the labels, arriving a
#   month late, on the request id;
# * computed the population stability index by hand, and saw why p-values on thousands of
#   rows would page someone for nothing - and that the visits of a store-day are one unit
#   of evidence, not two dozen;
# * saw PSI's blind spot: on 89 visits, noise alone gives a PSI near 0.20, and the rule
#   of thumb pages for nothing;
# * wrote an alert rule that counts store-days and waits for what noise rarely reaches,
#   and ran it on a store and a year it was not written for.
#
# **Next:** [08b · Monitor: judge the alarms](08b_judge_drift.ipynb) - which of the year's
# alarms deserve a human: the seasons, a broken sensor, and the change that no input shows.
