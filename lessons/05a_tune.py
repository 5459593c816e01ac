# ruff: noqa: E402

# %% [markdown]
# # 05a · Tune: scorers and searches
#
# *Find the settings that make a model as good as it can be on new visits - judged the way
# the contract judges, with the test set still locked away.*
#
# **Learning objectives.** By the end of this notebook you can
#
# * tell **parameters** (learned by `fit`) from **hyperparameters** (chosen by you), and
#   name a hyperparameter inside a pipeline (`step__param`);
# * score models by the contract's **expected cost** (a `make_scorer`) or the **log-loss**;
# * read a **validation curve**: where under-fitting ends and over-fitting begins;
# * tune with `GridSearchCV` on the training rows only and read `best_score_` (and its sign);
# * write a search function that tunes any pipeline for any contract.
#
# Part b, [05b · Tune: choose the model](05b_choose.ipynb), tunes the two best families of
# notebook 04 and chooses between them.
#
# **Estimated time:** 60 minutes.

# %% [markdown]
# ## Where we start
#
# The [checkpoint](glossary:checkpoint) recreates the rows and the preparation pipeline of
# notebooks 03 and 04, so this notebook works even if you skipped those.

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display
from sklearn.pipeline import make_pipeline

from course_utils import checkpoints, world

train, test = checkpoints.split()
X_train, y_train = checkpoints.xy(train)  # the test rows stay locked: no X_test here

# %%
# NBVAL_CHECK_OUTPUT
print(f"{len(train):,} training rows, {X_train.shape[1]} inputs; {len(test):,} test rows locked")

# %% [markdown]
# Every score in this notebook comes from [cross-validation](glossary:cross-validation) on
# the training rows, with the shuffled, [stratified](glossary:stratified), seeded
# [folds](glossary:fold) of notebook 04: they measure how settings generalise to visits the
# model has not seen, of known customers in the same year - notebook 06's question.

# %%
from sklearn.model_selection import StratifiedKFold

cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)

# %% [markdown]
# ## The contract's metric, as a scorer
#
# scikit-learn scores a classifier by its **accuracy at 0.5** unless told otherwise. Our
# contract (notebook 01) decides at **0.75** (its
# [decision threshold](glossary:decision-threshold)) and judges by the
# [expected cost per visit](glossary:expected-cost-per-visit): tuning by accuracy would pick
# settings for a decision the shop never makes. So the searches get two other scores:
#
# * the **expected cost**, wrapped by `make_scorer` into a [scorer](glossary:scorer) (a
#   function `scorer(model, X, y)` a search calls): `response_method="predict_proba"` hands
#   our function P(banana), and `greater_is_better=False` makes scikit-learn *negate* the
#   cost, so that its rule "the highest score wins" still picks the cheapest;
# * the [log-loss](glossary:log-loss) (`"neg_log_loss"`, negated the same way), a
#   [proper scoring rule](glossary:proper-scoring-rule): it judges the whole probability,
#   and the threshold only does what the costs ask if the probabilities are honest.

# %%
from sklearn.metrics import make_scorer

from course_utils import contract

signed = contract.load()
threshold = signed.best_threshold()


def expected_cost(y_true, p_banana, threshold=threshold):
    """Euros lost per visit when deciding banana for P(banana) >= threshold."""
    took_banana = np.asarray(y_true) == "banana"
    says_banana = np.asarray(p_banana) >= threshold
    false_bananas = (says_banana & ~took_banana).sum()
    false_apples = (~says_banana & took_banana).sum()
    return (
        signed.cost_false_banana * false_bananas + signed.cost_false_apple * false_apples
    ) / len(took_banana)


cost_scorer = make_scorer(expected_cost, greater_is_better=False, response_method="predict_proba")

# %% [markdown]
# Two lines to read every cost against: the prior alone (a `DummyClassifier` that gives
# every visit the share of bananas - below 0.75, so it always says apple), and the
# [Bayes-optimal](glossary:bayes-optimal) line (the world's true probabilities, which only
# the simulation knows).

# %%
# NBVAL_CHECK_OUTPUT
from sklearn.dummy import DummyClassifier
from sklearn.model_selection import cross_val_score

prior_cost = -cross_val_score(DummyClassifier(), X_train, y_train, cv=cv, scoring=cost_scorer)
truth = world.generate().visits.set_index("visit_id").loc[train["visit_id"]]
p_true_train = world.true_proba(truth)
bayes_cost = expected_cost(y_train, p_true_train)
print(f"prior only (always apple at 0.75):  {prior_cost.mean():.4f} € per visit")
print(f"Bayes-optimal line, at 0.75:        {bayes_cost:.4f} € per visit")

# %% [markdown]
# No model can lose less than 0.0256 € per visit on these rows - and ours can't quite reach
# that line: it decides from each visit's complete record, while our table has gaps.

# %% [markdown]
# ## 1. Parameters and hyperparameters
#
# A model has two kinds of numbers:
#
# * [parameters](glossary:parameter) are *learned* by `fit` from the data: the weights of
#   a logistic regression, the questions and thresholds of a tree. scikit-learn gives them
#   names that end with an underscore: `coef_`, `tree_`.
# * [hyperparameters](glossary:hyperparameter) are *chosen* by you before `fit`: how deep a
#   tree may grow (`max_depth`), how strongly a logistic regression is held back (`C`).
#
# | model | parameters (learned) | hyperparameters (chosen) |
# |---|---|---|
# | logistic regression | a weight per column, an intercept | `C` |
# | decision tree | the questions and thresholds of its splits | `max_depth`, `min_samples_leaf` |
# | k-nearest neighbours | (it stores the training rows) | `n_neighbors` |
# | gradient-boosted trees | all its small trees | `learning_rate`, `max_leaf_nodes`, `max_iter` |
#
# Here are the parameters of a logistic regression at the end of the preparation
# pipeline - its weights, one per prepared column, the largest first:

# %%
# NBVAL_CHECK_OUTPUT
from sklearn.linear_model import LogisticRegression

logistic = make_pipeline(checkpoints.preprocessor(), LogisticRegression(max_iter=1000))
logistic.fit(X_train, y_train)
columns = logistic[0][1].get_feature_names_out()  # "group__column", as the preparation named them
weights = pd.Series(logistic[-1].coef_[0], index=columns)
print(weights.sort_values(key=abs, ascending=False).head(5).round(2).to_string())

# %% [markdown]
# `fit` found them: the rush hour at the Station and age's U-shape weigh most (a minus
# sign: towards apple). The hyperparameters are the settings of each step, listed by
# `get_params()`. In a pipeline, each name starts with the **step's name and two
# underscores** - `make_pipeline` names each step after its class, in lower case:

# %%
# NBVAL_CHECK_OUTPUT
settings = logistic.get_params()
for key in ["logisticregression__C", "pipeline__columntransformer__age__strategy"]:
    print(f"{key} = {settings[key]}")

# %% [markdown]
# The second goes three levels deep: the step `pipeline` (the preparation), in it the step
# `columntransformer`, in it the transformer `age`, and its setting `strategy`.
# `set_params` changes a setting by the same name; the next `fit` uses it:

# %%
logistic.set_params(logisticregression__C=0.1)
print(logistic[-1])

# %% [markdown]
# ### Exercise 1: name the hyperparameter
#
# Notebook 04 found two families neck and neck: the logistic regression above and the
# gradient-boosted trees. This notebook tunes both, then chooses. Each of the boosting's
# trees may have at most `max_leaf_nodes` leaves - a hyperparameter we will tune. Here is
# its pipeline and its step names:

# %%
from sklearn.ensemble import HistGradientBoostingClassifier

boosting = make_pipeline(checkpoints.preprocessor(), HistGradientBoostingClassifier(random_state=0))
print([name for name, step in boosting.steps])

# %% [markdown]
# Give the name under which a search must know the *maximum number of leaves per tree* of
# this pipeline, as a str.

# %%
from course_utils.exercises.nb05 import q1, q2, q3, q4, wrapup_a

# BEGIN SOLUTION
leaves_key = "histgradientboostingclassifier__max_leaf_nodes"
# END SOLUTION
q1.check(leaves_key)

# %% [markdown]
# Stuck? `q1.hint()` gives a hint (call it again for the next), `q1.solution()` the answer.

# %% [markdown]
# ## 2. A validation curve: from too simple to too complex
#
# How deep should a [decision tree](glossary:decision-tree) grow? A
# [validation curve](glossary:validation-curve) fits the model for each
# value of one hyperparameter and scores it twice, by cross-validation: on the rows it
# learned from (training) and on the held-out fold (validation). We score with the
# contract's expected cost (`scoring=cost_scorer`), and turn scikit-learn's negated scores
# back into euros. Thirteen depths times five folds make 65 fits; `n_jobs=2` runs two at a
# time (a few seconds).

# %%
from sklearn.model_selection import validation_curve
from sklearn.tree import DecisionTreeClassifier

tree = make_pipeline(checkpoints.preprocessor(), DecisionTreeClassifier(random_state=0))
depths = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 20]
train_scores, valid_scores = validation_curve(
    tree,
    X_train,
    y_train,
    param_name="decisiontreeclassifier__max_depth",
    param_range=depths,
    cv=cv,
    scoring=cost_scorer,
    n_jobs=2,
)
curve = pd.DataFrame(
    {
        "max_depth": depths,
        "training": -train_scores.mean(axis=1),  # € per visit: lower is better
        "validation": -valid_scores.mean(axis=1),
    }
)
curve.set_index("max_depth").T.round(4)

# %% tags=["hidden"]
# Drawing the curve: the two costs per depth, the fold spread, the Bayes and prior lines.
BLUE, VERMILLION = "#0072B2", "#D55E00"  # Okabe-Ito, colour-blind safe
spread = valid_scores.std(axis=1)
fig, ax = plt.subplots(figsize=(8, 4.2))
ax.plot(depths, curve["training"], "o-", color=BLUE, label="training rows")
ax.plot(depths, curve["validation"], "s--", color=VERMILLION, label="validation folds (± std)")
ax.fill_between(
    depths, curve["validation"] - spread, curve["validation"] + spread, color=VERMILLION, alpha=0.2
)
ax.axhline(bayes_cost, color="black", linestyle="-.", linewidth=1.2)
ax.axhline(prior_cost.mean(), color="0.4", linestyle=":", linewidth=1.5)
ax.text(12, bayes_cost - 0.001, f"best possible (Bayes) {bayes_cost:.4f} €", va="top")
ax.text(12, prior_cost.mean() - 0.001, f"prior only {prior_cost.mean():.4f} €", va="top")
ax.annotate(
    "under-fitting:\nboth costs high",
    xy=(2, 0.047),
    xytext=(3.5, 0.056),
    arrowprops={"arrowstyle": "->", "color": "0.3"},
)
ax.annotate(
    "", xy=(15, 0.0124), xytext=(15, 0.037), arrowprops={"arrowstyle": "<->", "color": "0.3"}
)
ax.text(15.4, 0.025, "over-fitting:\nthe gap widens", va="center", bbox={"color": "white"})
ax.set(xticks=[1, 5, 10, 15, 20], ylim=(0, 0.066))
ax.set_xlabel("max_depth of the tree (levels of yes/no questions)")
ax.set_ylabel("expected cost per visit at 0.75 (€)")
ax.set_title("Validation curve of a decision tree (5-fold cross-validation)")
ax.legend(loc="lower left")
fig.tight_layout()
plt.show()

# %% [markdown]
# **Takeaway:** the training cost only ever falls with depth, while the validation cost
# falls, bottoms out and rises again - the best depth is where the *validation* curve is
# lowest.
#
# A tree of depth 1 or 2 does as badly on its own rows as on new ones
# ([under-fitting](glossary:under-fitting)). Deeper, the training cost heads for 0 - the
# tree memorises its rows, noise included - while the validation cost climbs
# ([over-fitting](glossary:over-fitting)).
#
# ### Exercise 2: the best depth
#
# Which `max_depth` has the lowest mean validation cost? Give the depth (a whole number).
# Use the table `curve` - by eye or with pandas.

# %%
# BEGIN SOLUTION
best_depth = curve.loc[curve["validation"].idxmin(), "max_depth"]
# END SOLUTION
q2.check(best_depth, curve=curve)

# %% [markdown]
# Stuck? `q2.hint()`. Both ends of the curve, in numbers:

# %%
# NBVAL_CHECK_OUTPUT
for depth in [2, 20]:  # three decimals: deep trees differ a little between library versions
    row = curve.set_index("max_depth").loc[depth]
    print(
        f"depth {depth:>2}: validation {row['validation']:.3f} €, training {row['training']:.3f} €"
    )

# %% [markdown]
# At depth 2 the tree under-fits: about 0.047 € on new visits, no better on its own rows.
# At depth 20 it over-fits: almost nothing lost on its own rows, 0.042 € on new ones.

# %% [markdown]
# ## 3. Grid search: every combination of a few values
#
# A tree has more than one hyperparameter. `min_samples_leaf` - the fewest training visits
# a leaf may hold - also stops it from memorising single visits. To tune both, list a few
# values of each: a [grid search](glossary:grid-search) (`GridSearchCV`) cross-validates
# **every combination** (2 × 3 = 6 candidates, 30 fits) by the contract's cost, then
# refits the best one on all the training rows.

# %%
from sklearn.model_selection import GridSearchCV

grid = {
    "decisiontreeclassifier__max_depth": [7, 10],
    "decisiontreeclassifier__min_samples_leaf": [1, 20, 50],
}
tree_search = GridSearchCV(tree, grid, scoring=cost_scorer, cv=cv, n_jobs=2)
tree_search.fit(X_train, y_train)  # the training rows only
print(f"{len(tree_search.cv_results_['params'])} candidates, each on {cv.get_n_splits()} folds")

# %% [markdown]
# Everything the search measured is in `cv_results_`, a dictionary with one entry per
# column. As a table, best first (`rank_test_score` 1 is the best; scikit-learn calls the
# held-out folds "test", but they are validation folds of the training rows). The scores
# are *negated* costs: -0.03 means 3 cents lost per visit, and the highest score - the
# one closest to zero - wins.


# %% tags=["hidden"]
def tidy(search, top=5, metric="score"):
    """The search's results as a table: one row per candidate, best first by metric."""
    results = pd.DataFrame(search.cv_results_)
    params = [column for column in results.columns if column.startswith("param_")]
    scores = [f"mean_test_{metric}", f"std_test_{metric}", f"rank_test_{metric}"]
    table = results[params + scores].sort_values(f"rank_test_{metric}").head(top)
    table.columns = [column.split("__")[-1] for column in table.columns]  # short names
    return table.reset_index(drop=True)


# %%
# NBVAL_CHECK_OUTPUT
print(tidy(tree_search).round(4).to_string())

# %% [markdown]
# The search keeps its verdict in two attributes: `best_params_` (the winning combination)
# and `best_score_` (its mean validation score - here, a negated cost).
#
# ### Exercise 3: read the search
#
# What is the cross-validated **expected cost per visit**, in euros, of the best candidate
# of `tree_search`? Give a positive number, not rounded.

# %%
# BEGIN SOLUTION
tree_best_cost = -tree_search.best_score_
# END SOLUTION
q3.check(tree_best_cost, search=tree_search)

# %% [markdown]
# Stuck? `q3.hint()`. Whatever the settings, a single tree stays behind the best families
# of notebook 04 - part b tunes those.

# %% [markdown]
# ## 4. Your own search function - one that never sees the test rows
#
# Why not tune on the test rows? A search keeps the candidate with the best score, and
# among many candidates the best score is partly **luck**. Chosen on the
# [test set](glossary:test-set), the winner's test score is **optimistic**: it won a
# contest held on those very rows. So tuning uses the validation folds only, and notebook
# 06 opens the test set once.
#
# ### Exercise 4 (build): `tune`
#
# Write the three moves of this notebook's searches once, for **any** pipeline, grid,
# folds and contract: a scorer from the contract `signed` (its threshold and both costs
# read from it, not from the notebook), a `GridSearchCV` with it and the folds `cv`, and a
# `fit` on `X, y` only. The check runs your function on *another world's* visits, with
# grids, folds and a contract you have not seen - one where a false apple is the dear
# mistake. Stuck? `q4.hint()`, up to three times.


# %% tags=["build"]
def tune(pipeline, param_grid, X, y, cv, signed):
    """Tune `pipeline` over `param_grid` by the contract `signed`; return the fitted search.

    The score of a candidate is minus its expected cost per visit: a false banana (banana
    decided, apple taken) costs `signed.cost_false_banana`, a false apple
    `signed.cost_false_apple`, and banana is decided when P(banana) >=
    `signed.best_threshold()`. The search uses the folds `cv`, sees only `X, y`, and
    refits the best candidate on them.
    """
    # BEGIN SOLUTION
    threshold = signed.best_threshold()

    def cost(y_true, p_banana):
        took_banana = np.asarray(y_true) == "banana"
        says_banana = np.asarray(p_banana) >= threshold
        false_bananas = (says_banana & ~took_banana).sum()
        false_apples = (~says_banana & took_banana).sum()
        euros = signed.cost_false_banana * false_bananas + signed.cost_false_apple * false_apples
        return euros / len(took_banana)

    scorer = make_scorer(cost, greater_is_better=False, response_method="predict_proba")
    search = GridSearchCV(pipeline, param_grid, scoring=scorer, cv=cv)
    return search.fit(X, y)
    # END SOLUTION


q4.check(tune)

# %% [markdown]
# ## Wrap-up quiz
#
# Six questions on this notebook and the ones before it. Display them, then write your
# letters in `answers` and check: each answer gets its explanation.

# %%
display(wrapup_a)

# %% tags=["quiz"]
# BEGIN SOLUTION
answers = {1: "b", 2: "c", 3: "a", 4: "c", 5: "b", 6: "a"}
# STUDENT: answers = {1: ..., 2: ..., 3: ..., 4: ..., 5: ..., 6: ...}
# END SOLUTION
wrapup_a.check(answers)

# %% [markdown]
# ## Recap
#
# In this notebook you
#
# * named hyperparameters inside a pipeline (`step__setting`);
# * scored by the contract's expected cost (`make_scorer`, negated: the highest score wins);
# * read a validation curve: under-fitting when shallow, over-fitting when deep;
# * tuned a tree with `GridSearchCV` on the training rows and read `best_score_`;
# * wrote `tune`: a search that judges any pipeline by any contract.
#
# **Next:** [05b · Tune: choose the model](05b_choose.ipynb) - the boosting and the
# logistic regression tuned, compared on more than one number, and one of them chosen.
