# ruff: noqa: E402

# %% [markdown]
# # 08b · Monitor: judge the alarms
#
# *A year of alarms: which deserve a human? The seasons must page nobody, a broken sensor
# calls for fixing data, and one change shows in no input at all.*
#
# **Learning objectives.** By the end of this notebook you can
#
# * say why ordinary **seasonality** must page nobody, and compare like with like;
# * tell a **data-quality break** (caught by *data validation*) from statistical drift;
# * follow the **live metric** against the success contract, knowing it always lags;
# * tell **covariate shift** (within and beyond the training range), **label shift** and
#   **concept drift** apart on a monitor's charts;
# * explore each kind of change, and its strength, in a drift simulator.
#
# **Estimated time:** 60 minutes.

# %% [markdown]
# ## Where we start
#
# Notebook 08a served a year of production traffic through the tuned model and recorded
# the labels as they arrived, a month late. `checkpoints.monitored_year` replays that year
# the same way (the service's batch path, the same probabilities) - a few seconds - so this
# notebook starts on its own.

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display

from course_utils import checkpoints, contract, monitoring, world

signed = contract.load()
train, test = checkpoints.split()
model = checkpoints.tuned_model()
year = checkpoints.monitored_year(model)  # part a's year: served, logged, labels recorded
months, log, inputs = year["months"], year["log"], year["inputs"]
requests, labels_known_at, card = year["requests"], year["labels_known_at"], year["card"]
reference_month = inputs["2026-01"]  # the reference: the first month in production

# %% [markdown]
# The year's script, which the monitor does not know: seasons (January-March), students
# (April-May), a banana price shock (June-July), a taste change (August-October) and
# thermometers that switch to °F (November-December).

# %%
# NBVAL_CHECK_OUTPUT
script = pd.DataFrame(
    {
        "month": [m.period for m in months],
        "what happens (the monitor does not know)": [m.scenario for m in months],
        "visits logged": [int((log["period"] == m.period).sum()) for m in months],
    }
)
print(script.to_string(index=False))

# %% [markdown]
# ## 1. Every month, every input
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

# %% tags=["hidden"]
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
# that section 3 untangles.

# %% [markdown]
# ## 2. Seasonality must page nobody
#
# [Seasonality](glossary:seasonality) is change that comes back with the calendar: July is
# warm every year, and the model learned it from a whole year of history.
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
# alerts in tow (section 3 explains them). August to October: nothing. The inputs are
# innocent there - section 4 finds what happened.

# %% [markdown]
# ### Exercise 3: is the model broken in July? (a misconception check)
#
# Answer with a letter.

# %%
from course_utils.exercises.nb08 import q3, q4, q5

display(q3)

# %%
# BEGIN SOLUTION
answer_july = "c"
# END SOLUTION
q3.check(answer_july)

# %% [markdown]
# ## 3. A data-quality break is not drift
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
# heat wave at a time. The monitor's [data validation](glossary:data-validation) rules caught
# those, because they
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
# December alerts in section 2 - `store`, `hour`, `loyalty_member`: with almost only
# Station visits left in the log, the mix of customers *seems* to drift. One cause,
# several alarms; triage starts from the data-validation one.
#
# Data validation asks **"can this value be true?"** - ranges, plausibility against the
# same month of past years. Drift asks **"has the population changed?"** - a real change
# in the world. The difference decides the response: a real change may call for
# retraining; a broken sensor calls for fixing the data. Retraining on Fahrenheit numbers
# would teach the model that November is hot. Notebook 09 comes back to it.

# %% [markdown]
# ## 4. The live metric: what the labels say, a month late
#
# Inputs can only tell us that something *moved*. Whether the model got *worse* needs the
# labels: the [live metric](glossary:live-metric) is the contract's number measured on
# production once they arrive. For every month whose labels have arrived, compare the expected
# cost per visit
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

# %% tags=["hidden"]
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
# ### Exercise 4: which number for the live metric? (a misconception check)

# %%
display(q4)

# %%
# BEGIN SOLUTION
live_metric = "expected_cost"
# END SOLUTION
q4.check(live_metric)

# %% [markdown]
# ## 5. Three kinds of change, and one that is not
#
# Write x for a visit's inputs and y for the fruit. A model learns P(y | x); the world can
# change around it in three ways:
#
# * [Covariate shift](glossary:covariate-shift) ([data drift](glossary:data-drift)): the inputs
#   move - P(x) changes - while P(y | x)
#   holds. An input's PSI rises; performance holds *as long as the new inputs stay inside
#   what the model was trained on*. *This year:* the students (April-May) - an alert on
#   `age`, the live cost steady: the history had young customers.
# * **Covariate shift beyond the training range** - the same definition, with a twist.
#   *This year:* the price shock (June-July). The banana price moved (P(x)), the way
#   customers react to a price did not (P(y | x)): a banana-price alert, banana predicted
#   for 26 % of the visits instead of 49 %. The share of bananas fell *because the inputs
#   moved*. That is not label shift.
# * [Label (prior) shift](glossary:label-shift): P(y) changes while P(x | y) holds - the banana
#   buyers are the
#   same kind of people as before, there are only more or fewer of them (a banana fashion
#   that brings new banana buyers who look exactly like the old ones). The price shock is not
#   one: the banana buyers of June face dearer bananas than those of last year, so
#   P(x | banana) moved too. This year has no label shift.
# * [Concept drift](glossary:concept-drift): the link between inputs and label moves - P(y | x)
#   changes. No input
#   moves; only the live metric drops, and late. *This year:* the taste change
#   (August-October) - a cost 1.14 to 1.31 times the test level.
# * Not drift at all - a [data-quality break](glossary:data-quality-break): what an input *means*
#   changes. Data
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
# ### Exercise 5: which kind of change?

# %%
display(q5)

# %%
# BEGIN SOLUTION
kind_of_change = "concept drift"
# END SOLUTION
q5.check(kind_of_change)

# %% [markdown]
# ## 6. The drift simulator
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
# service's schema would refuse most of them, as section 3 showed), and the logistic
# regression extrapolates its temperature weight far beyond the warmest day it saw.
#
# The same, as a table (costs in € per visit at the contract's threshold; on 1,000 visits
# every number moves a little with the luck of the draw):

# %%
# NBVAL_CHECK_OUTPUT
print(f"{simulations.month}, {simulations.n_visits:,} visits per simulated month:")
display(driftsim.summary(simulations, strength=1.0))

# %% [markdown]
# ## Wrap-up quiz
#
# Six questions on this notebook and the ones before it. Put a letter for each in
# `answers`, run the cell, and read the answer to each choice.

# %%
from course_utils.exercises.nb08 import wrapup_b

display(wrapup_b)

# %% tags=["quiz"]
# BEGIN SOLUTION
answers = {1: "c", 2: "a", 3: "b", 4: "c", 5: "a", 6: "b"}
# STUDENT: answers = {1: ..., 2: ..., 3: ..., 4: ..., 5: ..., 6: ...}
# END SOLUTION
wrapup_b.check(answers)

# %% [markdown]
# ## Recap
#
# In this notebook you
#
# * saw that a month against the whole year always "drifts", and watched the rules that
#   compare like with like stay quiet through the seasons;
# * watched those rules catch the students (input drift on `age`), the price shock
#   (banana price level) and the Fahrenheit thermometers (data validation - a data-quality
#   break, not drift);
# * saw that the price shock took June beyond the training range, and that the deployed
#   logistic regression holds there because it extrapolates along the world's log-price
#   effect;
# * found the taste change - concept drift - only in the live metric, a month late: the
#   cost rose 14 to 31 % above the test level, still within the contract;
# * turned each kind of change up and down in the simulator.
#
# **Next:** [09a · Retrain: when?](09a_retraining_policies.ipynb) - the monitor has spoken; what
# now? Retrain on which data, compare the new model with the old one fairly, promote it or
# roll back - and fix the thermometers instead of retraining on them.
