"""The generated authorization matrix (NetBox constrained-permission style).

Every write the API offers — found by walking the URL resolver, so a new endpoint or action is
covered without editing this file — is tried by every role (the ``Role`` choices, so a new role
joins automatically) against targets inside the user's subtree, outside it, in an ancestor,
shared with another subtree, and null (a new tree root). Expected, per the rules of
docs/security.md:

- a role without the write permission gets 403 before anything else (no lookup, no validation);
- outside (and above) the subtree an object does not exist: 404 on detail writes, and a payload
  naming it is refused on that field (400);
- a record shared with another subtree is refused (403) unless the user covers all its links;
- a parent of null (a new root) is refused to everyone but a superuser;
- inside, the write gets past the scope (no 403/404);
- on every refusal the database is unchanged.
"""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.relations import ManyRelatedField, RelatedField
from rest_framework.test import APIClient

import config.api_urls
from organizations.models import Organization, Role
from organizations.scope import shared_write_refusal
from tests.factories import make_user
from tests.routes import walk_routes

# The node each role is scoped to in the demo district 南岸区; a role not listed here (a new
# one) is scoped to the district, which is where administrators sit.
ROLE_NODE = {
    Role.DISTRICT_ADMIN: "NA",
    Role.STREET_STAFF: "NA-NP",
    Role.COMMUNITY_STAFF: "NA-NP-GLW",
    Role.BRANCH_SECRETARY: "NA-NP-GLW-JL",
    Role.API_CLIENT: "NA",
}
VERBS = {"create": "add", "update": "change", "partial_update": "change", "destroy": "delete"}
UNSAFE = ("post", "put", "patch", "delete")
OPS_PREFIX = "ops/"
SKIP_PREFIXES = ("auth/", "schema/", "docs/", "redoc/")  # login and documentation: open by design


def write_endpoints():
    """``(regex, method, action, viewset class or None, detail)`` for every unsafe method the
    resolver routes (viewsets through their action maps; plain views by the methods they allow)."""
    out = []
    for regex, pattern in walk_routes(config.api_urls.urlpatterns):
        clean = regex.replace("^", "").replace("$", "")
        if "(?P<format>" in clean or clean.startswith(SKIP_PREFIXES):
            continue
        callback = pattern.callback
        cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
        actions = getattr(callback, "actions", None)
        detail = "(?P<pk>" in clean or re.search(r"<(?:\w+:)?pk>", clean) is not None
        if actions:
            for method, action in actions.items():
                if method in UNSAFE:
                    out.append((clean, method, action, cls, detail))
        else:
            for method in UNSAFE:
                out.append((clean, method, None, cls, detail))
    return out


def _url(regex: str, pk=None) -> str:
    # Router routes carry a regex group, path() routes a converter (``<int:pk>``).
    return "/api/v1/" + re.sub(r"\(\?P<pk>[^)]*\)|<(?:\w+:)?pk>", str(pk), regex)


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=StringIO())
    return {o.code: o for o in Organization.objects.all()}


def _user(role, demo):
    return make_user(f"matrix_{role}", demo[ROLE_NODE.get(role, "NA")], role)


def _snapshot(model, pk=None):
    if pk is None:
        return model._default_manager.count()
    return list(model._default_manager.filter(pk=pk).values())


def _targets(model, user, node):
    """Objects of ``model`` for the detail writes: inside and covered, shared, outside, ancestor."""
    manager = model._default_manager
    visible = manager.for_user(user)
    inside = shared = None
    for obj in visible.order_by("pk")[:300]:
        if shared_write_refusal(user, obj, changing={"__probe__"}):
            shared = shared or obj
        else:
            inside = inside or obj
        if inside and shared:
            break
    outside = manager.exclude(pk__in=visible.values("pk")).order_by("pk").first()
    ancestor = None
    if model is Organization and node.parent_id:
        ancestor = node.parent
    return {"inside": inside, "shared": shared, "outside": outside, "ancestor": ancestor}


def _payload_targets(serializer_class, user, node):
    """For each writable related field of the create serializer: ids inside, outside and in an
    ancestor of the user's subtree (each from the field's own choices)."""
    # The serializer without a request offers every choice (its limit_choices_to only); what
    # the user may pick is decided here by the scope mechanism itself, not by the code under test.
    unscoped = serializer_class(context={}).fields
    ancestors = set(node.get_ancestors().values_list("pk", flat=True))
    out = {}
    for name, field in unscoped.items():
        if field.read_only or not isinstance(field, (RelatedField, ManyRelatedField)):
            continue
        base = getattr(field, "child_relation", field)
        if base.queryset is None or not hasattr(base.queryset, "for_user"):
            continue
        allowed = base.queryset.model._default_manager.for_user(user).values("pk")
        many = isinstance(field, ManyRelatedField)
        picks = {
            "inside": base.queryset.filter(pk__in=allowed).order_by("pk").first(),
            "outside": base.queryset.exclude(pk__in=allowed).order_by("pk").first(),
            "ancestor": base.queryset.filter(pk__in=ancestors).exclude(pk__in=allowed).first()
            if base.queryset.model is Organization
            else None,
        }
        out[name] = {k: ([v.pk] if many else v.pk) for k, v in picks.items() if v is not None}
    return out


def _errors(response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body.get("errors", {}) if isinstance(body, dict) else {}


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_authorization_matrix(role, demo):
    user = _user(role, demo)
    node = demo[ROLE_NODE.get(role, "NA")]
    client = APIClient()
    client.force_authenticate(user)
    failures, checked, kinds = [], 0, set()

    def expect(label, response, allowed, model=None, before=None, pk=None):
        nonlocal checked
        checked += 1
        if response.status_code not in allowed:
            failures.append(f"{label}: {response.status_code} (expected {sorted(allowed)}) {response.content[:160]!r}")
        if before is not None and _snapshot(model, pk) != before:
            failures.append(f"{label}: refused with {response.status_code} but the database changed")

    for regex, method, action, cls, detail in write_endpoints():
        send = getattr(client, method)
        queryset = getattr(cls, "queryset", None)
        if queryset is None:
            # Plain views are read-only (statistics, compliance), except the operations probe,
            # which is for staff accounts (deployment drills) and writes no domain data.
            allowed = {202, 400, 503, 405} if regex.startswith(OPS_PREFIX) and user.is_staff else {403, 405}
            expect(f"{role} {method.upper()} {regex}", send(_url(regex, 1), {}, format="json"), allowed)
            continue
        model = queryset.model
        opts = model._meta
        may = user.has_perm(f"{opts.app_label}.{VERBS.get(action, 'change')}_{opts.model_name}")
        refused = {403, 405} if action == "destroy" else {403}
        label = f"{role} {method.upper()} {regex} [{action}]"
        if detail:
            for kind, obj in _targets(model, user, node).items():
                if obj is None:
                    continue
                kinds.add(kind if may else "no right")
                before = _snapshot(model, obj.pk)
                response = send(_url(regex, obj.pk), {}, format="json")
                if not may:
                    expect(f"{label} {kind}", response, refused, model, before, obj.pk)
                elif kind in ("outside", "ancestor"):
                    expect(f"{label} {kind}", response, {404, 405}, model, before, obj.pk)
                elif kind == "shared" and (
                    action in VERBS or shared_write_refusal(user, obj, changing={action})
                ):  # an empty update changes nothing of the user's side: refused as a whole
                    expect(f"{label} {kind}", response, {403, 405}, model, before, obj.pk)
                else:
                    # Past the scope: the service answers (done, invalid, stale version needed,
                    # conflict), or the method is not offered for this model at all.
                    expect(f"{label} {kind}", response, {200, 201, 400, 405, 409, 428})
            continue
        # Create (and any list-level write action).
        before = _snapshot(model)
        if not may:
            expect(f"{label} no right", send(_url(regex), {"x": 1}, format="json"), refused, model, before)
            continue
        for name, picks in _payload_targets(cls.serializer_class, user, node).items():
            for kind, value in picks.items():
                kinds.add(f"payload {kind}")
                response = send(_url(regex), {name: value}, format="json")
                errors = _errors(response)
                if kind == "inside":
                    if name in errors and response.status_code == 400:
                        failures.append(f"{label} {name}={kind}: refused {errors[name]}")
                else:
                    if response.status_code != 400 or name not in errors:
                        failures.append(f"{label} {name}={kind}: {response.status_code} {errors}")
                if _snapshot(model) != before and response.status_code >= 400:
                    failures.append(f"{label} {name}={kind}: refused but the database changed")
                checked += 1
        if model is Organization:
            payload = {"name": "矩阵根", "code": f"MX-{role}", "kind": "district_committee"}
            response = send(_url(regex), payload, format="json")
            checked += 1
            kinds.add("null")
            if response.status_code != 400 or "parent" not in _errors(response) or _snapshot(model) != before:
                failures.append(f"{label} parent=null: {response.status_code} {response.content[:160]!r}")
    assert checked > 100
    if role == Role.COMMUNITY_STAFF:  # the role with every kind of target in the demo district
        expected = {"inside", "outside", "ancestor", "shared", "null", "payload inside", "payload outside"}
        assert expected | {"payload ancestor"} <= kinds, kinds
    assert failures == [], "\n".join(failures)
