# ruff: noqa: E402

# %% [markdown]
# # 01 · Define success
#
# *Before any model: decide what to predict, from which columns, what a mistake costs, and
# which score is good enough - then write it down as a contract.*
#
# **Learning objectives.** By the end of this notebook you can
#
# * turn the shop's question into a task: the target, the unit and the moment of
#   prediction - and so the columns that exist at that moment;
# * spot **leakage**: a column only known after the fact, that gives the answer away;
# * price each kind of mistake, and write the business metric as a function;
# * build **baselines** without touching the test set, and compare them with the best any
#   model could do;
# * choose a decision threshold from the costs, and write a **success contract**.
#
# **Estimated time:** 60 minutes.

# %% [markdown]
# ## 1. From the shop's question to a machine-learning task
#
# The chain's manager asks: *"Can we know which fruit a customer will want?"* Three
# questions turn that wish into a task a model can learn:
#
# | question | answer for the fruit stand |
# |---|---|
# | **What** is predicted (the target)? | the fruit bought: `apple` or `banana` - two classes |
# | For **which unit** (one row, one prediction)? | one visit at the stand |
# | At **what moment**? | when the customer reaches the stand, *before* paying |
#
# These are the [target](glossary:target) with its two [classes](glossary:class), the
# [unit of prediction](glossary:unit-of-prediction) and the
# [moment of prediction](glossary:moment-of-prediction). The moment matters most: a model
# may only use what exists at that moment. Let's see what
# the tills record - their raw export, one row per scan.

# %%
import numpy as np
import pandas as pd
from IPython.display import display

from course_utils import sources

sales = pd.read_csv(sources.data_dir() / "sales.csv")
sales.head()

# %%
# NBVAL_CHECK_OUTPUT
print(f"{len(sales):,} scans; columns: {list(sales.columns)}")

# %% [markdown]
# Six columns: the visit, when it was scanned, where, who, the fruit - and `amount_paid`.
# The raw export still has typos, [duplicate](glossary:duplicate) scans and mixed date
# formats. Notebooks 02 and 03 collect the four sources of the chain (tills, customer
# database, price page, sensors) and clean them; here we start from their result, a
# [checkpoint](glossary:checkpoint) of the cleaned history.

# %%
from course_utils import checkpoints

history = checkpoints.clean_history()
history.head()

# %%
# NBVAL_CHECK_OUTPUT
print(f"{len(history):,} visits, {history.shape[1]} columns")

# %% [markdown]
# One row per visit (19,075 of them): the customer's age, children and loyalty card (from
# the customer database), the day's prices and promotion (from the price page), the
# temperature (from the sensors), and the `fruit` bought. A `NaN` is a missing value -
# notebook 03 deals with those.
#
# Let's put the till's `amount_paid` next to them: these are all the *candidate* inputs.

# %%
paid = sales[["visit_id", "amount_paid"]].drop_duplicates("visit_id")
candidates = history.merge(paid, on="visit_id", how="left")
list(candidates.columns)

# %% [markdown]
# Look hard at `amount_paid`: the till writes it *after* the purchase, and it is the day's
# price of the fruit bought. So a "model" that just reads it - banana when it equals the
# banana price - tells the fruit almost every time:

# %%
# NBVAL_CHECK_OUTPUT
leaky_guess = np.where(
    np.isclose(candidates["amount_paid"], candidates["price_banana"]), "banana", "apple"
)
print(f"accuracy of the leaky guess: {(leaky_guess == candidates['fruit']).mean():.1%}")

# %% [markdown]
# 98.9 % - far better than the best honest model (you will see below that it is about
# 85 %). A score that is too good to be true is the classic sign of
# [leakage](glossary:leakage): an input that carries the answer but will not exist when
# the prediction is needed. At the stand, before paying, `amount_paid` is empty, and the
# brilliant model is useless.

# %% [markdown]
# ### Exercise 1: which columns exist at prediction time?
#
# The model will answer when the customer walks up to the stand, before anything is paid.
# Which columns of `candidates` may it use as inputs - its
# [features](glossary:feature)? Think about *when* each value comes into existence.

# %%
from course_utils.exercises.nb01 import q1, q2, wrapup

display(q1)

# %%
# BEGIN SOLUTION
drop = ["visit_id", "timestamp", "customer_id", "fruit", "amount_paid"]
usable = [c for c in candidates.columns if c not in drop]
# STUDENT: usable = ...  # your code here: a list of column names
# END SOLUTION
q1.check(usable)

# %% [markdown]
# ## 2. Lock the test set away
#
# To know how a model does on *new* visits, we set 20 % of the history aside now, as the
# [test set](glossary:test-set), and do not look at it until notebook 06 - not to choose a
# baseline, not to choose a threshold. Every number in this notebook is measured on the
# training rows. The other 80 % are the [training set](glossary:training-set).
# `checkpoints.split()` gives the course's standard split
# ([stratified](glossary:stratified): both parts keep the same share of bananas;
# [seeded](glossary:seed): the same rows every time). The next cells also need the usable
# columns; `world.FEATURES` is the course's list, so the notebook runs whatever you
# answered.

# %%
# NBVAL_CHECK_OUTPUT
from course_utils import world

FEATURES = world.FEATURES  # the columns known when the customer reaches the stand
train, test = checkpoints.split()
X_train, y_train = train[FEATURES], train["fruit"]
print(f"training rows: {len(train):,}   test rows: {len(test):,} (locked until notebook 06)")

# %% [markdown]
# ## 3. What does a mistake cost?
#
# A model can be wrong in two ways, and the shop pays differently for each:
#
# | the model says | the customer takes | name | what it costs the shop |
# |---|---|---|---|
# | banana | an apple | **false banana** | a banana stocked and offered for nothing: about €0.30 |
# | apple | a banana | **false apple** | a missed sale: about €0.10 of margin |
#
# ([False bananas and false apples](glossary:false-banana-and-false-apple) are our names.)
# In machine-learning words, banana is the *positive* class: a false banana is a
# [false positive](glossary:false-positive-and-false-negative), a false apple a **false
# negative**. We write the two prices down once:

# %%
COST_FALSE_BANANA = 0.30  # euros lost: we said banana, the customer took an apple
COST_FALSE_APPLE = 0.10  # euros lost: we said apple, the customer wanted a banana

# %% [markdown]
# ## 4. Baselines: the scores to beat
#
# A [baseline](glossary:baseline) is the simplest strategy that needs no learning. If a
# model can't beat it, the model is not worth deploying. The classic one predicts the
# [majority class](glossary:majority-class) for every visit; scikit-learn has it as
# `DummyClassifier`, a [classifier](glossary:classifier) that learns nothing but that class
# when we [fit](glossary:fit) it, and [predicts](glossary:predict) it for every visit. We
# score it with 5-fold [cross-validation](glossary:cross-validation) on the training rows:
# fit on four fifths (four [folds](glossary:fold)), score on the fifth, five times - the
# test set stays locked.

# %%
# NBVAL_CHECK_OUTPUT
from sklearn.dummy import DummyClassifier
from sklearn.model_selection import cross_val_predict, cross_val_score

majority = DummyClassifier(strategy="most_frequent")
scores = cross_val_score(majority, X_train, y_train, cv=5, scoring="accuracy")
print(f"majority baseline: accuracy {scores.mean():.3f} (5-fold cross-validation)")
print("it always predicts:", majority.fit(X_train, y_train).predict(X_train.head(1))[0])

# %% [markdown]
# Always saying *banana* is right 61.6 % of the time (its [accuracy](glossary:accuracy)).
# But what does it cost? Here are its predictions for the training visits, each made by a
# model that did not see that visit:

# %%
majority_pred = cross_val_predict(majority, X_train, y_train, cv=5)
majority_pred[:5]

# %% [markdown]
# ### Exercise 2: build the business metric
#
# How much does a set of predictions cost the shop? Write it once, as a function: the
# [expected cost per visit](glossary:expected-cost-per-visit), in euros - count the false
# bananas and the false apples,
# weigh each count by its cost, divide by the number of visits. The check runs your
# function on predictions and cost tables you have not seen (another store's month, other
# prices, plain lists, a perfect prediction). Stuck? `q2.hint()`.

# %%
display(q2)


# %% tags=["build"]
def cost_per_visit(y_true, y_pred, cost_false_banana, cost_false_apple):
    """Average euros lost per visit when predicting y_pred for visits that bought y_true.

    y_true, y_pred: sequences of "apple"/"banana" of the same length (lists, arrays or
    Series). A false banana (banana predicted, apple bought) costs cost_false_banana, a
    false apple (apple predicted, banana bought) cost_false_apple; right ones cost 0.
    """
    # BEGIN SOLUTION
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    false_banana = ((y_pred == "banana") & (y_true == "apple")).sum()
    false_apple = ((y_pred == "apple") & (y_true == "banana")).sum()
    return (cost_false_banana * false_banana + cost_false_apple * false_apple) / len(y_true)
    # STUDENT: return ...  # your code here
    # END SOLUTION


q2.check(cost_per_visit)

# %% [markdown]
# The next cells need this metric; `checkpoints.cost_per_visit` is the course's version (same
# parameters), so the notebook runs whatever you answered. Let's compare three baselines:
# always banana (the majority), always apple, and a **rule of thumb** from the stand's
# staff, a few lines of pandas - no learning, so no cross-validation: *"Commuters grab a
# banana at the Station in the rush hours, and families buy bananas for the kids; everyone
# else, offer an apple."*

# %%
rush_hours = [7, 8, 9, 16, 17, 18]
station_rush = (train["store"] == "Station") & train["hour"].isin(rush_hours)
rule_says_banana = station_rush | (train["has_kids"] == 1)

# %%
# NBVAL_CHECK_OUTPUT
from course_utils.checkpoints import cost_per_visit as expected_cost

always_apple = DummyClassifier(strategy="constant", constant="apple")
baseline_preds = {
    "always banana": majority_pred,
    "always apple": cross_val_predict(always_apple, X_train, y_train, cv=5),
    "rule of thumb": np.where(rule_says_banana, "banana", "apple"),
}
baselines = pd.DataFrame(
    {
        "accuracy": {k: (p == y_train).mean() for k, p in baseline_preds.items()},
        "cost per visit (€)": {
            k: expected_cost(y_train, p, COST_FALSE_BANANA, COST_FALSE_APPLE)
            for k, p in baseline_preds.items()
        },
    }
)
print(baselines.round(4).to_string())

# %% [markdown]
# The two metrics disagree. By **accuracy**, always banana beats always apple (0.616
# against 0.384). By **expected cost**, always apple wins: it loses 0.0616 € per visit,
# always banana 0.1151 €. Accuracy counts every mistake as one, but a false banana costs
# three times a false apple - when the two mistakes cost differently, accuracy can point
# to the wrong decision. So the contract will judge models by the expected cost per visit,
# in euros - lower is better.
#
# The rule of thumb is the best baseline on both counts: 66.2 % accuracy and 0.0578 € per
# visit. Any model we deploy must beat it - otherwise we could just hand the staff this
# rule.

# %% [markdown]
# ## 5. The best any model could do
#
# Our world is simulated, so it knows the [true probability](glossary:true-probability) of
# banana for every visit (real data never does). No model can do better than deciding from
# these true probabilities: that is the [Bayes-optimal](glossary:bayes-optimal) line. But
# which decision should it take for a visit with probability *p* of banana? Predicting
# banana costs, on average, `COST_FALSE_BANANA * (1 - p)` (the customer takes an apple with
# probability 1 − p); predicting apple costs `COST_FALSE_APPLE * p`. The two are equal at
# p = c_fb / (c_fb + c_fa) = 0.30 / 0.40 = 0.75: above it, banana is the cheaper bet. That
# probability is the [decision threshold](glossary:decision-threshold); the course's
# contract (`contract.DEFAULT`) computes it from the two costs.

# %%
# NBVAL_CHECK_OUTPUT
from course_utils import contract

best_threshold = contract.DEFAULT.best_threshold()
truth = train[["visit_id"]].merge(world.generate().visits, on="visit_id", how="left")
p_true = world.true_proba(truth)  # the true P(banana) of each training visit

for t in (0.5, best_threshold):
    pred = np.where(p_true >= t, "banana", "apple")
    bayes_cost = expected_cost(y_train, pred, COST_FALSE_BANANA, COST_FALSE_APPLE)
    print(
        f"perfect knowledge, threshold {t:.2f}: accuracy {(pred == y_train).mean():.3f}, ", end=""
    )
    print(f"expected cost {bayes_cost:.4f} €/visit")

# %% [markdown]
# With perfect knowledge and the usual threshold of 0.5, 85.1 % of the predictions are
# right. With the cost-aware threshold of 0.75, only 80.7 % are - yet the shop loses less:
# 0.0256 € per visit instead of 0.0314 €. Fewer right answers, less money lost. The best
# baseline (0.0578 €) is more than twice the best possible cost, so a good model has real
# room to help.

# %% [markdown]
# ## 6. Explore: the cost of errors
#
# The prices of the two mistakes are estimates. Move the sliders to see how the ranking of
# the strategies and the best threshold change. The curve is the cost of perfect knowledge
# for every threshold; its left end (threshold 0) is *always banana*, its right end
# (threshold 1) *always apple*.

# %%
from course_utils.widgets import costs

cost_data = costs.prepare(p_true, y_train, rule_says_banana)
explorer = costs.make_widget(
    cost_data, cost_false_banana=COST_FALSE_BANANA, cost_false_apple=COST_FALSE_APPLE
)
display(explorer)

# %% [markdown]
# Things to try: make both mistakes cost the same (0.10 and 0.10) - which constant strategy
# is cheaper now, and where is the best threshold? Make a false apple the expensive one.
#
# If the sliders don't show, here is the same table and figure for our costs:

# %%
# NBVAL_CHECK_OUTPUT
result = costs.compute_costs(cost_data, COST_FALSE_BANANA, COST_FALSE_APPLE)
print(costs.describe(result))

# %%
import matplotlib.pyplot as plt

costs.plot_costs(result)
plt.show()

# %% [markdown]
# **Takeaway:** with a false banana three times as costly as a false apple, the cheapest
# decisions say banana only when its probability is at least 0.75 - the bottom of the
# curve - and every strategy without a model costs at least twice as much.

# %% [markdown]
# ## 7. Write the success contract
#
# Time to decide - in a [success contract](glossary:success-contract) - what "good enough"
# means, *before* training anything - so that nobody can move the goal posts after seeing a
# model's score. The contract names:
#
# * the **metric**: the expected cost per visit;
# * the **baseline**: the best strategy without a model (the rule of thumb);
# * the **minimum** a model must reach to be deployed;
# * the two **costs** it is based on.
#
# The minimum is a judgement call: beating the baseline by a hair would not pay for running
# a model; the Bayes cost is impossible. We ask a model to close at least **half the gap**
# between the best baseline and the best possible cost.

# %%
# NBVAL_CHECK_OUTPUT
best_baseline = baselines["cost per visit (€)"].min()
minimum = round(best_baseline - (best_baseline - bayes_cost) / 2, 3)
print(f"best baseline {best_baseline:.4f} €/visit, best possible {bayes_cost:.4f} €/visit")
print(f"minimum to reach: at most {minimum:.3f} €/visit")
print(
    f"savings against the rule of thumb: {1000 * (best_baseline - minimum):.0f} € per 1,000 visits"
)

# %% [markdown]
# So a model must lose at most 0.042 € per visit - about 16 € less than the rule of thumb
# for every 1,000 visits - while no model can go below 0.0256 €. Here is the whole ladder:

# %% tags=["hidden"]
ladder = pd.concat(
    [
        baselines["cost per visit (€)"],
        pd.Series({"contract minimum": minimum, "perfect knowledge": bayes_cost}),
    ]
).sort_values()
fig, ax = plt.subplots(figsize=(7, 3.2))
colours = ["#0072B2" if k != "contract minimum" else "#E69F00" for k in ladder.index]
bars = ax.barh(ladder.index, ladder.to_numpy(), color=colours, edgecolor="black")
bars[list(ladder.index).index("contract minimum")].set_hatch("//")
ax.bar_label(bars, labels=[f"{v:.3f} €" for v in ladder], padding=3)
ax.axvline(minimum, color="black", ls="--", lw=1)
ax.set_xlim(0, ladder.max() * 1.2)
ax.set_xlabel("expected cost per visit (€, training rows) - lower is better")
ax.set_ylabel("strategy")
ax.set_title("What each strategy loses per visit, and the bar a model must pass")
plt.show()

# %% [markdown]
# **Takeaway:** a model passes the contract only if it lands left of the dashed line - far
# better than every rule, yet still above what perfect knowledge would lose.
#
# Now write the contract down. `contract.save` puts it in your work folder
# (`paths.work_dir()`), where notebooks 06, 08 and 09 read it back with `contract.load()`.
# That is `work/` in the course folder; on Colab, `/content/apple-or-banana-work`.

# %%
from course_utils import paths
from course_utils.contract import Contract

success = Contract(
    metric="expected_cost",
    minimum=minimum,
    baseline=round(best_baseline, 4),
    cost_false_banana=COST_FALSE_BANANA,
    cost_false_apple=COST_FALSE_APPLE,
    note="Expected cost per visit in EUR, scored on held-out visits. Baseline: the rule of "
    "thumb (banana at the Station in the rush hours or for households with children), the "
    "best strategy without a model. Minimum: half-way from that baseline to perfect "
    "knowledge.",
)
saved_to = contract.save(success)
print(paths.saved_message(saved_to))

# %% [markdown]
# Any later notebook gets it back with one line (and falls back to the course default, the
# same values, if you skipped this notebook):

# %%
# NBVAL_CHECK_OUTPUT
signed = contract.load()
print(f"metric {signed.metric}, minimum {signed.minimum}, baseline {signed.baseline}")
print(f"costs: false banana {signed.cost_false_banana:.2f} €, false apple", end=" ")
print(f"{signed.cost_false_apple:.2f} € -> best threshold {signed.best_threshold():.2f}")
print("models losing 0.035 and 0.050 €/visit pass:", signed.is_met(0.035), signed.is_met(0.050))

# %% [markdown]
# ## Wrap-up quiz
#
# Six questions on this notebook and notebook 00. Answer each with a letter; the check
# explains every answer you give.

# %%
display(wrapup)

# %% tags=["quiz"]
# BEGIN SOLUTION
answers = {1: "b", 2: "c", 3: "a", 4: "b", 5: "c", 6: "a"}
# STUDENT: answers = {1: ..., 2: ..., 3: ..., 4: ..., 5: ..., 6: ...}
# END SOLUTION
wrapup.check(answers)

# %% [markdown]
# ## Recap
#
# In this notebook you
#
# * turned the manager's wish into a task: the fruit of one visit, predicted when the
#   customer reaches the stand - and found a leak, `amount_paid` (98.9 % "accuracy");
# * locked the test set away until notebook 06;
# * wrote the expected cost per visit as a function, and saw accuracy prefer the dearer
#   constant strategy;
# * built baselines (the rule of thumb: 0.0578 € per visit) and the Bayes-optimal line
#   (0.0256 €), deciding at c_fb / (c_fb + c_fa);
# * saved the success contract: a model must lose at most 0.042 € per visit.
#
# **Next:** [02a · Collect the data](02a_collect_data.ipynb) - where does the history come from?
# Read the four sources of the chain, join them, and audit their errors, gaps and biases.
