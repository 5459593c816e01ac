# ruff: noqa: E402

# %% [markdown]
# # 02a · Collect the data
#
# *Read the chain's four data sources the way each is read in real life, and join them into
# one table without losing a single scan - and without a feature from the future.*
#
# **Learning objectives.** By the end of this notebook you can
#
# * read a CSV export with explicit types, a SQLite database with [SQL](glossary:sql), an
#   HTML page with a parser, and a log of [JSON lines](glossary:json-lines);
# * parse timestamps that come in more than one format - without letting pandas guess;
# * join tables safely: state the join's [cardinality](glossary:cardinality) (`validate=`)
#   and count the rows before and after every join, so that no row is lost in silence;
# * keep every feature **point-in-time correct** - only what was known at the moment of
#   the visit - with `pd.merge_asof`, and write the whole join chain as a function.
#
# **Estimated time:** 55 minutes.
#
# Notebook 01 decided *what* to predict. This notebook needs nothing from it: it starts from
# the raw files, as the data team would. Its result, the joined table, is what notebook 02b
# audits (`course_utils.checkpoints.raw_joined()` rebuilds it for anyone who skips ahead).

# %% [markdown]
# ## 1. Four sources, four formats
#
# The history of the fruit stands does not come as one neat table. Four systems each hold a
# piece of it: the tills, the customer database, the shop's website and the store sensors.
# The course keeps them in one folder:

# %%
import re
import sqlite3

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
# The goal is one table with one row per scan and everything known about it. A
# [join](glossary:join) can go wrong in two silent ways: it can **add** rows (a key that
# appears twice on the right copies the scan) or **lose** them (a scan that finds no match
# is dropped). Two habits guard against both:
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
# The day's prices join the same way, on the date and the store - you will write that join
# in a moment.

# %% [markdown]
# ### 3.1 Point in time: the temperature the visit could know
#
# Notebook 01 set the rule: a model may only use what exists **at the moment of
# prediction** - when the customer reaches the stand. The prices pass: they are set for the
# whole day before the stand opens. The temperature is another matter. It would be easy to
# join the day's mean temperature from `daily` - but look at one morning visit:

# %%
# NBVAL_CHECK_OUTPUT
morning = (with_customers["store"] == "Central") & (with_customers["timestamp"].dt.hour == 7)
scan = with_customers.loc[morning].iloc[0]  # the first 7 o'clock visit at Central
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
# [**Point-in-time correctness**](glossary:point-in-time-correctness) means: every feature
# of a row holds only what was known at that row's moment. For the temperature: the **last
# reading of the scan's store at or before the scan**. pandas has a join for exactly this,
# an [as-of join](glossary:as-of-join), `pd.merge_asof`: for each row on the left, the
# last row on the right whose time is at or before its own (`direction="backward"`),
# within the same group (`by="store"`), and not older than a `tolerance` - here two hours,
# because a working sensor reports at least that often. Both tables must be sorted by
# their time, so `merge_asof` returns the rows in time order - not in the order they came
# in. The `by` column must have the same type on both sides (the scans' `store` is plain
# text, `object`). The readings it may choose from:

# %%
readings = sensors[["reading_at", "store", "temp"]].sort_values("reading_at")
readings = readings.astype({"store": object})  # the same type as the scans' store
readings.head(3)

# %% [markdown]
# ### Exercise 1 (build): the join chain as a function
#
# The data team will run this join every night on fresh exports, so write it once, as a
# function the team can trust. `join_sources(scans, prices, readings)` returns **one row per
# scan, in the scans' order**, with:
#
# * the day's prices of the scan's store (`prices` has one row per `date` and `store`),
#   joined with `validate="many_to_one"` - a `date` and `store` twice in `prices` must raise
#   an error, not copy scans;
# * `temp`: the temperature of the **last reading of the scan's own store at or before the
#   scan**, no older than two hours (`pd.Timedelta("2h")`), missing (NaN) otherwise;
#   no `reading_at` column in the result.
#
# The check runs your function on tables you have not seen - another month of another
# seed's world, and small hand-made tables with a sensor outage, a reading exactly at the
# visit time and two stores - and compares with what the specification asks. Stuck?
# `q1.hint()` gives a hint (run it as often as you like: three levels), `q1.solution()`
# the course's answer.

# %% tags=["build"]
from course_utils.exercises.nb02 import q1


def join_sources(scans, prices, readings):
    """Each scan with its day's prices and the last reading of its store before it.

    scans: one row per scan (`timestamp`, `date`, `store`, ...), in any order.
    prices: one row per `date` and `store`. readings: `reading_at`, `store`, `temp`.
    Returns a DataFrame with the scans' rows in the scans' order, their columns, the
    prices' columns and `temp`: the last reading of the scan's own store at or before
    the scan, at most two hours old (NaN otherwise); no `reading_at` column.
    A `date` and `store` twice in `prices` raises an error (it must not copy scans).
    """
    # BEGIN SOLUTION
    table = scans.merge(prices, on=["date", "store"], how="left", validate="many_to_one")
    table = table.assign(_row=range(len(table)))  # remember the scans' order
    table = pd.merge_asof(
        table.sort_values("timestamp"),
        readings.sort_values("reading_at"),
        left_on="timestamp",
        right_on="reading_at",
        by="store",
        direction="backward",
        tolerance=pd.Timedelta("2h"),
    )
    table = table.sort_values("_row").reset_index(drop=True)
    return table.drop(columns=["_row", "reading_at"])
    # STUDENT: # 1. the prices of each scan's day and store - a validated left join
    # STUDENT: # 2. the temperature: pd.merge_asof on tables sorted by time ...
    # STUDENT: # 3. ... then the scans' order back, without the helper columns
    # STUDENT: return ...  # your code here
    # END SOLUTION


q1.check(join_sources)

# %% [markdown]
# The next cells need the joined table, whatever you answered: `checkpoints.join_sources`
# is the course's version of this function, so the notebook runs on from here either way.

# %%
# NBVAL_CHECK_OUTPUT
from course_utils import checkpoints

with_temp = checkpoints.join_sources(with_customers, prices, readings)
print(f"{len(with_customers):,} rows -> {len(with_temp):,} rows after the two joins")
no_reading = with_temp["temp"].isna()
n_days = len(with_temp.loc[no_reading, ["date", "store"]].drop_duplicates())
print(f"scans without a reading in the two hours before: {no_reading.sum():,}", end="")
print(f", on {n_days} store-days")

# %% [markdown]
# Every scan kept its row. The scans without a reading are the visits on the days a sensor
# was down: without the `tolerance`, each of them would have silently got the previous
# evening's reading - a stale value that looks like a real one. With it, they are
# **missing** (NaN): visible, countable, and notebook 03's job.
#
# How far apart are the two temperatures, the leaky day's mean and the point-in-time
# reading?

# %%
# NBVAL_CHECK_OUTPUT
leaky = with_temp.merge(daily, on=["date", "store"], how="left", validate="many_to_one")
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
# **audit column** - notebook 02b compares the stores' footfall with their visits - known
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
# ## Wrap-up quiz
#
# Six questions on this notebook and the two before it. Put your letter after each number
# and run the cell: each answer gets its explanation.

# %%
from course_utils.exercises.nb02 import wrapup_a

display(wrapup_a)

# %% tags=["quiz"]
# BEGIN SOLUTION
answers = {1: "b", 2: "c", 3: "a", 4: "b", 5: "c", 6: "a"}
# STUDENT: answers = {1: ..., 2: ..., 3: ..., 4: ..., 5: ..., 6: ...}
# END SOLUTION
wrapup_a.check(answers)

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
# * wrote the join chain as a function: the prices joined with `validate=`, and the
#   temperature attached **point in time** - the last reading before each visit, with
#   `pd.merge_asof`, `by="store"` and a tolerance - instead of the day's mean, which leaks
#   the future.
#
# **Next:** [02b · Audit the data](02b_audit_data.ipynb) - what is wrong with this table?
# Spellings, duplicates, units, gaps and a sampling bias.
