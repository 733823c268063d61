"""The one accessibility check for browser tests: axe-core (vendored from npm, version in
``vendor/README.md``) run on the page as it stands; critical and serious violations fail the test.

Use ``assert_accessible(page)`` after a page has loaded (and again after a dialog opens): it names
each failing rule with the first elements it found, so the failure says what to fix."""

import functools
from pathlib import Path

AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
BLOCKING = ("critical", "serious")


@functools.cache
def _axe_source() -> str:
    """axe-core's source as one script that defines ``window.axe`` (read once per run)."""
    return AXE_JS.read_text(encoding="utf-8") + "\n;void 0;"


def axe_violations(page, *, impacts=BLOCKING, exclude=(), enable=()):
    """Run axe-core on ``page``; return the violations whose impact is in ``impacts``.

    ``exclude`` lists CSS selectors axe should skip (e.g. a third-party widget we do not render);
    ``enable`` names rules axe leaves off by default to run as well (e.g. ``"target-size"``)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol rather than a <script> tag: the app's
        # Content-Security-Policy (script-src 'self') rightly refuses inline scripts.
        page.evaluate(_axe_source())
    context = {"exclude": [[s] for s in exclude]} if exclude else None
    rules = {rule: {"enabled": True} for rule in enable}
    result = page.evaluate(
        """async ([context, rules]) => {
            // Let work the page queued for right after "load" (e.g. widgets built then) finish first.
            await new Promise((resolve) => setTimeout(resolve, 0));
            const options = {resultTypes: ['violations'], rules};
            return context ? await axe.run(context, options) : await axe.run(document, options);
        }""",
        [context, rules],
    )
    return [v for v in result["violations"] if v.get("impact") in impacts]


def assert_accessible(page, *, exclude=(), enable=()):
    """Fail with a readable list when axe finds a critical or serious violation on ``page``."""
    found = axe_violations(page, exclude=exclude, enable=enable)
    lines = []
    for v in found:
        targets = ", ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])}×) → {targets}")
    assert not found, f"axe on {page.url}:\n" + "\n".join(lines)
