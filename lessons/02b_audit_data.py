# ruff: noqa: E402

# %% [markdown]
# # 02b · Audit the data
#
# *Before cleaning anything, look: audit the joined table for the errors, gaps and bias that
# notebook 03 will have to deal with - and write down what you found.*
#
# **Learning objectives.** By the end of this notebook you can
#
# * check the [labels](glossary:label): spellings and balance;
# * tell what the data can say about a gap - missing completely at random
#   ([MCAR](glossary:mcar)), or not ([MAR](glossary:mar) or [MNAR](glossary:mnar), which the
#   data alone cannot tell apart);
# * find impossible values, duplicates (by a key, not by identical rows) and mixed units;
# * detect a [**sampling bias**](glossary:sampling-bias) by comparing the sample with an
#   independent count.
#
# **Estimated time:** 55 minutes.
#
# This notebook audits the table notebook 02a joined. It starts on its own: the next cell
# gets 02a's tables from `course_utils.checkpoints`, so you can begin here.

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display

from course_utils import checkpoints, sources

tables = checkpoints.collected()  # what notebook 02a read and joined
sales, customers, prices = tables["sales"], tables["customers"], tables["prices"]
sensors, daily, joined = tables["sensors"], tables["daily"], tables["joined"]

# %% [markdown]
# | table | one row is |
# |---|---|
# | `sales` | a scan at the till, its time parsed (`timestamp`, `date`) |
# | `customers` | a customer, with the name of their home store |
# | `prices` | a store's published prices on a day |
# | `sensors`, `daily` | a sensor reading; the readings summed up per store and day |
# | `joined` | a scan with everything known about it: 02a's result |

# %%
# NBVAL_CHECK_OUTPUT
print(f"joined: {len(joined):,} rows x {joined.shape[1]} columns")

# %% [markdown]
# ## 1. Audit: what is wrong with this table?
#
# Before cleaning anything, we **look**: what is missing, what is impossible, what is there
# twice, what is spelled three ways, what is measured in another unit, and who is missing
# from the data altogether. Finding the problems is this notebook's job; fixing them is 03's.

# %% [markdown]
# ### 1.1 The labels: spellings and balance
#
# `value_counts()` lists every distinct value of a column. Shown with `repr`, even a stray
# space becomes visible:

# %%
# NBVAL_CHECK_OUTPUT
spellings = joined["fruit"].value_counts().sort_index().sort_values(ascending=False, kind="stable")
print(spellings.rename(index=repr).to_string())  # ties in alphabetical order

# %% [markdown]
# Two fruits, eleven spellings: capitals, spaces before or after, and typos (`'bananna'`,
# `'aple'`). A model would treat `'Banana'` and `'banana'` as different classes. For the
# audit we need the real label, so here is a quick fix - for the audit only; notebook 03
# cleans the column properly:


# %%
def unify(fruit_column):
    """Lower case, no surrounding spaces, the two typos corrected."""
    return fruit_column.str.strip().str.lower().replace({"bananna": "banana", "aple": "apple"})


# %%
# NBVAL_CHECK_OUTPUT
fruit = unify(joined["fruit"])
odd_spelling = joined["fruit"] != fruit
print(f"odd spellings: {odd_spelling.sum():,} scans ({odd_spelling.mean():.1%})")
print(fruit.value_counts(normalize=True).round(3).to_string())

# %% [markdown]
# About 4 % of the scans are misspelled. Once unified, the labels are moderately
# imbalanced: about 62 % banana, 38 % apple - the baseline notebook 01 met. No class is rare,
# so no special treatment is needed, but a model must beat 62 %.

# %% [markdown]
# ### 1.2 Missing values - and are they random?
#
# How many values are missing in each column?

# %%
# NBVAL_CHECK_OUTPUT
missing = joined.isna().sum()
print(missing[missing > 0].to_string())

# %% [markdown]
# Four columns have gaps: `age` (1,253 scans), `household_kids` (866) and the two sensor
# columns (585 each, the outage days). The number matters less than the question: **why
# is a value missing - and does the gap itself say something?** Statisticians name three
# cases (Rubin's classification):
#
# * **missing completely at random (MCAR)**: whether a value is missing depends on
#   nothing at all - neither on the value nor on anything else about the row (a record
#   lost by accident);
# * **missing at random (MAR)**: it depends only on things we *do* observe - say, one
#   store's till skips the question more often;
# * **missing not at random (MNAR)**: it depends on the missing value itself - say, older
#   customers prefer not to give their age.
#
# The data can tell MCAR apart from the other two: under MCAR, the rows with a gap look
# like the others in everything we can see. Compare the scans with and without an age:


# %%
def compare_by_gap(table, column):
    """Compare the rows with and without a value in ``column``: a few traits of each group."""
    gap = table[column].isna().map({False: f"{column} recorded", True: f"{column} missing"})
    traits = {
        "banana share": fruit == "banana",
        "share at Central": table["store"] == "Central",
        "household_kids": table["household_kids"],  # share with kids at home
        "age": table["age"],  # mean age
    }
    summary = {"scans": gap.value_counts()}
    for name, values in traits.items():
        if name != column:  # the column itself is empty in one of the groups
            summary[name] = values.groupby(gap).mean()
    return pd.DataFrame(summary).round(3)


# %%
# NBVAL_CHECK_OUTPUT
print(compare_by_gap(joined, "age").to_string())

# %% [markdown]
# Customers who left their age empty are not like the others: they buy a banana far more
# often (0.739 against 0.608), shop more at Central and less often have kids at home
# (`household_kids` 0.236 against 0.333). So their age is **not missing completely at
# random**. But is it MAR or MNAR? That the evidence cannot say: the comparison uses only
# what we observe, and the one thing it would need - the ages that are missing - is
# exactly what we do not have. Older customers skipping the question (MNAR) and, say,
# Central's till skipping it more often (MAR) would both leave this pattern. Only
# knowledge from outside the table settles it: how the sign-up form works, or a follow-up
# survey of some of these customers. (This course's world keeps an answer key: older
# customers skip the question - MNAR. Real data has none.) Two consequences for notebook
# 03 hold either way: dropping these rows would bias the data, and a column *"age was
# missing"* carries real information for the model.
#
# The same comparison for `household_kids`:

# %%
# NBVAL_CHECK_OUTPUT
print(compare_by_gap(joined, "household_kids").to_string())

# %% [markdown]
# Here the two groups look alike - a banana share of 0.618 without a value and 0.616 with
# one, a mean age of 41.5 and 42.2: these gaps are **consistent with MCAR**, so filling
# them with a typical value will do. (Consistent is all the data can say: statistics can
# fail to find a difference, never prove that there is none - and an MNAR gap could
# still hide behind equal-looking groups.) The sensor gaps are whole days when a sensor
# was down: as far as the visits are concerned, MCAR too.

# %% [markdown]
# ### 1.3 Impossible values
#
# `describe()` shows the range of each number. Look at the ages in the customer database:

# %%
# NBVAL_CHECK_OUTPUT
print(customers["age"].describe().round(1).to_string())

# %% [markdown]
# An age of -4 and one of 340: typing errors at sign-up. Which ages are impossible is a
# decision, not a calculation. The course makes it once, in `course_utils.bounds`, and uses
# the same bounds everywhere a value is judged - this audit, the cleaning in notebook 03,
# the service's input check in 07 and the monitor in 08:

# %%
# NBVAL_CHECK_OUTPUT
from course_utils import bounds

youngest, oldest = bounds.PLAUSIBLE["age"]
print(f"plausible ages: {youngest} to {oldest}")
impossible_age = customers["age"].notna() & ~customers["age"].between(youngest, oldest)
print(f"impossible ages: {impossible_age.sum()} customers")
print(customers.loc[impossible_age, "age"].value_counts().sort_index().to_string())

# %% [markdown]
# Twelve customers. The prices need the same look:

# %%
# NBVAL_CHECK_OUTPUT
print(prices[["apple", "banana"]].describe().round(2).to_string())

# %% [markdown]
# Two problems at once. The minimum is negative (a stray minus sign), and the maximum is 69 -
# for one apple. And the mean is far above the median (the 50 % line): a whole group of
# prices sits on another scale. Which store?

# %%
# NBVAL_CHECK_OUTPUT
print(prices.groupby("store")[["apple", "banana"]].median().to_string())
negative_price = (prices[["apple", "banana"]] < 0).any(axis=1)
print(f"\nrows with a negative price: {negative_price.sum()}")

# %% [markdown]
# The Station publishes its prices in **cents** (56 for an apple), the other stores in euros
# (0.49). Nothing is wrong with each number on its own; the mistake is in mixing them. And 8
# rows carry a negative price.

# %% [markdown]
# ### 1.4 Duplicated scans
#
# Notebook 02a counted more scans (19,347) than visits (19,075). The obvious tool is
# `duplicated()`, which marks rows that repeat an earlier row:

# %%
# NBVAL_CHECK_OUTPUT
print(f"rows identical to an earlier row: {sales.duplicated().sum()}")

# %% [markdown]
# ### Exercise 2: how many duplicated scans?
#
# Is that all of them? Count the rows of `sales` that are *extra* copies of a visit - a
# `visit_id` that already appeared in an earlier row. Call it `n_dup`.

# %%
from course_utils.exercises.nb02 import q2, q3, q4

# BEGIN SOLUTION
n_dup = sales["visit_id"].duplicated().sum()
# END SOLUTION
q2.check(n_dup)

# %% [markdown]
# ### 1.5 Mixed units: the thermometers
#
# The three stores are in the same town: they share the same weather. Their daily
# temperatures should roughly agree. Do they?

# %%
import matplotlib.dates as mdates

# Okabe-Ito colours (colour-blind safe); line styles repeat the distinction.
style = {"Central": ("#0072B2", "-"), "Riverside": ("#E69F00", "--"), "Station": ("#009E73", ":")}
fig, ax = plt.subplots(figsize=(9, 3.8))
for store, (colour, line) in style.items():
    one = daily[daily["store"] == store].set_index("date")["temp_mean"]
    one = one.asfreq("D")  # days without readings become gaps in the line
    ax.plot(one.index, one.to_numpy(), color=colour, linestyle=line, lw=1.4, label=store)
ax.xaxis.set_major_formatter(mdates.DateFormatter("%b"))
ax.set_xlabel("day of 2025 (month)")
ax.set_ylabel("daily mean temperature\n(degrees, as reported: °C? °F?)")
ax.set_title("Daily mean temperature per store, as the sensors report it")
ax.legend(title="store", loc="center left", bbox_to_anchor=(1.0, 0.5))
plt.show()

# %% [markdown]
# **Takeaway:** all three stores follow the same seasons. Do all three curves sit where
# the same weather would put them?

# %% [markdown]
# ### Exercise 3: which thermometer?
#
# Which store's thermometer reports degrees **Fahrenheit**? Answer `'Central'`,
# `'Riverside'`, `'Station'` or `'none'`.

# %%
# BEGIN SOLUTION
answer = "Riverside"
# END SOLUTION
q3.check(answer)

# %% [markdown]
# ### 1.6 Who is missing from the data? Sampling bias
#
# The hardest problem to see is a row that is not there. Is the history a fair sample of
# the visits? The sensors count everyone passing the stand, recorded or not; so compare
# each store's share of the *recorded visits* with its share of the *footfall*.

# %% [markdown]
# ### Exercise 4: the Station's ratio
#
# Divide the Station's share of the recorded visits (from `sales`, one row per visit) by its
# share of the footfall (from `daily`). Call it `ratio`. Below 1 means the Station appears
# less often in the history than among the passers-by.

# %%
# BEGIN SOLUTION
visits = sales.drop_duplicates("visit_id")
recorded_share = visits["store"].value_counts(normalize=True)["Station"]
foot = daily.groupby("store")["footfall"].sum()
footfall_share = foot["Station"] / foot.sum()
ratio = recorded_share / footfall_share
# STUDENT: recorded_share = ...  # the Station's share of the recorded visits (one row per visit)
# STUDENT: footfall_share = ...  # the Station's share of the footfall (in `daily`)
# STUDENT: ratio = ...  # your code here
# END SOLUTION
q4.check(ratio)

# %% [markdown]
# The next cells compare all three stores, whatever you answered:
# `checkpoints.store_shares` puts each store's two shares and their ratio in one table (its
# figure is drawn by a folded cell).

# %%
# NBVAL_CHECK_OUTPUT
bias = checkpoints.store_shares(sales, daily)
print(bias.round(3).to_string())

# %% tags=["hidden"]
fig, ax = plt.subplots(figsize=(7.5, 3.4))
y = np.arange(len(bias))
ax.barh(
    y - 0.2,
    bias["share of recorded visits"] * 100,
    height=0.4,
    color="#0072B2",
    label="share of recorded visits",
)
ax.barh(
    y + 0.2,
    bias["share of footfall"] * 100,
    height=0.4,
    color="#E69F00",
    hatch="//",
    edgecolor="white",
    label="share of footfall (sensors)",
)
for i, (rec, ff) in enumerate(bias[["share of recorded visits", "share of footfall"]].to_numpy()):
    ax.text(rec * 100 + 0.5, i - 0.2, f"{rec:.1%}", va="center", fontsize=9)
    ax.text(ff * 100 + 0.5, i + 0.2, f"{ff:.1%}", va="center", fontsize=9)
ax.set_yticks(y, bias.index)
ax.invert_yaxis()
ax.set_xlim(0, 55)
ax.set_xlabel("share of the chain's total (%)")
ax.set_ylabel("store")
ax.set_title("Recorded visits versus passers-by, per store")
ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=9)
plt.show()

# %% [markdown]
# **Takeaway:** the Station's share of the recorded visits is well below its share of the
# passers-by - its commuters are under-represented in the history.
#
# That reading rests on an **assumption**: every store turns the same share of its
# passers-by into buyers at the stand. Footfall counts people walking past, not visits.
# If hurried commuters stopped less often than shoppers at Central, the Station's share of
# *visits* would be below its share of footfall even with every visit recorded - and the
# ratio would mix a recording bias with a difference in conversion. The comparison cannot
# tell the two apart; it needs that assumption, or a check of it - for example a week in
# which every visit is counted at each stand. (This course's world converts the same 1 %
# of passers-by everywhere - `world.CONVERSION` - so here the assumption holds by
# construction. Real stores give no such guarantee.)
#
# Why? A hint is in the loyalty programme:

# %%
# NBVAL_CHECK_OUTPUT
visits = sales.drop_duplicates("visit_id")
loyal = visits.merge(customers, on="customer_id", how="left", validate="many_to_one")
print(loyal.groupby("store")["loyalty_member"].mean().round(2).to_string())

# %% [markdown]
# The data team knows why: visits by loyalty-app members are always recorded (the app logs
# them), other visits only some of the time - and the Station's commuters rarely use the
# app. The history is a **biased sample**.
#
# Why it matters: a model learns the world *as the data shows it*. It will see fewer
# commuters - and fewer rush-hour bananas - than it will meet in production, so it may be
# worst exactly where the Station needs it. Nothing in the table itself reveals this: only
# an independent count (here the footfall) does. Remedies exist - collect more Station
# visits, or give them more weight - but first, remember it: when notebook 06 tests the
# model, look at its score store by store.

# %% [markdown]
# ## 2. Explore the audit yourself
#
# The widget below puts one column of `joined` under the microscope: its
# [distribution](glossary:distribution) per store, its share of missing values per store,
# and a list of suspicious values that simple rules find (impossible ranges, a store on
# another scale, far outliers, odd spellings). Pick a column from the list - try `age`,
# `apple price`, `fruit bought` and `offer`.

# %%
from course_utils.widgets import audit

display(audit.make_widget(joined))

# %% [markdown]
# What it shows for `temp`, as text - and, folded, its figure, for pages where no
# widget shows (a static page, or widgets not installed):

# %%
# NBVAL_CHECK_OUTPUT
temp_audit = audit.column_audit(joined, "temp")
print(audit.audit_table(temp_audit).to_string())
print("\n".join("* " + line for line in temp_audit["suspicious"]))

# %%
from course_utils.widgets import StaticCopy

display(StaticCopy(audit.audit_figure(temp_audit)))

# %% [markdown]
# **Takeaway:** one column, three stores - one store's distribution sits on its own, and
# the gaps (from 2.4 % to 3.9 % per store) are spread about evenly, as outages should be.

# %% [markdown]
# ## 3. Write down what you found
#
# An audit that lives only in a notebook is forgotten. We save the findings in a small JSON
# file that notebook 03 can read: for each kind of defect, the rows it concerns, named by
# their key in each source - a `visit_id`, a `customer_id`, a date and store, a line of the
# sensor log - or the store, for a defect of a whole store. The bookkeeping that turns each
# finding above into such a list is in the folded cells below (unfold them to read it).

# %% tags=["hidden"]
# What the audit cells above found, recomputed for the bookkeeping below.
dup_visit = sales["visit_id"].duplicated()
iso = pd.to_datetime(sales["scanned_at"], format="%Y-%m-%d %H:%M:%S", errors="coerce")
medians = daily.groupby("store")["temp_mean"].median()
store_names = {v: k for k, v in sources.STORE_IDS.items()}

# %% tags=["hidden"]
findings = {kind: [] for kind in sources.DEFECT_KINDS}


def flag(kind, source, key, rows, **details):
    """Add a finding: the rows of ``source`` (named by ``key``) that show defect ``kind``."""
    findings[kind].append({"source": source, "key": key, "rows": rows, **details})


def ids(values):
    """Sorted distinct ids, as plain Python integers (for JSON)."""
    return sorted(int(v) for v in pd.unique(values))


def date_keys(table, mask, store_column="store"):
    """[date, store] pairs of the rows in ``mask``."""
    picked = table.loc[mask]
    return [[f"{d:%Y-%m-%d}", s] for d, s in zip(picked["date"], picked[store_column], strict=True)]


# %% tags=["hidden"]
# The sales export: spellings, duplicated scans, the second timestamp format.
flag(
    "inconsistent_spelling",
    "sales.csv",
    "visit_id",
    ids(sales.loc[sales["fruit"] != unify(sales["fruit"]), "visit_id"]),
)
flag("duplicate_scan", "sales.csv", "visit_id", ids(sales.loc[dup_visit, "visit_id"]))
flag("mixed_timestamp_format", "sales.csv", "visit_id", ids(sales.loc[iso.isna(), "visit_id"]))

# The customer database: the two kinds of gaps, and impossible ages.
flag(
    "missing_not_at_random",
    "customers.sqlite",
    "customer_id",
    ids(customers.loc[customers["age"].isna(), "customer_id"]),
    column="age",
)
flag(
    "missing_random",
    "customers.sqlite",
    "customer_id",
    ids(customers.loc[customers["household_kids"].isna(), "customer_id"]),
    column="household_kids",
)
flag(
    "impossible_value",
    "customers.sqlite",
    "customer_id",
    ids(customers.loc[impossible_age, "customer_id"]),
    column="age",
)

# %% tags=["hidden"]
# The price page: a store in cents (prices above 5 euros a piece), negative prices.
in_cents = (prices[["apple", "banana"]].abs() > 5).any(axis=1)
flag(
    "unit_cents",
    "prices.html",
    ["date", "store"],
    date_keys(prices, in_cents),
    store=prices.loc[in_cents, "store"].mode()[0],
)
flag("impossible_value", "prices.html", ["date", "store"], date_keys(prices, negative_price))

# The sensor log: outage days (store-days of the calendar without readings) ...
calendar = prices[["date", "store"]].merge(
    daily, on=["date", "store"], how="left", validate="one_to_one"
)
calendar["store_id"] = calendar["store"].map({v: k for k, v in store_names.items()})
outage = calendar["temp_mean"].isna()
flag(
    "missing_random",
    "sensors.jsonl",
    ["date", "store_id"],
    date_keys(calendar, outage, store_column="store_id"),
)
# ... and the thermometer in °F: every reading of the store far above the others (line
# numbers of the file start at 1).
hot_store = medians.idxmax()
flag(
    "unit_fahrenheit",
    "sensors.jsonl",
    "line",
    [int(i) + 1 for i in np.flatnonzero(sensors["store"] == hot_store)],
    store=hot_store,
)

# The whole sales history: the store under-represented against its footfall.
flag(
    "sampling_bias",
    "sales.csv",
    "store",
    [],
    store=bias["recorded / footfall"].idxmin(),
    recorded_over_footfall=bias["recorded / footfall"].round(3).to_dict(),
)

# %%
# NBVAL_CHECK_OUTPUT
import json

from course_utils import paths

path = paths.work_dir() / "audit_02.json"
path.write_text(json.dumps(findings, indent=1) + "\n", encoding="utf-8")
print(paths.saved_message(path))
for kind, found in findings.items():
    parts = [
        f"{len(f['rows']):,} in {f['source']}" if f["rows"] else f"store {f['store']}"
        for f in found
    ]
    print(f"  {kind:24} {'; '.join(parts)}")

# %% [markdown]
# Every kind of defect the course planted has been found: nine kinds, from 8 negative
# prices to 6,948 scans in a second time format. (How do we know it is *every* one? This
# course's world keeps an answer key, and a test checks this audit against it. In real
# life there is no answer key - which is why the audit is a habit, not a one-off.)

# %% [markdown]
# ## Wrap-up quiz
#
# Seven questions on this notebook and the ones before it. Put your letter after each number
# and run the cell: each answer gets its explanation.

# %%
from course_utils.exercises.nb02 import wrapup_b

display(wrapup_b)

# %% tags=["quiz"]
# BEGIN SOLUTION
answers = {1: "c", 2: "a", 3: "b", 4: "c", 5: "a", 6: "b", 7: "b"}
# STUDENT: answers = {1: ..., 2: ..., 3: ..., 4: ..., 5: ..., 6: ..., 7: ...}
# END SOLUTION
wrapup_b.check(answers)

# %% [markdown]
# ## Recap
#
# In this notebook you audited the joined table before cleaning anything, and found
#
# * eleven spellings of two fruits, and labels moderately imbalanced (about 62 % banana);
# * ages that are *not* missing completely at random (MCAR) - MAR or MNAR, which the data
#   alone cannot tell apart - and gaps in `household_kids` consistent with MCAR;
# * impossible values: ages like 340, negative prices - and prices in cents at the Station;
# * duplicated scans, found by their key (`visit_id`) rather than as identical rows;
# * a thermometer in another unit, seen by comparing stores that share the same weather;
# * a sampling bias: one store under-represented against an independent count, the footfall;
#
# and saved the findings for the next step.
#
# **Next:** [03a · Clean the data](03a_clean_data.ipynb) - fix what the audit found:
# unify spellings and units, remove the duplicates, handle the gaps, and build a pipeline
# that does all of it the same way in training and in production.
