# ruff: noqa: E402

# %% [markdown]
# # 06a · Test on new data: the verdict
#
# *Open the test set once, read every kind of mistake the model makes, and write the
# function that judges it against the contract written before any model existed.*
#
# Notebook 06 has three parts: **06a** gives the verdict,
# [06b](06b_slices_and_uncertainty.ipynb) asks how far to trust it, and
# [06c](06c_explain_the_model.ipynb) explains the model and writes the verdict down.
#
# **Learning objectives.** By the end of this notebook you can
#
# * explain why the test set is opened **once**, at the very end, and what may no longer
#   change afterwards;
# * read a [confusion matrix](glossary:confusion-matrix), [precision](glossary:precision)
#   and [recall](glossary:recall) in the shop's words - false bananas and false apples;
# * read ROC and precision-recall curves and their one-number summaries (ROC AUC, average
#   precision), and say why none of them decides the deployment;
# * measure what the threshold the costs call for saves, in euros;
# * write the **verdict function**: the contract's threshold, its cost, its minimum - deploy
#   or not.
#
# **Estimated time:** 60 minutes.

# %% [markdown]
# ## Where we start
#
# The **success contract** (notebook 01), the **training and test rows** (03) and the
# **tuned model** (05). `contract.load()` reads the contract you saved in notebook 01, or
# says so and uses the course default - the same values.

# %%
import numpy as np
import pandas as pd
from IPython.display import display

from course_utils import checkpoints, contract, world

signed = contract.load()

# %%
# NBVAL_CHECK_OUTPUT
C_FB, C_FA = signed.cost_false_banana, signed.cost_false_apple  # euros per mistake
threshold = signed.best_threshold()  # predict banana when P(banana) >= threshold
print(f"metric: {signed.metric}, at most {signed.minimum} € per visit to deploy")
print(f"baseline (rule of thumb): {signed.baseline} € per visit")
print(f"costs: false banana {C_FB:.2f} €, false apple {C_FA:.2f} € -> threshold {threshold:.2f}")

# %% [markdown]
# The contract says: judge by the **expected cost per visit**; deploy only at 0.042 € or
# less (the rule of thumb loses 0.0578 €); and since a false banana costs three times a
# false apple, predict banana only when its probability is at least **0.75**.
#
# Now the rows and the model: `checkpoints.tuned_model()` is notebook 05's choice, fitted
# on the training rows only.

# %%
train, test = checkpoints.split()
X_train, y_train = checkpoints.xy(train)
X_test, y_test = checkpoints.xy(test)
model = checkpoints.tuned_model()  # fitted on X_train, y_train - never on a test row
display(model)

# %% [markdown]
# Every choice so far - columns, cleaning, model, hyperparameters, threshold - was made
# on **training rows**. The test rows have waited in their drawer since notebook 01.

# %% [markdown]
# ## 1. Open the test set - once
#
# This is the one moment the test rows meet the model. We compute the model's probability
# of banana for every test visit, and its decision at the contract's threshold - once.
# Everything below reuses these two arrays.

# %%
# NBVAL_CHECK_OUTPUT
banana_column = list(model.classes_).index("banana")
proba_test = model.predict_proba(X_test)[:, banana_column]  # P(banana) of each test visit
pred_test = np.where(proba_test >= threshold, "banana", "apple")  # the contract's decision
print(f"{len(X_test):,} test visits, seen by no fitted step, no search and no choice so far")
print(f"predicted banana for {(pred_test == 'banana').mean():.1%} of them")

# %% [markdown]
# Why only once? Every time you look at a test score and then *change something* - a
# feature, a hyperparameter, the threshold - the test set becomes one more validation set,
# and its score gets optimistic. So from here on, we measure and decide; we don't tune. If
# the verdict turns out bad, the honest moves are to report it, or to go back to the
# training rows and later test again on **new** data.

# %% [markdown]
# ## 2. The confusion matrix: every kind of mistake, counted
#
# Four things can happen to a visit: the model predicts apple or banana, the customer
# takes apple or banana. A **confusion matrix** counts each combination
# (`ConfusionMatrixDisplay` draws it) - rows are what the customer took, columns what the
# model predicted. We write the shop's name for each cell under its count.

# %% tags=["hidden"]
# Drawing the confusion matrix with the shop's names; the counts come as numbers below.
import matplotlib.pyplot as plt
from sklearn.metrics import ConfusionMatrixDisplay

fig, ax = plt.subplots(figsize=(5.6, 4.4))
shown = ConfusionMatrixDisplay.from_predictions(
    y_test, pred_test, labels=["apple", "banana"], cmap="Blues", colorbar=False, ax=ax
)
cell_names = [["true apples", "false bananas"], ["false apples", "true bananas"]]
for i in range(2):
    for j in range(2):
        count = shown.confusion_matrix[i, j]
        shown.text_[i, j].set_text(f"{count:,} visits\n{cell_names[i][j]}")
ax.set_xlabel(f"predicted fruit (banana when P(banana) ≥ {threshold:.2f})")
ax.set_ylabel("fruit the customer took")
ax.set_title("Test visits: predicted against taken (counts)")
plt.show()

# %% [markdown]
# **Takeaway:** the two dark cells on the diagonal are right answers; the cheap mistake
# (false apples, bottom left) is far more frequent than the expensive one (false bananas,
# top right) - exactly what a threshold of 0.75 asks for.

# %% [markdown]
# ### Exercise 1: read a cell
#
# How many **false bananas** - predicted banana, but the customer took an apple - does the
# model make on the test set? Read it from the matrix. The check needs the model you are
# testing, so it is called with `model=model`. Stuck? `q1.hint()`.

# %%
from course_utils.exercises.nb06 import q1, q2, q3, wrapup_a

display(q1)

# %%
# BEGIN SOLUTION
n_false_bananas = int(shown.confusion_matrix[0, 1])  # row: took an apple; column: banana
# STUDENT: n_false_bananas = ...  # your answer: a whole number
# END SOLUTION
q1.check(n_false_bananas, model=model)

# %% [markdown]
# The next cells need the four counts by name; `confusion_matrix` returns them as an array
# (rows: the fruit taken, columns: the fruit predicted):

# %%
# NBVAL_CHECK_OUTPUT
from sklearn.metrics import confusion_matrix

(true_apples, false_bananas), (false_apples, true_bananas) = confusion_matrix(
    y_test, pred_test, labels=["apple", "banana"]
)
print(f"true apples   {true_apples:>5,}  predicted apple,  took an apple")
print(f"false bananas {false_bananas:>5,}  predicted banana, took an apple  ({C_FB:.2f} € each)")
print(f"false apples  {false_apples:>5,}  predicted apple,  took a banana  ({C_FA:.2f} € each)")
print(f"true bananas  {true_bananas:>5,}  predicted banana, took a banana")

# %% [markdown]
# Far fewer false bananas than false apples: at this threshold the model would rather miss
# a banana sale (0.10 €) than stock a banana for an apple buyer (0.30 €).

# %% [markdown]
# ## 3. Precision and recall
#
# Two ratios summarise the matrix for one class. For **banana**: **precision** - of the
# visits where we said banana, the share that took one; **recall** - of the customers who
# took a banana, the share we saw coming. `classification_report` prints both, for each
# class.

# %%
# NBVAL_CHECK_OUTPUT
from sklearn.metrics import classification_report

print(classification_report(y_test, pred_test, digits=3))

# %% [markdown]
# The report has two more columns. The **[F1 score](glossary:f1-score)** combines
# precision and recall (their harmonic mean) and is blind to costs. The
# **[support](glossary:support)** is the number of test visits of each class: a score on
# a small support is uncertain.
#
# When the model says banana it is right 92.5 % of the time (precision), but it spots only
# 72.6 % of the banana buyers (recall). That is the deal the threshold of 0.75 makes: few
# expensive false bananas, paid for with more cheap false apples. At 0.5 the deal would be
# different - section 5 puts euros on it.

# %% [markdown]
# ## 4. ROC and precision-recall curves: all thresholds at once
#
# A confusion matrix is one threshold. The curves below move the threshold from 1 down to
# 0 and draw what happens: the **[ROC curve](glossary:roc-curve)** plots the share of
# banana buyers caught (recall) against the share of apple buyers wrongly offered a
# banana; the **[precision-recall curve](glossary:precision-recall-curve)** plots
# precision against recall. Each has a one-number summary: the
# **[ROC AUC](glossary:roc-auc)** (area under the ROC curve: 1 for a perfect ranking, 0.5
# for guessing - the chance that a random banana buyer gets a higher P(banana) than a
# random apple buyer) and the **[average precision](glossary:average-precision)** (the
# precisions along the precision-recall curve, averaged with the gain in recall at each
# step as weights).
#
# We draw a second model that no one can build: **perfect knowledge**. The simulation
# knows the true probability of banana of every visit (notebook 01's Bayes-optimal line).
# It uses the world's complete record of each visit (no missing ages), so even a perfect
# model of *our* columns would fall slightly short of it.

# %%
truth = world.generate().visits.set_index("visit_id").loc[test["visit_id"]]
p_true = world.true_proba(truth)  # the world's true P(banana) of each test visit
is_banana = (y_test == "banana").to_numpy()

# %% tags=["hidden"]
# Drawing the two curves; the scores themselves are computed in the next visible cell.
from sklearn.metrics import (
    average_precision_score,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)

fig, (ax_roc, ax_pr) = plt.subplots(1, 2, figsize=(9, 4))
curves = [
    (proba_test, "tuned model", "#0072B2", "-"),
    (p_true, "perfect knowledge", "#E69F00", "--"),
]
for p, name, colour, style in curves:
    fpr, tpr, _ = roc_curve(is_banana, p)
    auc = roc_auc_score(is_banana, p)
    ax_roc.plot(fpr, tpr, color=colour, ls=style, lw=2, label=f"{name} (AUC {auc:.3f})")
    precision, recall, _ = precision_recall_curve(is_banana, p)
    ap = average_precision_score(is_banana, p)
    ax_pr.plot(recall, precision, color=colour, ls=style, lw=2, label=f"{name} (AP {ap:.3f})")
ax_roc.plot([0, 1], [0, 1], color="0.5", ls=":", label="guessing")
ax_pr.axhline(is_banana.mean(), color="0.5", ls=":", label="guessing (share of bananas)")
# where the contract's threshold puts the tuned model on each curve
caught = true_bananas / (true_bananas + false_apples)  # recall
wrongly_offered = false_bananas / (false_bananas + true_apples)
right_when_banana = true_bananas / (true_bananas + false_bananas)  # precision
for ax, x, y, dx in [
    (ax_roc, wrongly_offered, caught, 0.08),
    (ax_pr, caught, right_when_banana, -0.3),
]:
    ax.plot([x], [y], "o", color="#0072B2", ms=9, mec="black", zorder=5)
    ax.annotate(
        f"threshold {threshold:.2f}",
        (x, y),
        xytext=(x + dx, y - 0.15),
        arrowprops={"arrowstyle": "->"},
    )
ax_roc.set(xlabel="share of apple buyers predicted banana (0-1)")
ax_roc.set(ylabel="share of banana buyers predicted banana (0-1)")
ax_roc.set_title("ROC curve: bananas caught against apples missed")
ax_pr.set(xlabel="recall of banana (0-1)", ylabel="precision of banana (0-1)")
ax_pr.set_title("Precision-recall curve")
ax_pr.set_ylim(0.5, 1.02)
for ax in (ax_roc, ax_pr):
    ax.legend(loc="lower left" if ax is ax_pr else "lower right", fontsize=9)
    ax.grid(alpha=0.3)
fig.tight_layout()
plt.show()

# %% [markdown]
# **Takeaway:** the tuned model's curves run just inside those of perfect knowledge: it
# ranks the visits almost as well as the truth; the dot is the point the shop will use.

# %%
# NBVAL_CHECK_OUTPUT
from sklearn.metrics import average_precision_score, roc_auc_score

for p, name in [(proba_test, "tuned model"), (p_true, "perfect knowledge")]:
    auc, ap = roc_auc_score(is_banana, p), average_precision_score(is_banana, p)
    print(f"{name:<18} ROC AUC {auc:.3f}   average precision {ap:.3f}")

# %% [markdown]
# A ROC AUC of 0.912 against 0.925 for perfect knowledge. AUC is a fine summary of how
# well a model *ranks* visits, but it knows no threshold and no euros - it is not what the
# contract judges.

# %% [markdown]
# ## 5. The threshold: what the costs buy
#
# `model.predict` would decide at 0.5. The contract decides at 0.75. What is the difference
# worth in euros?
#
# ### Exercise 2: the expected cost per visit
#
# Compute the tuned model's **expected cost per visit** on the test set, deciding at the
# contract's threshold: weigh the false bananas and the false apples counted above by
# their costs (`C_FB`, `C_FA`), and divide by the number of test visits. Stuck? `q2.hint()`.

# %%
display(q2)

# %%
# BEGIN SOLUTION
test_cost = (C_FB * false_bananas + C_FA * false_apples) / len(y_test)
# STUDENT: test_cost = ...  # euros per visit, from false_bananas, false_apples, C_FB, C_FA
# END SOLUTION
q2.check(test_cost, model=model)

# %% [markdown]
# To compare thresholds, the next cells need that cost for any decisions: notebook 01's
# function, with the contract's costs. First, the two thresholds side by side - for the
# tuned model and for perfect knowledge:


# %%
def expected_cost(y_true, y_pred, c_fb=C_FB, c_fa=C_FA):
    """Average euros lost per visit when predicting y_pred for visits that bought y_true."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    false_banana = ((y_pred == "banana") & (y_true == "apple")).sum()
    false_apple = ((y_pred == "apple") & (y_true == "banana")).sum()
    return (c_fb * false_banana + c_fa * false_apple) / len(y_true)


# %%
# NBVAL_CHECK_OUTPUT
rows = {}
for name, p in [("tuned model", proba_test), ("perfect knowledge", p_true)]:
    for t in (0.5, threshold):
        decided = np.where(p >= t, "banana", "apple")
        rows[(name, f"{t:.2f}")] = {
            "accuracy at this threshold": (decided == y_test).mean(),
            "cost per visit (€)": expected_cost(y_test, decided),
        }
by_threshold = pd.DataFrame(rows).T.rename_axis(["who decides", "threshold"])
print(by_threshold.round(4).to_string())
model_cost = expected_cost(y_test, pred_test)
saved = expected_cost(y_test, np.where(proba_test >= 0.5, "banana", "apple")) - model_cost
print(f"\nthe contract's threshold saves {1000 * saved:.2f} € per 1,000 visits")

# %% [markdown]
# At 0.5 the tuned model is right more often (0.8309 against 0.7948), and yet loses more
# money: 0.0356 € per visit against 0.0278 € at the contract's threshold - 7.81 € saved per
# 1,000 visits by changing one number. Perfect knowledge shows the same pattern (0.0319 €
# against 0.0247 €). The threshold is part of the model you deploy.

# %% [markdown]
# ### Explore: the threshold-by-cost slider
#
# Move the threshold and watch the costs, the confusion matrix and the verdict change
# together. The two cost sliders ask "what if a false banana cost less?" - the best
# threshold moves with them.
#
# One warning: exploring the test set is fine, *choosing* on it is not. The lowest point of
# the curve below was found by looking at the test labels; the threshold we judge by was
# fixed by the contract's costs before the test set was opened.

# %%
from course_utils.widgets import threshold as threshold_widget

slider_data = threshold_widget.prepare(
    proba_test,
    y_test,
    p_true=p_true,
    minimum=signed.minimum,
    cost_false_banana=C_FB,
    cost_false_apple=C_FA,
)
explorer = threshold_widget.make_widget(slider_data, threshold=threshold)
display(explorer)

# %% [markdown]
# Try: the threshold at 0.5 - how many more false bananas? Both mistakes at 0.10 € - where
# is the best threshold now?
#
# What it shows at the contract's threshold, as text (and, in a folded cell, as a figure):

# %%
# NBVAL_CHECK_OUTPUT
at_contract = threshold_widget.compute(slider_data, threshold)
print(threshold_widget.describe(at_contract))

# %% tags=["hidden"]
# The same figure as a picture, for pages where the widget does not show.
from course_utils.widgets import StaticCopy

display(StaticCopy(threshold_widget.plot_threshold(at_contract)))

# %% [markdown]
# **Takeaway:** the cost curve is flat and low around the contract's threshold of 0.75 and
# well below the contract's minimum over a wide range - the verdict does not hang on the
# exact threshold.

# %% [markdown]
# ## 6. The verdict, as a function
#
# The contract fixed a metric (the expected cost per visit), a threshold (from its costs)
# and a minimum before the test set was opened. A [verdict](glossary:verdict) applies
# exactly these. Written once as a function, it judges any model, month or contract.
#
# ### Exercise 3 (build): the verdict function
#
# Write `verdict(y_true, proba, contract)` from its docstring. The check **runs** your
# function on visits and contracts you have not seen, so a number typed in will not pass.
# Stuck? `q3.hint()`.

# %%
display(q3)


# %% tags=["build"]
def verdict(y_true, proba, contract):
    """Judge a model's predictions on test visits against a success contract.

    y_true: the fruit each visit took ("apple" or "banana"), an array or a Series.
    proba: the model's P(banana) for the same visits, in the same order.
    contract: a success contract - contract.cost_false_banana, contract.cost_false_apple,
        contract.minimum and contract.best_threshold().

    Decide banana for each visit whose P(banana) is at least the contract's threshold,
    count the false bananas and the false apples, and price them with the contract's
    costs. Return a dict with the keys
      "threshold": the contract's threshold,
      "false_bananas", "false_apples": the two counts (whole numbers),
      "cost": the expected cost per visit (euros),
      "deploy": True when the cost meets the contract (at most its minimum), else False.
    """
    # BEGIN SOLUTION
    threshold = contract.best_threshold()
    says_banana = np.asarray(proba) >= threshold
    took = np.asarray(y_true)
    false_bananas = int((says_banana & (took == "apple")).sum())
    false_apples = int((~says_banana & (took == "banana")).sum())
    cost = contract.cost_false_banana * false_bananas + contract.cost_false_apple * false_apples
    cost = cost / len(took)
    return {
        "threshold": threshold,
        "false_bananas": false_bananas,
        "false_apples": false_apples,
        "cost": cost,
        "deploy": cost <= contract.minimum,
    }
    # STUDENT: return ...  # your code here: a dict with the five keys above
    # END SOLUTION


q3.check(verdict)

# %% [markdown]
# The next cells need a working verdict function; `nb06.verdict` is the course's version,
# so the notebook runs whatever you wrote. Here is the tuned model's verdict on the test
# set:

# %%
# NBVAL_CHECK_OUTPUT
from course_utils.exercises import nb06

test_verdict = nb06.verdict(y_test, proba_test, signed)
print({k: round(v, 4) if isinstance(v, float) else v for k, v in test_verdict.items()})

# %% [markdown]
# **Deploy**, on this evidence: 0.0278 € per visit, under the contract's 0.042 €. The same
# function answers "what if?" at once - say a stricter contract that asks for at most
# 0.025 € per visit, with the same costs:

# %%
# NBVAL_CHECK_OUTPUT
from dataclasses import replace

stricter = replace(signed, minimum=0.025)
print("deploy under the stricter contract:", nb06.verdict(y_test, proba_test, stricter)["deploy"])

# %% [markdown]
# One number on one sample decided it, though. How sure are we of 0.0278 €? Is any group
# of customers badly served? Part 06b asks.

# %% [markdown]
# ## Wrap-up quiz
#
# Five questions on this part and earlier notebooks: one letter per question.

# %%
display(wrapup_a)

# %% tags=["quiz"]
# BEGIN SOLUTION
answers = {1: "b", 2: "c", 3: "a", 4: "c", 5: "a"}
# STUDENT: answers = {1: ..., 2: ..., 3: ..., 4: ..., 5: ...}
# END SOLUTION
wrapup_a.check(answers)

# %% [markdown]
# ## Recap
#
# In this part you
#
# * opened the test set once, after every choice had been made on training rows;
# * read the confusion matrix in the shop's words - 138 false bananas, 645 false apples -
#   and its precision (0.925) and recall (0.726) of banana;
# * saw why ROC AUC and average precision can't decide: they know no threshold, no euros;
# * measured what the contract's threshold buys: 0.0278 € per visit instead of 0.0356 €
#   at 0.5, although accuracy (at 0.75 instead of 0.5) drops;
# * wrote the verdict function - the contract's threshold, cost and minimum - and ran it:
#   **deploy**, on this evidence.
#
# **Next:** [06b · Test on new data: how far to trust the
# verdict](06b_slices_and_uncertainty.ipynb) - calibration, slices, a bootstrap interval, and the
# questions the test does not answer.
