"""A meeting's minutes as a PDF (the reports' Typst set): the body, the date and place, the
agenda, who attended, the decisions, the action points and the minutes' text. Names of
people are the partners' to read, as on the meeting's page."""

import json

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kafo.meetings.models import Meeting
from kafo.reports.documents import FONTS, HERE


def minutes_data(meeting: Meeting) -> dict:
    """What the minutes show, in the active language."""
    starts = timezone.localtime(meeting.starts_at)
    ends = timezone.localtime(meeting.ends_at)
    when = f"{date_format(starts, 'DATETIME_FORMAT')} – {date_format(ends, 'TIME_FORMAT')}"
    if meeting.place:
        when += f" · {meeting.place}"
    attendance = meeting.attendance.select_related("organisation").order_by("name")
    people = [[a.name, (a.organisation.acronym or a.organisation.name) if a.organisation
               else a.organisation_name or "—", a.get_sex_display(), a.get_role_display(),
               _("remote") if a.remote else _("present")] for a in attendance]  # fmt: skip
    owed = meeting.actions.select_related("owner").order_by("deadline", "pk")
    actions = [[a.owner.acronym or a.owner.name if a.owner else "—", a.text,
                a.deadline.isoformat() if a.deadline else "—", a.get_status_display()]
               for a in owed]  # fmt: skip
    sections = [
        {"title": _("Agenda"), "kind": "text", "lines": meeting.agenda.splitlines(),
         "empty": "" if meeting.agenda.strip() else _("No agenda recorded.")},
        {"title": _("Attendance"), "kind": "table",
         "header": [_("Name"), _("Organisation"), _("Sex"), _("Role"), _("Present or remote")],
         "rows": people, "empty": "" if people else _("No one listed.")},
        {"title": _("Decisions"), "kind": "list",
         "lines": [d.text for d in meeting.decisions.order_by("pk")],
         "empty": "" if meeting.decisions.exists() else _("None recorded.")},
        {"title": _("Action points"), "kind": "table",
         "header": [_("Owner"), _("Action"), _("Deadline"), _("Status")], "rows": actions,
         "empty": "" if actions else _("None recorded.")},
        {"title": _("Minutes"), "kind": "text", "lines": meeting.minutes.splitlines(),
         "empty": "" if meeting.minutes.strip() else _("No minutes written.")},
    ]  # fmt: skip
    return {"title": meeting.title, "body": str(meeting.body.name), "when": when,
            "footer": f"{meeting.body} — {_('Minutes')}", "lang": (get_language() or "fr")[:2],
            # The PDF is dated by the meeting, not when it is made: the same minutes make
            # the same file (published again unchanged, they are recognised).
            "date": [starts.year, starts.month, starts.day], "sections": sections}  # fmt: skip


def minutes_pdf(meeting: Meeting) -> bytes:
    """The minutes as a PDF typeset by Typst with Kafo's fonts."""
    import typst

    data = minutes_data(meeting)
    return typst.compile(str(HERE / "typst" / "minutes.typ"), font_paths=[str(FONTS)],
                         ignore_system_fonts=True, format="pdf",
                         sys_inputs={"data": json.dumps(data, ensure_ascii=False)})  # fmt: skip
