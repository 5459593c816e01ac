# ruff: noqa: E402

# %% [markdown]
# # 03a · Clean the data
#
# *Turn the messy joined history into a clean table, and split it before anything learns
# from it. (Notebook 03b then builds the pipeline that fills, encodes and scales.)*
#
# **Learning objectives.** By the end of this notebook you can
#
# * clean a table in small, visible steps - spellings, units, impossible values, duplicate
#   scans - and count what each step changed;
# * split into training and test rows *before* anything is fitted, and say why the split
#   is stratified;
# * ask *why* a value is missing, and tell when the fact that it is missing carries
#   information.
#
# **Estimated time:** 50 minutes.

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
from course_utils.exercises.nb03 import q1, q2, q3

# BEGIN SOLUTION
riverside = raw["store"] == "Riverside"
temp_c = raw["temp"].where(~riverside, (raw["temp"] - 32) * 5 / 9)
# END SOLUTION
q1.check(temp_c)

# %% [markdown]
# Stuck? `q1.hint()` - and try a wrong formula on purpose, such as `(F - 32) * 9 / 5`, to
# see what the check says.

# %% [markdown]
# The cleaning goes on in `df`, and the next cells need its temperatures in °C.
# `checkpoints.temperature_celsius` gives the course's conversion, so the notebook runs
# whatever you answered:

# %%
# NBVAL_CHECK_OUTPUT
before = df.copy()
df["temp"] = checkpoints.temperature_celsius(df)
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
# time without seconds, so a copy made within the same minute looks identical. The next
# cells need one row per visit; `checkpoints.drop_duplicate_scans` gives the course's
# version, so the notebook runs whatever you answered:

# %%
# NBVAL_CHECK_OUTPUT
before = df.copy()
df = checkpoints.drop_duplicate_scans(df)
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
# Everything from here on *learns* something from data - it is [fitted](glossary:fit): an
# *imputer* (it fills gaps) learns a median, an *encoder* (it turns categories into
# numbers) the list of categories, a *scaler* (it brings columns to a comparable range)
# means and spreads, a model its weights. The test rows must play no part in any of it -
# otherwise the test score is no longer a score on *new* visits. So the split comes first,
# before anything is fitted.
#
# Two details. **[Stratify](glossary:stratified)** on the label, so that training and test
# rows have the same share of bananas (with a purely random split it could drift by a point
# or so). And fix [`random_state`](glossary:random_state), so that the split is the same
# every time - these are exactly the settings of the course's standard split,
# `world.standard_split`. scikit-learn's [`train_test_split`](glossary:train_test_split)
# does the work:

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
# A model cannot multiply a NaN, so the gaps must be filled
# (**[imputed](glossary:imputation)**). Before choosing how, ask *why* each value is
# missing. Compare the banana share of the rows where a column is missing with the rows
# where it is known:

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
# Filling a gap with a typical value hides that it was a gap. A
# **[missing indicator](glossary:missing-indicator)**
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
# Stuck? `q3.hint()`. Once you have passed, `q3.solution()` gives the reasoning for each of
# the three columns - notebook 03b fills the gaps and adds the indicator you chose.
#
# ## Wrap-up quiz
#
# Six questions on this notebook and the two before it. Answer with the letter of each
# option you choose; the check explains every answer, right or wrong.

# %%
from course_utils.exercises.nb03 import wrapup_a

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
# * cleaned the joined history in eight counted steps: spellings, °F → °C, cents → euros,
#   stray minus signs, hour and weekday, duplicate scans (on the visit id - not on all
#   columns), impossible ages set missing, and the model's columns - 19,075 visits, saved;
# * split before fitting anything: stratified, seeded, 20 % test rows put away;
# * asked *why* each value is missing, and chose which gaps deserve a missing indicator.
#
# **Next:** [03b · Build the preparation pipeline](03b_build_pipeline.ipynb) - fill the gaps,
# encode the categories, derive features, and write the pipeline that does it all without
# leaking.
