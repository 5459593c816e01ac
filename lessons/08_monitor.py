# ruff: noqa: E402

# %% [markdown]
# # 08 · Monitor
#
# *Replay a year of production traffic through the deployed model, and catch each change
# the world throws at it - including the one that no input shows.*
#
# **Learning objectives.** By the end of this notebook you can
#
# * replay traffic through a deployed model and join the **labels that arrive late** to the
#   predictions, on the request id;
# * compute the **population stability index** (PSI) by hand, and read the KS and
#   chi-square tests - and say why their p-values alone would page someone every day;
# * count the **effective sample size** when rows share a value (a store-day's prices),
#   and tell a PSI from the noise a small window makes on its own;
# * tell **covariate shift** (within and beyond the training range), **label shift** and
#   **concept drift** apart on a monitor's charts, and say why ordinary **seasonality** must
#   page nobody;
# * tell a **data-quality break** (caught by *data validation*) from statistical drift;
# * follow the **live metric** against the success contract, knowing it always lags.
#
# **Estimated time:** 100 minutes.

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
# 0.0278 € per visit, well under the contract's 0.042 €. But remember which question that
# number answers. The test rows were drawn at random from the same year and mostly from
# the same customers as the training rows - like the shuffled folds of notebook 04: *same
# customers, same year*. Production is **the future** (notebook 04's time-ordered
# validation is the closer promise for it), and sometimes **new people** (its folds
# grouped by customer). Notebook 06 put those estimates side by side; this notebook is
# where we learn which promise holds, month by month.
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
# The service writes every prediction to a **log** (an SQLite file). This notebook keeps its
# own log in a folder of its own, emptied first - so a re-run starts from scratch and your
# numbers match the text. Then we start the service in the background.

# %%
import shutil

import httpx

from course_utils import paths, service

previous = globals().get("server")
if previous is not None:  # this cell is run again: stop the service started the first time
    previous.stop()
monitor_dir = paths.work_dir() / "monitor_08"
shutil.rmtree(monitor_dir, ignore_errors=True)  # an empty log for every run
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
script = pd.DataFrame(
    {
        "month": [m.period for m in months],
        "what happens (the monitor does not know)": [m.scenario for m in months],
        "visits": [len(m.visits) for m in months],
    }
)
print(script.to_string(index=False))
print(f"price shock: bananas {drift.PRICE_SHOCK:.0%} dearer")

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

# %%
# NBVAL_CHECK_OUTPUT
print(f"{len(served_jan):,} answers for January; columns: {list(served_jan.columns)}")
print(f"predicted banana for {(served_jan['decision'] == 'banana').mean():.1%} of the visits")
print(f"(the service takes at most {service.DEFAULT_MAX_BATCH:,} visits per request)")

# %% [markdown]
# ### The same path, in batch
#
# Twelve months over HTTP would only make us wait, so the other months go through
# `replay.replay_month`: a plain function that does what the service does - validate each
# visit with the model card's schema, predict with the registered pipeline, write the same
# rows to the log - without the web server. Is it *really* the same? Replay January's first
# 300 visits into a scratch log and compare the probabilities:

# %%
# NBVAL_CHECK_OUTPUT
check = replay.replay_month(
    january.visits.head(300), registry, log_path=monitor_dir / "scratch.sqlite"
)
gap = np.abs(check["p_banana"].to_numpy() - served_jan["p_banana"].head(300).to_numpy()).max()
print(f"largest difference between the service and the batch path: {gap}")

# %% [markdown]
# Exactly 0: the batch path is the service's path. (A test of the course checks it too.)
#
# ### Labels arrive a month late
#
# The tills know which fruit each customer took, but the data reaches us with the monthly
# sales report: the labels of January arrive at the end of February. We record them in the
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
# Monitoring compares production inputs with a **reference**. Our reference is the first
# month in production, January (the training history is biased, as notebook 02 found, so
# production differs from it from day one). `inputs` holds each month's inputs, as the log
# recorded them:

# %%
yes_no = {"has_kids": "boolean", "loyalty_member": "boolean"}  # the log stores them as 1/0
inputs = {period: rows[world.FEATURES].astype(yes_no) for period, rows in log.groupby("period")}
reference_month = inputs["2026-01"]

# %% [markdown]
# The **population stability index** (PSI) measures how far a column's distribution moved.
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
# Each bin holds about a tenth of January - that is how the edges were cut (not exactly:
# the readings are rounded to a tenth of a degree, so values tie at the edges). February has
# fewer visits in the cold bins and many more in the warm ones. Each term is positive - both
# factors have the same sign - and the PSI is their sum:

# %%
# NBVAL_CHECK_OUTPUT
psi_by_hand = terms.sum()
print(f"PSI by hand:        {psi_by_hand:.4f}")
print(f"monitoring.psi:     {monitoring.psi(reference, current):.4f}")
print(f"rule of thumb: stable up to {monitoring.PSI_WATCH}, alert above {monitoring.PSI_ALERT}")

# %%
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
# of thumb: below **0.10** stable, 0.10-0.25 worth a look, above **0.25** an alert. So
# February's temperature, at 0.52, would be an *alert* - in an ordinary February. Keep that
# thought; section 3 comes back to it.

# %% [markdown]
# ### Exercise 1: the PSI of age, by hand
#
# In April the students arrive. Compute the PSI of `age` for April (`inputs["2026-04"]`)
# against January (`reference_month`), by hand - the same three steps - and check it.

# %%
from course_utils.exercises.nb08 import q1, q2, q3, q4

display(q1)

# %%
# BEGIN SOLUTION
age_ref, age_apr = reference_month["age"], inputs["2026-04"]["age"]
age_inner = np.unique(np.quantile(age_ref, np.linspace(0, 1, 11))[1:-1])
age_edges = np.concatenate([[-np.inf], age_inner, [np.inf]])
age_ref_share = np.histogram(age_ref, age_edges)[0] / len(age_ref)
age_apr_share = np.histogram(age_apr, age_edges)[0] / len(age_apr)
psi_age = np.sum((age_apr_share - age_ref_share) * np.log(age_apr_share / age_ref_share))
# END SOLUTION
q1.check(psi_age)

# %% [markdown]
# A classic slip is to forget the logarithm. Whatever you answered, here are the shares
# once more - and what the check says to a PSI without its log:

# %%
deciles = np.quantile(reference_month["age"], np.linspace(0, 1, 11))[1:-1]
bins_age = np.concatenate([[-np.inf], np.unique(deciles), [np.inf]])
jan_s = np.histogram(reference_month["age"], bins_age)[0] / len(reference_month)
apr_s = np.histogram(inputs["2026-04"]["age"], bins_age)[0] / len(inputs["2026-04"])
q1.check(np.sum((apr_s - jan_s) * (apr_s / jan_s)))  # no log: on purpose

# %% [markdown]
# ### One table per month: PSI and the statistical tests
#
# `monitoring.drift_table` computes the PSI of every input, plus a classical test of "same
# distribution?" (both from scipy): the Kolmogorov-Smirnov (KS) test for continuous
# numbers, the chi-square test for categories - and for whole numbers with few values,
# like `hour` and `weekday`: the KS test assumes a continuous distribution, and on
# numbers with many ties its p-values are off (too large: the test turns conservative).
#
# A test also assumes **independent rows**, and here they are not. The prices, the
# promotion and the weekday are set once per store and day, and the temperature is one
# day's weather: February's 2,000 visits fall on about 84 store-days, so they hold about
# 84 independent values of the banana price, each repeated two dozen times. The **effective
# sample size** - the number of independent units - is 84, not 2,000. A test that counts
# every row believes it has far more evidence than it has: its p-value is not merely
# oversensitive, it is *invalid*. So those columns are compared one value per store-day.
# `drift_table` needs the store-day of every row for that:

# %%
visit_days = pd.concat([m.visits[["visit_id", "timestamp", "store"]] for m in months])
store_day = log[["visit_id", "period"]].merge(visit_days, on="visit_id")
store_day = store_day["store"].astype(str) + " " + store_day["timestamp"].dt.date.astype(str)
days = {p: store_day[(log["period"] == p).to_numpy()].to_numpy() for p in inputs}  # log order

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
# beyond the noise - with the calendar, as they do every year (section 3).
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
# is more independent units - a longer window, or several stores pooled - not a braver
# reading of the thresholds.

# %% [markdown]
# ### Every month, every input
#
# The same PSI for every month and every input, against January, as a table with the
# values written in:

# %%
psi_grid = pd.DataFrame(
    {
        p: {c: monitoring.psi(reference_month[c], inputs[p][c]) for c in world.FEATURES}
        for p in inputs
    }
).T
row_names = [f"{m.period}  {m.scenario.replace('_', ' ')}" for m in months]

fig, ax = plt.subplots(figsize=(9, 5.4))
image = ax.imshow(psi_grid.to_numpy(), cmap="cividis", vmin=0, vmax=1, aspect="auto")
for i in range(psi_grid.shape[0]):
    for j in range(psi_grid.shape[1]):
        value = psi_grid.iat[i, j]
        alert = value > monitoring.PSI_ALERT
        ax.text(
            j,
            i,
            f"{value:.2f}" + ("▲" if alert else ""),
            ha="center",
            va="center",
            fontsize=9,
            fontweight="bold" if alert else "normal",
            color="black" if value > 0.6 else "white",
        )
ax.set_xticks(range(len(world.FEATURES)), world.FEATURES, rotation=30, ha="right")
ax.set_yticks(range(len(row_names)), row_names)
ax.set_xlabel("input")
ax.set_ylabel("production month (and its hidden script)")
ax.set_title("PSI of each input against January (▲ and bold: above 0.25)")
fig.colorbar(image, ax=ax, label="PSI (colours stop at 1; the number is exact)")
plt.show()

# %% [markdown]
# **Takeaway:** the seasonal inputs - `temperature_c` and the two prices - light up month
# after month, the students show as `age` in April and May, the price shock as
# `price_banana` in June and July, and the taste change of August to October leaves no
# trace at all.
#
# Most of those bright cells are not problems: July is warmer than January every year. In
# November and December nearly everything lights up - an echo of the broken thermometers
# that section 4 untangles.

# %% [markdown]
# ## 3. Seasonality must page nobody
#
# Could we avoid the seasonal swing by comparing each month with the *whole* training year
# instead of January? Try it for temperature:

# %%
# NBVAL_CHECK_OUTPUT
year_temperatures = train["temperature_c"].dropna()  # a whole year of known temperatures
vs_year = pd.Series(
    {p: monitoring.psi(year_temperatures, v["temperature_c"]) for p, v in inputs.items()}
)
print(vs_year.round(2).to_string())
print(f"months with a PSI above 0.25: {(vs_year > monitoring.PSI_ALERT).sum()} of {len(vs_year)}")

# %% [markdown]
# Twelve alerts out of twelve: a single month is always narrower than a whole year - warm
# in summer, cold in winter - so this rule would page someone every month, for nothing.
# The model knows the seasons: it learned from a whole year of them.
#
# **The rules compare like with like.** `monitoring.check_month` applies four rules, with
# thresholds documented in the module:

# %%
# NBVAL_CHECK_OUTPUT
lo, hi = monitoring.VALID_RANGES["temperature_c"]
rule_book = pd.DataFrame(
    {
        "rule": ["data validation", "data validation", "seasonal level", "input drift"],
        "inputs": [
            "temperature, prices",
            "temperature, per store",
            "prices, per store",
            ", ".join(monitoring.NON_SEASONAL),
        ],
        "compared with": [
            f"valid ranges (temperature {lo:g} to {hi:g} °C)",
            "the same month of the history",
            "the same month of the history",
            "the reference month (January)",
        ],
        "alert when": [
            f"over {monitoring.OUT_OF_RANGE_ALERT:.0%} out of range",
            f"median off by > {monitoring.TEMPERATURE_TOLERANCE_C:g} °C",
            f"median off by > {monitoring.PRICE_TOLERANCE_RATIO - 1:.0%}",
            f"PSI > {monitoring.PSI_ALERT}",
        ],
    }
)
display(rule_book)

# %% [markdown]
# Seasonal inputs are compared with the same calendar month of the history - July with
# last July - by their level; the others by PSI with January. Apply the rules to every
# month:

# %%
history = train  # the training rows: a whole year with timestamps, stores and prices

fired = []
for period, current in inputs.items():
    calendar_month = pd.Period(period, freq="M").month
    rules = monitoring.check_month(
        current, history=history, window=reference_month, month=calendar_month
    )
    fired.append(rules[rules["alert"]].assign(period=period))
fired = pd.concat(fired, ignore_index=True)

# %%
# NBVAL_CHECK_OUTPUT
input_alerts = fired.groupby("period").apply(
    lambda t: "; ".join(sorted(set(t["rule"] + ": " + t["input"].str.split(" @ ").str[0]))),
    include_groups=False,
)
input_alerts = input_alerts.reindex(list(inputs)).fillna("-")
display(
    pd.DataFrame(
        {
            "script": script["what happens (the monitor does not know)"].to_numpy(),
            "alerts on the inputs": input_alerts,
        }
    )
)

# %% [markdown]
# January to March - seasonality alone - page nobody. The students raise an input-drift
# alert on `age`; the price shock a seasonal-level alert on the banana price (at all three
# stores); the Fahrenheit thermometers a data-validation alert, with a few input-drift
# alerts in tow (section 4 explains them). August to October: nothing. The inputs are
# innocent there - section 5 finds what happened.

# %% [markdown]
# ### Exercise 2: is the model broken in July? (a misconception check)
#
# Answer with a letter.

# %%
display(q2)

# %%
# BEGIN SOLUTION
answer_july = "c"
# END SOLUTION
q2.check(answer_july)

# %% [markdown]
# ## 4. A data-quality break is not drift
#
# In November the thermometers started to report °F. The first alarm rang at the door:
# the **service's input schema** accepts temperatures up to 50 °C, and refused every
# visit above - with a 422 error to the till instead of a prediction. Per store, the share
# of visits refused:

# %%
# NBVAL_CHECK_OUTPUT
stores = pd.concat([m.visits[["visit_id", "store"]] for m in months]).astype({"store": str})
door = requests.merge(stores, on="visit_id").assign(refused=lambda t: t["problem"].notna())
refused_share = door.pivot_table(index="period", columns="store", values="refused")
print(refused_share.loc["2026-10":].map("{:.0%}".format).to_string())

# %% [markdown]
# Central and Riverside got almost **no prediction** in November - 99 % of their visits
# refused: an outage, and an alarm in its own right. The Station kiosk stands outdoors and
# is colder: most of its Fahrenheit numbers of a cool day passed the schema, one plausible
# heat wave at a time. The monitor's **data validation** rules caught those, because they
# look at a whole month against the same month of the history:

# %%
# NBVAL_CHECK_OUTPUT
november = fired[(fired["period"] == "2026-11") & (fired["rule"] == "data validation")]
print(november[["input", "measure", "value", "threshold"]].round(2).to_string(index=False))
got_through = inputs["2026-11"]["temperature_c"]
print(f"November temperatures that got through: {got_through.min()} to {got_through.max()}")

# %% [markdown]
# Every logged temperature lies between 38.8 and 50.0 "°C" - inside the plausible range,
# so the range rule stays silent: the monitor judges with the same bounds as the schema
# (`course_utils.bounds`, up to 50 °C), and whatever the schema let in is within them.
# Each value is possible; the month is not. Every store's median is 35.5 to 37.1 °C
# above last November's: not weather. (Central and Riverside are judged on the 1 % of
# their visits that reached the log.) That also explains the **other** November and
# December alerts in section 3 - `store`, `hour`, `loyalty_member`: with almost only
# Station visits left in the log, the mix of customers *seems* to drift. One cause,
# several alarms; triage starts from the data-validation one.
#
# Data validation asks **"can this value be true?"** - ranges, plausibility against the
# same month of past years. Drift asks **"has the population changed?"** - a real change
# in the world. The difference decides the response: a real change may call for
# retraining; a broken sensor calls for fixing the data. Retraining on Fahrenheit numbers
# would teach the model that November is hot. Notebook 09 comes back to it.

# %% [markdown]
# ## 5. The live metric: what the labels say, a month late
#
# Inputs can only tell us that something *moved*. Whether the model got *worse* needs the
# labels. For every month whose labels have arrived, compare the expected cost per visit
# with two levels (`monitoring.check_live`): the **contract's minimum** (0.042 €: above it,
# the contract is broken) and **1.1 times the test-set cost** from the model card (above
# it, the model is losing its margin - an early warning).

# %%
truth = pd.concat(
    [pd.DataFrame({"visit_id": m.visits["visit_id"], "p_true": m.p_banana}) for m in months]
)
labelled = log[log["fruit"].notna()].merge(truth, on="visit_id")

live = {}
for period, rows in labelled.groupby("period"):
    model_cost = monitoring.live_metrics(rows["fruit"], rows["p_banana"], signed)
    perfect = monitoring.live_metrics(rows["fruit"], rows["p_true"], signed)
    checks = monitoring.check_live(
        rows["fruit"], rows["p_banana"], signed, reference_cost=card.metrics["expected_cost"]
    )
    live[period] = {
        "known at end of": labels_known_at[period],
        "accuracy at 0.75": model_cost["accuracy"],
        "expected cost": model_cost["expected_cost"],
        "perfect knowledge": perfect["expected_cost"],
        "ratio to test": checks["value"].iloc[0],
        "alert": "; ".join(checks.loc[checks["alert"], "measure"]) or "-",
    }
live = pd.DataFrame(live).T

# %%
# NBVAL_CHECK_OUTPUT
display(live.infer_objects().round(3))
warning = monitoring.LIVE_COST_RATIO * card.metrics["expected_cost"]
print(f"warning above {monitoring.LIVE_COST_RATIO} x the test cost = {warning:.4f} € per visit")

# %% [markdown]
# The taste change shows here, and only here: from August the expected cost rises to
# 0.032-0.036 € per visit, 1.14 to 1.31 times the test level, while perfect knowledge stays
# where it was. The contract still holds (below 0.042 €) - but the margin is going, and we
# learn it a month after it happened. (November is judged almost only on Station visits:
# nearly the only ones the service answered.)

# %%
month_names = [pd.Period(p, freq="M").strftime("%b") for p in script["month"]]
position = {p: i for i, p in enumerate(script["month"])}
xs = [position[p] for p in live.index]

fig, ax = plt.subplots(figsize=(9, 4.4))
ax.plot(xs, live["expected cost"], "o-", color="#0072B2", lw=2, label="tuned model (on the labels)")
ax.plot(xs, live["perfect knowledge"], "s--", color="#555555", label="perfect knowledge")
ax.axhline(signed.minimum, color="black", ls="-.", lw=1.2)
ax.text(0, signed.minimum + 0.0006, f"contract minimum {signed.minimum} €", fontsize=9)
ax.axhline(warning, color="#D55E00", ls=":", lw=1.5)
ax.text(
    0,
    warning + 0.0006,
    f"warning: {monitoring.LIVE_COST_RATIO} × test cost = {warning:.4f} €",
    fontsize=9,
)
ax.annotate(
    "August: known only\nat the end of September",
    xy=(position["2026-08"], live.loc["2026-08", "expected cost"]),
    xytext=(position["2026-08"] - 3.2, 0.040),
    arrowprops={"arrowstyle": "->"},
    fontsize=9,
)
ax.text(11, 0.026, "December:\nno labels yet", ha="center", fontsize=9, style="italic")
ax.text(
    position["2026-11"] + 0.15, live.loc["2026-11", "expected cost"], "Station\nonly", fontsize=9
)
chapters = [(0, 2, "seasons"), (3, 4, "students"), (5, 6, "price shock")]
chapters += [(7, 9, "taste change"), (10, 11, "°F thermometers")]
for i, (first, last, name) in enumerate(chapters):  # the hidden script, shaded by chapter
    ax.axvspan(first - 0.45, last + 0.45, color="0.92" if i % 2 else "white", zorder=0)
    ax.text((first + last) / 2, 0.0455, name, ha="center", fontsize=9)
ax.set_xticks(range(12), month_names)
ax.set_xlim(-0.5, 11.5)
ax.set_ylim(0.015, 0.047)
ax.set_xlabel("month of the visits (2026)")
ax.set_ylabel("expected cost per visit (€)")
ax.set_title("Live metric, as the labels arrive one month late")
ax.legend(loc="lower left", fontsize=9)
plt.show()

# %% [markdown]
# **Takeaway:** the live cost stays near the test level through the students, the price
# shock and the Fahrenheit months, but jumps past the warning line from August - the taste
# change, which no input showed - and we learn it a month late; December is still dark.

# %% [markdown]
# ### Exercise 3: which number for the live metric? (a misconception check)

# %%
display(q3)

# %%
# BEGIN SOLUTION
live_metric = "expected_cost"
# END SOLUTION
q3.check(live_metric)

# %% [markdown]
# ## 6. Three kinds of change, and one that is not
#
# Write x for a visit's inputs and y for the fruit. A model learns P(y | x); the world can
# change around it in three ways:
#
# * **Covariate shift** (data drift): the inputs move - P(x) changes - while P(y | x)
#   holds. An input's PSI rises; performance holds *as long as the new inputs stay inside
#   what the model was trained on*. *This year:* the students (April-May) - an alert on
#   `age`, the live cost steady: the history had young customers.
# * **Covariate shift beyond the training range** - the same definition, with a twist.
#   *This year:* the price shock (June-July). The banana price moved (P(x)), the way
#   customers react to a price did not (P(y | x)): a banana-price alert, banana predicted
#   for 26 % of the visits instead of 49 %. The share of bananas fell *because the inputs
#   moved*. That is not label shift.
# * **Label (prior) shift**: P(y) changes while P(x | y) holds - the banana buyers are the
#   same kind of people as before, there are only more or fewer of them (a banana fashion
#   that brings new banana buyers who look exactly like the old ones). The price shock is not
#   one: the banana buyers of June face dearer bananas than those of last year, so
#   P(x | banana) moved too. This year has no label shift.
# * **Concept drift**: the link between inputs and label moves - P(y | x) changes. No input
#   moves; only the live metric drops, and late. *This year:* the taste change
#   (August-October) - a cost 1.14 to 1.31 times the test level.
# * Not drift at all - a **data-quality break**: what an input *means* changes. Data
#   validation sees it (ranges, medians against the same month). *This year:* the
#   Fahrenheit thermometers (November-December).
# * Not a problem - **seasonality**: inputs move in step with the calendar. Nothing should
#   alert, if the rules compare like with like. *This year:* January-March, no alert.
#
# Why does the model survive the students and the price shock? P(banana | x) did not
# change, so the model's answers for each kind of visit are still right - *where it has
# seen such visits*. It has seen young customers before. Dear bananas it has not: in
# June most visits have a banana-to-apple price ratio beyond anything in the training
# rows.

# %%
# NBVAL_CHECK_OUTPUT
ratio_history = np.log(train["price_banana"] / train["price_apple"])
june = inputs["2026-06"]
ratio_june = np.log(june["price_banana"] / june["price_apple"])
print(f"log price ratio, training rows: {ratio_history.min():.2f} to {ratio_history.max():.2f}")
print(f"June: {ratio_june.min():.2f} to {ratio_june.max():.2f}, ", end="")
print(f"{(ratio_june > ratio_history.max()).mean():.0%} of the visits beyond the training range")

# %% [markdown]
# That is covariate shift **beyond the training range**, and a model's answer there is
# extrapolation. The deployed model is notebook 05's logistic regression: in the world
# the price effect is linear in this log ratio, and a linear model carries that slope on
# past the prices it saw, so its cost holds. Gradient-boosted trees, as good in
# cross-validation, answer flat beyond the last price they saw - notebook 09 measures what
# June and July would have cost with them. Robustness outside the training range is a
# reason to choose a model that cross-validation alone cannot show. And since no model
# *knows* the answer out there, an input outside the training range is worth an alert of
# its own, and a look at the model's answers there, before the labels arrive.
#
# Under concept drift, by contrast, the same visit now ends differently, and no amount of
# watching the inputs can tell.

# %% [markdown]
# ### Exercise 4: which kind of change?

# %%
display(q4)

# %%
# BEGIN SOLUTION
kind_of_change = "concept drift"
# END SOLUTION
q4.check(kind_of_change)

# %% [markdown]
# ## 7. The drift simulator
#
# Each scenario has a strength knob. Pick a kind of change and a strength: the simulator
# shows a July of 1,000 visits under it - the PSI of each input against a normal July (the
# same visits, nothing changed), the alerts the rules above raise (with the labels), and
# what the model's accuracy does next to the best any model could do that month. The
# simulations run once (a few seconds); moving the controls only looks them up.

# %%
from course_utils.widgets import driftsim

simulations = driftsim.prepare(model, history=history, reference_cost=card.metrics["expected_cost"])
display(driftsim.make_widget(data=simulations))

# %% [markdown]
# Try: the taste change at strength 2 (the model's cost rises to about twice the best
# possible, and both live alerts fire); the students at 2 (the model barely cares);
# seasonality at 0 - a July as mild as the yearly average - which the temperature rule
# flags for a human to look at. The same simulations, every scenario at strength 1, are
# folded below for pages where the widget does not show:

# %%
from course_utils.widgets import StaticCopy

display(StaticCopy(driftsim.plot_scenarios(simulations, strength=1.0)))

# %% [markdown]
# **Takeaway:** each kind of change leaves its own fingerprint - one input (the students),
# another pushed beyond the training range (dear bananas), a broken sensor, or nothing at
# all - and the one that leaves no trace in the inputs, the taste change, is seen by the
# live metric alone. The broken
# sensor costs the most here: the simulator feeds the model every °F reading (the
# service's schema would refuse most of them, as section 4 showed), and the logistic
# regression extrapolates its temperature weight far beyond the warmest day it saw.
#
# The same, as a table (costs in € per visit at the contract's threshold; on 1,000 visits
# every number moves a little with the luck of the draw):

# %%
# NBVAL_CHECK_OUTPUT
print(f"{simulations.month}, {simulations.n_visits:,} visits per simulated month:")
display(driftsim.summary(simulations, strength=1.0))

# %% [markdown]
# ## Stop the service
#
# A server left running keeps its port and its log file open. Stop it:

# %%
# NBVAL_CHECK_OUTPUT
server.stop()
print(f"service running: {server.running}")

# %% [markdown]
# ## Recap
#
# In this notebook you
#
# * served January through the real HTTP service and the other eleven months through the
#   same code path in batch - identical probabilities - and joined the labels, arriving a
#   month late, on the request id;
# * computed the population stability index by hand, and saw why p-values on thousands of
#   rows (and PSI against the whole year) would page someone for nothing - and that the
#   visits of a store-day are one unit of evidence, not two dozen;
# * saw PSI's blind spot: on 89 visits, noise alone gives a PSI near 0.20, and the rule
#   of thumb pages for nothing;
# * watched the rules that compare like with like catch the students (input drift on
#   `age`), the price shock (banana price level) and the Fahrenheit thermometers (data
#   validation - a data-quality break, not drift), and stay quiet through the seasons;
# * saw that the price shock took June beyond the training range, and that the deployed
#   logistic regression holds there because it extrapolates along the world's log-price
#   effect;
# * found the taste change - concept drift - only in the live metric, a month late: the
#   cost rose 14 to 31 % above the test level, still within the contract.
#
# **Next:** [09 · Retrain](09_retrain.ipynb) - the monitor has spoken; what now? Retrain
# on which data, compare the new model with the old one fairly, promote it or roll back -
# and fix the thermometers instead of retraining on them.
