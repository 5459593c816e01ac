# ruff: noqa: E402

# %% [markdown]
# # 10b · Capstone: your world, your contract, your verdict
#
# *Change the world and the contract, rerun the whole cycle, and decide - in a verdict a
# program can check and a memo a colleague can read.*
#
# **Learning objectives.** By the end of this notebook you can
#
# * rerun the lifecycle on a world of your own (another seed) under a contract of your
#   own (other costs, another minimum), and say which figures follow;
# * write the verdict as a function of what the cycle measured, checked on cases you have
#   not seen;
# * write a short decision memo: what changed, the figures, the decision, one risk.
#
# **Estimated time:** 45 minutes.

# %% [markdown]
# ## 1. Why a capstone
#
# So far the course's world was fixed: seed 42, a false banana at €0.30, a false apple at
# €0.10. A real team meets a new world every year - other customers, other prices, other
# costs. A **capstone** is the final project that puts every step together on your own:
# here you change the world, rerun the cycle of notebook 10a and sign the decision.
#
# Three steps: (1) choose your world and contract and run the cycle; (2) write the
# function that turns its summary into a verdict; (3) save `verdict.json` and a decision
# **memo** (a short note that argues a decision with its figures).

# %%
import dataclasses
import json

from IPython.display import display

from course_utils import contract, cycle, paths
from course_utils.exercises.nb10 import q4, q5, q6

capstone_dir = paths.work_dir() / "capstone"
print("the capstone writes into:", capstone_dir.name)

# %% [markdown]
# ## 2. Your world and your contract
#
# * **The world**: `cycle.run_cycle(..., seed=N)` builds another world from seed `N` -
#   other customers, other visits, the same kinds of month in production - cleans and
#   splits it as notebooks 02-03 did, and trains notebook 05's model on it.
# * **The contract**: a [success contract](glossary:success-contract) from notebook 01,
#   with your costs. `dataclasses.replace` copies the course's contract and changes the
#   fields you name. Remember notebook 01: the costs set the decision threshold,
#   c_fb / (c_fb + c_fa), and the minimum is a judgement the team must defend.

# %%
display(contract.DEFAULT)

# %% [markdown]
# ### Exercise 4: run the cycle on your world
#
# Choose a seed other than 42 and a contract with costs of your own, then run the whole
# cycle into `capstone_dir` (`quick=True` keeps it to about 10 seconds) and check the
# summary it returns.

# %%
display(q4)

# %%
# BEGIN SOLUTION
MY_SEED = 7
my_contract = dataclasses.replace(contract.DEFAULT, cost_false_apple=0.20, minimum=0.055)
my_summary = cycle.run_cycle(capstone_dir, seed=MY_SEED, contract=my_contract, quick=True)
# STUDENT: MY_SEED = ...  # your code here: a whole number other than 42
# STUDENT: my_contract = ...  # your code here: dataclasses.replace(contract.DEFAULT, ...)
# STUDENT: my_summary = ...  # your code here: cycle.run_cycle(capstone_dir, ...)
# END SOLUTION
q4.check(my_summary)

# %% [markdown]
# The cycle also wrote `report.md` in `capstone_dir`: open it in JupyterLab's file browser
# (folder `work/capstone`) and read it as a colleague would, before you decide.

# %% [markdown]
# ## 3. The verdict, as a function
#
# ### Exercise 5 (build): `decide`
#
# A decision typed by hand goes stale the day someone reruns the cycle. Write it as a
# function of the summary instead: the same code then gives the right verdict for any
# world and any contract. The check runs your function on four summaries you have not
# seen.

# %%
display(q5)


# %% tags=["build"]
def decide(summary):
    """The verdict on one run of the cycle.

    ``summary`` is the dict ``cycle.run_cycle`` returns. Return a dict with exactly:
    seed; threshold, test_expected_cost and contract_minimum (from summary["test"]);
    meets_contract (test cost at most the minimum); decision ("deploy" or "do not
    deploy"); retraining (the summary's policy if it ended the year cheaper than never
    retraining, else "never").
    """
    # BEGIN SOLUTION
    t, y = summary["test"], summary["year"]
    meets = t["expected_cost"] <= t["contract_minimum"]
    helps = y["final_quarter_cost_with_policy"] < y["final_quarter_cost_never"]
    return {
        "seed": summary["seed"],
        "threshold": t["threshold"],
        "test_expected_cost": t["expected_cost"],
        "contract_minimum": t["contract_minimum"],
        "meets_contract": bool(meets),
        "decision": "deploy" if meets else "do not deploy",
        "retraining": summary["policy"] if helps else "never",
    }
    # END SOLUTION


q5.check(decide)

# %% [markdown]
# ## 4. verdict.json and the memo
#
# ### Exercise 6: `verdict.json` and the memo
#
# Save the verdict of *your* run and a memo of 50 to 300 words next to the cycle's
# `summary.json`: what you changed, the test cost and the contract's minimum, the decision
# in the verdict's words, and one risk you would watch. Put the figures in with f-strings
# so that they cannot go stale.

# %%
display(q6)

# %%
# BEGIN SOLUTION
verdict = decide(my_summary)
(capstone_dir / "verdict.json").write_text(json.dumps(verdict, indent=2), encoding="utf-8")
t, y = my_summary["test"], my_summary["year"]
memo = f"""# Decision memo: seed {verdict["seed"]}

**What I changed.** Another world (seed {verdict["seed"]}) and another contract: a false
apple now costs €{t["cost_false_apple"]:.2f} (was €0.10), so the threshold is
{verdict["threshold"]:.2f}; the minimum is {verdict["contract_minimum"]:.3f} € per visit.

**What the cycle measured.** On the test rows the model costs
{verdict["test_expected_cost"]:.4f} € per visit (perfect knowledge:
{t["best_expected_cost"]:.4f}). Over the year, the '{my_summary["policy"]}' policy ended at
{y["final_quarter_cost_with_policy"]:.4f} € per visit against
{y["final_quarter_cost_never"]:.4f} without retraining.

**Decision: {verdict["decision"]}**, retraining policy: {verdict["retraining"]}.

**Risk.** The model's settings were tuned on the course's world, not searched again here;
I would watch the live metric monthly and re-run the search if it drifts from the test cost.
"""
(capstone_dir / "memo.md").write_text(memo, encoding="utf-8")
# STUDENT: verdict = ...  # your code here: decide(...), then save it as verdict.json
# STUDENT: memo = ...  # your code here: an f-string, then save it as memo.md
# END SOLUTION
q6.check(capstone_dir)

# %% [markdown]
# ## Wrap-up quiz
#
# Six questions on the capstone and the notebooks it draws on.

# %%
from course_utils.exercises.nb10 import wrapup_b

display(wrapup_b)

# %% tags=["quiz"]
# BEGIN SOLUTION
answers = {1: "b", 2: "c", 3: "b", 4: "a", 5: "c", 6: "a"}
# STUDENT: answers = {1: ..., 2: ..., 3: ..., 4: ..., 5: ..., 6: ...}
# END SOLUTION
wrapup_b.check(answers)

# %% [markdown]
# ## Recap
#
# In this notebook you
#
# * changed the world and the contract, and reran the whole cycle: the threshold followed
#   your costs, and every figure of the report followed your world;
# * wrote the verdict as a function of what was measured - checked on summaries you had
#   not seen - and saved it with a memo that states the figures it rests on.
#
# And in the whole course you
#
# * **defined success** as a contract with costs (01), **collected** and **prepared**
#   messy data without leaking the test set (02-03);
# * **trained**, **tuned** and **tested** a model honestly, against the best possible
#   (04-06);
# * **deployed** it behind a registry and a service (07), **monitored** it (08) and
#   **retrained** or repaired it when the world changed (09);
# * chained it all into one reproducible cycle (10a) and made it yours (10b).
#
# **Go round again.** The cycle never ends: next year brings new stores, new customers
# and new questions. Start over at [00 · Start here](00_start_here.ipynb) with a twist of
# your own - a new policy (`python -m course_utils cycle --policy schedule --seed 7`), a
# contract saved with `contract.save` and passed as `cycle --contract FILE` - and see which
# steps of the process catch it.
