# ruff: noqa: E402

# %% [markdown]
# # 00 · Start here: how this course works
#
# *In twenty minutes you will know where the course goes, have checked that your setup
# works, and have answered your first three exercises.*
#
# **Learning objectives.** By the end of this notebook you can
#
# * name the stages of the machine-learning lifecycle and say why they form a loop;
# * describe the running example: three fruit stands, one question - apple or banana?
# * check that your environment is ready, and know what to do if it is not;
# * use an exercise: check an answer, ask for a hint, see a solution, follow your progress.
#
# **Estimated time:** 50 minutes.
#
# Run each cell in order with **Shift + Enter**. Nothing is downloaded: the course
# generates its own data, so it works the same on your laptop, on Binder and on Colab.

# %% [markdown]
# ## The course in one picture
#
# Machine learning is more than training a model, so the course follows the whole
# **lifecycle**, one stage per notebook. The next cell draws it; its code is folded away
# (plain matplotlib, not part of the lesson - click the bar to unfold it if you are curious).

# %% tags=["hidden"]
import matplotlib.pyplot as plt
import numpy as np

stages = ["define\nsuccess", "collect\ndata", "prepare\ndata", "train", "tune"]
stages += ["test on\nnew data", "deploy", "monitor", "retrain"]
# Okabe-Ito colours (safe for colour-blind readers); each phase is also named in words.
phases = {
    "PLAN": ("#E69F00", [0]),
    "DATA": ("#56B4E9", [1, 2]),
    "MODEL": ("#009E73", [3, 4, 5]),
    "PRODUCTION": ("#CC79A7", [6, 7, 8]),
}
n = len(stages)
angle = np.pi / 2 - 2 * np.pi * np.arange(n) / n  # clockwise, from the top

fig, ax = plt.subplots(figsize=(7.5, 6.8))
for i in range(n):  # an arrow along the ring from each stage to the next
    arc = np.linspace(angle[i] - 0.22, angle[i] - 2 * np.pi / n + 0.22, 30)
    ax.plot(np.cos(arc), np.sin(arc), color="0.3", lw=2)
    ax.annotate(
        "",
        xy=(np.cos(arc[-1]), np.sin(arc[-1])),
        xytext=(np.cos(arc[-4]), np.sin(arc[-4])),
        arrowprops={"arrowstyle": "-|>", "color": "0.3", "lw": 2, "mutation_scale": 20},
    )
for phase, (colour, members) in phases.items():
    for i in members:
        box = {"boxstyle": "round,pad=0.45", "facecolor": colour, "edgecolor": "black"}
        x, y = np.cos(angle[i]), np.sin(angle[i])
        ax.text(x, y, f"{i + 1:02d}\n{stages[i]}", ha="center", va="center", bbox=box)
    x, y = np.cos(angle[members].mean()), np.sin(angle[members].mean())
    side = "left" if x > 0.3 else "right" if x < -0.3 else "center"
    r = 1.3 if side != "center" else 1.4
    ax.text(r * x, r * y, phase, ha=side, va="center", fontsize=12, fontweight="bold")
back = np.pi / 2 + np.pi / n  # between 09 retrain and 01 define success
ax.text(1.3 * np.cos(back), 1.3 * np.sin(back), "back to\nthe start", ha="center", style="italic")
ax.text(0, 0.12, "Apple or Banana?", ha="center", fontsize=15, fontweight="bold")
ax.text(0, -0.2, "notebook 10 runs the\nwhole loop as one command", ha="center")
ax.set(xlim=(-1.7, 1.7), ylim=(-1.45, 1.55), aspect="equal")
ax.set_axis_off()
ax.set_title("The machine-learning lifecycle: one notebook per stage", fontsize=14)
plt.show()

# %% [markdown]
# **Takeaway:** the lifecycle is a loop, not a line - once a model is deployed, monitoring
# tells you when the world has changed, and you retrain (or even rethink what success
# means) and go round again.
#
# In words: **01** define success → **02** collect data → **03** prepare data → **04** train
# → **05** tune → **06** test on new data → **07** deploy → **08** monitor → **09** retrain
# → back to 01. Notebook **10** puts the whole cycle into one reproducible command, and
# its second part is your capstone. Stages 02 to 10 come in parts (02a, 02b, ...) so that
# no notebook takes more than about an hour. The point of the course: the product is the
# *process*, not the model.

# %% [markdown]
# ## The running example: apple or banana?
#
# A small grocery chain in the town of Lindenfeld has a fruit stand in each of its three
# stores. For every visit to a stand we want to predict whether the customer will buy **an
# apple or a banana**, so that the stand is stocked right and the offer at the till fits.

# %%
from IPython.display import display

from course_utils import world

display(world.STORES)

# %% [markdown]
# The three stores have different customers: **Central** is a city-centre supermarket,
# **Riverside** a suburban family store, and **Station** a commuter kiosk where people grab
# a fruit on the way to the train. The data comes from a *simulated world*: it behaves like
# real shoppers, and unlike any real data set it knows the true chance of "banana" for every
# visit - so later we can ask how good *any* model could possibly be.
#
# Here is the history of visits the chain has recorded, one row per visit.

# %%
history = world.generate()
visits = history.visits
visits.head()

# %% [markdown]
# Each row is one visit: where and when, who came (age, children at home, loyalty card),
# the day's prices and promotion, the temperature, and the `fruit` bought. The column
# `p_banana` is the simulation's secret - the *true* chance of a banana - which no real
# data set has; models never get to see it.

# %%
# NBVAL_CHECK_OUTPUT
first, last = visits["timestamp"].min(), visits["timestamp"].max()
print(f"{len(visits):,} visits, from {first:%d %B %Y} to {last:%d %B %Y}")

# %% [markdown]
# About 19,000 visits over the year 2025: 19,075 to be exact. Every run of the course
# generates exactly the same history, so your numbers will match the ones in the text.

# %% [markdown]
# ## Is your environment ready?
#
# Before the real work, let the course check your setup: Python and library versions,
# widgets, and where your progress is saved. Every line starts with ✔ (fine) or ✘ (with a
# one-line fix below it).

# %%
from course_utils import doctor

print(doctor.report())

# %% [markdown]
# Some notebooks use small interactive **widgets**. If you can move this slider and the
# text next to it follows, widgets work.

# %%
import ipywidgets as widgets

slider = widgets.IntSlider(value=3, min=0, max=10, description="Bananas:")
label = widgets.Label()


def update_label(change=None):
    """Write the slider's value into the label; called on every move."""
    count = slider.value
    label.value = f"{count} banana{'' if count == 1 else 's'} in the basket"


slider.observe(update_label, names="value")
update_label()
display(widgets.HBox([slider, label]))

# %% [markdown]
# If you see a line of text such as `HBox(children=...)` instead of a slider, the widget
# front end is missing (the doctor's "widget front end" line says how to fix it). The course
# still works: every widget is followed by a static copy (a table, or a figure folded away
# under a line you click) that teaches the same thing. Setting the value from code does what
# moving the slider does - the label now reads "7 bananas in the basket":

# %%
# NBVAL_CHECK_OUTPUT
slider.value = 7
print(label.value)

# %% [markdown]
# ## How exercises work
#
# Each notebook has a few exercises, loaded with one line. Every exercise - `q1`, `q2`, ... -
# works the same way:
#
# | you type | what happens |
# |---|---|
# | `display(q1)` | shows the question |
# | `q1.check(answer)` | ✔ correct, ✘ not quite (with specific feedback), ○ not attempted yet |
# | `q1.hint()`, `q1.hint(2)`, ... | hints, from a gentle nudge to nearly the answer |
# | `q1.solution()` | a full solution - try the hints first |
#
# Wrong answers never reveal the right one, and skipping an exercise breaks nothing: the
# placeholder `...` counts as "not attempted yet" and the notebook still runs to the end.

# %%
from course_utils.exercises.nb00 import q1, q2, q3

display(q1)

# %% [markdown]
# Nothing is answered yet, so the check says so (it does not fail):

# %%
q1.check(...)

# %% [markdown]
# ### Exercise 1: share of banana visits
#
# Replace the `...` below with code that computes the share of visits that ended with a
# banana - a fraction between 0 and 1 - then run the cell. Stuck? Type `q1.hint()` in a
# new cell (the **+** button adds one) and run it; `q1.hint(2)` says more.

# %%
# BEGIN SOLUTION
banana_share = (visits["fruit"] == "banana").mean()
# END SOLUTION
q1.check(banana_share)

# %% [markdown]
# A wrong answer gets feedback about *what kind* of mistake it is. Try a few: a text, a
# percentage such as `45`, a count of visits ...

# %%
q1.check("banana")

# %% [markdown]
# ### Exercise 2: how many customers?
#
# How many *different* customers appear in the history? Each row is one visit, and the
# column `customer_id` says who it was.

# %%
# BEGIN SOLUTION
n_customers = visits["customer_id"].nunique()
# END SOLUTION
q2.check(n_customers)

# %% [markdown]
# ### Exercise 3: visits per store
#
# Make a pandas Series with the number of visits at each store, indexed by the store names
# (Central, Riverside, Station).

# %%
# BEGIN SOLUTION
visits_per_store = visits["store"].value_counts()
# END SOLUTION
q3.check(visits_per_store)

# %% [markdown]
# ### In your own words
#
# Some questions have no single right value. Answer them in a text cell: double-click the
# cell below, replace its text, and press Shift + Enter.
#
# **Why is the lifecycle drawn as a loop, not as a line from "define success" to "deploy"?**
# One or two sentences.

# %% [markdown] tags=["solution"]
# Because deploying is not the end: customers, prices and sensors change, so a deployed
# model slowly gets worse. Monitoring notices it, and we go round again - retrain on new
# data, and sometimes go back to how success is defined or how data is collected.

# %% [markdown]
# ## Your progress
#
# Every check you run is saved in a small file on your computer: whether it passed and which
# mistake it spotted - never your answer, and nothing is sent anywhere. The map below fills
# up as you go through the course, and lists the mistakes you met on the way. Click
# **Refresh** to update it. If your instructor asks for it,
# `python -m course_utils progress --export my-progress.json --name a-pseudonym` writes a
# copy to hand in (a nickname of your choice, not your name).
# The same map as plain text (for screen readers, and wherever widgets do not show) is
# folded below it. (On Colab the file is in `/content/apple-or-banana-progress`, which Colab
# deletes with the runtime: the text map then says how to keep it.)

# %%
from course_utils.exercises import format_progress, progress_widget
from course_utils.widgets import StaticCopy

display(progress_widget())
display(StaticCopy(text=format_progress(), summary="The same map as plain text"))

# %% [markdown]
# ## How the notebooks fit together
#
# * Each notebook exists twice: `notebooks/NN_name.ipynb` with the exercises open (yours),
#   and `notebooks/solutions/NN_name.ipynb`, run and complete, to compare with afterwards.
# * Each notebook **stands alone**: its first cells recreate what the earlier ones would
#   have produced, so you can start anywhere - but the order tells a story.
# * The badges at the top open a notebook on **Colab** or **Binder**. On Colab the first
#   code cell installs the course's helper package; anywhere else it does nothing.
# * On Colab you have the open notebook only, not the folder `notebooks/solutions/`: open
#   a solutions notebook from its own Colab badge, listed by the next cell.
# * If something breaks, run the doctor again - here, or in a terminal with
#   `python -m course_utils doctor`.

# %%
from IPython.display import Markdown

from course_utils import config

Markdown(config.solutions_badges())

# %% [markdown]
# ## Wrap-up quiz
#
# Every notebook ends with a short quiz like this one: a few questions answered with a
# letter each, checked together. Later quizzes also come back to earlier notebooks, so that
# what you learnt stays.

# %%
from course_utils.exercises.nb00 import wrapup

display(wrapup)

# %% tags=["quiz"]
# BEGIN SOLUTION
answers = {1: "a", 2: "c", 3: "b", 4: "c", 5: "a"}
# STUDENT: answers = {1: ..., 2: ..., 3: ..., 4: ..., 5: ...}
# END SOLUTION
wrapup.check(answers)

# %% [markdown]
# ## Recap
#
# In this notebook you
#
# * saw the machine-learning lifecycle as a loop of nine stages, one notebook each;
# * met the running example: 19,075 visits at three fruit stands, apple or banana;
# * checked your environment and tried a widget;
# * answered your first exercises with `check`, `hint` and `solution`, and saw your progress;
# * found a first baseline: the share of banana visits, what 'always banana' gets right.
#
# **Next:** [01 · Define success](01_define_success.ipynb) - what exactly should the model
# predict, how will we know it is good enough, and what does each kind of mistake cost?
