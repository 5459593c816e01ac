"""A real browser in a real JupyterLab: the notebook runs and its widget responds.

The test starts JupyterLab on 127.0.0.1 (a free port, a token) over a temporary copy of the
notebooks, drives Debian's Chromium with Playwright, opens notebook 00, runs all cells,
moves the slider with the keyboard and checks that the widget's text follows. A second test
opens the demo class report (``class-report --demo``) from a ``file://`` address - no
server - and checks that its tables and figures rendered. Screenshots are saved to
``test-output/browser/``.

Chromium comes from Debian's ``chromium`` package (``.ci/run`` installs it); Playwright's
own browser download is not used.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "test-output" / "browser"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NOTEBOOK = "00_start_here.ipynb"

playwright_sync = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed: pip install -e '.[test]'"
)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed: run 'apt-get install chromium' (.ci/run does this)",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def jupyterlab(tmp_path):
    """JupyterLab on a free loopback port over a copy of the notebooks; yields its base URL."""
    root = tmp_path / "notebooks"
    shutil.copytree(REPO / "notebooks", root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    port, token = _free_port(), "course-browser-test"
    settings = tmp_path / "lab-settings"
    settings.mkdir()
    shutil.copy(REPO / "jupyter" / "overrides.json", settings / "overrides.json")
    env = dict(os.environ)
    env.update(
        COURSE_PROGRESS_FILE=str(tmp_path / "progress.json"),
        COURSE_WORK_DIR=str(tmp_path / "work"),
        JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "jupyter-runtime"),
    )
    log = open(tmp_path / "jupyterlab.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}",
            # The course's JupyterLab defaults, as `make lab` installs them (no news pop-up).
            f"--LabApp.app_settings_dir={settings}",
            "--LabApp.news_url=None",
            *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=root,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(
                        "JupyterLab did not start:\n" + (tmp_path / "jupyterlab.log").read_text()
                    )
                time.sleep(0.5)
        yield base, token
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def test_demo_class_report_opens_from_a_file(tmp_path):
    out = tmp_path / "class-report-demo"
    build = subprocess.run(
        [sys.executable, "-m", "course_utils", "class-report", "--demo", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert build.returncode == 0, build.stderr
    OUTPUT.mkdir(parents=True, exist_ok=True)
    requests: list[str] = []
    with playwright_sync.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on("request", lambda r: requests.append(r.url))
        try:
            page.goto((out / "report.html").as_uri())
            page.wait_for_selector("#heat svg rect", timeout=30_000)
            title = page.title()
            summary = page.inner_text("#summary")
            n_misconceptions = page.locator("#misconceptions + p + table tbody tr").count()
            bars = page.locator("#bars svg rect[fill='#0072B2']").count()
            heat_box = page.locator("#heat svg").bounding_box()
            n_cells = page.locator("#heat svg rect").count()
            n_rows_text = page.locator("#heat-table tbody tr").count()
            page.screenshot(path=str(OUTPUT / "class_report_demo.png"), full_page=False)
        except Exception:
            page.screenshot(path=str(OUTPUT / "class_report_failure.png"))
            raise
        finally:
            browser.close()
    assert "Class report" in title and summary.startswith("40 learner(s)")
    assert n_misconceptions >= 10 and bars == min(15, n_misconceptions)
    assert heat_box is not None and heat_box["width"] > 400 and heat_box["height"] > 400
    assert n_cells == 1 + 40 * len(json.loads((out / "report.json").read_text())["exercises"])
    assert n_rows_text == 40  # the heat map's text equivalent: one row per learner
    assert all(url.startswith("file://") for url in requests), requests  # nothing fetched


def test_notebook_runs_and_slider_moves_in_jupyterlab(jupyterlab):
    base, token = jupyterlab
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with playwright_sync.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            # On a slow machine JupyterLab may open a modal dialog at any moment - most often
            # "Select Kernel", when the kernel list arrives after the notebook - which blocks
            # every click. Playwright then accepts it (its default) before the next action.
            page.add_locator_handler(
                page.locator(".jp-Dialog"),
                lambda dialog: dialog.locator("button.jp-mod-accept").first.click(),
                no_wait_after=True,
            )
            page.goto(f"{base}/lab/tree/{NOTEBOOK}?token={token}")
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
            # Wait for the kernel to be ready, then Run > Run All Cells.
            page.wait_for_selector(
                ".jp-Notebook-ExecutionIndicator[data-status='idle']",
                timeout=60_000,
                state="attached",
            )
            # The label widget's text, read from the page (the rendered widget, not the kernel).
            label_text = (
                "() => ([...document.querySelectorAll('.widget-label')]"
                ".map(e => e.textContent.trim()).find(t => t.includes('basket')) || '')"
            )
            # Run > Run All Cells. Run All ends after the cell that sets the slider to 7 from
            # code. On a busy machine the kernel may not be connected at the first click
            # (nothing runs), so try again a few times before giving up.
            for attempt in range(3):
                page.click("li.lm-MenuBar-item:has-text('Run')")
                page.click("li.lm-Menu-item:has-text('Run All Cells')")
                try:
                    page.wait_for_function(
                        f"() => ({label_text})() === '7 bananas in the basket'", timeout=60_000
                    )
                    break
                except playwright_sync.TimeoutError:
                    if attempt == 2:
                        raise
            # The course opens on the notebook: no "get Jupyter news?" pop-up on top of it.
            assert page.get_by_text("official Jupyter news").count() == 0
            before = page.evaluate(label_text)
            handle = page.locator(".widget-slider .noUi-handle, .widget-slider .ui-slider-handle")
            handle.first.focus()
            page.keyboard.press("ArrowRight")
            page.wait_for_function(f"(old) => ({label_text})() !== old", arg=before, timeout=20_000)
            after = page.evaluate(label_text)
            handle.first.scroll_into_view_if_needed()
            page.screenshot(path=str(OUTPUT / "notebook00_slider.png"))
        except Exception:
            # Keep what the browser showed, to see why.
            page.screenshot(path=str(OUTPUT / "failure.png"))
            raise
        finally:
            browser.close()
    assert before == "7 bananas in the basket"
    assert after == "8 bananas in the basket"
