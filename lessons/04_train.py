# ruff: noqa: E402

# %% [markdown]
# # 04 · Train
#
# *Put five kinds of model behind the same preparation pipeline, compare them honestly by
# cross-validation - between the baseline and the best any model could do - and read
# learning curves to tell over-fitting from under-fitting.*
#
# **Learning objectives.** By the end of this notebook you can
#
# * cross-validate a pipeline and read the mean and the spread of its scores;
# * choose the folds for the question asked: shuffled (known customers, same year),
#   time-ordered (`TimeSeriesSplit`: the months after), grouped by customer (`GroupKFold`:
#   new people);
# * say which score decides - the contract's expected cost, the log-loss - and why
#   accuracy at 0.5 is only a first look;
# * explain why a score on the training rows is misleading - and recognise one;
# * train and compare five model families: logistic regression, a decision tree,
#   k-nearest neighbours, a random forest and gradient-boosted trees;
# * read a learning curve: tell under-fitting from over-fitting, and say what helps each;
# * place every score between two lines: the majority baseline and the Bayes-optimal line.
#
# **Estimated time:** 85 minutes.

# %% [markdown]
# ## Where we start
#
# Notebook 03 cleaned the history, split it into training and test rows, and built one
# preparation pipeline (derive features, impute, encode, scale). The checkpoint recreates
# both, so this notebook works even if you skipped 03.

# %%
import numpy as np
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
# share of visits right when the model says banana for P(banana) ≥ 0.5. It is easy to read
# against two lines, so this notebook uses it to first meet the model families - always
# named "accuracy at 0.5", because it is not the decision the shop makes:
#
# * below, the **majority baseline**: always say "banana". A model that can't beat it has
#   learned nothing.
# * above, the **Bayes-optimal line**: the accuracy at 0.5 of the world's true
#   probabilities. The simulation knows them; no model can beat this line on this data.
#
# Accuracy at 0.5 has two blind spots. It decides at 0.5, where the shop decides at 0.75,
# so it counts a false banana (0.30 €) like a false apple (0.10 €). And it ignores how sure
# a model was: 0.51 and 0.99 count the same, though the threshold of 0.75 only does what
# the costs ask if the probabilities are honest. So the table of families below also shows
# the two scores notebook 05 will **choose and tune by**: the contract's **expected cost at
# 0.75**, and the **log-loss**, a *proper scoring rule* - lowest when the predicted
# probabilities are the true ones - which rewards honest probabilities at every threshold.
#
# Every score is measured by **cross-validation**: cut the training rows into 5 folds, fit
# on four, score on the fifth, five times. Which folds? That depends on the question we
# ask - a later section compares three kinds. For comparing models we start with the folds
# that look like our test split: it was a random (stratified) split of the year's visits,
# so these folds are shuffled, stratified and seeded.

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
# new visits; the spread between folds, 0.007, says how much it wobbles. Two models whose
# means differ by less than that are hard to tell apart.

# %% [markdown]
# ## Three questions, three kinds of folds
#
# A validation score answers a question, and the folds decide which one. Our shuffled folds
# mix every month and almost every customer into both sides of each split, as the test
# split does: they estimate **known customers, in the same year**. But the model will be
# deployed into the *future* (notebook 08) and may meet *new* customers (the new store of
# notebook 10). Two other kinds of folds ask those questions:
#
# * **time-ordered** folds (`TimeSeriesSplit`, on the rows sorted by time): fit on the
#   past only, validate on the block of visits that comes next - five times, the past
#   growing each time. This is what deployment does.
# * folds **grouped by customer** (`GroupKFold`, `groups=` the customer id): every
#   customer's visits sit on one side only, so each validation fold holds people the model
#   has never seen.
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
#   against 0.0277 € per visit), a gap almost four times wider than with shuffled folds: it fits
#   patterns of the months it saw that do not carry over. The future is the question
#   deployment asks, so this is a point for the simpler model (notebook 05 finds another).
# * **New customers**: hardly any loss for either - the models do not memorise individual
#   customers; they learn from what customers are (age, children, membership), which new
#   customers have too.
#
# None of the three is "the right one": each answers its own question. Model comparison
# and tuning (this notebook and 05) use the shuffled folds, because they look like the
# test split that will judge the model in notebook 06 - and notebook 06 reports the other
# two questions next to its final test.

# %% [markdown]
# ## Exercise 1: cross-validate a decision tree
#
# A **decision tree** asks yes/no questions about the columns ("age below 30?", "Station
# in the rush hour?") and keeps splitting until each leaf holds a single fruit. Swap it in
# for the logistic regression and cross-validate it with the same folds.

# %%
from sklearn.tree import DecisionTreeClassifier

from course_utils.exercises.nb04 import q1, q2, q3, q4

display(q1)

# %%
# BEGIN SOLUTION
tree = make_pipeline(checkpoints.preprocessor(), DecisionTreeClassifier(random_state=0))
tree_cv = cross_val_score(tree, X_train, y_train, cv=cv).mean()
# END SOLUTION
q1.check(tree_cv)

# %% [markdown]
# Stuck? `q1.hint()` - and try a wrong answer on purpose, such as a percentage.

# %%
q1.hint()

# %% [markdown]
# ## A score on the training rows is misleading
#
# Why all this folding? Why not fit the model on all the training rows and score it on
# them? Whatever you answered above, here is the tree, both ways:

# %%
# NBVAL_CHECK_OUTPUT
tree = make_pipeline(checkpoints.preprocessor(), DecisionTreeClassifier(random_state=0))
tree_cv = cross_val_score(tree, X_train, y_train, cv=cv).mean()
tree_train = tree.fit(X_train, y_train).score(X_train, y_train)
print(f"decision tree, scored on its own training rows: {tree_train:.3f}")
print(f"decision tree, cross-validated:                 {tree_cv:.3f}")
print(f"Bayes-optimal line:                             {bayes:.3f}")

# %% [markdown]
# On the rows it learned from, the tree is right 99.7 % of the time - far *above* the
# Bayes line, which no honest score can pass. It has simply memorised its training visits
# (not quite all of them: a few visits look exactly alike in the prepared columns - the
# same customer at the same store, between the same two sensor readings - yet bought
# different fruits). On visits it
# has not seen, it scores 0.767, well below the logistic regression. A score on the
# training rows measures memory, not prediction. The check of exercise 1 recognises that
# mistake:

# %%
q1.check(tree_train)

# %% [markdown]
# ## Exercise 2: k-nearest neighbours - and why scaling matters
#
# **k-nearest neighbours** (k-NN) keeps the training visits and, for a new visit, lets the
# 5 most similar ones vote. "Similar" means *close*: a distance computed over all the
# input columns. Build the pipeline and cross-validate it, as for the tree.

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
# 0.768 - more than four points below the scaled k-NN (0.814 in the table below), just by
# forgetting one step. The check of exercise 2 recognises this mistake too:

# %%
q2.check(unscaled_cv, model=unscaled)

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
# * a **random forest** grows many trees, each on a random resample of the rows, and
#   averages their votes (here 50 trees whose leaves keep at least 5 visits);
# * **gradient-boosted trees** add small trees one after another, each correcting the
#   errors of the ones before (`HistGradientBoostingClassifier`).
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
# How long did each fit take? That depends on your computer (and on what else it is
# doing), so no numbers are printed here in the stored copy - run the cell to see yours:

# %% tags=["volatile-output"]
fit_seconds = pd.Series({name: r["fit_time"].mean() for name, r in results.items()})
print(fit_seconds.round(2).to_string())

# %% [markdown]
# The same table as a picture - validation scores with their spread, the misleading
# training scores beside them, and the two lines:

# %%
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
# Read the table row by row. Three scores sit together at the top: logistic regression
# (0.841), gradient-boosted trees (0.841) and the random forest (0.838) - their
# differences are smaller than the spread between folds. That a straight line does so well
# is thanks to notebook 03: its features (the relative price, the rush hour at the
# Station, age's U-shape) already straighten the curves for it. k-NN (0.814) suffers from
# the many columns it must find neighbours in, and the single tree (0.767) memorises.
#
# The training column cannot even rank the models: the tree scores 0.998 there, the forest
# 0.876, the logistic regression 0.841 - the opposite of their order on new visits.
#
# The last two columns are the contract's view. The cost at 0.75 puts the same three at
# the top, within a tenth of a cent of each other - and the log-loss shows what accuracy
# hides: the single tree is *certain* of every answer (its leaves are pure), so each of
# its many mistakes is a confident one: a log-loss of about 8, against 0.36 for the
# logistic regression. (The majority baseline, certain of "banana" every time, is worse
# still.) A model whose probabilities cannot be trusted cannot be given the contract's
# threshold.

# %% [markdown]
# ## Learning curves: more data, or a better model?
#
# A **learning curve** trains a model on growing shares of the training rows and plots two
# scores for each size: on the rows it learned from, and on the validation fold. How the two
# curves sit tells you what is wrong:
#
# * **both curves low and close together: under-fitting.** The model is too simple for the
#   data; it does as badly on its own rows as on new ones. More rows will not help; better
#   features or a more flexible model will.
# * **training curve high, validation far below it: over-fitting.** The model memorises
#   its rows, noise included. More rows help (the gap narrows), and so do a simpler or
#   regularised model, or averaging many models.
# * **both curves high and close together: a good fit.** Little left to gain - especially
#   when they sit just under the Bayes line.
#
# Three models: the logistic regression on the **raw** columns (notebook 03's "before":
# gaps filled, categories one-hot, nothing derived), the unpruned tree, and the logistic
# regression on the prepared columns. `shuffle=True` matters here as well: without it, the
# smallest training sets would be the first rows - January's visits only.

# %%
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.model_selection import learning_curve
from sklearn.preprocessing import OneHotEncoder, StandardScaler

numbers = ["hour", "weekday", "age", "has_kids", "loyalty_member", "price_apple"]
numbers += ["price_banana", "temperature_c"]
categories = ["store", "promo"]
raw_columns = ColumnTransformer(
    [
        ("numbers", SimpleImputer(strategy="median"), numbers),
        ("categories", OneHotEncoder(handle_unknown="ignore", sparse_output=False), categories),
    ]
)
contenders = {
    "logistic regression, raw columns": make_pipeline(
        raw_columns, StandardScaler(), LogisticRegression(max_iter=1000)
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

# %%
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
# ### Exercise 3: which model over-fits?

# %%
display(q3)

# %%
# BEGIN SOLUTION
overfits = "b"
# END SOLUTION
q3.check(overfits)

# %% [markdown]
# A frequent mix-up is to call any low score "over-fitting". Here is what the check says to
# the raw logistic regression:

# %%
q3.check("a")

# %% [markdown]
# Whatever you answered: the **tree** over-fits - 0.99 to 1.00 on its training rows at
# every size, 0.73 to 0.77 in validation. Its validation curve still climbs, so more rows
# would help a little; a simpler tree, or many trees averaged (the forest, 0.838), helps
# far more. Notebook 05 tunes exactly that. The **raw logistic regression** under-fits:
# both curves stay near 0.72 from the smallest size to the largest - twenty times more rows
# change nothing. Only better columns lift it: the same model on the prepared columns
# scores 0.841.

# %% [markdown]
# ## The model picker: what does each family learn?
#
# A score is one number; a model is a whole *shape*. With only two features we can draw
# that shape: the model's P(banana) over every combination of the two, and the line where
# its answer flips from apple to banana. Pick a family and two features. (The picker
# cross-validates every combination once, on a sample of training visits with 3 folds, so
# the first display takes a moment and every change after it is instant.)

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
# The score of every family on age and relative price - and, folded, the figure of the
# random forest, for pages where the picker does not show:

# %%
# NBVAL_CHECK_OUTPUT
age_price = picker.compute(family="random forest", x="age", y="rel_price")
print(f"age and relative price only, 3-fold cross-validation on {age_price['n_rows']:,} visits:")
print(models.score_table(age_price).to_string(index=False))

# %%
from course_utils.widgets import StaticCopy

display(StaticCopy(models.figure(age_price)))

# %% [markdown]
# **Takeaway:** with age and relative price alone, the forest learns a U-shape - bananas
# for the youngest and oldest customers, and for everybody when bananas are cheap relative
# to apples - a boundary that a straight line cannot draw.
#
# Two features are not enough for any family: about 0.7, far below the 0.84 of the models
# that see every column.
#
# ## Exercise 4: how far from the Bayes line?
#
# The best scores of the table are close to the Bayes line. How close exactly?

# %%
display(q4)

# %%
# BEGIN SOLUTION
gap = 100 * (bayes - logistic_result["test_score"].mean())
# END SOLUTION
q4.check(gap)

# %% [markdown]
# Whatever you answered, here is the gap of each of the three best families:

# %%
# NBVAL_CHECK_OUTPUT
best_three = comparison["validation mean"].nlargest(3)
print((100 * (bayes - best_three)).round(1).to_string())

# %% [markdown]
# About one point for each of them. Part of that point cannot be won by any model of our
# table: the Bayes line knows every age, every household and every temperature, while our
# columns have gaps:

# %%
# NBVAL_CHECK_OUTPUT
print(X_train[["age", "has_kids", "temperature_c"]].isna().mean().round(3).to_string())

# %% [markdown]
# 7 % of the ages, 4 % of the households and 3 % of the temperatures are unknown, and a
# guessed value is never as good as the real one. The rest of the gap is what notebook 05
# goes after: tuning the models' settings - with cross-validation, never with the test
# rows.
#
# ## Recap
#
# In this notebook you
#
# * scored a baseline (0.616) and drew the Bayes-optimal line (0.851) that no model can beat,
#   both in accuracy at 0.5 - a score we always name with its threshold;
# * learned why models are chosen by the contract's cost at 0.75 and the log-loss, not by
#   accuracy at 0.5;
# * cross-validated pipelines three ways, each answering its own question: shuffled folds
#   (known customers, same year), time-ordered folds (the months after) and folds grouped
#   by customer (new people);
# * saw a training score lie: the tree's 0.997 on its own rows against 0.767 on new ones;
# * built a k-NN pipeline and found that forgetting to scale costs more than four points;
# * compared five families: logistic regression, gradient-boosted trees and a random forest
#   within about a point of the Bayes line, k-NN and a single tree behind;
# * read learning curves: the raw logistic regression under-fits, the tree over-fits;
# * explored the decision regions of each family with the model picker.
#
# **Next:** [05 · Tune](05_tune.ipynb) - the settings of a model (how deep a tree, how many
# neighbours, how strong the regularisation) tuned with validation curves and searches,
# still without touching the test rows.
