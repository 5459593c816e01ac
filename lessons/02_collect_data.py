# ruff: noqa: E402

# %% [markdown]
# # 02 · Collect the data
#
# *Read the chain's four data sources the way each is read in real life, join them into one
# table without losing a single scan, and audit that table for the errors, gaps and bias that
# notebook 03 will have to deal with.*
#
# **Learning objectives.** By the end of this notebook you can
#
# * read a CSV export with explicit types, a SQLite database with SQL, an HTML page with a
#   parser, and a log of JSON lines;
# * parse timestamps that come in more than one format - without letting pandas guess;
# * join tables safely: state the join's cardinality (`validate=`) and count the rows before
#   and after every join, so that no row is lost in silence;
# * keep every feature **point-in-time correct** - only what was known at the moment of
#   the visit - with `pd.merge_asof`;
# * audit a table: missing values (MCAR, MAR or MNAR - and what the data can tell), impossible
#   values, duplicates, inconsistent spellings, mixed units and the balance of the labels;
# * detect a **sampling bias** by comparing the sample with an independent count.
#
# **Estimated time:** 100 minutes.
#
# Notebook 01 decided *what* to predict. This notebook needs nothing from it: it starts from
# the raw files, as the data team would. (Notebook 03 starts from this notebook's result,
# which `course_utils.checkpoints.raw_joined()` rebuilds for anyone who skips ahead.)

# %% [markdown]
# ## 1. Four sources, four formats
#
# The history of the fruit stands does not come as one neat table. Four systems each hold a
# piece of it: the tills, the customer database, the shop's website and the store sensors.
# The course keeps them in one folder:

# %%
import re
import sqlite3

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display

from course_utils import sources

folder = sources.data_dir()
for name in sources.FILES:
    size = (folder / name).stat().st_size
    print(f"{name:18} {size / 1e6:5.2f} MB")

# %% [markdown]
# | file | system | one row is | read with |
# |---|---|---|---|
# | `sales.csv` | the tills' export | a scan at the till | `pd.read_csv` |
# | `customers.sqlite` | the customer database | a customer (and a store) | SQL |
# | `prices.html` | the shop's website | a store's prices on a day | an HTML parser |
# | `sensors.jsonl` | the store sensors | a reading at some moment | `pd.read_json` |

# %% [markdown]
# ### 1.1 The sales export (CSV)
#
# A CSV file is plain text. Look at it before reading it - the first lines say a lot:

# %%
with open(folder / "sales.csv", encoding="utf-8") as fh:
    for _ in range(4):
        print(fh.readline(), end="")

# %% [markdown]
# `pd.read_csv` would guess a type for every column. Guesses go wrong in quiet ways: an id
# column with one empty cell becomes a float (`1234.0`), a code like `007` loses its zeros, a
# text column that looks like dates is half-converted. So we **say what each column is**: the
# ids stay whole numbers, the texts stay text (we parse the times ourselves, below), and
# `amount_paid` is a number. If the file disagrees, `read_csv` fails loudly - which is what
# we want.

# %%
sales = pd.read_csv(
    folder / "sales.csv",
    dtype={
        "visit_id": "int64",
        "scanned_at": object,  # text for now: we parse it explicitly in section 2
        "store": object,
        "customer_id": "int64",
        "fruit": object,
        "amount_paid": "float64",
    },
)
print(sales.dtypes.to_string())

# %%
# NBVAL_CHECK_OUTPUT
print(f"sales: {len(sales):,} scans, {sales['visit_id'].nunique():,} different visits")

# %% [markdown]
# 19,347 scans, but only 19,075 different visits: some visits were scanned more than once.
# Keep that in mind - we come back to it in the audit.

# %% [markdown]
# ### 1.2 The customer database (SQLite + SQL)
#
# The customers live in a real database. A database is queried, not opened: you send it SQL
# and get a table back. First, which tables are there?

# %%
con = sqlite3.connect(folder / "customers.sqlite")
schema = pd.read_sql_query("SELECT name, sql FROM sqlite_master WHERE type = 'table'", con)
for sql in schema["sql"]:
    print(re.sub(r"\n\s+", "\n    ", sql), end="\n\n")  # tidy the indentation

# %% [markdown]
# Two tables: `customers` (with the id of each customer's *home store*) and `stores`. We
# want each customer with the *name* of their home store, so we let the database do that
# join, in SQL, and `pd.read_sql_query` hands us the result as a DataFrame:

# %%
query = """
SELECT c.customer_id, c.age, c.household_kids, c.loyalty_member,
       s.name AS home_store
FROM customers AS c
JOIN stores AS s ON s.store_id = c.home_store_id
"""
customers = pd.read_sql_query(query, con)
stores = pd.read_sql_query("SELECT store_id, name, kind FROM stores", con)
con.close()
display(stores)
customers.head()

# %%
# NBVAL_CHECK_OUTPUT
print(f"customers: {len(customers):,} rows, {customers['customer_id'].nunique():,} ids")

# %% [markdown]
# 3,000 customers, each id once: a proper key. Databases are usually the tidiest source -
# but tidy is not the same as right, as the audit will show.

# %% [markdown]
# ### 1.3 The price page (HTML)
#
# The daily prices are only published on the shop's website. There is no export, so we read
# the page like a browser would - and pick out the table. Here is a bit of the raw HTML:

# %%
page = (folder / "prices.html").read_text(encoding="utf-8")
start = page.index("<table")
print(page[start : start + 560])

# %% [markdown]
# The prices sit in the `<td>` cells of the rows (`<tr>`) of the table with `id="daily-prices"`.
# An HTML parser (BeautifulSoup, with Python's built-in `html.parser`) turns the text into a
# tree we can search - far safer than cutting the text apart with string functions.

# %%
from bs4 import BeautifulSoup

soup = BeautifulSoup(page, "html.parser")
table = soup.find("table", id="daily-prices")
rows = [[td.get_text() for td in tr.find_all("td")] for tr in table.find("tbody").find_all("tr")]
print(rows[:3])

# %% [markdown]
# Everything scraped is text. We name the columns after the table's header, and convert the
# date and the two prices explicitly (an empty `offer` cell means no offer that day).

# %%
prices = pd.DataFrame(rows, columns=["date", "store", "apple", "banana", "offer"])
prices["date"] = pd.to_datetime(prices["date"], format="%Y-%m-%d")
prices[["apple", "banana"]] = prices[["apple", "banana"]].astype(float)
prices.head()

# %%
# NBVAL_CHECK_OUTPUT
days = prices["date"].nunique()
print(f"prices: {len(prices):,} rows = {days} days x {prices['store'].nunique()} stores")

# %% [markdown]
# ### 1.4 The sensor log (JSON lines)
#
# Each store has a sensor that reports the temperature and the number of passers-by
# (`footfall`) since its previous reading, at irregular times. It writes one JSON object per
# line:

# %%
with open(folder / "sensors.jsonl", encoding="utf-8") as fh:
    print(fh.readline() + fh.readline(), end="")

# %% [markdown]
# `pd.read_json(..., lines=True)` reads one row per line:

# %%
sensors = pd.read_json(folder / "sensors.jsonl", lines=True)
sensors.head()

# %%
# NBVAL_CHECK_OUTPUT
print(f"sensors: {len(sensors):,} readings")

# %% [markdown]
# The sensor names stores by id (`S1`), so we take the names from the database's `stores`
# table, and parse the reading times:

# %%
store_names = dict(zip(stores["store_id"], stores["name"], strict=True))
sensors["reading_at"] = pd.to_datetime(sensors["time"], format="%Y-%m-%dT%H:%M:%S")
sensors["date"] = sensors["reading_at"].dt.normalize()
sensors["store"] = sensors["store_id"].map(store_names)

# %% [markdown]
# A reading at opening, then one at an irregular moment in every hour. For the audit we
# also summarise the log to **one row per store and day**: the day's mean temperature (to
# compare the stores' thermometers) and its total footfall (to compare with the visits).
# Both are known only once the day is over - keep that in mind for section 3.

# %%
daily = sensors.groupby(["date", "store"], as_index=False).agg(
    temp_mean=("temp", "mean"), footfall=("footfall", "sum")
)
daily.head()

# %%
# NBVAL_CHECK_OUTPUT
print(f"daily: {len(daily):,} store-days (the price page has {len(prices):,})")

# %% [markdown]
# 1,059 store-days of sensor data, but the year has 1,095 store-days (the price page has
# every one of them). Some days have no readings at all. Remember that for the join.

# %% [markdown]
# ## 2. Scan times in two formats
#
# To join a scan with its day's prices and sensors we need its date, so `scanned_at` must
# become a real timestamp. We tell `pd.to_datetime` the format we expect - ISO,
# `2025-01-01 07:22:00` - and ask it to leave anything that does not fit empty (`NaT`, "not
# a time") instead of failing:

# %%
# NBVAL_CHECK_OUTPUT
iso = pd.to_datetime(sales["scanned_at"], format="%Y-%m-%d %H:%M:%S", errors="coerce")
print("scan times that are not ISO, per store:")
print(iso.isna().groupby(sales["store"]).sum().to_string())

# %% [markdown]
# Every one of the Station's 7,047 scans failed, and no other. Let's look at them:

# %%
sales.loc[iso.isna(), ["scanned_at", "store"]].head(3)

# %% [markdown]
# The Station's till writes dates day first (`01/01/2025`) and without seconds. Why not let
# pandas guess the format? Because a guess can be *wrong without failing*: `03/04/2025` is
# the 3rd of April for the till, but a month-first guess reads the 4th of March.

# %%
# NBVAL_CHECK_OUTPUT
guess = pd.to_datetime("03/04/2025 08:15")
print(f"guessed: {guess:%d %B %Y}")

# %% [markdown]
# So we parse the second format explicitly too, and fill the gaps of the first with it:

# %%
dayfirst = pd.to_datetime(sales["scanned_at"], format="%d/%m/%Y %H:%M", errors="coerce")
sales["timestamp"] = iso.fillna(dayfirst)
sales["date"] = sales["timestamp"].dt.normalize()

# %%
# NBVAL_CHECK_OUTPUT
print(f"scan times still unparsed: {sales['timestamp'].isna().sum()}")
print(f"from {sales['timestamp'].min()} to {sales['timestamp'].max()}")

# %% [markdown]
# Every scan has a time now, and all of them fall in 2025.

# %% [markdown]
# ## 3. Join the four tables - without losing a row
#
# The goal is one table with one row per scan and everything known about it. A join can go
# wrong in two silent ways: it can **add** rows (a key that appears twice on the right
# copies the scan) or **lose** them (a scan that finds no match is dropped). Two habits
# guard against both:
#
# * `validate="many_to_one"`: many scans may share one customer, but each scan must find *at
#   most one* row on the right - pandas raises an error otherwise;
# * **count the rows** before and after every join.
#
# First the customers, joined on `customer_id`:

# %%
# NBVAL_CHECK_OUTPUT
with_customers = sales.merge(customers, on="customer_id", how="left", validate="many_to_one")
print(f"{len(sales):,} scans -> {len(with_customers):,} rows after joining the customers")

# %% [markdown]
# What does `validate` protect us from? Suppose we joined the *raw* sensor readings -
# several per store and day - instead of the daily summary:

# %%
try:
    sales.merge(sensors, on=["date", "store"], how="left", validate="many_to_one")
except pd.errors.MergeError as error:
    print("MergeError:", str(error).splitlines()[0])

# %% [markdown]
# Without `validate`, that join would have copied each scan once per reading of its day, and
# every count, mean and model after it would have been wrong. With it, pandas refuses.
#
# Next the day's prices, joined on the date and the store:

# %%
# NBVAL_CHECK_OUTPUT
with_prices = with_customers.merge(prices, on=["date", "store"], how="left", validate="many_to_one")
print(f"{len(with_customers):,} rows -> {len(with_prices):,} rows after joining the prices")

# %% [markdown]
# ### 3.1 Point in time: the temperature the visit could know
#
# Notebook 01 set the rule: a model may only use what exists **at the moment of
# prediction** - when the customer reaches the stand. The prices pass: they are set for the
# whole day before the stand opens. The temperature is another matter. It would be easy to
# join the day's mean temperature from `daily` - but look at one morning visit:

# %%
# NBVAL_CHECK_OUTPUT
morning = (with_prices["store"] == "Central") & (with_prices["timestamp"].dt.hour == 7)
scan = with_prices.loc[morning].iloc[0]  # the first 7 o'clock visit at Central
same_day = sensors[(sensors["store"] == scan["store"]) & (sensors["date"] == scan["date"])]
before_scan = same_day[same_day["reading_at"] <= scan["timestamp"]]
print(f"a scan at {scan['store']}, {scan['timestamp']}")
print(f"readings that day: {len(same_day)}, of which before the scan: {len(before_scan)}")
print(f"the day's mean: {same_day['temp'].mean():.1f}   the last reading before the scan: ", end="")
print(f"{before_scan['temp'].iloc[-1]:.1f} (at {before_scan['reading_at'].iloc[-1]:%H:%M})")

# %% [markdown]
# The day's mean is built from readings taken *after* the visit - from the afternoon, which
# nobody at the stand knew at that moment. A model trained on it learns from information
# it will never have in production: the service (notebook 07) receives **one live
# reading**, the latest. That is a **point-in-time leak**, and it is easy to commit: the
# join raises no error and the numbers look fine.
#
# **Point-in-time correctness** means: every feature of a row holds only what was known at
# that row's moment. For the temperature: the **last reading of the scan's store at or
# before the scan**. pandas has a join for exactly this, `pd.merge_asof`: for each row on
# the left, the last row on the right whose time is at or before its own
# (`direction="backward"`), within the same group (`by="store"`), and not older than a
# `tolerance` - here two hours, because a working sensor reports at least that often. Both
# tables must be sorted by their time, and the `by` column must have the same type on both
# sides (the scans' `store` is plain text, `object`). The readings it may choose from:

# %%
readings = sensors[["reading_at", "store", "temp"]].sort_values("reading_at")
readings = readings.astype({"store": object})  # the same type as the scans' store
readings.head(3)

# %% [markdown]
# ### Exercise 1: a point-in-time join
#
# Now you: attach to every scan of `with_prices` the temperature `temp` of the last reading
# of its store at or before the scan, no older than two hours. Call the result `my_join`.

# %%
from course_utils.exercises.nb02 import q1, q2, q3, q4

# BEGIN SOLUTION
my_join = pd.merge_asof(
    with_prices.sort_values("timestamp"),
    readings,
    left_on="timestamp",
    right_on="reading_at",
    by="store",
    direction="backward",
    tolerance=pd.Timedelta("2h"),
)
# END SOLUTION
q1.check(my_join)

# %% [markdown]
# Stuck? `q1.hint()`. Try the tempting shortcut too - the day's mean from `daily` - and read
# what the check says about it:

# %%
q1.check(with_prices.merge(daily, on=["date", "store"], how="left", validate="many_to_one"))

# %% [markdown]
# Whatever you answered, here is the point-in-time join, put back in the scans' order, and
# what the tolerance did:

# %%
# NBVAL_CHECK_OUTPUT
with_temp = pd.merge_asof(
    with_prices.reset_index().sort_values("timestamp"),
    readings,
    left_on="timestamp",
    right_on="reading_at",
    by="store",
    direction="backward",
    tolerance=pd.Timedelta("2h"),
)
with_temp = with_temp.sort_values("index").set_index("index").rename_axis(None)
with_temp = with_temp.drop(columns="reading_at")
print(f"{len(with_prices):,} rows -> {len(with_temp):,} rows after the point-in-time join")
no_reading = with_temp["temp"].isna()
n_days = len(with_temp.loc[no_reading, ["date", "store"]].drop_duplicates())
print(f"scans without a reading in the two hours before: {no_reading.sum():,}", end="")
print(f", on {n_days} store-days")

# %% [markdown]
# `merge_asof` keeps every scan. The scans without a reading are the visits on the days a
# sensor was down: without the `tolerance`, each of them would have silently got the
# previous evening's reading - a stale value that looks like a real one. With it, they
# are **missing** (NaN): visible, countable, and notebook 03's job.
#
# How far apart are the two temperatures, the leaky day's mean and the point-in-time
# reading?

# %%
# NBVAL_CHECK_OUTPUT
leaky = with_prices.merge(daily, on=["date", "store"], how="left", validate="many_to_one")
gap = (leaky["temp_mean"] - with_temp["temp"]).abs()
print(f"day's mean minus last reading: median {gap.median():.2f}, 95th percentile ", end="")
print(f"{gap.quantile(0.95):.2f} degrees (as reported)")

# %% [markdown]
# Small here - this world's temperature moves slowly within a day - but the habit is what
# counts: a leak that is small today becomes a large one with a feature that moves (a
# queue length, a stock level), and training on smoothed values while serving raw ones
# makes the model's inputs differ between training and production.

# %% [markdown]
# ### 3.2 The day's footfall - and a join that loses rows
#
# Last, the day's footfall from `daily`, joined on the day and the store. It is an
# **audit column** - section 4.6 compares the stores' footfall with their visits - known
# only after the day: never a model input. A join on day and store can go wrong in its own
# way. Here is the same join, *inner* (pandas' default) and *left*:

# %%
# NBVAL_CHECK_OUTPUT
day_footfall = daily[["date", "store", "footfall"]]
inner = with_temp.merge(day_footfall, on=["date", "store"], how="inner", validate="many_to_one")
joined = with_temp.merge(day_footfall, on=["date", "store"], how="left", validate="many_to_one")
print(f"{len(with_temp):,} rows -> inner join: {len(inner):,} rows, left join: {len(joined):,}")
print(f"scans without a footfall count: {joined['footfall'].isna().sum():,}")

# %% [markdown]
# The inner join dropped 585 scans - no error, no warning. They are the visits on the 36
# store-days when a sensor was down, and dropping them would bias everything after:
# fewer visits on those days, and a model that never saw a scan without a temperature. The
# left join keeps them, with `footfall` missing.
#
# `joined` is this notebook's result: one row per scan, nothing cleaned yet.

# %%
# NBVAL_CHECK_OUTPUT
print(f"joined: {len(joined):,} rows x {joined.shape[1]} columns")
print(list(joined.columns))

# %% [markdown]
# (`amount_paid` is still in it: notebook 01 showed it is a leak, known only after the
# purchase. Collecting keeps everything; preparing, in 03, decides what the model may see.)

# %% [markdown]
# ## 4. Audit: what is wrong with this table?
#
# Before cleaning anything, we **look**: what is missing, what is impossible, what is there
# twice, what is spelled three ways, what is measured in another unit, and who is missing
# from the data altogether. Finding the problems is this notebook's job; fixing them is 03's.

# %% [markdown]
# ### 4.1 The labels: spellings and balance
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
# ### 4.2 Missing values - and are they random?
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
# ### 4.3 Impossible values
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
# ### 4.4 Duplicated scans
#
# At the start we saw more scans than visits. The obvious tool is `duplicated()`, which
# marks rows that repeat an earlier row:

# %%
# NBVAL_CHECK_OUTPUT
print(f"rows identical to an earlier row: {sales.duplicated().sum()}")

# %% [markdown]
# ### Exercise 2: how many duplicated scans?
#
# Is that all of them? Count the rows of `sales` that are *extra* copies of a visit - a
# `visit_id` that already appeared in an earlier row. Call it `n_dup`.

# %%
# BEGIN SOLUTION
n_dup = sales["visit_id"].duplicated().sum()
# END SOLUTION
q2.check(n_dup)

# %% [markdown]
# Whatever you answered, here is the count by `visit_id`, and one duplicated visit (from
# Central, whose till writes the seconds):

# %%
# NBVAL_CHECK_OUTPUT
dup_visit = sales["visit_id"].duplicated()
print(f"extra copies by visit_id: {dup_visit.sum()}, by all columns: {sales.duplicated().sum()}")
print(
    "identical copies per store:", sales.loc[sales.duplicated(), "store"].value_counts().to_dict()
)
first_dup = sales.loc[dup_visit & (sales["store"] == "Central"), "visit_id"].iloc[0]
print(sales.loc[sales["visit_id"] == first_dup, ["visit_id", "scanned_at", "fruit"]].to_string())

# %% [markdown]
# 272 extra copies, but only 72 of them are identical in every column: a copy is scanned a
# few seconds later, so its `scanned_at` differs. (The 72 are Station copies: that till
# writes no seconds, so a copy within the same minute looks identical.) `drop_duplicates()`
# on all columns would keep most copies. **Duplicates are defined by a key** - here
# `visit_id` - not by identical rows.

# %% [markdown]
# ### 4.5 Mixed units: the thermometers
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
# **Takeaway:** all three stores follow the same seasons, but Riverside's curve sits far
# above the others all year long - the same weather, in another unit.

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
# Whatever you answered, the medians per store settle it, and converting Riverside's median
# from °F to °C, (°F − 32) × 5/9, brings it next to the others:

# %%
# NBVAL_CHECK_OUTPUT
medians = daily.groupby("store")["temp_mean"].median().round(1)
print(medians.to_string())
print(f"Riverside in °C: {(medians['Riverside'] - 32) * 5 / 9:.1f}")

# %% [markdown]
# Around 62 °F is about 16.8 °C: the town's weather. A model fed the raw column would learn
# that "Riverside is hot" - and later, in production, a firmware update that switches a
# thermometer's unit would fool it the same way (notebook 08 watches for that).

# %% [markdown]
# ### 4.6 Who is missing from the data? Sampling bias
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
# Whatever you answered, here are all three stores:

# %%
# NBVAL_CHECK_OUTPUT
one_per_visit = sales.drop_duplicates("visit_id")
footfall = daily.groupby("store")["footfall"].sum()
bias = pd.DataFrame(
    {
        "share of recorded visits": one_per_visit["store"].value_counts(normalize=True),
        "share of footfall": footfall / footfall.sum(),
    }
)
bias["recorded / footfall"] = bias["share of recorded visits"] / bias["share of footfall"]
print(bias.round(3).to_string())
station = bias.loc["Station"]
print(
    f"\nStation: {station['share of footfall']:.1%} of the footfall, "
    f"{station['share of recorded visits']:.1%} of the recorded visits, "
    f"ratio {station['recorded / footfall']:.2f}"
)

# %%
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
# **Takeaway:** the Station has 45.5 % of the chain's passers-by but only 36.4 % of the
# recorded visits - its commuters are under-represented in the history (ratio 0.80).
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
loyal = one_per_visit.merge(customers, on="customer_id", how="left", validate="many_to_one")
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
# ## 5. Explore the audit yourself
#
# The widget below puts one column of `joined` under the microscope: its distribution per
# store, its share of missing values per store, and a list of suspicious values that simple
# rules find (impossible ranges, a store on another scale, far outliers, odd spellings).
# Pick a column from the list - try `age`, `apple price`, `fruit bought` and `offer`.

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
# **Takeaway:** one column, three stores - Riverside's distribution sits on its own, and
# the gaps (from 2.4 % to 3.9 % per store) are spread about evenly, as outages should be.

# %% [markdown]
# ## 6. Write down what you found
#
# An audit that lives only in a notebook is forgotten. We save the findings in a small JSON
# file that notebook 03 (and a test of this course) can read: for each kind of defect, the
# rows it concerns, named by their key in each source - a `visit_id`, a `customer_id`, a
# date and store, a line of the sensor log - or the store, for a defect of a whole store.
# Keys are counted once each: a visit scanned twice is one `visit_id`.

# %%
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


# %%
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

# %%
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
# ## Recap
#
# In this notebook you
#
# * read four sources four ways: a CSV with explicit types, a SQLite database with a SQL
#   join, an HTML page with a parser, and a JSON-lines log of sensor readings;
# * parsed scan times in two formats explicitly, after a guess proved dangerous;
# * joined everything into one table of 19,347 scans with `validate="many_to_one"` and a row
#   count after every join - and saw an inner join silently drop 585 scans;
# * attached the temperature **point in time** - the last reading before each visit, with
#   `pd.merge_asof` and a tolerance - instead of the day's mean, which leaks the future;
# * audited the table: eleven spellings of two fruits, 272 duplicated scans (only 72 found
#   by `drop_duplicates()` on all columns), ages like 340 and negative prices, prices in cents
#   at the Station, a thermometer in °F at Riverside, and ages that are *not* missing
#   completely at random (MCAR) - MAR or MNAR, which the data alone cannot tell apart;
# * found a sampling bias: the Station's commuters are under-represented (ratio 0.80);
# * saved the audit's findings for the next step.
#
# **Next:** [03 · Prepare the data](03_prepare_data.ipynb) - fix what the audit found:
# unify spellings and units, remove the duplicates, handle the gaps, and build a pipeline
# that does all of it the same way in training and in production.
