"""Every field of every Kafo model has a sensitivity class."""

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.test.utils import isolate_apps

from kafo.sensitivity import PUBLIC, RESTRICTED, Sensitivity, policy_for, protect

KAFO_MODELS = [
    model
    for model in apps.get_models()
    if model.__module__.startswith("kafo.") and not model._meta.proxy
]


def test_kafo_has_models_to_check():
    assert {"geo.adminunit", "actors.organisation", "security.auditevent"} <= {
        model._meta.label_lower for model in KAFO_MODELS
    }


@pytest.mark.parametrize("model", KAFO_MODELS, ids=lambda m: m._meta.label_lower)
def test_every_field_has_a_class(model):
    policy = policy_for(model)
    assert policy is not None, f"{model._meta.label} has no @protect policy"
    for field in model._meta.concrete_fields:
        assert isinstance(policy.sensitivity(field.name), Sensitivity), field.name


@isolate_apps("kafo.security")
def test_a_model_with_an_unclassed_field_is_refused():
    with pytest.raises(ImproperlyConfigured, match=r"without a sensitivity class \['phone'\]"):

        @protect(fields={"id": PUBLIC, "name": RESTRICTED})
        class Person(models.Model):
            name = models.CharField(max_length=10)
            phone = models.CharField(max_length=10)

            class Meta:
                app_label = "security"

            def __str__(self) -> str:
                return "person"
