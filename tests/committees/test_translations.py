"""Every label and choice of the committees app reads in Chinese."""

from django.apps import apps
from django.utils import translation


def _cjk(text) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in str(text))


def test_models_fields_and_choices_are_translated():
    missing = []
    with translation.override("zh-hans"):
        for model in apps.get_app_config("committees").get_models():
            for label in (model._meta.verbose_name, model._meta.verbose_name_plural):
                if not _cjk(label):
                    missing.append(f"{model.__name__}: {label}")
            for field in model._meta.get_fields():
                if not hasattr(field, "verbose_name") or field.auto_created:
                    continue
                if not _cjk(field.verbose_name):
                    missing.append(f"{model.__name__}.{field.name}: {field.verbose_name}")
                for _value, label in getattr(field, "choices", None) or []:
                    if not _cjk(label):
                        missing.append(f"{model.__name__}.{field.name} choice: {label}")
        assert _cjk(apps.get_app_config("committees").verbose_name)
    assert not missing, missing
