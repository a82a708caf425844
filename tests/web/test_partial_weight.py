"""Every htmx partial (a list's rows refreshed by its filters, the progress of an
import or a plan) weighs at most 30 kB as sent, compressed, with its headers."""

from django.urls import reverse

PARTIAL_BUDGET = 30_000


def test_every_htmx_partial_weighs_at_most_30_kb(client, coordinator, organisation):
    from kafo.interop.models import ImportBatch

    for index in range(300):  # a long list of organisations: its rows are the heaviest part
        organisation(f"ONG{index:03d}", name=f"Organisation non gouvernementale numéro {index}")
    client.force_login(coordinator)
    batches = [
        ImportBatch.objects.create(kind="5w", filename="5w.xlsx", created_by=coordinator,
                                   status=status, rows_total=2000, rows_done=900)
        for status in ("running", "failed")
    ]  # fmt: skip
    htmx = {"HTTP_HX_REQUEST": "true", "HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
    partials = [reverse("actors:list"), reverse("actors:list") + "?q=ONG"]
    partials += [reverse("interop:batch_progress", args=[b.pk]) for b in batches]
    weights = {}
    for url in partials:
        answer = client.get(url, **htmx)
        assert answer.status_code == 200, url
        assert b"<html" not in answer.content[:2000].lower(), url  # a part, not a page
        weights[url] = len(answer.content) + sum(len(k) + len(v) for k, v in answer.items())
    assert max(weights.values()) <= PARTIAL_BUDGET, weights
