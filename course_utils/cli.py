"""The course's command line: ``python -m course_utils COMMAND``.

Commands
--------
``data build [--seed N] --out DIR``     write the four sources and the defect manifest
                                        (``--force`` instead of ``--out``: rebuild data/)
``data summary [--json] [--dir DIR]``   rows, defects, majority rate, Bayes-optimal accuracy
``drift SCENARIO [--strength S] ...``   summarise production months under a drift scenario
``progress [--reset]``                  the learner's progress map
``progress --export FILE [--name NAME]`` write the progress to hand in (no answers in it)
``class-report INPUTS... [--out DIR] [--merge-pseudonyms] [--stuck N]``
                                        the instructor's report from learners' exports
``class-report --demo [--out DIR]``     the same report for a simulated class of 40
``doctor``                              check the environment, one line per check
``hub-link HUB_URL``                    an nbgitpuller link that distributes the course
``bench [--quick] [--out FILE]``        the benchmark table against the course budgets
``serve [--host H] [--port N] [--registry DIR] [--alias A]``
                                        serve a registered model over HTTP (Ctrl+C stops)
``cycle [--out DIR] [--seed N] [--policy P] [--quick]``
                                        the whole lifecycle end to end, with a report

Bad arguments give a one-line message (with the command's usage) and a non-zero exit
status, never a traceback. Long commands (``bench``, ``cycle``) say how long they usually
take and print one line per step on standard error, so that standard output holds only
their results.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

PROG = "python -m course_utils"


class UsageError(Exception):
    """A command-line mistake: printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line: the problem, then this command's usage
        usage = " ".join(self.format_usage().split())
        raise UsageError(f"{message}; {usage} (see '{self.prog} --help')")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {value}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"the seed must be zero or positive, got {value}")
    return value


def _strength(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not 0 <= value <= 3:
        raise argparse.ArgumentTypeError(f"expected a strength between 0 and 3, got {value}")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    from .drift import SCENARIOS

    parser = _Parser(prog=PROG, description="Apple or Banana? - course tools.")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    data = sub.add_parser("data", help="build or summarise the data sources")
    data_sub = data.add_subparsers(dest="action", parser_class=_Parser, metavar="ACTION")
    b = data_sub.add_parser("build", help="write the sources and the defect manifest")
    b.add_argument("--seed", type=_seed, default=None, help="world seed (default 42)")
    b.add_argument("--out", default=None, help="output folder, e.g. work/data-seed7")
    b.add_argument(
        "--force",
        action="store_true",
        help="without --out: overwrite the course's committed data/ (its numbers then change)",
    )
    s = data_sub.add_parser("summary", help="rows, defects, majority rate, Bayes accuracy")
    s.add_argument("--json", action="store_true", help="print JSON instead of text")
    s.add_argument("--dir", default=None, help="data folder (default: the repo's data/)")

    d = sub.add_parser("drift", help="summarise production months under a drift scenario")
    d.add_argument("scenario", help=f"one of: {', '.join(SCENARIOS)}")
    d.add_argument("--strength", type=_strength, default=1.0, help="0 to 3 (default 1)")
    d.add_argument("--months", type=_positive_int, default=3, help="how many months")
    d.add_argument("--visits", type=_positive_int, default=2000, help="visits per month")
    d.add_argument("--seed", type=_seed, default=None, help="world seed (default 42)")

    p = sub.add_parser("progress", help="show (or reset) your exercise progress")
    p.add_argument("--reset", action="store_true", help="forget all recorded progress")
    p.add_argument(
        "--export", metavar="FILE", default=None, help="write your progress to FILE to hand in"
    )
    p.add_argument(
        "--name", metavar="PSEUDONYM", default=None, help="the pseudonym in the export (--export)"
    )

    cr = sub.add_parser("class-report", help="the instructor's report from learners' exports")
    cr.add_argument("inputs", nargs="*", metavar="INPUT", help="export files or folders of them")
    cr.add_argument("--out", default=None, help="report folder (default: work/class-report)")
    cr.add_argument("--demo", action="store_true", help="a simulated class instead of INPUTS")
    cr.add_argument("--learners", type=_positive_int, default=40, help="--demo: class size")
    cr.add_argument("--seed", type=_seed, default=0, help="--demo: seed (default 0)")
    cr.add_argument(
        "--merge-pseudonyms",
        action="store_true",
        help="one learner per pseudonym (exports from several Colab runtimes)",
    )
    cr.add_argument(
        "--stuck",
        type=_positive_int,
        default=5,
        help="attempts without a pass that count as stuck (default 5)",
    )

    sub.add_parser("doctor", help="check Python, packages, widgets and where this runs")

    hub = sub.add_parser("hub-link", help="print an nbgitpuller link for a JupyterHub")
    hub.add_argument("hub", help="the hub's address, e.g. https://hub.example.edu")
    hub.add_argument(
        "--notebook",
        default="notebooks/00_start_here.ipynb",
        help="the notebook to open (default notebooks/00_start_here.ipynb)",
    )

    bench = sub.add_parser("bench", help="print the benchmark table against the budgets")
    bench.add_argument("--quick", action="store_true", help="fewer repetitions")
    bench.add_argument("--out", default=None, help="also write the table to this Markdown file")

    sv = sub.add_parser("serve", help="serve a registered model over HTTP (Ctrl+C stops)")
    sv.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
    sv.add_argument("--port", type=_port, default=8000, help="port (default 8000; 0: any free)")
    sv.add_argument("--registry", default=None, help="registry folder (default: work/registry)")
    sv.add_argument("--alias", default="production", help="alias or version (default production)")
    cy = sub.add_parser("cycle", help="run the whole lifecycle end to end and write a report")
    cy.add_argument("--out", default=None, help="report folder (default: work/cycle)")
    cy.add_argument("--seed", type=_seed, default=None, help="world seed (default 42)")
    cy.add_argument(
        "--policy", default="on_alert", help="retraining: never, schedule or on_alert (default)"
    )
    cy.add_argument("--quick", action="store_true", help="shorter retrains (a few s faster)")
    parser.set_defaults(_parsers={"": parser, **sub.choices})
    parser.set_defaults(_data_parsers=dict(data_sub.choices))
    return parser


def _data_target(args: argparse.Namespace) -> Path:
    """Where ``data build`` may write: never into the installed package, and the course's
    committed data/ only when asked with ``--force``."""
    from . import paths

    checkout = (paths.REPO_ROOT / "pyproject.toml").exists()
    if args.out is None:
        if not checkout:
            raise UsageError(
                "course_utils is installed as a package here, so there is no course data/ to "
                "rebuild: give a folder of your own, e.g. --out data-seed7"
            )
        if (paths.DATA_DIR / "manifest.json").exists() and not args.force:
            raise UsageError(
                f"{paths.DATA_DIR} holds the course's data, which every number in the notebooks "
                "is checked against: to build another world give a folder, e.g. --out "
                "work/data-seed7, or add --force to overwrite data/"
            )
        return paths.DATA_DIR
    out = Path(args.out)
    package = Path(__file__).resolve().parent
    inside = [paths.DATA_DIR.resolve(), package] if not checkout else [package]
    target = out.resolve()
    if any(target == p or p in target.parents for p in inside):
        raise UsageError(
            f"{out} is inside the installed course_utils package, which the course reads its "
            "files from: give a folder of your own, e.g. --out data-seed7"
        )
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} is a file, not a folder: give --out a folder (it is created)")
    return out


def _cmd_data(args: argparse.Namespace) -> int:
    from . import sources, world

    if args.action == "build":
        out = _data_target(args)
        seed = world.DEFAULT_SEED if args.seed is None else args.seed
        manifest = sources.build(out, seed=seed)
        total = sum(manifest["rows"].values())
        print(f"wrote {len(sources.FILES)} sources ({total} rows) and {sources.MANIFEST} to {out}")
        return 0
    if args.action == "summary":
        try:
            info = sources.summary(args.dir)
        except FileNotFoundError:
            raise UsageError(
                f"no {sources.MANIFEST} in {args.dir}; build one there with "
                f"'python -m course_utils data build --out {args.dir}'"
            ) from None
        if args.json:
            print(json.dumps(info, indent=2))
        else:
            print(f"data built with seed {info['seed']}")
            for name, n in info["rows"].items():
                print(f"  {name:<18} {n:>7} rows")
            print("planted defects (rows or cases):")
            for kind, n in info["defects"].items():
                print(f"  {kind:<24} {n:>6}")
            print(f"majority class: {info['majority_class']} ({info['majority_rate']:.1%})")
            print(f"Bayes-optimal accuracy (standard test split): {info['bayes_accuracy']:.1%}")
        return 0
    raise UsageError("data needs an action: build or summary")


def _cmd_drift(args: argparse.Namespace) -> int:
    from . import drift, world

    if args.scenario not in drift.SCENARIOS:
        raise UsageError(
            f"unknown scenario {args.scenario!r}; choose one of: {', '.join(drift.SCENARIOS)}"
        )
    seed = world.DEFAULT_SEED if args.seed is None else args.seed
    print(f"{'month':<8} {'scenario':<16} {'banana':>7} {'Bayes acc':>9} {'age':>5} {'temp':>6}")
    for m in drift.production_months(
        args.scenario, args.strength, n_months=args.months, n_visits=args.visits, seed=seed
    ):
        v = m.visits
        print(
            f"{m.period:<8} {m.scenario:<16} {(v['fruit'] == 'banana').mean():>7.1%} "
            f"{m.bayes_accuracy:>9.1%} {v['age'].mean():>5.1f} {v['temperature_c'].mean():>6.1f}"
        )
    return 0


def _cmd_progress(args: argparse.Namespace) -> int:
    from . import progress
    from .exercises import format_progress

    if args.export is not None:
        return _export_progress(args)
    if args.name is not None:
        raise UsageError("--name goes with --export FILE (the pseudonym in the export)")
    if args.reset:
        progress.reset()
        print("progress cleared")
        return 0
    print(format_progress())
    return 0


def _export_progress(args: argparse.Namespace) -> int:
    from . import progress

    if args.reset:
        raise UsageError("--export and --reset do not go together: export first, then reset")
    try:
        doc = progress.export_progress(args.export, pseudonym=args.name)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    attempted = sum(1 for e in doc["exercises"] if e["attempts"])
    passed = sum(1 for e in doc["exercises"] if e["passed"])
    print(
        f"wrote {args.export} for {doc['pseudonym']!r}: {attempted} exercise(s) attempted, "
        f"{passed} passed. It holds attempts, passes and mistake tags - no answers."
    )
    if args.name is None:
        print("(choose your own pseudonym with --name, e.g. --name blue-fox)")
    return 0


def _cmd_class_report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from . import classreport, paths

    default = "class-report-demo" if args.demo else "class-report"
    out = Path(args.out) if args.out is not None else paths.work_dir() / default
    try:
        if args.demo:
            if args.inputs:
                raise UsageError("--demo builds its own class: give no INPUTS with it")
            summary = classreport.build_demo(
                out, n_learners=args.learners, seed=args.seed, stuck_attempts=args.stuck
            )
        else:
            if not args.inputs:
                raise UsageError("give export files or folders of them, or --demo")
            summary = classreport.build_report(
                args.inputs,
                out,
                stuck_attempts=args.stuck,
                merge_pseudonyms=args.merge_pseudonyms,
            )
    except classreport.ReportError as exc:
        raise UsageError(str(exc)) from None
    for note in summary["notes"]:
        print(f"{PROG} class-report: note: {note}", file=sys.stderr)
    top = ", ".join(r["tag"] for r in summary["misconceptions"][:3]) or "none"
    print(f"report: {out / classreport.REPORT_HTML} (numbers: {out / classreport.REPORT_JSON})")
    print(
        f"{summary['learners']} learner(s); most frequent misconceptions: {top}; "
        f"{len({s['learner'] for s in summary['stuck']})} learner(s) seem stuck"
    )
    return 0


def _cmd_doctor(args: argparse.Namespace) -> int:
    from . import doctor

    return doctor.main()


def _notebooks() -> list[str]:
    """The course's notebooks, as paths from the repository root."""
    from .paths import NOTEBOOKS_DIR, REPO_ROOT

    found = [*NOTEBOOKS_DIR.glob("[0-9][0-9]*_*.ipynb"), *NOTEBOOKS_DIR.glob("solutions/*.ipynb")]
    return sorted(p.relative_to(REPO_ROOT).as_posix() for p in found)


def _cmd_hub_link(args: argparse.Namespace) -> int:
    from .config import nbgitpuller_url

    notebook = args.notebook.strip().replace("\\", "/")
    known = _notebooks()
    if known:
        by_name = {n.removeprefix("notebooks/"): n for n in known}
        notebook = by_name.get(notebook, notebook)
        if notebook not in known:
            raise UsageError(
                f"no notebook {args.notebook!r} in the course; choose one of: {', '.join(known)}"
            )
    elif not re.fullmatch(r"notebooks/(solutions/)?[0-9]{2}[a-z]?_\w+\.ipynb", notebook):
        raise UsageError(
            f"expected a course notebook like notebooks/07_deploy.ipynb, got {args.notebook!r}"
        )
    try:
        print(nbgitpuller_url(args.hub, notebook=notebook))
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return 0


def _cmd_bench(args: argparse.Namespace) -> int:
    from . import bench

    if args.out is not None and Path(args.out).is_dir():
        raise UsageError(f"{args.out} is a folder: give --out a Markdown file, e.g. bench.md")
    return bench.main(quick=args.quick, out=args.out, progress=_progress)


def _progress(line: str) -> None:
    """One line of progress on standard error (standard output keeps the results)."""
    print(line, file=sys.stderr, flush=True)


def _cmd_serve(args: argparse.Namespace) -> int:
    from . import service
    from .registry import COURSE_FUNCTIONS, Registry, RegistryError

    try:
        # The course's pipelines call its own feature function: trusted here by name.
        registry = Registry(args.registry, extra_trusted=COURSE_FUNCTIONS)
        if not registry.versions():
            raise RegistryError(_no_model_yet(registry))
        service.serve(registry, alias=args.alias, host=args.host, port=args.port)
    except (RegistryError, service.ServiceError) as exc:
        print(f"{PROG} serve: error: {exc}", file=sys.stderr)
        return 1
    return 0


def _no_model_yet(registry: object) -> str:
    """What a learner with an empty registry should run, with the exact paths."""
    from . import paths

    root = Path(registry.root)  # type: ignore[attr-defined]
    cycle_registry = paths.work_dir() / "cycle" / "registry"
    return (
        f"no model is registered in {root} yet: run notebook 07 (notebooks/07_deploy.ipynb), "
        "which registers and promotes one there, or run 'python -m course_utils cycle' and "
        f"then 'python -m course_utils serve --registry {cycle_registry}'"
    )


def _cmd_cycle(args: argparse.Namespace) -> int:
    from . import cycle, paths, world

    out = Path(args.out) if args.out is not None else paths.work_dir() / "cycle"
    seed = world.DEFAULT_SEED if args.seed is None else args.seed
    quick = " (--quick: a few seconds less)" if not args.quick else ""

    def progress(line: str) -> None:
        if line.startswith("[1/"):  # the options were fine and the work starts
            _progress(
                f"Running the whole cycle into {out} in {len(cycle.STEPS)} steps: usually 5 to "
                f"20 s, longer on a busy machine{quick}."
            )
        _progress(line)

    try:
        s = cycle.run_cycle(out, seed=seed, policy=args.policy, quick=args.quick, progress=progress)
    except cycle.CycleError as exc:
        raise UsageError(str(exc)) from None
    t, y = s["test"], s["year"]
    print(f"report: {out / cycle.REPORT} (summary: {out / cycle.SUMMARY})")
    print(
        f"test: expected cost {t['expected_cost']:.4f} EUR/visit (best possible "
        f"{t['best_expected_cost']:.4f}), accuracy {t['accuracy']:.1%} at threshold "
        f"{t['threshold']:.2f}: {t['verdict']}"
    )
    print(f"months with alerts: {', '.join(y['months_with_alerts']) or 'none'}")
    print(
        f"policy {s['policy']}: {s['retrains']} retrain(s); final-quarter cost "
        f"{y['final_quarter_cost_with_policy']:.4f} EUR/visit "
        f"(never retraining: {y['final_quarter_cost_never']:.4f})"
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    from .sources import DataBuildError

    parser = build_parser()
    try:
        args, extra = parser.parse_known_args(argv)
        if extra:  # name the subcommand whose options these are not
            command = getattr(args, "command", None) or ""
            owner = args._parsers.get(command, parser)
            if command == "data" and getattr(args, "action", None):
                owner = args._data_parsers[args.action]
            owner.error(f"unrecognized arguments: {' '.join(extra)}")
        if args.command is None:
            parser.print_help()
            return 2
        handler = {
            "data": _cmd_data,
            "drift": _cmd_drift,
            "progress": _cmd_progress,
            "doctor": _cmd_doctor,
            "hub-link": _cmd_hub_link,
            "bench": _cmd_bench,
            "serve": _cmd_serve,
            "cycle": _cmd_cycle,
            "class-report": _cmd_class_report,
        }[args.command]
        status = handler(args)
        sys.stdout.flush()  # a closed pipe (``| head``) shows here, inside the try
        return status
    except BrokenPipeError:
        # The reader stopped early (``progress | head``): not an error. Send what is left
        # to /dev/null so that Python's own flush at exit does not complain either.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, as other command-line tools
    except UsageError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except (DataBuildError, ValueError, OSError) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
