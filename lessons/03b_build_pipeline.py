# ruff: noqa: E402

# %% [markdown]
# # 03b · Build the preparation pipeline
#
# *Fill the gaps, encode the categories, derive features that help a straight line, and
# write the one pipeline that does it all - fitted on the training rows only.*
#
# **Learning objectives.** By the end of this notebook you can
#
# * impute missing values, and tell when a "was missing" indicator carries information;
# * write a `Pipeline` with a `ColumnTransformer` from a specification, and measure what
#   the feature work is worth;
# * recognise leakage - and the too-good-to-be-true score that gives it away.
#
# **Estimated time:** 55 minutes.

# %% [markdown]
# ## Where we start
#
# Notebook 03a cleaned the history (19,075 visits) and split it: 80 % training rows, 20 %
# test rows put away in a drawer until notebook 06. The first code cell loads exactly that
# split from a checkpoint, so this notebook works on its own.

# %%
import numpy as np
from IPython.display import display

from course_utils import checkpoints, world

train, test = checkpoints.split()
X_train, y_train = checkpoints.xy(train)
X_test, y_test = checkpoints.xy(test)
FEATURES = world.FEATURES
is_banana = y_train == "banana"
print(f"training rows: {len(train):,}, test rows: {len(test):,}")

# %% [markdown]
# ## Filling the gaps
#
# Three columns have gaps: `age`, `has_kids` and `temperature_c`. A model cannot multiply a
# NaN, so each gap must be filled - **imputed** - with a number learned from the training
# rows. Notebook 03a asked which columns also deserve a **missing indicator**, a 0/1 column
# "this value was missing". Which number should fill the gaps? Each imputation strategy
# learns one:

# %%
# NBVAL_CHECK_OUTPUT
from sklearn.impute import SimpleImputer

fill = {}
for strategy in ["mean", "median", "most_frequent"]:
    imputer = SimpleImputer(strategy=strategy).fit(X_train[["age"]])
    fill[strategy] = imputer.statistics_[0]
for strategy, value in fill.items():
    print(f"{strategy:>13}: missing ages become {value:.1f}")

# %% [markdown]
# The mean (41.8) and the median (41.0) are the age of a typical *recorded* customer - but
# the customers behind the gaps are mostly older, so any single number is wrong for them.
# The most frequent age is 18, the youngest in the data. With the indicator, the model can
# still learn how the customers behind the gaps really behave.

# %% [markdown]
# ## The imputation and encoding comparer
#
# How much do these choices matter for a model? The widget scores a
# [logistic regression](glossary:logistic-regression) (3-fold cross-validation on 6,000
# training visits) for every combination of: how the missing ages are filled, with or
# without the indicator, and how the categories `store` and `promo` are encoded -
# **[one-hot](glossary:one-hot-encoding)** (one 0/1 column per category) or
# **[ordinal](glossary:ordinal-encoding)** (one column of codes 0, 1, 2). The histogram
# shows the recorded ages, the *true* ages behind the gaps (which only a simulation can
# know) and the value filled in.

# %%
from course_utils.widgets import prep

comparer = prep.make_widget(train)
display(comparer)

# %% [markdown]
# The same information as a table (best first) - and, folded, the figure for the median,
# for pages where the widget does not show:

# %%
# NBVAL_CHECK_OUTPUT
print(prep.score_table(comparer.result).to_string(index=False))

# %%
from course_utils.widgets import StaticCopy

median_filled = comparer.compute(strategy="median", indicator=False, encoding="one-hot")
display(StaticCopy(prep.figure(median_filled)))

# %% [markdown]
# **Takeaway:** whatever single number fills the gaps, it sits far from the true ages of
# the (mostly older) customers behind them - the missing indicator lets the model learn
# about them anyway, and gains more than any choice of number.
#
# Read the table from the top: every combination with the indicator and one-hot encoding
# scores 0.836 to 0.838, whatever the fill value. Without the indicator, the constant 0 (an age of
# zero!) does worst and "most frequent" does well by accident - 18-year-olds, like the
# older customers, buy many bananas. Ordinal codes cost about a point: they tell the model
# that "none" is a promotion twice as far from "apple" as "banana" is, an order that does
# not exist.

# %% [markdown]
# ## Features that help a straight line
#
# A logistic regression draws a straight boundary through its input columns. When the
# relation is curved, new columns can straighten it. Two patterns in the training rows:

# %% tags=["hidden"]
# the figure: banana share by age band and by hour (drawing code, folded)
import matplotlib.pyplot as plt

by_age = train.groupby(train["age"] // 5 * 5)["fruit"].apply(lambda f: (f == "banana").mean())
station_rows = train["store"] == "Station"
by_hour = {
    "Station (commuter kiosk)": train[station_rows].groupby("hour")["fruit"],
    "Central and Riverside": train[~station_rows].groupby("hour")["fruit"],
}
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.6))
ax1.plot(by_age.index + 2.5, by_age.to_numpy(), marker="o", color="#0072B2")
ax1.set(xlabel="age (years, 5-year bands)", ylabel="share of visits ending with a banana")
ax1.set_ylim(0, 1.05)
ax1.set_title("A U-shape in age")
styles = [("#D55E00", "s", "-"), ("#009E73", "o", "--")]
for (label, groups), (colour, marker, line) in zip(by_hour.items(), styles, strict=True):
    shares = groups.apply(lambda f: (f == "banana").mean())
    ax2.plot(shares.index, shares.to_numpy(), color=colour, marker=marker, ls=line, label=label)
for start, end in [(7, 9), (16, 18)]:
    ax2.axvspan(start - 0.5, end + 0.5, color="0.9", zorder=0)
ax2.text(8, 0.05, "rush hours", ha="center")
ax2.text(17, 0.05, "rush hours", ha="center")
ax2.set(xlabel="hour of the day (h)", ylabel="share of visits ending with a banana")
ax2.set_ylim(0, 1.12)
ax2.set_title("Commuters grab a banana at rush hour")
ax2.legend(loc="upper center", ncol=2, fontsize=9, frameon=False)
fig.tight_layout()
plt.show()

# %% [markdown]
# **Takeaway:** the young and the old buy bananas, the middle-aged apples (lowest around
# 45), and at the Station kiosk the rush hours flip the choice - neither is a straight
# line in `age` or `hour`, so we give the model columns that are.
#
# Four new columns, each computed from one row alone (so nothing is learned and nothing can
# leak):
#
# * `rel_price` - the **relative price** `log(price_banana / price_apple)`: shoppers compare
#   the two prices, so one number for both;
# * `station_rush` - a **rush-hour flag**, 1 for a visit to the Station kiosk at 7-9 h or
#   16-18 h;
# * `weekend` - 1 on Saturday and Sunday;
# * `age_sq` - the distance from 45 years, squared (`((age - 45) / 15) ** 2`): a U-shape
#   that a straight line can use.

# %%
RUSH_HOURS = [7, 8, 9, 16, 17, 18]


def add_features(X):
    """Add the derived columns; row by row, so it learns nothing and cannot leak."""
    X = X.copy()
    X["rel_price"] = np.log(X["price_banana"] / X["price_apple"])
    X["station_rush"] = ((X["store"] == "Station") & X["hour"].isin(RUSH_HOURS)).astype(int)
    X["weekend"] = (X["weekday"] >= 5).astype(int)
    X["age_sq"] = ((X["age"] - 45) / 15) ** 2
    return X


add_features(X_train.head(3))[["rel_price", "station_rush", "weekend", "age_sq"]]

# %% [markdown]
# ## One pipeline for all the preparation
#
# Every step now goes into one object, a **[pipeline](glossary:pipeline)**: derive the
# features, then treat each group of columns its own way, then scale. Each step is a
# scikit-learn **[transformer](glossary:transformer)**: `fit` *learns* something from the
# rows it is given (a median, the list of categories, a mean and a spread) and `transform`
# *applies* what was learned to any rows. A model at the end is an
# **[estimator](glossary:estimator)** that can also `predict`. The tool for "each group its
# own way" is a **[ColumnTransformer](glossary:columntransformer)**: a list of
# `(name, transformer, columns)` groups - and it silently *drops* every column it is not
# given.
#
# ### Exercise 4 (build): write the preparation pipeline
#
# Write `make_preprocessing()`. It returns an **unfitted** `Pipeline` of three steps:
#
# 1. `FunctionTransformer(add_features)` - the four derived columns;
# 2. a `ColumnTransformer` with four groups:
#    * `age`: fill the gaps with the median, **and** add a missing indicator;
#    * `age_sq`, `has_kids`, `temperature_c`: fill the gaps with the median;
#    * `rel_price`, `loyalty_member`, `station_rush`, `weekend`: complete numbers, passed
#      through as they are (`"passthrough"`);
#    * `store`, `promo`: **one-hot encoded**, and a category
#      never seen in training (a new store!) becomes all zeros instead of an error;
# 3. `StandardScaler()`: every column to mean 0 and spread 1 ([scaling](glossary:scaling)).
#
# The check does not look at your code: it fits your pipeline on visits of *another* world
# (seed 7) and transforms later visits with gaps, a store and a promotion it never saw.
# Stuck? `q4.hint()` - up to three times.

# %%
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

from course_utils.exercises.nb03 import q4, q5


# %% tags=["build"]
def make_preprocessing():
    """The preparation of the visits, unfitted: derive, impute, encode, scale.

    Returns a Pipeline: FunctionTransformer(add_features), then a ColumnTransformer
    (age: median + missing indicator; age_sq, has_kids, temperature_c: median;
    rel_price, loyalty_member, station_rush, weekend: passthrough; store, promo: one-hot,
    unknown categories ignored), then StandardScaler().
    """
    # BEGIN SOLUTION
    one_hot = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
    columns_step = ColumnTransformer(
        [
            ("age", SimpleImputer(strategy="median", add_indicator=True), ["age"]),
            ("numbers", SimpleImputer(strategy="median"), ["age_sq", "has_kids", "temperature_c"]),
            ("as_is", "passthrough", ["rel_price", "loyalty_member", "station_rush", "weekend"]),
            ("categories", one_hot, ["store", "promo"]),
        ]
    )
    return make_pipeline(FunctionTransformer(add_features), columns_step, StandardScaler())
    # END SOLUTION


q4.check(make_preprocessing)

# %% [markdown]
# The next cells need the pipeline. `checkpoints.preprocessor()` is the course's version of
# the specification above, so the notebook runs whatever you answered:

# %%
preprocess = checkpoints.preprocessor()
display(preprocess)

# %% [markdown]
# Put a model at the end and the whole thing is one estimator: `fit` learns every step
# from the rows it is given, `predict` applies them. Inside `cross_val_score`, each fold
# refits everything on its own training part - the validation part stays unseen, as the
# test set will.
#
# Is the work worth it? Compare the same logistic regression on the **raw columns** (only
# what it needs to run: gaps filled, categories one-hot, scaled) with the prepared ones,
# by 5-fold cross-validation on the training rows:

# %%
# NBVAL_CHECK_OUTPUT
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score

numbers = ["hour", "weekday", "age", "has_kids", "loyalty_member", "price_apple"]
numbers += ["price_banana", "temperature_c"]
one_hot = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
raw_columns = ColumnTransformer(
    [
        ("numbers", SimpleImputer(strategy="median"), numbers),
        ("categories", one_hot, ["store", "promo"]),
    ]
)
plain = make_pipeline(raw_columns, StandardScaler(), LogisticRegression(max_iter=1000))
model = make_pipeline(clone(preprocess), LogisticRegression(max_iter=1000))

plain_cv = cross_val_score(plain, X_train, y_train, cv=5).mean()
model_cv = cross_val_score(model, X_train, y_train, cv=5).mean()
truth = world.generate().visits.set_index("visit_id").loc[train["visit_id"]]
bayes = world.bayes_optimal(truth, y_train)["accuracy"]
print(f"logistic regression, raw columns:       {plain_cv:.3f}")
print(f"logistic regression, prepared pipeline: {model_cv:.3f}")
print(f"best possible on these rows (Bayes):    {bayes:.3f}")

# %% [markdown]
# From 0.710 to 0.837: more than twelve points of accuracy, with the same model, from
# preparing the data - close to the 0.851 that no model can beat (the simulation knows the
# true chances, so we can compute that line). Always saying "banana" would score 0.616.

# %% [markdown]
# ### Exercise 5: fit the preparation without leaking
#
# `preprocess` is not fitted yet. Make `fitted_prep`, a copy of it (`clone(preprocess)`)
# fitted so that it can transform the test rows honestly, and `X_test_ready`, the test
# rows transformed by it.

# %%
# BEGIN SOLUTION
fitted_prep = clone(preprocess).fit(X_train)
X_test_ready = fitted_prep.transform(X_test)
# END SOLUTION
q5.check(fitted_prep, X_train=X_train, X_test=X_test)

# %% [markdown]
# ## The leakage trap
#
# **[Leakage](glossary:leakage)** is when information from the rows you score on slips into
# what the model learned. The classic form: prepare the whole table first, split
# afterwards.
#
# How much does it matter? To keep the test rows in their drawer, we show it with
# cross-validation on the training rows: each validation fold plays the test set. First
# the preprocessing fitted on all the training rows *before* cross-validation splits them,
# against the honest pipeline that refits it inside every fold:

# %%
# NBVAL_CHECK_OUTPUT
X_prepared_on_all = clone(preprocess).fit_transform(X_train)  # learned from every row
leaky_cv = cross_val_score(LogisticRegression(max_iter=1000), X_prepared_on_all, y_train, cv=5)
print(f"preprocessing fitted inside each fold (honest): {model_cv:.4f}")
print(f"preprocessing fitted on all rows first (leaky): {leaky_cv.mean():.4f}")

# %% [markdown]
# Honestly: hardly any difference here. A median, a scale and three category lists learned
# from 15,000 rows barely change when a few thousand more are added. That is why this
# mistake so often goes unnoticed - until a step learns something *about the label*.
#
# A tempting feature: each customer's **share of banana visits** in the history. Computed
# with a simple `groupby` on all the rows, every visit's own label goes into its own
# feature:

# %%
# NBVAL_CHECK_OUTPUT
customer_share = is_banana.groupby(train["customer_id"]).transform("mean")  # own label included
X_with_share = X_train.assign(customer_share=customer_share)
with_share = ColumnTransformer(
    [
        ("prepared", preprocess, FEATURES),
        ("share", SimpleImputer(strategy="median"), ["customer_share"]),
    ]
)
share_model = make_pipeline(with_share, LogisticRegression(max_iter=1000))
leaky_share_cv = cross_val_score(share_model, X_with_share, y_train, cv=5).mean()
print(f"customer's banana share, all visits (leaky):     {leaky_share_cv:.3f}")
print(f"best possible on these rows (Bayes):             {bayes:.3f}")

# %% [markdown]
# 0.872 - **above the best any model can possibly reach** (0.851). That is the signature of
# leakage: a score too good to be true. Each visit's own label went into its own feature,
# so the model partly reads the answer in the question.
#
# Done right, the feature may only use what the till knows when the customer arrives: the
# share of bananas in the customer's *earlier* visits (`shift()` leaves out the visit
# itself; a first visit has no history and gets the median).

# %%
# NBVAL_CHECK_OUTPUT
by_customer = is_banana.astype(float).groupby(train["customer_id"])  # rows are in time order
earlier_share = by_customer.transform(lambda visits: visits.shift().expanding().mean())
X_with_earlier = X_train.assign(customer_share=earlier_share)
honest_share_cv = cross_val_score(share_model, X_with_earlier, y_train, cv=5).mean()
print(f"customer's banana share, earlier visits only:    {honest_share_cv:.3f}")
print(f"without the customer's share (the pipeline):     {model_cv:.3f}")

# %% [markdown]
# Learned honestly, the customer's history adds nothing measurable (0.837 with it and
# without): everything the leaky version seemed to add was the answer leaking into the
# question.
# Real data has no Bayes line to warn you, so the rule is the protection: **split first,
# fit every step on the training rows only - inside the pipeline - and build features only
# from what is known at the moment of the prediction.**

# %% [markdown]
# ## Wrap-up quiz
#
# Six questions on this notebook and the ones before it. Answer with the letter of each
# option you choose; the check explains every answer, right or wrong.

# %%
from course_utils.exercises.nb03 import wrapup_b

display(wrapup_b)

# %% tags=["quiz"]
# BEGIN SOLUTION
answers = {1: "c", 2: "a", 3: "b", 4: "b", 5: "c", 6: "a"}
# STUDENT: answers = {1: ..., 2: ..., 3: ..., 4: ..., 5: ..., 6: ...}
# END SOLUTION
wrapup_b.check(answers)

# %% [markdown]
# ## Recap
#
# In this notebook you
#
# * compared imputation strategies, with and without a missing indicator, and encodings;
# * derived features (relative price, rush hour at the station, weekend, age's U-shape) and
#   wrote one `Pipeline` with a `ColumnTransformer`: 0.710 → 0.837 in cross-validation;
# * met leakage: tiny for a scaler, huge for a feature built from the labels - a score
#   above the best possible gives it away.
#
# **Next:** [04a · Train: cross-validate](04a_cross_validate.ipynb) - baselines and several model
# families on this prepared data, compared by cross-validation.
