# ruff: noqa: E402

# %% [markdown]
# # 03 · Prepare the data
#
# *Turn the messy joined history into a clean table, split it before anything learns from
# it, and build one pipeline that imputes, encodes, derives features and scales - without
# leaking the test set.*
#
# **Learning objectives.** By the end of this notebook you can
#
# * clean a table in small, visible steps - spellings, units, impossible values, duplicate
#   scans - and count what each step changed;
# * split into training and test rows *before* anything is fitted, and say why the split
#   is stratified;
# * impute missing values, and tell when a "was missing" indicator carries information;
# * build one `Pipeline` with a `ColumnTransformer` that imputes, encodes, derives features
#   and scales, and measure what the feature work is worth;
# * recognise leakage - and the too-good-to-be-true score that gives it away.
#
# **Estimated time:** 80 minutes.

# %% [markdown]
# ## Where we start
#
# Notebook 02 read the four sources and joined them: one row per till scan, with the
# customer's record, the day's published prices, the temperature of the store's last
# sensor reading before the scan (point in time) and the day's footfall. Nothing is
# cleaned yet. The first code cell rebuilds exactly that table from a checkpoint, so this
# notebook works even if you skipped 02.

# %%
import numpy as np
import pandas as pd
from IPython.display import display

from course_utils import bounds, checkpoints, paths, world

raw = checkpoints.raw_joined()
raw.head(3)

# %%
# NBVAL_CHECK_OUTPUT
print(f"{len(raw):,} scans of {raw['visit_id'].nunique():,} visits, {raw.shape[1]} columns")

# %% [markdown]
# 19,347 scans, but only 19,075 different visits: some visits were scanned twice. The audit
# in notebook 02 found the other problems too - odd spellings, °F at one store, cents at
# another, negative prices, impossible ages and gaps. We fix them one at a time, on a
# copy, so that `raw` stays as it came.

# %% [markdown]
# ## A helper that counts what each step changes
#
# A cleaning step that silently changes 5,000 cells when you expected 50 is a bug. So each
# step will report how many cells it changed and how many rows it dropped - a small
# function, compared before and after the step.


# %%
def report(step, before, after):
    """Print how many cells a cleaning step changed and how many rows it dropped."""
    rows = after.index.intersection(before.index)  # the rows both tables have
    cols = after.columns.intersection(before.columns)  # the columns both tables have
    old, new = before.loc[rows, cols], after.loc[rows, cols]
    # a cell changed if old and new differ - but NaN before and NaN after is no change
    changed = ((old != new) & ~(old.isna() & new.isna())).to_numpy().sum()
    added = len(after.columns.difference(before.columns))
    extra = f", {added} new columns" if added else ""
    print(f"{step}: {changed:,} cells changed, {len(before) - len(after):,} rows dropped{extra}")


df = raw.copy()

# %% [markdown]
# ## 1. Unify the spellings
#
# The tills wrote the fruit in many ways (shown with quotes, so stray spaces show):

# %%
raw["fruit"].value_counts().rename(index=repr)

# %% [markdown]
# Upper case, stray spaces and two typos. Strip the spaces, lower the case, then map the
# two typos to the right word.

# %%
# NBVAL_CHECK_OUTPUT
before = df.copy()
df["fruit"] = df["fruit"].str.strip().str.lower().replace({"bananna": "banana", "aple": "apple"})
report("spellings", before, df)
print(sorted(df["fruit"].unique()))

# %% [markdown]
# 798 cells repaired, and only two values are left: `apple` and `banana`.

# %% [markdown]
# ## 2. One unit for temperature
#
# The mean of the readings per store gives Riverside's thermometer away: about 62
# "degrees" in a town where the other stores average 13 to 17 - it reports **degrees
# Fahrenheit**.

# %%
# NBVAL_CHECK_OUTPUT
print(df.groupby("store")["temp"].mean().round(1).to_string())

# %% [markdown]
# ### Exercise 1: Fahrenheit to Celsius
#
# Make `temp_c`: a Series with one temperature per row of `raw`, in °C everywhere. Convert
# only Riverside's values (°C = (°F − 32) × 5/9); the other stores keep theirs, and the
# missing days (sensor outages) stay missing. (Start from `raw`: no cell changes it, while
# later cells clean `df` in place - so the exercise works in any order you run the cells.)

# %%
from course_utils.exercises.nb03 import q1, q2, q3, q4

# BEGIN SOLUTION
riverside = raw["store"] == "Riverside"
temp_c = raw["temp"].where(~riverside, (raw["temp"] - 32) * 5 / 9)
# END SOLUTION
q1.check(temp_c)

# %% [markdown]
# Stuck? `q1.hint()` - and try a wrong formula on purpose, such as `(F - 32) * 9 / 5`, to
# see what the check says.

# %%
q1.hint()

# %% [markdown]
# Whatever you answered, here is the conversion, done in the table itself:

# %%
# NBVAL_CHECK_OUTPUT
before = df.copy()
riverside = df["store"] == "Riverside"
df.loc[riverside, "temp"] = (df.loc[riverside, "temp"] - 32) * 5 / 9
report("°F to °C", before, df)

# %% [markdown]
# Every Riverside row with a reading changed (4,692); the rows of the outage days had no
# reading to convert.

# %% [markdown]
# ## 3. One unit for prices
#
# The price page publishes the Station's prices in cents - the whole numbers in the
# `apple` and `banana` columns of the first rows above - and the other stores' prices in
# euros. Divide the Station's by 100.

# %%
# NBVAL_CHECK_OUTPUT
before = df.copy()
station = df["store"] == "Station"
df.loc[station, ["apple", "banana"]] = df.loc[station, ["apple", "banana"]] / 100
report("cents to euros", before, df)

# %% [markdown]
# Two price cells in each Station scan: 14,094 cells.
#
# ## 4. Negative prices
#
# A few days have a negative price on the page:

# %%
# NBVAL_CHECK_OUTPUT
negative_days = df.loc[(df["apple"] < 0) | (df["banana"] < 0), ["date", "store", "apple", "banana"]]
print(negative_days.drop_duplicates().to_string(index=False))

# %% [markdown]
# Two choices: set those prices missing, or take their absolute value because the minus
# is a typo. Without the minus, each is an ordinary price for its store. The tills give a
# second opinion: they record what each customer *paid*. (`amount_paid` can never be an
# input of the model - notebook 01 showed that it gives the fruit away - but it is a fine
# witness for checking the data.)

# %%
# NBVAL_CHECK_OUTPUT
price_paid_for = np.where(df["fruit"] == "banana", df["banana"], df["apple"])
negative = price_paid_for < 0
agrees = np.isclose(df.loc[negative, "amount_paid"], -price_paid_for[negative])
print(f"{negative.sum()} scans of a fruit with a negative price; the till charged")
print(f"exactly that price without the minus in {agrees.sum()} of them")

# %% [markdown]
# In all 36 scans the customer paid the published price without its minus sign. So it is
# a **stray minus sign** on the page: we take the absolute value and keep the information,
# instead of throwing it away (8 store-days, 131 scans of those days).

# %%
# NBVAL_CHECK_OUTPUT
before = df.copy()
df[["apple", "banana"]] = df[["apple", "banana"]].abs()
report("negative prices", before, df)

# %% [markdown]
# ## 5. Hour and weekday from the scan time
#
# Notebook 02 parsed the two timestamp formats into `timestamp`. The model needs the hour
# of the day and the day of the week (Monday = 0) as numbers.

# %%
# NBVAL_CHECK_OUTPUT
before = df.copy()
df["hour"] = df["timestamp"].dt.hour
df["weekday"] = df["timestamp"].dt.day_of_week
report("hour and weekday", before, df)

# %% [markdown]
# ## 6. Duplicate scans
#
# Some visits were scanned twice. Here is one of them:

# %%
twice = df[df["visit_id"].duplicated(keep=False) & (df["store"] == "Central")]
twice[["visit_id", "scanned_at", "store", "customer_id", "fruit", "amount_paid"]].head(2)

# %% [markdown]
# Same visit, same customer, same fruit - but the copy was scanned seconds later, so the
# two rows are **not identical**. The visit id is what says "the same visit".
#
# ### Exercise 2: de-duplicate the scans
#
# Make `deduped`: the table `df` with one row per visit. Keep the first scan of each
# visit (the copy came later, by mistake), and keep every column.

# %%
# BEGIN SOLUTION
deduped = df.drop_duplicates(subset="visit_id", keep="first")
# END SOLUTION
q2.check(deduped)

# %% [markdown]
# Why not simply `df.drop_duplicates()`? It drops a row only if *every* column matches:

# %%
# NBVAL_CHECK_OUTPUT
print(f"visits scanned twice: {df['visit_id'].duplicated().sum()}")
print(f"rows drop_duplicates() on all columns would drop: {len(df) - len(df.drop_duplicates())}")

# %% [markdown]
# It would catch only 72 of the 272 copies: those at the Station, whose till writes the
# time without seconds, so a copy made within the same minute looks identical. Whatever you
# answered, here is the de-duplication on the visit id:

# %%
# NBVAL_CHECK_OUTPUT
before = df.copy()
df = df.drop_duplicates(subset="visit_id", keep="first")
report("duplicate scans", before, df)

# %% [markdown]
# ## 7. Impossible ages
#
# A few customers typed an impossible age when they signed up. Which ages are possible is
# a decision made once for the whole course, in `course_utils.bounds` - the same range
# notebook 02's audit used, and the one the service will enforce in notebook 07:

# %%
# NBVAL_CHECK_OUTPUT
youngest, oldest = bounds.PLAUSIBLE["age"]
print(f"plausible ages: {youngest} to {oldest}")
possible = df["age"].between(youngest, oldest)
print(df.loc[~possible & df["age"].notna(), "age"].value_counts().sort_index().to_string())

# %% [markdown]
# Nobody signs up for the loyalty app at 0 or lives to 230, and we cannot guess what they
# meant. So we set those ages **missing** - the same as the customers who left the field
# empty - and let the imputer deal with them later. `where` keeps the values where the
# condition holds and puts NaN elsewhere (empty ages fail the test too, and stay empty).

# %%
# NBVAL_CHECK_OUTPUT
before = df.copy()
df["age"] = df["age"].where(df["age"].between(youngest, oldest))
report("impossible ages", before, df)

# %% [markdown]
# ## 8. The model's columns
#
# Last, the columns get the names and forms the model will use: `has_kids` from the
# household record, the prices, the promotion from the page's offer text, and the
# temperature rounded to 0.1 °C (more decimals would be noise). `loyalty_member` is
# already a clean 0/1 column of the customer database.

# %%
# NBVAL_CHECK_OUTPUT
before = df.copy()
df["has_kids"] = df["household_kids"]
df["price_apple"] = df["apple"]
df["price_banana"] = df["banana"]
df["promo"] = df["offer"].map({"": "none", "Apple offer": "apple", "Banana offer": "banana"})
df["temperature_c"] = df["temp"].round(1)
report("model columns", before, df)

# %% [markdown]
# Keep the model's inputs (the columns that exist when the customer reaches the stand, as
# notebook 01 decided), the ids, the time and the label - in a fixed order:

# %%
# NBVAL_CHECK_OUTPUT
columns = ["visit_id", "timestamp", "customer_id", "store", "hour", "weekday", "age"]
columns += ["has_kids", "loyalty_member", "price_apple", "price_banana", "promo"]
columns += ["temperature_c", "fruit"]
clean = df[columns].reset_index(drop=True)
print(f"clean: {len(clean):,} rows, {clean['visit_id'].nunique():,} visits")
print("missing values:", clean.isna().sum()[lambda s: s > 0].to_dict())

# %% [markdown]
# One row per visit, 19,075 of them. Three columns still have gaps - `age` (1,316),
# `has_kids` (856) and `temperature_c` (579) - and that is on purpose: filling them needs
# numbers learned from the data (a median, say), and those must be learned from the
# training rows only. So the gaps stay until after the split.
#
# We save the clean table, so that you (and the tests of this course) can compare it with
# what the next notebooks start from (`checkpoints.clean_history()`).

# %%
# NBVAL_CHECK_OUTPUT
path = paths.work_dir() / "clean_03.csv"
clean.to_csv(path, index=False)
print(paths.saved_message(path, what=f"{len(clean):,} rows as {path.name}"))

# %% [markdown]
# ## Split first, then fit
#
# Everything from here on *learns* something from data: an imputer learns a median, an
# encoder the list of categories, a scaler means and spreads, a model its weights. The test
# rows must play no part in any of it - otherwise the test score is no longer a score on
# *new* visits. So the split comes first, before anything is fitted.
#
# Two details. **Stratify** on the label, so that training and test rows have the same
# share of bananas (with a purely random split it could drift by a point or so). And fix
# `random_state`, so that the split is the same every time - these are exactly the settings
# of the course's standard split, `world.standard_split`.

# %%
# NBVAL_CHECK_OUTPUT
from sklearn.model_selection import train_test_split

train, test = train_test_split(clean, test_size=0.2, stratify=clean["fruit"], random_state=0)
train, test = train.sort_index(), test.sort_index()

share_train = (train["fruit"] == "banana").mean()
share_test = (test["fruit"] == "banana").mean()
print(f"training rows: {len(train):,}  banana share {share_train:.1%}")
print(f"test rows:     {len(test):,}  banana share {share_test:.1%}")
standard_train, _ = world.standard_split(clean)
print("the same rows as world.standard_split:", train.index.equals(standard_train.index))

# %% [markdown]
# 15,260 training rows, 3,815 test rows, 61.6 % and 61.7 % bananas. The test rows now go into
# a drawer until notebook 06. Everything below - even looking at the data to get ideas for
# features - uses the training rows only.

# %%
FEATURES = world.FEATURES
X_train, y_train = train[FEATURES], train["fruit"]
X_test, y_test = test[FEATURES], test["fruit"]
print(FEATURES)

# %% [markdown]
# ## Missing values: fill them, and sometimes remember that they were missing
#
# A model cannot multiply a NaN, so the gaps must be filled (**imputed**). Before choosing
# how, ask *why* each value is missing. Compare the banana share of the rows where a
# column is missing with the rows where it is known:

# %%
# NBVAL_CHECK_OUTPUT
is_banana = y_train == "banana"
gaps = pd.DataFrame(
    {
        col: {
            "missing": X_train[col].isna().mean(),
            "banana if missing": is_banana[X_train[col].isna()].mean(),
            "banana if known": is_banana[X_train[col].notna()].mean(),
        }
        for col in ["age", "has_kids", "temperature_c"]
    }
).T
outage = X_train["temperature_c"].isna()
days = train.loc[outage, "timestamp"].dt.date.astype(str) + " " + train.loc[outage, "store"]
print(gaps.round(3).to_string())
print(f"\ntemperature missing on {days.nunique()} store-days; banana offers on")
print(
    f"{(X_train.loc[outage, 'promo'] == 'banana').mean():.0%} of those visits, on "
    f"{(X_train.loc[~outage, 'promo'] == 'banana').mean():.0%} of the others"
)

# %% [markdown]
# Filling a gap with a typical value hides that it was a gap. A **missing indicator**
# (`SimpleImputer(add_indicator=True)`) keeps that fact as an extra 0/1 column - "this value
# was missing" - which helps when *being missing* tells something about the fruit.
#
# ### Exercise 3: which columns get a missing indicator?
#
# Give the list of the columns of `X_train` that should get a missing indicator. Use the
# table above, and ask for each column *why* a value would be missing.

# %%
# BEGIN SOLUTION
indicator_columns = ["age"]
# END SOLUTION
q3.check(indicator_columns)

# %% [markdown]
# Whatever you answered, here is the reasoning:
#
# * **age** is missing for 7 % of the visits, and those visits end with a banana 73 % of the
#   time against 61 % otherwise: its gaps are **not missing completely at random** (not
#   MCAR). Whether they are MAR or MNAR - older customers skipping the question - the data
#   cannot tell (notebook 02), and here it does not need to: either way *the fact that it
#   is missing* says something about the fruit, so it gets an indicator.
# * **has_kids**: 62 % bananas either way - consistent with MCAR, a record lost by
#   accident. No indicator.
# * **temperature_c** is missing on the days a sensor failed - whole store-days, 36 of
#   them in these rows. The 65 % against 61 % comes from *which* days happened to fail
#   (banana offers fell on 19 % of those visits, on 12 % of the others), not from anything
#   a broken thermometer could tell about the next customer. No indicator.
#
# The indicator says *that* a value was missing; the gap itself still needs a number. Each
# imputation strategy fills it with one number learned from the training rows:

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
# How much do these choices matter for a model? The widget scores a logistic regression
# (3-fold cross-validation on 6,000 training visits) for every combination of: how the
# missing ages are filled, with or without the indicator, and how the categories `store`
# and `promo` are encoded - **one-hot** (one 0/1 column per category) or **ordinal** (one
# column of codes 0, 1, 2). The histogram shows the recorded ages, the *true* ages behind
# the gaps (which only a simulation can know) and the value filled in.

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

# %%
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
# Now every step goes into one object: derive the features (`FunctionTransformer`), then a
# `ColumnTransformer` that treats each group of columns its own way - impute `age` with an
# indicator, impute the other numbers, pass the complete columns through, one-hot encode the
# categories (`handle_unknown="ignore"`: a category never seen in training becomes all
# zeros instead of an error) - and finally scale everything to a comparable range.

# %%
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

one_hot = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
columns_step = ColumnTransformer(
    [
        ("age", SimpleImputer(strategy="median", add_indicator=True), ["age"]),
        ("numbers", SimpleImputer(strategy="median"), ["age_sq", "has_kids", "temperature_c"]),
        ("as_is", "passthrough", ["rel_price", "loyalty_member", "station_rush", "weekend"]),
        ("categories", one_hot, ["store", "promo"]),
    ]
)
preprocess = make_pipeline(FunctionTransformer(add_features), columns_step, StandardScaler())
print(" -> ".join(name for name, step in preprocess.steps))
display(columns_step)

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
raw_columns = ColumnTransformer(
    [
        ("numbers", SimpleImputer(strategy="median"), numbers),
        ("categories", clone(one_hot), ["store", "promo"]),
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
# ### Exercise 4: fit the preprocessing without leaking
#
# `preprocess` is not fitted yet. Make `fitted_prep`, a copy of it (`clone(preprocess)`)
# fitted so that it can transform the test rows honestly, and `X_test_ready`, the test
# rows transformed by it.

# %%
# BEGIN SOLUTION
fitted_prep = clone(preprocess).fit(X_train)
X_test_ready = fitted_prep.transform(X_test)
# END SOLUTION
q4.check(fitted_prep, X_train=X_train, X_test=X_test)

# %% [markdown]
# ## The leakage trap
#
# **Leakage** is when information from the rows you score on slips into what the model
# learned. The classic form: prepare the whole table first, split afterwards. The check of
# exercise 4 spots it - here is what it says to someone who fits on all the rows:

# %%
leaky_prep = clone(preprocess).fit(pd.concat([X_train, X_test]))
q4.check(leaky_prep, X_train=X_train, X_test=X_test)

# %% [markdown]
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
# ### In your own words
#
# Why did the customer's banana share leak so much more than the scaler? One or two
# sentences.

# %% [markdown] tags=["solution"]
# The scaler learns a mean and a spread of the inputs, which hardly change with a few more
# rows. The customer share is computed from the *labels*, including the label of the very
# visit being predicted - the model reads part of the answer in its input.

# %% [markdown]
# ## Recap
#
# In this notebook you
#
# * cleaned the joined history in eight counted steps: spellings, °F → °C, cents → euros,
#   stray minus signs, hour and weekday, duplicate scans (on the visit id - not on all
#   columns), impossible ages set missing, and the model's columns - 19,075 visits, saved;
# * split before fitting anything: stratified, seeded, 20 % test rows put away;
# * saw that age is not missing completely at random, imputed it with a missing indicator, and
#   compared strategies and encodings;
# * derived features (relative price, rush hour at the station, weekend, age's U-shape) and
#   built one `Pipeline` with a `ColumnTransformer`: 0.710 → 0.837 in cross-validation;
# * met leakage: tiny for a scaler, huge for a feature built from the labels - a score
#   above the best possible gives it away.
#
# **Next:** [04 · Train](04_train.ipynb) - baselines and several model families on this
# prepared data, compared by cross-validation.
