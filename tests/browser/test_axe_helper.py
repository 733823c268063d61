"""The accessibility check itself: it finds a known violation and passes a clean page."""

import pytest

from tests.browser.axe import assert_accessible, axe_violations

pytestmark = pytest.mark.browser


def test_axe_finds_an_unlabelled_image_and_passes_a_clean_page(phone):
    phone.set_content(
        '<html lang="zh-CN"><head><title>测试</title></head><body><main><img src="x.png"></main></body></html>'
    )
    assert [v["id"] for v in axe_violations(phone)] == ["image-alt"]
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(phone)
    phone.set_content(
        '<html lang="zh-CN"><head><title>测试</title></head><body><main><h1>党支部</h1>'
        '<img src="x.png" alt="支部照片"></main></body></html>'
    )
    assert_accessible(phone)
