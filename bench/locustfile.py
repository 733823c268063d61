"""Locust profile: district staff without think time, mixed reads and writes.

    .venv/bin/locust -f bench/locustfile.py --headless -u 20 -r 20 -t 120s \
        --host http://127.0.0.1:8000 --csv /tmp/pb_locust
    # environment: LOCUST_USERNAME / LOCUST_PASSWORD (a district staff account with a token;
    # default qu_admin / Dangjian@2026 from the demo seed), LOCUST_THINK="1-3" for think time.

Mix per user (weights): overview of the district and of a street, the member list with
filters and deep pages, the meeting list, compliance, the dashboard, the phone branch dashboard,
and writes: record a meeting with 10 attendees, PATCH a compound with ``If-Match``. Every request
carries ``X-Forwarded-Proto: https`` (what nginx sends). Report p50/p95/p99 from the CSV with
the load average (``cat /proc/loadavg``).
"""

from __future__ import annotations

import datetime
import os
import random
import threading
import uuid

from locust import HttpUser, between, constant, task

USERNAME = os.environ.get("LOCUST_USERNAME", "qu_admin")
PASSWORD = os.environ.get("LOCUST_PASSWORD", "Dangjian@2026")
THINK = os.environ.get("LOCUST_THINK", "")
HEADERS = {"X-Forwarded-Proto": "https"}
LOGIN: dict = {}
LOGIN_LOCK = threading.Lock()
PERIOD = {"from": f"{datetime.date.today().year}-01-01", "to": f"{datetime.date.today().year}-12-31"}


class DistrictStaff(HttpUser):
    wait_time = between(*map(float, THINK.split("-"))) if THINK else constant(0)

    def on_start(self):
        # One login per run, shared by the simulated users (they are one account; logging in 50
        # times at once would meet the login throttle, which is the point of it).
        with LOGIN_LOCK:
            if not LOGIN:
                LOGIN.update(self.login())
                self.headers = LOGIN["api"]
                LOGIN.update(self.places())
        self.headers, self.page_headers = LOGIN["api"], LOGIN["pages"]
        self.root, self.streets = LOGIN["root"], LOGIN["streets"]
        self.branches, self.compounds = LOGIN["branches"], LOGIN["compounds"]

    def places(self) -> dict:
        streets = self.get("/api/v1/organizations/", {"kind": "street_committee", "page_size": 50}, "setup")
        branches = self.get("/api/v1/organizations/", {"kind": "compound_branch", "page_size": 200}, "setup")
        compounds = self.get("/api/v1/compounds/", {"page_size": 100}, "setup")
        top = self.get("/api/v1/organizations/", {"kind": "district_committee", "page_size": 1}, "setup")
        return {
            "root": next((o["id"] for o in top.get("results", [])), None),
            "streets": [o["id"] for o in streets.get("results", [])] or [None],
            "branches": [o["id"] for o in branches.get("results", [])],
            "compounds": [c["id"] for c in compounds.get("results", [])],
        }

    def login(self) -> dict:
        r = self.client.post(
            "/api/v1/auth/token/", json={"username": USERNAME, "password": PASSWORD}, headers=HEADERS, name="token"
        )
        token = r.json().get("token") if r.ok else None
        # The admin's login form, as a browser sends it: the CSRF cookie from the form page, the
        # token in the form, the page as Referer (checked on HTTPS). The cookies are Secure (the
        # browser talks HTTPS to nginx); this client talks plain HTTP to gunicorn, so it sends
        # them itself, in a Cookie header, as the browser would.
        self.client.get("/admin/login/", headers=HEADERS, name="login")
        csrf = self.client.cookies.get("csrftoken", "")
        referer = f"https://{self.host.split('://', 1)[-1].rstrip('/')}/admin/login/"
        self.client.post(
            "/admin/login/",
            data={"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": csrf, "next": "/dashboard/"},
            headers={**HEADERS, "Referer": referer, "Cookie": f"csrftoken={csrf}"},
            name="login",
            allow_redirects=False,
        )
        session = self.client.cookies.get("sessionid", "")
        return {
            "api": {**HEADERS, **({"Authorization": f"Token {token}"} if token else {})},
            "pages": {**HEADERS, "Cookie": f"sessionid={session}; csrftoken={csrf}"},
        }

    def get(self, path, params=None, name=None):
        r = self.client.get(path, params=params or {}, headers=self.headers, name=name or path)
        try:
            return r.json()
        except ValueError:
            return {}

    @task(3)
    def overview_district(self):
        self.get("/api/v1/stats/overview/", PERIOD, "overview district")

    @task(3)
    def overview_street(self):
        self.get("/api/v1/stats/overview/", {**PERIOD, "org": random.choice(self.streets)}, "overview street")

    @task(4)
    def member_list(self):
        status = random.choice(["full", "probationary"])
        params = {"page_size": 50, "party_status": status}
        if random.random() < 0.3:  # deep pages, inside the list (about 1 in 20 members is probationary)
            params["page"] = random.randint(2, 200 if status == "full" else 20)
        self.client.get("/api/v1/members/", params=params, headers=self.headers, name="members (filters, pages)")

    @task(2)
    def meeting_list(self):
        self.get("/api/v1/meetings/", {"page_size": 50}, "meetings")

    @task(1)
    def compliance(self):
        self.get("/api/v1/compliance/", {"org": self.root, "year": datetime.date.today().year}, "compliance")

    @task(2)
    def dashboard(self):
        self.client.get("/dashboard/", headers=self.page_headers, name="dashboard")

    @task(2)
    def phone_branch_dashboard(self):
        if self.branches:
            self.client.get(
                f"/branch/{random.choice(self.branches)}/", headers=self.page_headers, name="branch dashboard"
            )

    @task(1)
    def record_meeting(self):
        if not self.branches:
            return
        branch = random.choice(self.branches)
        members = self.get(
            "/api/v1/members/", {"branch_id": branch, "status": "active", "page_size": 10}, "members of a branch"
        )
        attendance = [{"member": m["id"], "status": "present"} for m in members.get("results", [])[:10]]
        self.client.post(
            "/api/v1/meetings/",
            json={
                "organization": branch,
                "kind": "theme_day",
                "held_at": datetime.datetime.now().astimezone().isoformat(),
                "topic": f"主题党日 {uuid.uuid4().hex[:6]}",
                "attendance": attendance,
            },
            headers=self.headers,
            name="record meeting (10 attendees)",
        )

    @task(1)
    def patch_compound(self):
        if not self.compounds:
            return
        pk = random.choice(self.compounds)
        r = self.client.get(f"/api/v1/compounds/{pk}/", headers=self.headers, name="compound")
        etag = r.headers.get("ETag")
        if not etag:
            return
        with self.client.patch(
            f"/api/v1/compounds/{pk}/",
            json={"households": random.randint(50, 800)},
            headers={**self.headers, "If-Match": etag},
            name="patch compound (If-Match)",
            catch_response=True,
        ) as response:
            if response.status_code == 412:  # another user changed it first: expected under load
                response.success()
