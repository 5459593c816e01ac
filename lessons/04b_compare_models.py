# ruff: noqa: E402

# %% [markdown]
# # 04b · Train: compare models
#
# *Compare five kinds of model honestly - same preparation, same folds, between the
# baseline and the best any model could do - read learning curves to tell over-fitting from
# under-fitting, and carry the method over to a new question.*
#
# **Learning objectives.** By the end of this notebook you can
#
# * choose the folds for the question asked: shuffled (known customers, same year),
#   time-ordered (`TimeSeriesSplit`: the months after), grouped by customer (`GroupKFold`:
#   new people);
# * train and compare five model families: logistic regression, a decision tree,
#   k-nearest neighbours, a random forest and gradient-boosted trees;
# * read a learning curve: tell under-fitting from over-fitting, and say what helps each;
# * pick the folds and the score for a new question - a rare outcome, about the future -
#   and decide whether a model is worth it.
#
# **Estimated time:** 60 minutes.

# %% [markdown]
# ## Where we start
#
# Part a (04a) wrote `compare_models`. The cells below recreate what it left - the training
# rows, the shuffled folds, the contract, the two lines - with the course's version of
# `compare_models`, so this notebook runs whatever you answered there.

# %%
import numpy as np
import pandas as pd
from IPython.display import display
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_validate
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.tree import DecisionTreeClassifier

from course_utils import checkpoints, contract, world
from course_utils.checkpoints import compare_models
from course_utils.exercises.nb04 import q4, q5, q6, wrapup_b

train, test = checkpoints.split()
X_train, y_train = checkpoints.xy(train)
success = contract.load()
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)

# %%
# NBVAL_CHECK_OUTPUT
lines = compare_models({"always banana": DummyClassifier()}, X_train, y_train, cv)
baseline = lines.loc["always banana", "mean"]
truth = world.generate().visits.set_index("visit_id").loc[train["visit_id"]]
bayes = world.bayes_optimal(truth, y_train)["accuracy"]
print(f"majority baseline: {baseline:.3f}, Bayes-optimal line: {bayes:.3f} (accuracy at 0.5)")

# %% [markdown]
# ## Three questions, three kinds of folds
#
# A validation score answers a question, and the folds decide which one. Our shuffled folds
# mix every month and almost every customer into both sides of each split, as the test
# split does: they estimate **known customers, in the same year**. But the model will be
# deployed into the *future* (notebook 08) and may meet *new* customers (the new store of
# notebook 10). Two other kinds of folds ask those questions:
#
# * **time-ordered** folds ([`TimeSeriesSplit`](glossary:timeseriessplit), on the rows sorted by
#   time): fit on the past only, validate on the block of visits that comes next - five times,
#   the past growing each time. This is what deployment does.
# * folds **grouped by customer** ([`GroupKFold`](glossary:groupkfold), `groups=` the customer
#   id): every customer's visits sit on one side only, so each validation fold holds people the
#   model has never seen.
#
# We measure the logistic regression and the gradient-boosted trees (two of the families
# below) all three ways, by the contract's cost at 0.75 and by accuracy at 0.5. (The cost
# needs a *scorer*; `make_scorer` builds one from a plain function - notebook 05 explains
# it in detail.)

# %%
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import make_scorer
from sklearn.model_selection import GroupKFold, TimeSeriesSplit

threshold = success.best_threshold()  # 0.75


def expected_cost(y_true, p_banana, threshold=threshold):
    """Euros lost per visit when deciding banana for P(banana) >= threshold."""
    took, says = np.asarray(y_true) == "banana", np.asarray(p_banana) >= threshold
    false_bananas, false_apples = (says & ~took).sum(), (~says & took).sum()
    cost = success.cost_false_banana * false_bananas + success.cost_false_apple * false_apples
    return cost / len(took)


cost_scorer = make_scorer(expected_cost, greater_is_better=False, response_method="predict_proba")
by_time = train.sort_values("timestamp", kind="stable")  # oldest visit first
X_time, y_time = checkpoints.xy(by_time)
questions = {
    "known customers, same year (shuffled)": (cv, None),
    "the months after (time-ordered)": (TimeSeriesSplit(n_splits=5), None),
    "new customers (grouped by customer)": (GroupKFold(n_splits=5), by_time["customer_id"]),
}
two_models = {
    "logistic regression": LogisticRegression(max_iter=1000),
    "gradient-boosted trees": HistGradientBoostingClassifier(random_state=0),
}
validation = {}
for question, (folds, groups) in questions.items():
    for name, estimator in two_models.items():
        scores = cross_validate(
            make_pipeline(checkpoints.preprocessor(), estimator),
            X_time,
            y_time,
            cv=folds,
            groups=groups,
            scoring={"cost": cost_scorer, "accuracy": "accuracy"},
            n_jobs=2,
        )
        validation[(question, name)] = {
            "cost at 0.75 (€)": -scores["test_cost"].mean(),
            "± std over folds": scores["test_cost"].std(),
            "accuracy at 0.5": scores["test_accuracy"].mean(),
        }

# %%
# NBVAL_CHECK_OUTPUT
validation = pd.DataFrame(validation).T.rename_axis(["question", "model"])
print(validation.round(4).to_string())

# %% [markdown]
# Read it question by question.
#
# * **Same year, known customers**: the two models are close - 0.7 € per 1,000 visits
#   apart, one or two times the spread from one fold to the next.
# * **The months after**: each fold is a different season, so the costs spread far more
#   from fold to fold - and the boosting loses more than the logistic regression (0.0303
#   against 0.0277 € per visit), a gap almost four times wider than with shuffled folds: it
#   fits patterns of the months it saw that do not carry over - a point for the simpler
#   model.
# * **New customers**: hardly any loss for either - the models do not memorise individual
#   customers; they learn from what customers are (age, children, membership), which new
#   customers have too.
#
# Each answers its own question. Comparison and tuning (here and in 05) use the shuffled
# folds, which look like the test split of notebook 06; notebook 06 reports the other two
# next to its final test.

# %% [markdown]
# ## Five model families, one table
#
# Now every family, each at the end of the same preparation pipeline and scored on the
# same folds:
#
# * **logistic regression** weighs each column and adds up the evidence: a straight
#   boundary in the prepared columns;
# * a **decision tree** asks yes/no questions until its leaves are pure;
# * **k-nearest neighbours** lets the 5 most similar training visits vote;
# * a **[random forest](glossary:random-forest)** grows many trees, each on a random resample of
#   the rows, and averages their votes (here 50 trees whose leaves keep at least 5 visits);
# * **[gradient-boosted trees](glossary:gradient-boosted-trees)** add small trees one after
#   another, each correcting the errors of the ones before (`HistGradientBoostingClassifier`).
#
# Every random part is seeded (`random_state=0`), so you get the same numbers as the text.
# `n_jobs=2` fits two folds at a time on two processor cores; this cell takes a few seconds.

# %%
from sklearn.ensemble import RandomForestClassifier

families = {
    "majority baseline": DummyClassifier(strategy="most_frequent"),
    "logistic regression": LogisticRegression(max_iter=1000),
    "decision tree": DecisionTreeClassifier(random_state=0),
    "k-nearest neighbours": KNeighborsClassifier(),
    "random forest": RandomForestClassifier(n_estimators=50, min_samples_leaf=5, random_state=0),
    "gradient-boosted trees": HistGradientBoostingClassifier(random_state=0),
}
scoring = {"accuracy": "accuracy", "log_loss": "neg_log_loss", "cost": cost_scorer}
results = {}
for name, model in families.items():
    pipeline = make_pipeline(checkpoints.preprocessor(), model)
    results[name] = cross_validate(
        pipeline, X_train, y_train, cv=cv, scoring=scoring, return_train_score=True, n_jobs=2
    )

# %%
# NBVAL_CHECK_OUTPUT
comparison = pd.DataFrame(
    {
        name: {
            "validation mean": r["test_accuracy"].mean(),
            "validation std": r["test_accuracy"].std(),
            "training rows": r["train_accuracy"].mean(),
            "log-loss": -r["test_log_loss"].mean(),
            "cost at 0.75 (€)": -r["test_cost"].mean(),
        }
        for name, r in results.items()
    }
).T
shown = comparison.round(3).assign(**{"cost at 0.75 (€)": comparison["cost at 0.75 (€)"].round(4)})
names = {"validation mean": "accuracy at 0.5", "validation std": "± std"}
print(shown.rename(columns=names | {"training rows": "(on training rows)"}).to_string())

# %% [markdown]
# The same table as a picture - validation scores with their spread, the misleading
# training scores beside them, and the two lines:

# %% tags=["hidden"]
import matplotlib.pyplot as plt

BLUE, VERMILLION, GREY = "#0072B2", "#D55E00", "0.35"  # Okabe-Ito, colour-blind safe
order = comparison.sort_values("validation mean").index
rows = np.arange(len(order))
fig, ax = plt.subplots(figsize=(9, 4.2))
ax.errorbar(
    comparison.loc[order, "validation mean"],
    rows,
    xerr=comparison.loc[order, "validation std"],
    fmt="o",
    color=BLUE,
    capsize=4,
    label="cross-validated (validation folds), ± std",
    zorder=3,
)
ax.scatter(
    comparison.loc[order, "training rows"],
    rows,
    marker="D",
    facecolor="white",
    edgecolor=VERMILLION,
    linewidth=1.5,
    label="on its own training rows (misleading)",
)
ax.axvline(baseline, color=GREY, linestyle=":", linewidth=2)
ax.axvline(bayes, color="black", linestyle="-.", linewidth=1.5)
top = len(order) - 0.3
ax.text(baseline + 0.004, top, f"majority baseline\n{baseline:.3f}", va="bottom", fontsize=9)
ax.text(
    bayes - 0.004,
    top,
    f"Bayes-optimal line {bayes:.3f}:\nno model can beat this line on this data",
    ha="right",
    va="bottom",
    fontsize=9,
)
ax.set_yticks(rows)
ax.set_yticklabels(order)
ax.set(xlim=(0.58, 1.0), ylim=(-0.6, len(order) + 0.8))
ax.set_xlabel("accuracy at 0.5 (share of visits predicted right)")
ax.set_title("Five model families on the same folds (5-fold cross-validation)")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize=9, frameon=False)
fig.tight_layout()
plt.show()

# %% [markdown]
# **Takeaway:** judged on visits they have not seen, the logistic regression and the
# gradient-boosted trees come within about a point of the Bayes line, while the single
# tree - the best of all on its own training rows - is the worst real model.
#
# Three scores sit together at the top: logistic regression (0.841), gradient-boosted
# trees (0.841) and the random forest (0.838) - closer than the spread between folds. That a
# straight line does so well is thanks to notebook 03's features (relative price, rush hour,
# age's U-shape). k-NN (0.814) suffers from the many columns it must find neighbours in; the
# single tree (0.767) memorises. The training column ranks the models backwards: the tree
# 0.998, the forest 0.876, the logistic regression 0.841.
#
# The contract's view agrees: the cost at 0.75 puts the same three at the top, within a
# tenth of a cent of each other, and the log-loss (about 8 for the tree, 0.36 for the
# logistic regression) shows which probabilities can be given the contract's threshold.

# %% [markdown]
# ## Learning curves: more data, or a better model?
#
# A **[learning curve](glossary:learning-curve)** trains a model on growing shares of the
# training rows and plots two scores for each size: on the rows it learned from, and on the
# validation fold. How the two curves sit tells you what is wrong:
#
# * **both curves low and close together: [under-fitting](glossary:under-fitting).** The model
#   is too simple for the data; it does as badly on its own rows as on new ones. More rows will
#   not help; better features or a more flexible model will.
# * **training curve high, validation far below it: over-fitting.** The model memorises
#   its rows, noise included. More rows help (the gap narrows), and so do a simpler or
#   regularised model, or averaging many models.
# * **both curves high and close together: a good fit.** Little left to gain - especially
#   when they sit just under the Bayes line.
#
# Three models: the logistic regression on the **raw** columns (notebook 03's "before",
# `checkpoints.raw_preprocessor()`: gaps filled, categories one-hot, nothing derived), the
# unpruned tree, and the logistic regression on the prepared columns. `shuffle=True` matters
# here as well: without it, the smallest training sets would be the first rows - January's
# visits only.

# %%
from sklearn.model_selection import learning_curve

contenders = {
    "logistic regression, raw columns": make_pipeline(
        checkpoints.raw_preprocessor(), LogisticRegression(max_iter=1000)
    ),
    "decision tree": make_pipeline(
        checkpoints.preprocessor(), DecisionTreeClassifier(random_state=0)
    ),
    "logistic regression, prepared": make_pipeline(
        checkpoints.preprocessor(), LogisticRegression(max_iter=1000)
    ),
}
curves = {}
for name, model in contenders.items():
    sizes, train_scores, val_scores = learning_curve(
        model,
        X_train,
        y_train,
        train_sizes=[0.05, 0.2, 0.5, 1.0],
        cv=cv,
        shuffle=True,
        random_state=0,
        n_jobs=2,
    )
    curves[name] = pd.DataFrame(
        {
            "training rows": train_scores.mean(axis=1),
            "validation": val_scores.mean(axis=1),
            "validation std": val_scores.std(axis=1),
        },
        index=pd.Index(sizes, name="rows learned from"),
    )

# %%
# NBVAL_CHECK_OUTPUT
for name, curve in curves.items():
    print(f"{name}:")
    print(curve[["training rows", "validation"]].round(3).to_string(), end="\n\n")

# %% tags=["hidden"]
fig, axes = plt.subplots(1, 3, figsize=(9, 3.6), sharey=True)
for ax, (name, curve) in zip(axes, curves.items(), strict=True):
    n = curve.index.to_numpy()
    ax.plot(n, curve["training rows"], color=VERMILLION, marker="D", label="training rows")
    ax.plot(n, curve["validation"], color=BLUE, marker="o", linestyle="--", label="validation")
    low = curve["validation"] - curve["validation std"]
    high = curve["validation"] + curve["validation std"]
    ax.fill_between(n, low, high, color=BLUE, alpha=0.15)
    ax.axhline(baseline, color=GREY, linestyle=":", linewidth=2)
    ax.axhline(bayes, color="black", linestyle="-.", linewidth=1.5)
    ax.text(n[-1], baseline + 0.005, "majority baseline", ha="right", va="bottom", fontsize=9)
    beat = "Bayes line: no model can beat it"
    ax.text(n[-1], bayes + 0.005, beat, ha="right", va="bottom", fontsize=9)
    ax.set_xscale("log")
    ax.set_xticks(n)
    ax.set_xticklabels([f"{size:,}" for size in n])
    ax.minorticks_off()
    ax.set_title(name, fontsize=10)
    ax.set_xlabel("training rows the model learned from (log scale)")
axes[0].set_ylabel("accuracy at 0.5 (share of visits right)")
axes[0].set_ylim(0.58, 1.02)
axes[0].legend(loc="center right", fontsize=9)
fig.suptitle("Learning curves: accuracy against the number of training rows (5 shuffled folds)")
fig.tight_layout()
plt.show()

# %% [markdown]
# **Takeaway:** the raw logistic regression is stuck low with no gap (under-fitting: more
# rows will not help, better features did), the tree is perfect on its rows and far worse
# on new ones (over-fitting), and the prepared logistic regression sits just under the
# Bayes line from a few thousand rows on.
#
# ### Exercise 4: which model over-fits?

# %%
display(q4)

# %%
# BEGIN SOLUTION
overfits = "b"
# END SOLUTION
q4.check(overfits)

# %% [markdown]
# ## The model picker: what does each family learn?
#
# A score is one number; a model is a whole *shape*. With two features we can draw it: the
# model's P(banana) over every combination of the two, and the line where its answer flips.
# Pick a family and two features (the first display takes a moment).

# %%
from course_utils.widgets import models

picker = models.make_widget(train)
display(picker)

# %% [markdown]
# Things to try: on age and relative price, compare the logistic regression (one straight
# boundary) with the random forest (a curve: the young and the old buy bananas) and the
# single tree (a patchwork of small boxes around individual visits). Then try hour and
# temperature: no family finds much there - those two columns alone say little.
#
# The score of every family on age and relative price (and, collapsed below, the forest's
# figure for pages where the picker does not show):

# %%
# NBVAL_CHECK_OUTPUT
age_price = picker.compute(family="random forest", x="age", y="rel_price")
print(f"age and relative price only, 3-fold cross-validation on {age_price['n_rows']:,} visits:")
print(models.score_table(age_price).to_string(index=False))

# %% tags=["hidden"]
from course_utils.widgets import StaticCopy

display(StaticCopy(models.figure(age_price)))

# %% [markdown]
# **Takeaway:** with age and relative price alone, the forest learns a U-shape - bananas
# for the youngest and oldest, and for everybody when bananas are cheap - a boundary a
# straight line cannot draw. But two features are not enough for any family: about 0.7,
# far below the 0.84 of the models that see every column.
#
# ## Exercise 5: how far from the Bayes line?
#
# The best scores of the table are close to the Bayes line. How close exactly?

# %%
display(q5)

# %%
# BEGIN SOLUTION
gap = 100 * (bayes - comparison.loc["logistic regression", "validation mean"])
# END SOLUTION
q5.check(gap)

# %% [markdown]
# Part of the gap to the Bayes line cannot be won by any model of our table: the Bayes line
# knows every age, every household and every temperature, while our columns have gaps:

# %%
# NBVAL_CHECK_OUTPUT
print(X_train[["age", "has_kids", "temperature_c"]].isna().mean().round(3).to_string())

# %% [markdown]
# 7 % of the ages, 4 % of the households and 3 % of the temperatures are unknown, and a
# guessed value is never as good as the real one. The rest of the gap is what notebook 05
# goes after: tuning the models' settings - with cross-validation, never with the test
# rows.

# %% [markdown]
# ## Transfer: will this customer come back within a week?
#
# The same method answers other questions. The shop would like to know, at each visit,
# whether the customer will **come back within 7 days** - to time a voucher. Same inputs,
# a new label: for each visit, is the same customer's next visit less
# than a week later? (Visits of the year's last week count as "no": their next visit is not
# in the history.)

# %%
history = checkpoints.clean_history().sort_values("timestamp", kind="stable")
next_visit = history.groupby("customer_id")["timestamp"].shift(-1)
returns = pd.Series(
    (next_visit - history["timestamp"] <= pd.Timedelta(days=7)).to_numpy(),
    index=history["visit_id"].to_numpy(),
)
y_back = returns.loc[by_time["visit_id"]].to_numpy()  # the training rows, oldest first

# %%
# NBVAL_CHECK_OUTPUT
print(f"visits followed by another within a week: {y_back.mean():.1%}")

# %% [markdown]
# A rare outcome: about one visit in eight. Two things change with the question.
#
# * **The score.** A model that always says "no" is right 87 % of the time, so accuracy
#   cannot tell a useful model from that baseline. A score of *ranking* can: the
#   **[ROC AUC](glossary:roc-auc)** (area under the ROC curve, `"roc_auc"`) is the chance
#   that the model gives a random returning visit a higher probability than a random
#   non-returning one - 0.5 for guessing, 1 for a perfect ranking. The **[average
#   precision](glossary:average-precision)** (`"average_precision"`) summarises how precise
#   the model's "yes" stays as it finds more of the returning visits; guessing scores the
#   share of "yes", here about 0.13.
# * **The folds.** The voucher is for customers met *from now on*: the question is about
#   the months after.
#
# ### Exercise 6: the new question, by the same method
#
# Compare the two models below with `compare_models`, with the folds and the score that fit
# the question. Then decide: does the logistic regression beat the baseline by more than
# its spread between folds (`beats_baseline = True` or `False`)?

# %%
display(q6)

# %%
back_models = {
    "always no": DummyClassifier(strategy="most_frequent"),
    "logistic regression": make_pipeline(
        checkpoints.preprocessor(), LogisticRegression(max_iter=1000)
    ),
}
# BEGIN SOLUTION
back_table = compare_models(
    back_models, X_time, y_back, cv=TimeSeriesSplit(n_splits=5), scoring="roc_auc"
)
beats_baseline = True
# END SOLUTION
q6.check(back_table, beats_baseline=beats_baseline)

# %% [markdown]
# ## Wrap-up quiz
#
# Six questions on this notebook and the ones before it.

# %%
display(wrapup_b)

# %% tags=["quiz"]
# BEGIN SOLUTION
answers = {1: "c", 2: "b", 3: "a", 4: "b", 5: "c", 6: "a"}
# STUDENT: answers = {1: ..., 2: ..., 3: ..., 4: ..., 5: ..., 6: ...}
# END SOLUTION
wrapup_b.check(answers)

# %% [markdown]
# ## Recap
#
# In this notebook you
#
# * cross-validated two models three ways, each answering its own question: shuffled folds
#   (known customers, same year), time-ordered folds (the months after) and folds grouped
#   by customer (new people);
# * compared five families: logistic regression, gradient-boosted trees and a random forest
#   within about a point of the Bayes line, k-NN and a single tree behind - and saw the
#   training scores rank them backwards;
# * read learning curves: the raw logistic regression under-fits, the tree over-fits;
# * explored the decision regions of each family with the model picker;
# * carried the method over to a new question - a rare outcome about the future - where
#   accuracy says nothing and the folds must look forward.
#
# **Next:** [05a · Tune: scorers and searches](05a_tune.ipynb) - the settings of a model (how deep
# a tree, how many neighbours, how strong the regularisation) tuned with validation curves and
# searches, still without touching the test rows.
