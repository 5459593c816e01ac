# ruff: noqa: E402

# %% [markdown]
# # 04a · Train: cross-validate
#
# *Score a model honestly - on visits it has not seen, by cross-validation - between the
# baseline and the best any model could do, and write the function that compares several
# models that way. Part b (04b) compares five model families with it.*
#
# **Learning objectives.** By the end of this notebook you can
#
# * fit a model and let it predict, in scikit-learn's words (estimator, `fit`, `predict`);
# * cross-validate a pipeline and read the mean and the spread of its scores;
# * say which score decides - the contract's expected cost, the log-loss - and why
#   accuracy at 0.5 is only a first look;
# * explain why a score on the training rows is misleading - and recognise one;
# * explain why k-nearest neighbours needs scaled columns;
# * write `compare_models`: several models, the same folds, one table of mean and spread;
# * place every score between two lines: the majority baseline and the Bayes-optimal line.
#
# **Estimated time:** 55 minutes.

# %% [markdown]
# ## Where we start
#
# Notebook 03 cleaned the history, split it into training and test rows, and built one
# preparation pipeline (derive features, impute, encode, scale). The checkpoint recreates
# both, so this notebook works even if you skipped 03.

# %%
import pandas as pd
from IPython.display import display

from course_utils import checkpoints, contract, world

train, test = checkpoints.split()
X_train, y_train = checkpoints.xy(train)

# %%
# NBVAL_CHECK_OUTPUT
print(f"training rows: {len(train):,} visits, {X_train.shape[1]} input columns")
print(f"test rows: {len(test):,} visits - locked away until notebook 06")

# %% [markdown]
# 15,260 training visits with the ten input columns of `world.FEATURES`. The 3,815 test
# visits play no part here: every score in this notebook is measured on the training rows,
# by cross-validation. Here is notebook 03's preparation pipeline, not fitted yet - every
# model of this notebook goes at its end: derive the features (`add_features`), treat each
# group of columns its own way, then scale.

# %%
preprocess = checkpoints.preprocessor()
print(" -> ".join(name for name, step in preprocess.steps))
display(preprocess[1])  # the ColumnTransformer in the middle

# %% [markdown]
# ## Two lines to read every score against
#
# Notebook 01 wrote down what success means, in the **success contract**:

# %%
success = contract.load()

# %%
# NBVAL_CHECK_OUTPUT
print(f"metric: {success.metric}, decision threshold {success.best_threshold():.2f}")
print(f"baseline (the rule of thumb): {success.baseline:.4f} €/visit")
print(f"a model must reach at most:   {success.minimum:.4f} €/visit")

# %% [markdown]
# The contract judges a model by its expected cost per visit at the threshold 0.75, and
# notebook 06 will apply it once, on the test rows. Which score should we *compare* models
# by before that? scikit-learn's default for a classifier is the **accuracy at 0.5**: the
# share of visits right when the model says banana for P(banana) ≥ 0.5 (see
# [accuracy](glossary:accuracy)). It is easy to read
# against two lines, so this notebook uses it to first meet the model families - always
# named "accuracy at 0.5", because it is not the decision the shop makes:
#
# * below, the **majority baseline** ([baseline](glossary:baseline)): always say "banana". A
#   model that can't beat it has learned nothing.
# * above, the **Bayes-optimal line** ([Bayes-optimal](glossary:bayes-optimal)): the accuracy at
#   0.5 of the world's true probabilities. The simulation knows them; no model can beat this
#   line on this data.
#
# Accuracy at 0.5 has two blind spots. It decides at 0.5, where the shop decides at 0.75,
# so it counts a false banana (0.30 €) like a false apple (0.10 €). And it ignores how sure
# a model was: 0.51 and 0.99 count the same, though the threshold of 0.75 only does what
# the costs ask if the probabilities are honest. So the table of families of part b also shows
# the two scores notebook 05 will **choose and tune by**: the contract's **expected cost at
# 0.75**, and the **[log-loss](glossary:log-loss)**, a *proper scoring rule* - lowest when the
# predicted probabilities are the true ones - which rewards honest probabilities at every threshold.
#
# Every score is measured by **[cross-validation](glossary:cross-validation)**: cut the
# training rows into 5 **[folds](glossary:fold)** (equal parts), fit on four, score on the
# fifth, five times. Which folds? That depends on the question we ask - part b compares
# three kinds. For comparing models we start with the folds that look like our test split:
# it was a random, **[stratified](glossary:stratified)** split of the year's visits (each
# part keeps the share of bananas of the whole), so these folds are shuffled, stratified
# and seeded.
#
# Three words of scikit-learn's used from here on: a model object, before or after
# learning, is an **[estimator](glossary:estimator)**; `fit(X, y)` makes it learn from
# inputs `X` and labels `y` ([fit](glossary:fit)); `predict(X)` then gives its answers for
# new inputs ([predict](glossary:predict)) and `score(X, y)` the share of them that is
# right. `cross_val_score` does the fitting and scoring fold by fold for us.

# %%
from sklearn.model_selection import StratifiedKFold

cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)

# %%
# NBVAL_CHECK_OUTPUT
from sklearn.dummy import DummyClassifier
from sklearn.model_selection import cross_val_score

majority = DummyClassifier(strategy="most_frequent")
baseline = cross_val_score(majority, X_train, y_train, cv=cv).mean()
truth = world.generate().visits.set_index("visit_id").loc[train["visit_id"]]
bayes = world.bayes_optimal(truth, y_train)["accuracy"]
print(f"majority baseline (always banana): {baseline:.3f}")
print(f"Bayes-optimal line:                {bayes:.3f}")

# %% [markdown]
# Every model of this notebook will land between 0.616 and 0.851. One honest detail: the
# Bayes line decides from each visit's *complete* record (`truth`, straight from the
# simulation), while our table has gaps - missing ages, children and temperatures. So even
# a perfect model of our columns would stop a little short of the line.

# %% [markdown]
# ## One model, cross-validated
#
# A logistic regression at the end of the preparation pipeline. `cross_validate` returns
# more than `cross_val_score`: the score of each fold, the score on the rows each fold
# learned from (`return_train_score=True`) and the fit times.

# %%
# NBVAL_CHECK_OUTPUT
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_validate
from sklearn.pipeline import make_pipeline

logistic = make_pipeline(checkpoints.preprocessor(), LogisticRegression(max_iter=1000))
logistic_result = cross_validate(logistic, X_train, y_train, cv=cv, return_train_score=True)
fold_scores = logistic_result["test_score"]
print("accuracy on each validation fold:", fold_scores.round(3))
print(f"mean {fold_scores.mean():.3f}, spread (std) {fold_scores.std():.3f}")
print(f"on the rows each fold learned from: {logistic_result['train_score'].mean():.3f}")

# %% [markdown]
# Careful with a name: scikit-learn calls the held-out fold's score `test_score`, but it
# is **not** our test set - read it as *validation*. The mean, 0.841, is the estimate for
# new visits; the spread between folds, 0.007, says how much it wobbles from fold to fold.
# Two models scored on the *same* folds are compared fold by fold: an easy fold lifts both,
# so look at the five differences between them - a gap that keeps its sign on every fold
# points to a real difference, a gap that changes sign does not.

# %% [markdown]
# ## Exercise 1: cross-validate a decision tree
#
# A **[decision tree](glossary:decision-tree)** asks yes/no questions about the columns ("age
# below 30?", "Station in the rush hour?") and keeps splitting until each leaf holds a single
# fruit. Swap it in for the logistic regression and cross-validate it with the same folds.

# %%
from sklearn.tree import DecisionTreeClassifier

from course_utils.exercises.nb04 import q1, q2, q3, wrapup_a

display(q1)

# %%
# BEGIN SOLUTION
tree = make_pipeline(checkpoints.preprocessor(), DecisionTreeClassifier(random_state=0))
tree_cv = cross_val_score(tree, X_train, y_train, cv=cv).mean()
# END SOLUTION
q1.check(tree_cv)

# %% [markdown]
# Stuck? Run `q1.hint()` in a new cell - and try a wrong answer on purpose, such as a
# percentage.

# %% [markdown]
# ## A score on the training rows is misleading
#
# Why all this folding? Why not fit the model on all the training rows and score it on
# them? Here is the same tree, fitted on every training row and scored on those rows:

# %%
# NBVAL_CHECK_OUTPUT
memory_tree = make_pipeline(checkpoints.preprocessor(), DecisionTreeClassifier(random_state=0))
tree_train = memory_tree.fit(X_train, y_train).score(X_train, y_train)
print(f"decision tree, scored on its own training rows: {tree_train:.3f}")
print(f"Bayes-optimal line:                             {bayes:.3f}")

# %% [markdown]
# On the rows it learned from, the tree is right 99.7 % of the time - far *above* the
# Bayes line, which no honest score can pass. It has simply memorised its training visits
# (not quite all of them: a few visits look exactly alike in the prepared columns - the
# same customer at the same store, between the same two sensor readings - yet bought
# different fruits). Compare it with your cross-validated score of exercise 1, on visits
# the tree had not seen. A score on the training rows measures memory, not prediction - it
# is **[over-fitting](glossary:over-fitting)** seen from the inside. The check of exercise
# 1 recognises that mistake:

# %%
q1.check(tree_train)

# %% [markdown]
# ## Exercise 2: k-nearest neighbours - and why scaling matters
#
# **[k-nearest neighbours](glossary:k-nearest-neighbours)** (k-NN) keeps the training visits
# and, for a new visit, lets the 5 most similar ones vote. "Similar" means *close*: a distance
# computed over all the input columns. Build the pipeline and cross-validate it, as for the tree.

# %%
from sklearn.neighbors import KNeighborsClassifier

display(q2)

# %%
# BEGIN SOLUTION
knn = make_pipeline(checkpoints.preprocessor(), KNeighborsClassifier())
knn_cv = cross_val_score(knn, X_train, y_train, cv=cv).mean()
# END SOLUTION
q2.check(knn_cv, model=knn)

# %% [markdown]
# A distance adds up differences across columns, so a column measured in big numbers
# drowns the others. Look at the spread of three columns before scaling:

# %%
# NBVAL_CHECK_OUTPUT
from course_utils.features import add_features

print(add_features(X_train)[["age", "temperature_c", "rel_price"]].std().round(2).to_string())

# %% [markdown]
# A typical difference between two customers' ages is 13 years; between two relative
# prices, 0.17. Without scaling, k-NN adds these raw differences up: a big change in the
# relative price (0.17) counts as little as two months of age, and the price - a strong
# signal - hardly matters. The preparation pipeline ends with a `StandardScaler` that
# puts every column on the same footing (a standard deviation of 1). What if we drop it?
# (`[:-1]` keeps every step of the pipeline but the last one.)

# %%
# NBVAL_CHECK_OUTPUT
unscaled = make_pipeline(checkpoints.preprocessor()[:-1], KNeighborsClassifier())
unscaled_cv = cross_val_score(unscaled, X_train, y_train, cv=cv).mean()
print(f"k-NN without the scaler: {unscaled_cv:.3f}")

# %% [markdown]
# 0.768 - several points below a scaled k-NN (compare with your score of exercise 2), just
# by forgetting one step. The check of exercise 2 recognises this mistake too:

# %%
q2.check(unscaled_cv, model=unscaled)


# %% [markdown]
# ## Exercise 3 (build): compare models under cross-validation
#
# You have now cross-validated three pipelines one by one, each time with the same three
# moves: the same folds `cv`, the same score, the mean of the folds - and a glance at their
# spread. Part b compares five families, with several scores and several kinds of folds, so
# it is time to write those moves down once, as a function.
#
# **The specification.** `compare_models(models, X, y, cv, scoring="accuracy")`:
#
# * `models` is a dict *name -> unfitted model or pipeline*;
# * cross-validate each model on `X, y` with **exactly the folds `cv` given** (the caller
#   chooses them: they decide which question the scores answer) and the scorer `scoring`,
#   a scikit-learn scoring name such as `"accuracy"`, `"roc_auc"` or `"neg_log_loss"`;
# * return a DataFrame with **one row per model** (the dict's names as index, in order) and
#   two columns, `mean` and `std`: the mean and the spread of its validation scores;
# * scikit-learn negates losses so that "higher is better" holds for every scorer
#   (`neg_log_loss` is minus the log-loss): for a scorer whose name starts with `neg_`,
#   report the loss itself, a positive number.
#
# The check **runs** your function on visits you have not seen - another world's, with other
# models, other folds and other scorers - and names the usual slips. Stuck? `q3.hint()` in a
# new cell gives a first hint; a second call, a stronger one.

# %%
display(q3)


# %% tags=["build"]
def compare_models(models, X, y, cv, scoring="accuracy"):
    """Cross-validate every model of ``models`` alike; return one row per model.

    models  -- a dict name -> unfitted model or pipeline
    X, y    -- the rows to cross-validate on (the caller passes the training rows)
    cv      -- the folds, used exactly as given
    scoring -- a scikit-learn scoring name: "accuracy", "roc_auc", "neg_log_loss", ...

    Returns a DataFrame: index = the names, in the dict's order; columns "mean" and "std"
    of each model's validation scores over the folds. For a scorer named "neg_...", the
    loss itself (a positive number).
    """
    # BEGIN SOLUTION
    # STUDENT: rows = {}  # name -> {"mean": ..., "std": ...}
    # STUDENT: return ...  # your code here: a DataFrame, one row per model
    rows = {}
    for name, model in models.items():
        scores = cross_val_score(model, X, y, cv=cv, scoring=scoring)
        if scoring.startswith("neg_"):
            scores = -scores  # report the loss itself: positive, lower is better
        rows[name] = {"mean": scores.mean(), "std": scores.std()}
    return pd.DataFrame.from_dict(rows, orient="index")
    # END SOLUTION


q3.check(compare_models)

# %% [markdown]
# What such a table says, on our training rows: the three models of this notebook and the
# baseline, by log-loss. The cell uses the course's version, `checkpoints.compare_models`,
# so it runs whatever you answered.

# %%
# NBVAL_CHECK_OUTPUT
four = {
    "majority baseline": DummyClassifier(strategy="most_frequent"),
    "logistic regression": logistic,
    "decision tree": make_pipeline(
        checkpoints.preprocessor(), DecisionTreeClassifier(random_state=0)
    ),
    "k-nearest neighbours": make_pipeline(checkpoints.preprocessor(), KNeighborsClassifier()),
}
by_log_loss = checkpoints.compare_models(four, X_train, y_train, cv, scoring="neg_log_loss")
print(by_log_loss.round(3).to_string())

# %% [markdown]
# The log-loss sees what accuracy hides. The single tree is *certain* of every answer (its
# leaves are pure), so each of its mistakes is a confident one and costs a lot; the
# logistic regression's honest probabilities give the lowest loss. k-NN's probabilities
# come in steps of one fifth (5 neighbours vote) - better than the tree's, worse than the
# logistic regression's.

# %% [markdown]
# ## Wrap-up quiz
#
# Five questions on this notebook and the ones before it. Answer with letters; a wrong
# choice tells you why it is wrong.

# %%
display(wrapup_a)

# %% tags=["quiz"]
# BEGIN SOLUTION
answers = {1: "b", 2: "c", 3: "a", 4: "b", 5: "a"}
# STUDENT: answers = {1: ..., 2: ..., 3: ..., 4: ..., 5: ...}
# END SOLUTION
wrapup_a.check(answers)

# %% [markdown]
# ## Recap
#
# In this notebook you
#
# * scored a baseline (0.616) and drew the Bayes-optimal line (0.851) that no model can beat,
#   both in accuracy at 0.5 - a score we always name with its threshold;
# * learned why models are chosen by the contract's cost at 0.75 and the log-loss, not by
#   accuracy at 0.5;
# * cross-validated pipelines with shuffled, stratified, seeded folds, and read the mean
#   and the spread of their scores;
# * saw a training score lie: the tree's 0.997 on its own rows, far above what it does on
#   visits it has not seen;
# * built a k-NN pipeline and found that forgetting to scale costs several points;
# * wrote `compare_models`, checked on visits you had never seen.
#
# **Next:** [04b · Train: compare models](04b_compare_models.ipynb) - five model families
# with your function, three kinds of folds for three questions, learning curves, and the
# same idea on a new question: will this customer come back within a week?
