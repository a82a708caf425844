"""Choice labels read from a table made once per field give what Django's own
`get_FOO_display` gives: the label in the language of the moment, the value itself when it
is not a choice."""

from django.db.models import Model
from django.utils import translation

from kafo.actors.models import Organisation
from kafo.response.models import Activity


def _django(instance, name):
    field = instance._meta.get_field(name)
    return Model._get_FIELD_display(instance, field)


def test_labels_are_django_s_in_each_language():
    activity = Activity(title="Sensibilisation", sector="PRO-MIN", activity_type="eore",
                        status="ongoing")  # fmt: skip
    for language in ("fr", "en"):
        with translation.override(language):
            for name in ("sector", "activity_type", "status"):
                mine = getattr(activity, f"get_{name}_display")()
                assert mine == _django(activity, name), (language, name)
    with translation.override("fr"):
        french = activity.get_status_display()
    with translation.override("en"):
        assert activity.get_status_display() != french  # the language of the moment


def test_a_value_that_is_not_a_choice_is_shown_as_it_is():
    activity = Activity(sector="XYZ-OLD")
    assert activity.get_sector_display() == "XYZ-OLD" == _django(activity, "sector")
    assert Organisation(type="").get_type_display() == ""
