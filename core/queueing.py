"""Sending Celery tasks from a request without ever failing the request.

When the broker is down the send fails at once (no publish retries) with a logged error and
``enqueue`` returns ``False``; the caller tells the user the work will not happen now, instead
of a 500 page. Periodic work is re-driven by beat once the broker is back.
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def enqueue(task, *args, **kwargs) -> bool:
    """``task.apply_async(args, kwargs)``; ``False`` (and an ERROR log line) when it cannot be sent."""
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=False)
    except Exception:
        logger.exception("task %s could not be sent to the broker", getattr(task, "name", task))
        return False
    return True
