"""Two web hosts behind one PostgreSQL, one Redis and one S3 bucket serve any request: a roster
previewed on host A is confirmed on host B, a photo uploaded on A is read on B.

The S3 server is moto's (in this process, on a free port); each gunicorn has its own empty
MEDIA_ROOT and TMPDIR, so nothing can pass between them through the local disk. Every wait is
bounded; both gunicorns are stopped by their process group whatever happens.
"""

from __future__ import annotations

import datetime
import http.cookies
import random
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from members.crypto import make_id_number
from members.fields import HEADER
from tests.prod import stack

pytestmark = [pytest.mark.stack, pytest.mark.slow]

BUCKET = "partybuilding-files"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
CHANGELIST = "/admin/members/member/"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, ctype) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{urllib.parse.quote(filename)}"\r\nContent-Type: {ctype}\r\n\r\n'
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Browser:
    """One staff member's browser in front of a load balancer: the same cookies whichever host
    answers. Every request says it came through the TLS proxy; redirects are not followed."""

    def __init__(self):
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(_NoRedirect)

    def request(self, base: str, method: str, path: str, body: bytes | None = None, ctype: str = ""):
        req = urllib.request.Request(base + path, data=body, method=method)
        req.add_header("X-Forwarded-Proto", "https")
        req.add_header("Referer", base.replace("http://", "https://") + path)
        if ctype:
            req.add_header("Content-Type", ctype)
        if self.cookies:
            req.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if "csrftoken" in self.cookies:
            req.add_header("X-CSRFToken", self.cookies["csrftoken"])
        try:
            resp = self.opener.open(req, timeout=60)
        except urllib.error.HTTPError as exc:
            resp = exc
        for header in resp.headers.get_all("Set-Cookie") or []:
            jar = http.cookies.SimpleCookie()
            jar.load(header)
            for key, morsel in jar.items():
                self.cookies[key] = morsel.value
        return resp.status if hasattr(resp, "status") else resp.code, resp.read(), resp.headers

    def form(self, base: str, path: str, fields: dict, files: dict | None = None):
        fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}
        if files:
            body, ctype = multipart(fields, files)
        else:
            body, ctype = urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded"
        return self.request(base, "POST", path, body, ctype)

    def login(self, base: str, username: str) -> None:
        status, _html, _ = self.request(base, "GET", "/admin/login/")
        assert status == 200 and "csrftoken" in self.cookies
        status, body, headers = self.form(
            base, "/admin/login/?next=/admin/", {"username": username, "password": stack.DEMO_PASSWORD}
        )
        assert status == 302, body.decode(errors="replace")[-2000:]


@pytest.fixture
def s3_server():
    moto_server = pytest.importorskip("moto.server")
    import boto3

    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        _host, port = server.get_host_and_port()
        url = f"http://127.0.0.1:{port}"
        keys = {"aws_access_key_id": "test", "aws_secret_access_key": "test", "region_name": "us-east-1"}
        client = boto3.client("s3", endpoint_url=url, **keys)
        client.create_bucket(Bucket=BUCKET)
        yield url, client
    finally:
        server.stop()


def roster(branch: str, count: int) -> tuple[bytes, list[str]]:
    rng = random.Random(uuid.uuid4().int)
    names, lines = [], [",".join(HEADER[k] for k in ("name", "gender", "id_number", "party_status", "branch"))]
    for _ in range(count):
        name = f"双机{uuid.uuid4().hex[:6]}"
        birth = datetime.date(1950 + rng.randrange(40), 1 + rng.randrange(12), 1 + rng.randrange(28))
        lines.append(",".join([name, "女", make_id_number("110105", birth, rng.randrange(1000)), "正式党员", branch]))
        names.append(name)
    return ("\n".join(lines) + "\n").encode(), names


def test_two_hosts_share_the_import_preview_and_the_files(prod_database, shared_redis, s3_server, tmp_path):
    dbname, db_url = prod_database
    s3_url, s3 = s3_server
    hosts, procs = [], []
    try:
        for label in ("a", "b"):
            (tmp_path / label / "media").mkdir(parents=True)
            (tmp_path / label / "tmp").mkdir()
            env = stack.stack_env(
                db_url,
                shared_redis,
                AWS_STORAGE_BUCKET_NAME=BUCKET,
                AWS_S3_ENDPOINT_URL=s3_url,
                AWS_S3_REGION_NAME="us-east-1",
                AWS_ACCESS_KEY_ID="test",
                AWS_SECRET_ACCESS_KEY="test",
                DJANGO_MEDIA_ROOT=str(tmp_path / label / "media"),
                TMPDIR=str(tmp_path / label / "tmp"),
            )
            port = stack.free_port()
            proc = stack.Proc(stack.gunicorn_cmd(port, workers=1), env, tmp_path / f"web-{label}.log")
            procs.append(proc)
            hosts.append(f"http://127.0.0.1:{port}")
        for base, proc in zip(hosts, procs, strict=True):
            stack.Http(base).wait_healthy(timeout=90, proc=proc)
        host_a, host_b = hosts

        # the roster: previewed on A, confirmed on B
        branch = stack.query(dbname, "SELECT name FROM organizations_organization WHERE code = 'NA-HYL-JH-HC'")[0][0]
        content, names = roster(branch, 3)
        browser = Browser()
        browser.login(host_a, "qu_admin")
        status, page, _ = browser.form(
            host_a, f"{CHANGELIST}import/", {}, {"file": ("双机名册.csv", content, "text/csv")}
        )
        html = page.decode()
        assert status == 200 and "确认导入" in html, html[-3000:]
        assert re.search(r"3\s*行", html)
        stashed = s3.list_objects_v2(Bucket=BUCKET, Prefix="imports/").get("KeyCount", 0)
        assert stashed >= 1
        status, _body, headers = browser.form(host_b, f"{CHANGELIST}import/", {"confirm": "1"})
        assert status == 302 and headers["Location"].endswith(CHANGELIST), _body.decode(errors="replace")[-3000:]
        saved = stack.query(dbname, "SELECT count(*) FROM members_member WHERE name = ANY(%s)", [names])
        assert saved == [(3,)]

        # a photo: uploaded on A through the API, read on B
        api = stack.Http(host_a)
        api.login("qu_admin")
        status, projects, _ = api.request("GET", "/api/v1/projects/")
        assert status == 200 and projects["count"] > 0
        project = projects["results"][0]["id"]
        body, ctype = multipart(
            {"date": datetime.date.today().isoformat(), "text": "双机测试进展"},
            {"photo": ("进展照片.png", PNG, "image/png")},
        )
        status, payload, _ = api.request_raw("POST", f"/api/v1/projects/{project}/progress/", body, ctype)
        assert status in (200, 201), payload
        name = stack.query(
            dbname,
            "SELECT photo FROM projects_progressupdate WHERE project_id = %s AND text = '双机测试进展' ORDER BY id DESC",
            [project],
        )[0][0]
        assert s3.get_object(Bucket=BUCKET, Key=name)["Body"].read() == PNG
        assert not [path for label in ("a", "b") for path in (tmp_path / label).rglob("*") if path.is_file()]
        status, photo, headers = browser.request(host_b, "GET", f"/media/{name}")
        assert status == 200 and photo == PNG and headers["Content-Type"] == "image/png"
    finally:
        codes = [proc.stop(timeout=30) for proc in procs]
    assert all(code is not None for code in codes), "a gunicorn did not stop within 30 s"
    for proc in procs:
        assert "Traceback" not in proc.log(), proc.log()[-5000:]
