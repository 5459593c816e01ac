# ruff: noqa: E402

# %% [markdown]
# # 09b · Retrain: repair, or promote a challenger
#
# *Recognise the break that retraining cannot fix, and compare a new model with the old one
# fairly - on visits neither has seen, with an interval, and by an experiment.*
#
# **Learning objectives.** By the end of this notebook you can
#
# * tell a change in the world (retrain) from a break in the data (**repair**), with the
#   thermometers that switched to °F;
# * run **champion versus challenger** on a month neither model has seen, with a **paired
#   bootstrap** interval for the difference, promote the winner in the registry, and
#   **roll back** when it stops winning;
# * compare two models by an **experiment** - an online A/B test on random halves of the
#   traffic - and read the difference with its interval.
#
# **Estimated time:** 60 minutes.

# %% [markdown]
# ## Where we start
#
# Part a ([09a](09a_retraining_policies.ipynb)) replayed the year after deployment under
# retraining policies. This part starts from the same place, on its own: the **success
# contract**, the **year of production** (twelve months of 2,000 visits, with what the
# customers bought), and **v1**, notebook 05's tuned pipeline fitted on the history - the
# model in production on 1 January. Every cost is the contract's expected cost per visit,
# of the decisions at its threshold (lower is better).

# %% tags=["hidden"]
from threadpoolctl import threadpool_limits

threadpool_limits(limits=1)  # small models: one CPU thread each is fastest on 2 cores

# %%
import numpy as np
import pandas as pd
from IPython.display import display

from course_utils import checkpoints, contract, monitoring, paths, retraining, world
from course_utils.exercises.nb09 import q2, q3, wrapup_b

signed = contract.load()
year = retraining.production_year()  # the year of notebooks 08 and 09a
v1 = year.first_model()  # notebook 05's tuned pipeline, fitted on the history
X_history, y_history = checkpoints.xy(year.history)
fresh_model = retraining.new_model  # a fresh, unfitted tuned pipeline (09a's fresh_model)


# %%
def scores_on(model, i, inputs=year.inputs):
    """Expected cost (€ per visit) and accuracy at the contract's threshold, month i."""
    p_banana = model.predict_proba(inputs(i))[:, 1]  # the classes are apple, banana
    return monitoring.live_metrics(year.labels(i), p_banana, signed)


# %% [markdown]
# ## 1. The unit switch: retrain or repair?
#
# In November every alert of one kind fires: **data validation** on the temperature. The
# monitor compares each store's median temperature with November of the history:

# %%
# NBVAL_CHECK_OUTPUT
november = 10
checks = monitoring.check_month(
    year.months[november].visits,
    history=year.reference,
    window=year.months[0].visits,
    month=11,
)
temperature = checks[checks["input"].str.startswith("temperature_c")]
print(temperature[["rule", "input", "measure", "value", "alert"]].round(2).to_string(index=False))
readings, history_temps = (
    year.months[november].visits["temperature_c"],
    year.reference["temperature_c"],
)
print(f"November's readings: {readings.min():.1f} to {readings.max():.1f}")
print(f"the history's (°C):  {history_temps.min():.1f} to {history_temps.max():.1f}")

# %% [markdown]
# Medians about 40 "degrees" higher than last November, and 65 % of the readings outside
# the plausible range: a sensor firmware update switched the thermometers to
# **degrees Fahrenheit** on 1 November (the vendor's release note confirms it). The
# customers did not change - the numbers did.

# %% [markdown]
# ### Exercise 2: retrain or repair?
#
# Before you look at any number: what should the team do first? Answer one of
# `"retrain"`, `"repair"`, `"roll back"` or `"wait"`.

# %%
display(q2)

# %%
# BEGIN SOLUTION
first_move = "repair"
# END SOLUTION
q2.check(first_move)

# %% [markdown]
# Now the numbers. To [repair](glossary:repair) means: validate each reading and convert
# °F back to °C *before* the model sees it, as notebook 03 did for Riverside's thermometer:

# %%
FIRMWARE_UPDATE = pd.Timestamp("2026-11-01")  # from the alert and the release note


def repair_temperature(visits):
    """Readings taken since the firmware update are in °F: convert them to °C."""
    fixed = visits.copy()
    since = fixed["timestamp"] >= FIRMWARE_UPDATE
    fahrenheit = fixed.loc[since, "temperature_c"]
    fixed.loc[since, "temperature_c"] = ((fahrenheit - 32) * 5 / 9).round(1)
    return fixed


def repaired_inputs(i):
    """Month i's model inputs, repaired (nothing changes before the update)."""
    return repair_temperature(year.months[i].visits)[year.inputs(i).columns].astype(
        year.inputs(i).dtypes
    )


# %% [markdown]
# Validate the repair with the same rules: the data validation alert must be gone.

# %%
# NBVAL_CHECK_OUTPUT
after = monitoring.check_month(
    repair_temperature(year.months[november].visits),
    history=year.reference,
    window=year.months[0].visits,
    month=11,
)
still = after[(after["rule"] == "data validation") & after["alert"]]
print(f"data validation alerts after the repair: {len(still)}")

# %% [markdown]
# Three options for November and December:
#
# * **no action** - v1 keeps reading °F as °C;
# * **retrain on the broken data** - in the best case for retraining: pretend November's
#   labels arrive at once, retrain at the end of November on everything including the °F
#   month, and use it in December (November itself is lost: there is nothing to learn
#   from yet);
# * **repair** - v1 on repaired inputs, from the first day.

# %%
X_broken, y_broken = retraining.training_window(year, last_labelled=november, window="all")
retrained_on_broken = fresh_model().fit(X_broken, y_broken)  # history + Jan-Nov, Nov in °F

# %%
# NBVAL_CHECK_OUTPUT
december = 11
options = {
    "no action": [scores_on(v1, november), scores_on(v1, december)],
    "retrain on the broken data": [
        scores_on(v1, november),  # nothing to retrain on yet
        scores_on(retrained_on_broken, december),
    ],
    "repair the input": [
        scores_on(v1, november, repaired_inputs),
        scores_on(v1, december, repaired_inputs),
    ],
}
unit_table = pd.DataFrame(
    {name: [s["expected_cost"] for s in pair] for name, pair in options.items()},
    index=["Nov", "Dec"],
).T
unit_table["Nov-Dec"] = unit_table.mean(axis=1)
best = pd.DataFrame([[*year.best_cost[[november, december]], year.best_cost[10:].mean()]],
                    index=["best possible"], columns=unit_table.columns)  # fmt: skip
print(f"expected cost, € per visit (contract: at most {signed.minimum})")
print(pd.concat([unit_table, best]).round(4).to_string())

# %% [markdown]
# Doing nothing costs some 15 € per 1,000 visits more than perfect knowledge in November
# and **breaks the contract** in December: v1 reads 39 to 66 "°C", far beyond the warmest
# day it ever saw, and a logistic regression follows its temperature weight all the way
# out there - the same extrapolation that saved it in June, now applied to numbers that
# are not true. Repairing the input gives back almost everything, from the first day of
# November: close to the best possible line. Retraining cannot help in November at all -
# there are no °F labels yet - and even in the best case it stays behind the repair in
# December.
#
# And the retrained model now *depends on the bug*. In its training window a temperature
# of 25 means 25 °C (a hot summer day, in the history) - but after the update, a reading
# of 25 would mean 25 °F, that is −4 °C. The world treats those two days very differently;
# a model can give only one answer to "25":

# %%
# NBVAL_CHECK_OUTPUT
visit = pd.DataFrame(  # a Tuesday, 10 o'clock, at Central: a 32-year-old loyalty member
    [{"store": "Central", "hour": 10, "weekday": 1, "age": 32.0, "has_kids": 0.0,
      "loyalty_member": 1, "price_apple": 0.50, "price_banana": 0.34, "promo": "none",
      "temperature_c": 25.0}]
)  # fmt: skip
said = retrained_on_broken.predict_proba(visit)[0, 1]  # the model only sees "25"
for label, celsius in [("a hot day, 25 °C", 25.0), ("a freezing day, 25 °F", (25 - 32) * 5 / 9)]:
    truth = world.true_proba(visit.assign(temperature_c=celsius))[0]
    print(f"{label:<22} true P(banana) {truth:.2f} | the model, reading '25': {said:.2f}")


# %% [markdown]
# Neither answer is right for either day. A linear model has one weight for temperature;
# fitted on a mix of °C and °F, that weight is a compromise that fits neither unit. The
# model now holds two meanings of one column, and wherever they meet it can only guess:
# a freezing day (25 °F is −4 °C), or a store whose thermometer is updated a week after
# the others. The repair removes the
# problem at its source from the first day, and fixes every other user of the data too:
# the monitor, the reports, the next model.
#
# **Retrain when the world changes; repair when the data breaks.**

# %% [markdown]
# ## 2. Champion versus challenger: promote, and roll back
#
# The policies of notebook 09a put each retrained model straight into production. A safer
# process treats a retrained model as a [challenger](glossary:challenger): it goes live
# only if it beats the [champion](glossary:champion) - the model in production - on
# labelled visits that **neither** was trained on. We hold out the most recent labelled
# month for that.
#
# The models live in the **registry** of notebook 07, which keeps every version and a log
# of which one is in production. This notebook uses a registry folder of its own, started
# afresh each run so that the version numbers match the text.

# %% tags=["hidden"]
import shutil

registry_folder = paths.work_dir() / "registry_09"
shutil.rmtree(registry_folder, ignore_errors=True)  # a fresh registry at every run
ab_folder = paths.work_dir() / "ab_test_09"
shutil.rmtree(ab_folder, ignore_errors=True)  # a fresh experiment at every run

# %%
from course_utils.registry import Registry

registry = Registry(registry_folder, extra_trusted=["course_utils.features.add_features"])

card_v1 = registry.register(
    v1,
    X_train=X_history,
    y_train=y_history,
    metrics={"expected_cost_test": year.reference_cost},
    contract=signed,
    notes="Notebook 05's tuned pipeline, trained on the history.",
)
registry.promote(card_v1.version)
print("in production:", registry.aliases())

# %% [markdown]
# From here on, every month is scored on repaired inputs (a no-op before November).


# %%
def cost_on(model, i):
    """Expected cost (€ per visit) of a model on month i, on the repaired inputs."""
    return scores_on(model, i, repaired_inputs)["expected_cost"]


# %% [markdown]
# **Round 1, the end of October.** September's labels have just arrived, and the taste
# change is two months old. Betting on recent data to catch the new taste, the team trains
# a challenger on the **last three labelled months before September** - June to August -
# and holds September out: neither model has seen it.

# %%
september = 8
X_recent, y_recent = retraining.training_window(year, last_labelled=7, window="recent")
v2 = fresh_model().fit(X_recent, y_recent)  # June-August; September held out

# %%
# NBVAL_CHECK_OUTPUT
print(f"on September (held out): v1 {cost_on(v1, september):.4f} €/visit, ", end="")
print(f"challenger {cost_on(v2, september):.4f} €/visit")

# %% [markdown]
# The challenger costs less: it has seen August, the first month of the taste change. But
# a month is 2,000 visits, and some months are easier than others. Is the difference more
# than luck?
#
# ### A paired bootstrap: the same visits for both models
#
# The **bootstrap** asks what would happen with another month like this one: draw 2,000
# visits *with replacement* from September's, score both models on the draw, and repeat
# two thousand times. **Paired** means that each draw scores *both* models on the *same*
# visits: an easy draw is easy for both, so the luck of the draw cancels out of the
# difference, and the interval measures the models, not the month. First, what each
# decision cost, visit by visit:

# %%
labels_sep = year.labels(september)
p_v1 = v1.predict_proba(repaired_inputs(september))[:, 1]
p_v2 = v2.predict_proba(repaired_inputs(september))[:, 1]
cost_v1 = monitoring.visit_costs(labels_sep, p_v1, signed)  # € per visit, at 0.75
cost_v2 = monitoring.visit_costs(labels_sep, p_v2, signed)
difference = cost_v2 - cost_v1  # per visit: negative where the challenger's answer cost less

# %% [markdown]
# Then two thousand resamples of the visits, the same rows for both models, and the middle
# 95 % of the mean differences:

# %%
# NBVAL_CHECK_OUTPUT
rng = np.random.default_rng(0)
n = len(difference)
resampled = [difference[rng.integers(0, n, n)].mean() for _ in range(2000)]
low, high = np.quantile(resampled, [0.025, 0.975])
print(f"challenger minus champion on September: {difference.mean():+.4f} €/visit")
print(f"95% bootstrap interval: {low:+.4f} to {high:+.4f}")

# %% [markdown]
# The whole interval lies below zero: the challenger is cheaper, and not by luck - by
# somewhere between 3 and 10 € per 1,000 visits, which is all the precision one month
# gives. `monitoring.paired_bootstrap` does the same (with the same seed, the same
# numbers), and `monitoring.read_comparison` turns an interval into the decision it
# supports: *challenger cheaper* (the interval below 0), *champion cheaper* (above 0), or
# *no clear difference* (0 inside) - in which case we change nothing.


# %%
# NBVAL_CHECK_OUTPUT
def compare_on(champion, challenger, i):
    """Paired bootstrap of challenger minus champion on month i (repaired inputs)."""
    p_champion = champion.predict_proba(repaired_inputs(i))[:, 1]
    p_challenger = challenger.predict_proba(repaired_inputs(i))[:, 1]
    return monitoring.paired_bootstrap(year.labels(i), p_champion, p_challenger, signed)


round_1 = compare_on(v1, v2, september)
print(f"interval {round_1['low']:+.4f} to {round_1['high']:+.4f}:", end=" ")
print(monitoring.read_comparison(round_1))

# %% [markdown]
# A tempting shortcut would make the challenger look even better - train it on the three
# months up to and *including* September, and score it on September:

# %%
# NBVAL_CHECK_OUTPUT
X_all4, y_all4 = retraining.training_window(year, last_labelled=september, window="recent")
peeking = fresh_model().fit(X_all4, y_all4)  # trained on July-September, September included
print(f"scored on its own training month: {cost_on(peeking, september):.4f} €/visit")

# %% [markdown]
# A lower cost that means nothing: a model scored on visits it learned from always looks
# better than it will do on new ones (notebook 04's lesson, in production clothes). The
# honest number is the held-out one, and its interval decides. So: register the
# challenger - with the evidence in its card - and promote it.

# %%
card_v2 = registry.register(
    v2,
    X_train=X_recent,
    y_train=y_recent,
    metrics={"expected_cost_2026-09": cost_on(v2, september)},
    contract=signed,
    notes="Challenger: fresh pipeline on June-August 2026; beat v1 on September (held out).",
)
if monitoring.read_comparison(round_1) == "challenger cheaper":
    registry.promote(card_v2.version)
print("in production:", registry.aliases())

# %% [markdown]
# **Round 2, the end of November.** October's labels arrive - new to both models. v2 is
# the champion now, and v1 the alternative:

# %%
# NBVAL_CHECK_OUTPUT
october = 9
print(f"on October: v1 {cost_on(v1, october):.4f} €/visit, v2 {cost_on(v2, october):.4f} €/visit")
round_2 = compare_on(v2, v1, october)  # v1 minus v2
print(f"interval {round_2['low']:+.4f} to {round_2['high']:+.4f}:", end=" ")
print(monitoring.read_comparison(round_2))

# %% [markdown]
# v2 still costs a little less on October, but the interval of the difference straddles
# zero: October alone
# cannot tell the two models apart. That is no reason to move: v2 stays in production,
# and the next month's labels will say more. (Reading "v2 cheaper again" from the point
# estimates alone would be false precision.)

# %% [markdown]
# ### The fourth source of data: an experiment
#
# Every comparison so far replayed the past: both models scored on a month of visits
# after the fact. That works here because the fruit a customer takes does not depend on
# which model served the visit. It is still a comparison on *observed* data, and observed
# data can mislead: if v2 had served only the busy days, or one store, its month would
# differ from v1's for reasons that have nothing to do with the model. The way to rule
# that out is to **make** the data: an **experiment**. Both models serve at the same time,
# and a coin decides, visit by visit, which one answers - an online
# [A/B test](glossary:ab-test). The coin makes the two halves alike in everything, seen
# or unseen - stores, days, customers, prices - so the difference in cost can only come
# from the model.
#
# What would it have said in October? v2 needs only the labels of June to August, known at
# the end of September, so it could have served as a challenger on half of October. We
# replay that month as it would have run: both models registered (in a registry of their
# own, so the story's registry stays as it is), each visit sent to one of them by a seeded
# coin, through the service's own path, into a prediction log.

# %%
from course_utils import experiment, predlog, replay

ab_registry = Registry(ab_folder / "registry", extra_trusted=["course_utils.features.add_features"])
for model, X, y, alias in [
    (v1, X_history, y_history, "champion"),
    (v2, X_recent, y_recent, "challenger"),
]:
    card = ab_registry.register(model, X_train=X, y_train=y, metrics={}, contract=signed)
    ab_registry.promote(card.version, alias=alias)

visits_october = year.months[october].visits
to_challenger = experiment.assign(len(visits_october), seed=2026)  # a coin for each visit
ab_log = ab_folder / "predictions.sqlite"
served = [
    replay.replay_month(
        visits_october[~to_challenger], ab_registry, alias="champion", log_path=ab_log
    ),
    replay.replay_month(
        visits_october[to_challenger], ab_registry, alias="challenger", log_path=ab_log
    ),
]
for answers in served:  # the end of November: October's labels arrive, on the request id
    predlog.record_labels(ab_log, replay.labels_for(answers, visits_october))

# %% [markdown]
# The log holds every answer with the version that gave it and, now, the fruit bought. The
# cost of each decision follows from the contract; the experiment's result is the
# difference of the two halves' mean costs, with an interval from their spread:

# %%
# NBVAL_CHECK_OUTPUT
ab = predlog.read_log(ab_log)
ab["cost"] = experiment.decision_cost(ab["decision"] == "banana", ab["fruit"] == "banana", signed)
champion_costs = ab.loc[ab["model_version"] == "v1", "cost"]
challenger_costs = ab.loc[ab["model_version"] == "v2", "cost"]
ab_difference = challenger_costs.mean() - champion_costs.mean()
se = np.sqrt(
    champion_costs.var() / len(champion_costs) + challenger_costs.var() / len(challenger_costs)
)
ab_low, ab_high = ab_difference - 1.96 * se, ab_difference + 1.96 * se
print(f"champion v1:   {len(champion_costs):,} visits, {champion_costs.mean():.4f} €/visit")
print(f"challenger v2: {len(challenger_costs):,} visits, {challenger_costs.mean():.4f} €/visit")
print(f"v2 minus v1: {ab_difference:+.4f} €/visit, 95 % interval {ab_low:+.4f} to {ab_high:+.4f}")

# %% [markdown]
# The world can do what no shop can: tell the **true** effect. It knows every October
# visit's true P(banana), so it can price both models' decisions on *all* the visits - the
# number a perfect experiment would find:

# %%
# NBVAL_CHECK_OUTPUT
X_october = visits_october[world.FEATURES]
decided = {
    name: model.predict_proba(X_october)[:, list(model.classes_).index("banana")]
    >= signed.best_threshold()
    for name, model in [("v1", v1), ("v2", v2)]
}
true_effect = experiment.true_difference(
    decided["v1"], decided["v2"], year.months[october].p_banana, signed
)
print(f"true effect of v2 against v1: {true_effect:+.4f} €/visit")
print(f"inside the experiment's interval: {ab_low <= true_effect <= ab_high}")

# %% [markdown]
# On its half of October, v2 cost about 0.2 cents less per visit than v1 on the other
# half, but the 95 % interval, -0.0081 to +0.0038 €, contains zero: the experiment cannot
# tell the two models apart - the same reading as the paired comparison of round 2. The
# true effect, -0.0012 €, lies inside it, and is small. (A test of the course repeats such
# experiments with fresh coins and fresh customers: the interval covers the true effect
# about 95 times in 100 - a little more, as this interval errs on the safe side.)
#
# The interval comes straight from the coin. The two halves are independent random samples
# of the same month, so the spread of each half's costs gives the standard error of the
# difference, √(s₁²/n₁ + s₂²/n₂). It is wide because each model saw only about 1,000
# visits - wider than round 2's paired interval, where both models answered every visit:
# an experiment needs enough traffic - or enough time - to tell two models apart, and a
# difference as small as this one would need many months. In exchange, it
# needs no assumption about what else might differ between the two halves: nothing does,
# but chance.

# %% [markdown]
# ### Exercise 3: is the new champion still better?
#
# **Round 3, the end of December.** November's labels have arrived. What is v2's expected
# cost per visit on November - the evidence that decides whether it stays in production?
# Use `cost_on` (November is month 10). The check also needs the model you scored.

# %%
display(q3)

# %%
# BEGIN SOLUTION
v2_cost_november = cost_on(v2, november)
# END SOLUTION
q3.check(v2_cost_november, model=v2)

# %% [markdown]
# The decision itself reads the paired bootstrap on November, as in the rounds before -
# the interval of v1 minus v2, now that v2 is the champion:

# %%
# NBVAL_CHECK_OUTPUT
round_3 = compare_on(v2, v1, november)  # v1 minus v2
verdict_nov = monitoring.read_comparison(round_3)
print(f"v1 minus v2: interval {round_3['low']:+.4f} to {round_3['high']:+.4f}: {verdict_nov}")
print("decision:", "roll back to v1" if verdict_nov == "challenger cheaper" else "keep v2")

# %% [markdown]
# v2 loses, and the whole interval says so: in November the families are back to their
# bananas, and v2 - which learned from three months of which the newest was the taste
# change - still expects them to take apples. v1 learned from a whole ordinary year. One
# command puts it back:

# %%
# NBVAL_CHECK_OUTPUT
if verdict_nov == "challenger cheaper":  # v1, the alternative, is the cheaper one now
    registry.rollback()
print("in production:", registry.aliases())
history = pd.DataFrame(registry.history())[["action", "version", "previous"]]
print(history.fillna("-").to_string(index=False))

# %% [markdown]
# The registry logs every move (with its time, left out above), so anyone can see which
# model served when - and v2 is still there, with its card, should it be needed again.
# Rolling back was cheap because v1 was never deleted.

# %% [markdown]
# ## Wrap-up quiz
#
# Seven questions on this notebook and the ones before it. Answer with the letters; the
# check explains each answer you give.

# %%
display(wrapup_b)

# %% tags=["quiz"]
# BEGIN SOLUTION
answers = {1: "a", 2: "c", 3: "b", 4: "c", 5: "b", 6: "a", 7: "c"}
# STUDENT: answers = {1: ..., 2: ..., 3: ..., 4: ..., 5: ..., 6: ..., 7: ...}
# END SOLUTION
wrapup_b.check(answers)

# %% [markdown]
# ## Recap
#
# In this notebook you
#
# * saw that the unit switch is a break in the data, not a change in the world: repairing
#   the input restores the model from the first day, retraining on broken data cannot;
# * ran champion versus challenger on held-out months with a paired bootstrap interval,
#   promoted the winner in the registry, kept it when a month could not tell them apart,
#   and rolled it back when the interval said it had stopped winning;
# * ran an **experiment** - champion and challenger each on a random half of October,
#   through the service's path - whose interval for the difference in cost (-0.0081 to
#   +0.0038 € per visit) covers the world's true effect (-0.0012 €) but cannot tell the
#   two models apart in one month.
#
# **Next:** [10a · The whole cycle](10a_the_whole_cycle.ipynb) - the lifecycle as one
# reproducible command, applied to a new twist.
