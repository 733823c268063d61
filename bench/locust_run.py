"""Run the load profile (bench/locustfile.py) against gunicorn started as docs/deploy.md says.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pb_load REDIS_URL=redis://127.0.0.1:6379/9 \\
        .venv/bin/python bench/locust_run.py --users 20 --seconds 120
    # think time: --users 50 --think 1-3

The database holds ``generate_scale_data`` (ANALYZEd) and the load account of
``bench/locust_setup.py``. gunicorn runs with the production settings, the worker and thread
counts of config/gunicorn.py for this machine (2 × cores + 1 processes, 2 threads),
``DJANGO_CONN_MAX_AGE=600`` and Redis as the cache, as docs/deploy.md recommends; the PII keys are
the development ones the scale data was written with. Prints p50/p95/p99 per request name and in
all, the throughput, the failures and the load average, as a Markdown table.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def start_gunicorn(port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "load-" + "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_CONN_MAX_AGE": "600",
        "PII_ENCRYPTION_KEYS": os.environ.get("PII_ENCRYPTION_KEYS", "Zm9yLWRldmVsb3BtZW50LW9ubHktMzJieXRlcy1rZXk="),
        "PII_HASH_KEY": os.environ.get("PII_HASH_KEY", "development-only-hash-key"),
        "TWO_FACTOR_ENFORCE": "false",  # the district role needs an authenticator a load generator lacks
        "API_USER_RATE": "100000/min",  # every simulated user shares one account
        "GUNICORN_LOG_LEVEL": "warning",
        "PORT": str(port),
    }
    subprocess.run(
        [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    proc = subprocess.Popen(
        [str(BIN / "gunicorn"), "config.wsgi", "-c", "config/gunicorn.py", "--access-logfile", "/dev/null"],
        cwd=ROOT,
        env=env,
    )
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return proc
        except OSError:  # not listening yet (URLError is an OSError)
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit("gunicorn did not answer /healthz")


def run_locust(port: int, users: int, seconds: int, think: str, prefix: str) -> None:
    env = {**os.environ, "LOCUST_THINK": think, "LOCUST_USERNAME": "load_district"}
    subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "-u",
            str(users),
            "-r",
            str(users),
            "-t",
            f"{seconds}s",
            "--host",
            f"http://127.0.0.1:{port}",
            "--csv",
            prefix,
            "--only-summary",
        ],
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
    )


def report(prefix: str) -> str:
    lines = ["| request | count | failures | p50 ms | p95 ms | p99 ms | req/s |", "|---|---|---|---|---|---|---|"]
    with open(f"{prefix}_stats.csv", newline="") as f:
        for row in csv.DictReader(f):
            if row["Name"] in ("setup", "token", "login"):
                continue
            lines.append(
                f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | {row['50%']} | {row['95%']} "
                f"| {row['99%']} | {float(row['Requests/s']):.1f} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--think", default="", help="e.g. 1-3 (seconds between a user's requests)")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    proc = start_gunicorn(args.port)
    try:
        prefix = str(Path(tempfile.mkdtemp()) / "locust")
        run_locust(args.port, args.users, args.seconds, args.think, prefix)
        print(f"{args.users} users, think {args.think or 'none'}, {args.seconds} s")
        print(report(prefix))
        failures = Path(f"{prefix}_failures.csv")
        if failures.exists() and failures.read_text().count("\n") > 1:
            print("failures:\n" + failures.read_text()[:2000])
        print("load average:", Path("/proc/loadavg").read_text().strip())
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
