"""Small numbers stay hidden across everything a donor or the public can combine: a
hidden cell cannot be recomputed from the total and the cells shown next to it, and the
casualties a donor reads in the gaps analysis (page, map and API) are suppressed too."""

import datetime
import itertools

from django.urls import reverse
from django.utils import timezone

from kafo.actors.models import Role
from kafo.mineaction.figures import suppressed
from kafo.security.suppression import SUPPRESSED


def _recoverable(total, cells: dict) -> list[str]:
    """The hidden cells that total − the shown cells gives back exactly."""
    hidden = [key for key, value in cells.items() if value == SUPPRESSED]
    shown = [value for value in cells.values() if isinstance(value, int)]
    if isinstance(total, int) and len(hidden) == 1 and len(shown) == len(cells) - 1:
        return hidden
    return []


def test_no_hidden_casualty_can_be_recomputed_from_a_year_row():
    for killed, injured in itertools.product(range(0, 12), repeat=2):
        total = killed + injured
        figures = {"total": total, "killed": killed, "injured": injured,
                   "sex": {"male": injured, "female": killed},
                   "age": {"adult": total}, "status": {"civilian": total}}  # fmt: skip
        shown = suppressed(figures)
        outcome = {"killed": shown["killed"], "injured": shown["injured"]}
        assert _recoverable(shown["total"], outcome) == [], (killed, injured, shown)
        assert _recoverable(shown["total"], shown["sex"]) == [], (killed, injured, shown)


def test_the_public_situation_page_hides_killed_with_injured(client, mine_action, user_with_role):
    editor = user_with_role(Role.PARTNER_EDITOR)
    accident = mine_action.accident(editor)
    mine_action.victim(editor, accident, outcome="killed")
    for _ in range(6):
        mine_action.victim(editor, accident, outcome="injured")
    page = client.get(reverse("situation")).content.decode()
    # 7 casualties: 1 killed is hidden, and so is the 6 injured that would give it back.
    assert ">6<" not in page.replace(" ", "")


def test_a_donor_reads_small_casualty_counts_suppressed_in_the_gaps(
    client, mine_action, user_with_role
):
    editor = user_with_role(Role.PARTNER_EDITOR)
    recent = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    accident = mine_action.accident(editor, date=recent)
    mine_action.victim(editor, accident)
    mine_action.victim(editor, accident)
    mine_action.hazard(editor)
    donor = user_with_role(Role.DONOR_VIEWER)
    client.force_login(donor)
    answer = client.get(reverse("api:analysis-detail", args=["gaps"]),
                        {"by": "activity_type", "level": 2}).json()  # fmt: skip
    needs = [row["need"] for row in answer["units"] if row.get("activity_type") == "VA"]
    assert needs and set(needs) == {SUPPRESSED}
    answer = client.get(reverse("api:analysis-detail", args=["gaps"]), {"level": 2}).json()
    casualties = [row["mine_action"]["casualties_12_months"] for row in answer["units"]
                  if row.get("mine_action")]  # fmt: skip
    assert 2 not in casualties and SUPPRESSED in casualties
    page = client.get(reverse("gaps"), {"by": "activity_type", "level": 2}).content.decode()
    assert "<5" in page or "&lt;5" in page
    # A partner reads the exact count.
    client.force_login(editor)
    answer = client.get(reverse("api:analysis-detail", args=["gaps"]),
                        {"by": "activity_type", "level": 2}).json()  # fmt: skip
    assert 2 in [row["need"] for row in answer["units"] if row.get("activity_type") == "VA"]
