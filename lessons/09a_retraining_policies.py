# ruff: noqa: E402

# %% [markdown]
# # 09a · Retrain: when?
#
# *Decide when a deployed model should learn again - and write the loop that replays a
# year of production under a retraining policy.*
#
# **Learning objectives.** By the end of this notebook you can
#
# * say what a **retrain** is - a fresh pipeline fitted on a **training window** - and why
#   labels that arrive a month late limit what it can learn from;
# * simulate three retraining **policies** - never, on a schedule, when an alert fires -
#   over a year of production, and rank them by the success contract's metric (the
#   expected cost per visit) against the best possible;
# * write the retraining loop of a schedule yourself, without looking ahead;
# * say what a training window of only the **recent** months learns faster, and what it
#   forgets;
# * explain why the price shock of June hardly touches the deployed logistic regression,
#   and what it would have cost with gradient-boosted trees.
#
# Part b ([09b](09b_champion_challenger.ipynb)) then repairs a broken thermometer and
# compares a new model with the old one fairly.
#
# **Estimated time:** 60 minutes.

# %% [markdown]
# ## Where we start
#
# Notebook 08 replayed the year after deployment and its monitor raised alerts. This
# notebook asks what to *do* about them. We load the **success contract** (notebook 01) and
# that **year of production**: twelve months of visits with, for each month, what the
# customers bought and the lowest cost any model could reach.
#
# **One metric language.** Every number here comes from the decisions the stand really
# makes: banana when P(banana) is at least the contract's threshold (0.75). Models are
# compared by the contract's metric, the
# [expected cost per visit](glossary:expected-cost-per-visit) (lower is better); where an
# accuracy is shown, it is the share of right decisions *at that threshold*.

# %% tags=["hidden"]
from threadpoolctl import threadpool_limits

threadpool_limits(limits=1)  # small models: one CPU thread each is fastest on 2 cores

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from course_utils import checkpoints, contract, monitoring, retraining

signed = contract.load()

# %%
# NBVAL_CHECK_OUTPUT
print(f"contract: expected cost at most {signed.minimum} € per visit")
print(f"decision: banana when P(banana) >= {signed.best_threshold():.2f}")

# %%
# NBVAL_CHECK_OUTPUT
year = retraining.production_year()  # the year notebook 08 replayed: 2,000 visits a month
what_changed = {
    "seasonality": "nothing special: an ordinary month",
    "covariate_shift": "students discover the stands",
    "price_shock": "bananas get expensive",
    "taste_change": "families go off bananas",
    "unit_switch": "the thermometers report °F",
}
overview = pd.DataFrame(
    {
        "month": year.periods,
        "what changed in the world": [what_changed[s] for s in year.scenarios],
        "best possible cost (€/visit)": year.best_cost.round(4),
    }
)
print(overview.to_string(index=False))

# %% [markdown]
# The last column is the **best possible** cost of each month: the world's own true
# probabilities, decided at the contract's threshold and scored on that month's purchases
# (perfect knowledge). No model can beat it on average, so the distance to it is how much
# a model leaves on the table.
#
# At the start of the year the deployed model is notebook 05's tuned pipeline - the
# **logistic regression** chosen there - fitted on the history's training rows: the same
# model as `checkpoints.tuned_model()`. We call it **v1**.

# %%
# NBVAL_CHECK_OUTPUT
v1 = year.first_model()
X_history, y_history = checkpoints.xy(year.history)
print(f"v1 learned from {len(X_history):,} visits of 2025")
print(f"its cost on the test rows: {year.reference_cost:.4f} € per visit (in its model card)")

# %% [markdown]
# ## 1. What a retrain is
#
# A retrain is *not* "the same model, a bit more". It is a **fresh pipeline** - notebook
# 03's preparation and notebook 05's tuned model, unfitted - fitted from scratch on a
# [training window](glossary:training-window): the labelled visits we choose to learn from.


# %%
def fresh_model():
    """Notebook 03's preparation + notebook 05's tuned logistic regression: unfitted."""
    return make_pipeline(
        checkpoints.preprocessor(),
        LogisticRegression(max_iter=1000, **checkpoints.TUNED_PARAMS),
    )


# %% [markdown]
# What can the window hold? Only visits whose **labels** have arrived. The model's inputs
# are known the moment a customer reaches the stand, but what they bought is known only
# when the month's sales are reconciled - here, **one month late**:
#
# | at the end of ... | inputs seen up to | labels known up to | a retrain now serves from |
# |---|---|---|---|
# | January | January | - (nothing to learn from yet) | - |
# | February | February | January | March |
# | March | March | February | April |
#
# So at the end of March, a retrain learns from the history plus January and February.
# `retraining.training_window` builds that table (months count from 0 = January):

# %%
# NBVAL_CHECK_OUTPUT
X_window, y_window = retraining.training_window(year, last_labelled=1, window="all")
print(f"end of March: {len(X_window):,} labelled visits to learn from")
print(f"  {len(X_history):,} from the history + {len(X_window) - len(X_history):,} of Jan-Feb")

# %%
model_march = fresh_model().fit(X_window, y_window)

# %% [markdown]
# Does it beat v1 in April, the month it would serve? We score a model on a month with
# `monitoring.live_metrics`, as in notebook 08: one decision per visit at the contract's
# threshold, then the **expected cost** per visit and the accuracy of those decisions.


# %%
def scores_on(model, i, inputs=year.inputs):
    """Expected cost (€ per visit) and accuracy at the contract's threshold, month i."""
    p_banana = model.predict_proba(inputs(i))[:, 1]  # the classes are apple, banana
    return monitoring.live_metrics(year.labels(i), p_banana, signed)


# %%
# NBVAL_CHECK_OUTPUT
april = 3
for name, model in [("v1 (history only)", v1), ("retrained end of March", model_march)]:
    s = scores_on(model, april)
    print(f"{name:<24} cost {s['expected_cost']:.4f} €/visit, accuracy at 0.75 {s['accuracy']:.3f}")
print(f"{'best possible':<24} cost {year.best_cost[april]:.4f} €/visit")

# %% [markdown]
# Hardly a difference - half a euro per 1,000 visits, far less than the luck of one
# month (notebook 09b measures that luck). Nothing changed in the world from January to
# March, and v1 was already on the best possible line: retraining buys nothing when there
# is nothing new to learn. A retrain costs compute and, above all, a review before a new
# model goes live - so *when* to retrain is a real decision.

# %% [markdown]
# ## 2. Three policies, one year
#
# A [retraining policy](glossary:retraining-policy) decides, at the end of each month,
# whether to retrain:
#
# * **never** - v1 serves all year;
# * **on a schedule** - every *N* months, whatever happens;
# * **on alert** - when notebook 08's monitor raises an alert: an **input alert**
#   (`check_month`: data validation, seasonal levels, input drift) or a **live-metric
#   alert** on the last labelled month (`check_live`: the expected cost fails the
#   contract, or has risen well above v1's cost on the test rows).
#
# Its knob is the **training window**: *all data* (the history and every labelled month)
# or only the *last 3 labelled months*. Here is the on-alert policy on all data, month by
# month, written out in full:

# %%
model = v1  # in production on 1 January
served, rows = [], []
for i in range(len(year)):
    served.append(model)
    live = scores_on(model, i)  # this month's predictions, scored once the labels arrive
    # The end of month i: decide with what is known now.
    labelled = i - 1  # labels are known up to the month before
    input_alerts = year.input_alerts(i)  # the inputs are checked at once (notebook 08)
    live_alerts = []
    if labelled >= 0:  # the live metric of the last labelled month, as notebook 08 reads it
        p_labelled = served[labelled].predict_proba(year.inputs(labelled))[:, 1]
        checks = monitoring.check_live(
            year.labels(labelled), p_labelled, signed, reference_cost=year.reference_cost
        )
        live_alerts = list(checks.loc[checks["alert"], "measure"])
    retrain = labelled >= 0 and i < len(year) - 1 and bool(input_alerts or live_alerts)
    rows.append(
        {
            "month": year.month_names[i],
            "cost": live["expected_cost"],
            "best possible": year.best_cost[i],
            "input alerts": len(input_alerts),
            "live alert": ", ".join(live_alerts) or "-",
            "retrain at the end": retrain,
        }
    )
    if retrain:  # a fresh model on everything labelled so far; it serves from next month
        model = retraining.retrain(year, labelled, window="all")
on_alert_log = pd.DataFrame(rows)

# %% [markdown]
# `retraining.retrain(year, labelled, window)` is exactly what section 1 did by hand -
# `training_window`, then `fresh_model().fit` - with a cache, so that policies which
# retrain on the same window share the model. (December's alert is not acted on: a model
# retrained at the end of the year would only serve next year.)

# %%
# NBVAL_CHECK_OUTPUT
print(on_alert_log.to_string(index=False, float_format="{:.4f}".format))
print(f"live alert on the last labelled month: its cost above {monitoring.LIVE_COST_RATIO} x v1's")
print(f"test-set cost (ratio to test-set cost), or above the contract's {signed.minimum} €")

# %% [markdown]
# Read it from the top. In **April and May** the students move `age`, so the policy
# retrains - but retraining cannot teach much: the students behave as the model already
# expected (P(banana | visit) did not change), and what the new model learns comes from
# labels of the month *before*. In **June and July** the banana price alert fires, yet
# v1's cost stays next to the best possible (the next section asks why). The **taste
# change** moves no input: it shows up in the live metric only, on August's labels - at
# the end of September - and the retrain then learns from it. In **November** the
# thermometers alert, and the policy retrains on the months before - which cannot help:
# notebook 09b comes back to it.
#
# `retraining.simulate` runs this very loop for any policy and window. The same policy
# gives the same months:

# %%
# NBVAL_CHECK_OUTPUT
sim = retraining.simulate("on_alert", window="all")
print("same costs as the loop:", np.allclose(sim.log["expected_cost"], on_alert_log["cost"]))
print("retrains:", sim.retrains, "- at the end of", ", ".join(sim.retrain_months))

# %% [markdown]
# Now six variants side by side: never; a schedule of every month, every 3 months, every 6
# months; on alert with all data, or with the last 3 months. Each retrain fits a fresh
# tuned pipeline, so this takes a few seconds.

# %%
sims = retraining.standard_policies(year)

# %%
fig = retraining.plot_policies(
    [sims["never"], sims["every 3 months"], sims["on alert, all data"]], year
)
plt.show()

# %% [markdown]
# **Takeaway:** the policies part ways only in the second half of the year: before that
# there is nothing new to learn (January to May), or nothing that hurts (the price shock).
# The taste change costs every policy dearly for months, and the thermometers cost v1 most
# of all.
#
# ### The price shock: why v1 does not mind
#
# In June bananas cost 60 % more: relative prices far beyond anything in the history. The
# inputs moved (P(x) changed, and beyond the training range), but the way customers react
# to prices did not (P(y | x) held). Whether a model survives that is a question of
# **extrapolation**, which notebook 05 raised when it chose the model. In the world, the
# effect of prices is linear in the log of the price ratio (notebook 03's `rel_price`); a
# logistic regression on that feature carries the same slope on beyond the prices it saw.
# Gradient-boosted trees cannot: beyond the last split they saw, they answer flat, as at
# the edge of their data.
#
# What would June and July have cost with the boosted trees of notebook 05 (the runner-up,
# as good as the logistic regression in cross-validation)? Fit them on the same history
# and score both models **on the same visits**:

# %%
boosting = checkpoints.boosting_pipeline().fit(X_history, y_history)  # notebook 05's runner-up

# %%
# NBVAL_CHECK_OUTPUT
for i in (5, 6):  # June, July
    lr, trees = scores_on(v1, i), scores_on(boosting, i)
    print(f"{year.month_names[i]}: logistic regression {lr['expected_cost']:.4f}, ", end="")
    print(f"boosted trees {trees['expected_cost']:.4f}, best {year.best_cost[i]:.4f} €/visit")

# %% [markdown]
# The boosted trees would have cost more in both months: about 2 € more per 1,000 visits
# in June, about 3 € more in July, when the logistic regression sits on the best
# possible line. So the model choice of notebook 05 paid off exactly where
# cross-validation could not look: outside the training range. (Retraining does not help
# here either: by the time June's labels arrive, prices are back to normal.)
#
# The table sums the year up, in the contract's metric. "Final quarter" is October to
# December: how a policy **ends the year**, as its mean cost per visit over those three
# months, and how far above the best possible that is.

# %%
# NBVAL_CHECK_OUTPUT
table = retraining.summary(sims)
print(table.to_string())

# %% [markdown]
# Retraining on alert, or every month, ends the year cheapest - about 6.5 € per 1,000
# visits below never retraining - and a schedule of every 3 months gets part of the way
# with fewer retrains. Note the last column: by the accuracy at 0.75, never retraining
# (0.838) is within half a point of the best (0.843), while by the contract's metric it
# ends the year about 6.5 € per 1,000 visits behind. Accuracy counts a false banana like
# a false apple; the contract does not.
#
# Are such gaps more than the luck of three months? `retraining.compare` runs a
# [paired bootstrap](glossary:paired-bootstrap) (notebook 09b builds one by hand): it
# resamples the final quarter's 6,000 visits many times, scores both policies on the same
# resampled visits (each by the model the policy had in production that month), and keeps
# the middle 95 % of the differences:

# %%
# NBVAL_CHECK_OUTPUT
for champion, challenger in [
    ("never", "on alert, all data"),
    ("every 3 months", "on alert, all data"),
]:
    gain = retraining.compare(sims[champion], sims[challenger])
    print(f"'{challenger}' minus '{champion}': {gain['difference']:+.4f} €/visit, ", end="")
    print(f"interval {gain['low']:+.4f} to {gain['high']:+.4f}")

# %% [markdown]
# Both intervals lie below zero: retraining on alert ends the year cheaper than never
# retraining (by some 5 to 8 € per 1,000 visits) and than every 3 months (by some 1 to 3
# €) - on *this* year's visits. But *where* does the gain come from? The final quarter,
# month by month:

# %%
# NBVAL_CHECK_OUTPUT
final_quarter = pd.DataFrame(
    {label: sims[label].log["expected_cost"].to_numpy()[-3:] for label in
     ["never", "on alert, all data", "on alert, last 3 months"]},
    index=year.month_names[-3:],
).T  # fmt: skip
final_quarter.loc["best possible"] = year.best_cost[-3:]
print(final_quarter.round(4).to_string())

# %% [markdown]
# * **October**: the models retrained on *all* the data are barely better than v1: one
#   month of a new taste among a year of visits hardly moves a model - a big window is
#   stable, and slow to learn a change.
# * The **last 3 months** window is the most fragile: in November its model meets
#   readings some 40 degrees beyond its three summer months, and its cost explodes.
# * Most of the all-data policies' lead is **November and December**, where the °F
#   readings hurt v1 more than the retrained models - luck of the weights, not a fix
#   (notebook 09b shows the fix).
#
# So the window matters as much as the timing, and one year's score says as much about
# that year's events as about the policy.

# %%
from course_utils.exercises.nb09 import q1, wrapup_a

# %% [markdown]
# ### Exercise 1 (build): the retraining loop of a schedule
#
# Now write a policy's loop yourself: *retrain every `every` months, on all the labelled
# data*. The loop above is the pattern; the decision is now the schedule, and the function
# works on any list of months, not only this year. It gets two helpers, so that the loop
# is all you write:
#
# * `fit(parts)` returns a fresh tuned pipeline fitted on a list of `(X, y)` pairs - the
#   history first, then months: `fit([history] + months[:2])`;
# * `cost(model, X, y)` returns the model's expected cost per visit (€) on those visits.
#
# Watch the calendar. A month is scored by the model *in production* that month; a
# retrain happens at the *end* of a month, learns only from months whose labels have
# arrived (one month late), and serves from the *next* month. Learning from a month
# before its labels exist is called [look-ahead](glossary:look-ahead): it makes a policy
# look better than it could ever be. And the months of a real year differ in size, so the
# year's cost per visit is all its euros over all its visits.
#
# The check runs your function on three towns and years that this notebook never shows.
# Stuck? `q1.hint()`; for the model answer, `q1.solution()`.

# %%
display(q1)


# %% tags=["build"]
def run_schedule(history, months, every, fit, cost):
    """Replay production under "retrain every `every` months, on all the labelled data".

    history: (X, y), the visits the first model learns from.
    months:  the production months in order, a list of (X, y) pairs.
    every:   a retrain is due at the end of month i (from 0) when (i + 1) % every == 0.
    fit:     fit(parts) -> a fresh model fitted on a list of (X, y) pairs.
    cost:    cost(model, X, y) -> the model's expected cost per visit (€).

    Start with model = fit([history]). Each month i: score the model in production with
    cost(); then, if a retrain is due, fit a fresh model on the history and the months
    whose labels have arrived (0 .. i-1) - it serves from month i + 1.
    Returns (monthly, per_visit): the list of each month's cost per visit, and the cost
    per visit over all the months (all their euros / all their visits).
    """
    # BEGIN SOLUTION
    model = fit([history])  # in production on day one
    monthly, euros, visits = [], 0.0, 0
    for i, (X, y) in enumerate(months):
        monthly.append(cost(model, X, y))  # this month, by the model in production
        euros += monthly[-1] * len(y)
        visits += len(y)
        if (i + 1) % every == 0:  # the end of every `every`-th month
            model = fit([history] + months[:i])  # labels known up to month i - 1
    return monthly, euros / visits
    # STUDENT: model = ...  # the model in production on day one
    # STUDENT: monthly = []
    # STUDENT: # your loop over the months here
    # STUDENT: return ...  # monthly, per_visit
    # END SOLUTION


q1.check(run_schedule)

# %% [markdown]
# ## 3. The policy comparer
#
# Choose a policy and its setting: the figure shows its expected cost month by month
# against never retraining and the best possible; the text says how many times it
# retrained, when, and how far above the best it ends the year. All variants were
# simulated above, so each change is instant.

# %%
from course_utils.widgets import policies

comparer_data = policies.prepare(year)  # the simulations above, by policy and setting
comparer = policies.make_widget(comparer_data)
display(comparer)

# %% [markdown]
# Folded below, for pages where the widget does not show: every variant at once - the same
# simulations, one panel each.

# %%
from course_utils.widgets import StaticCopy

display(StaticCopy(policies.plot_all(comparer_data)))

# %% [markdown]
# **Takeaway:** the panels differ only where a policy had labels of a change to learn
# from (the taste change), or where the models met inputs they had never seen (November's
# °F) - retraining follows the labels, never the alerts alone.


# %% [markdown]
# ## Wrap-up quiz
#
# Five questions on this notebook and the ones before it. Answer with the letters; the
# check explains each answer you give.

# %%
display(wrapup_a)

# %% tags=["quiz"]
# BEGIN SOLUTION
answers = {1: "c", 2: "a", 3: "c", 4: "b", 5: "a"}
# STUDENT: answers = {1: ..., 2: ..., 3: ..., 4: ..., 5: ...}
# END SOLUTION
wrapup_a.check(answers)

# %% [markdown]
# ## Recap
#
# In this notebook you
#
# * retrained by hand: a fresh tuned pipeline on a training window of the labelled
#   visits - labelled one month late, so a retrain always learns from the past;
# * replayed a year under six policies and ranked them by the contract's metric, the
#   expected cost per visit, against the best possible: retraining on alert ends the year
#   cheaper than never retraining - but much of the lead comes from November's broken
#   thermometers, not from learning; a window of all the data learns a change slowly, one
#   of the last 3 months learns it fast and forgets fast;
# * wrote the loop of a schedule yourself - score the month, decide at its end, learn only
#   from labelled months, weight the months by their visits;
# * saw why the price shock hardly touched the deployed logistic regression: it
#   extrapolates along the world's log-price effect, where boosted trees answer flat
#   beyond the prices they saw - and measured what the trees would have cost.
#
# **Next:** [09b · Retrain: repair, or promote a challenger](09b_champion_challenger.ipynb) -
# the thermometers that switched to °F, and a new model against the old one, fairly.
