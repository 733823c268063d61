"""gunicorn settings (``gunicorn config.wsgi -c config/gunicorn.py``), all from the environment.

Behind nginx on the same machine: bind to loopback; nginx terminates TLS and sets
``X-Forwarded-Proto`` / ``X-Forwarded-For`` (docs/deploy.md).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 9)))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then (bounded memory growth), staggered so they never restart together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
accesslog = "-"
# Request lines are scrubbed of full ID numbers and phones (config/gunicorn_logger.py).
logger_class = "config.gunicorn_logger.ScrubbingLogger"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Only the local proxy may tell gunicorn the original scheme/address.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "partybuilding-web"
