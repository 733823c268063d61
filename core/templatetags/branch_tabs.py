"""``{% branch_tabs branch %}``: the links higher apps add to the branch phone pages."""

from django import template
from django.urls import reverse

from core import registry

register = template.Library()


@register.simple_tag
def branch_tabs(branch):
    return [(tab.label, reverse(tab.url_name, kwargs={"branch_id": branch.pk})) for tab in registry.branch_tabs()]
