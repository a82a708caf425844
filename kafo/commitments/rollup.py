"""Where a framework stands: each commitment's latest validated assessment (on or before a
date), the share at each score, per pillar and for the whole, as the observers' reports
give them (done = 3, in progress = 1–2, not started = 0 or never assessed)."""

import datetime
from collections import Counter

from kafo.commitments.models import Assessment, Commitment, CommitmentFramework

STAGES = {0: "not_started", 1: "in_progress", 2: "in_progress", 3: "done"}


def latest_scores(framework: CommitmentFramework,
                  as_of: datetime.date | None = None) -> dict[int, int | None]:  # fmt: skip
    """commitment id → its latest validated score by `as_of` (None: never assessed);
    reviewed commitments only (drafts do not count)."""
    commitments = Commitment.objects.filter(framework=framework, draft=False)
    scores: dict[int, int | None] = dict.fromkeys(commitments.values_list("pk", flat=True))
    assessments = Assessment.objects.filter(commitment__in=commitments,
                                            validated_at__isnull=False)  # fmt: skip
    if as_of:
        assessments = assessments.filter(date__lte=as_of)
    for commitment_id, score in assessments.order_by("commitment_id", "date", "pk").values_list(
        "commitment_id", "score"
    ):  # fmt: skip
        scores[commitment_id] = score  # the last one, by date, wins
    return scores


def shares(scores: list[int | None]) -> dict:
    """Counts and shares at each score, the stages and the mean score."""
    counts = Counter(scores)
    total = len(scores)
    assessed = [s for s in scores if s is not None]
    stages = Counter(STAGES[s] if s is not None else "not_started" for s in scores)
    return {
        "total": total,
        "counts": {str(score): counts.get(score, 0) for score in (0, 1, 2, 3)}
        | {"not_assessed": counts.get(None, 0)},
        "shares": {str(score): counts.get(score, 0) / total if total else None
                   for score in (0, 1, 2, 3)}
        | {"not_assessed": counts.get(None, 0) / total if total else None},
        "stages": {stage: stages.get(stage, 0) for stage in ("done", "in_progress",
                                                             "not_started")},
        "mean_score": sum(assessed) / len(assessed) if assessed else None,
    }  # fmt: skip


def rollup(framework: CommitmentFramework, as_of: datetime.date | None = None) -> dict:
    """`{"framework", "as_of", "overall": {...}, "pillars": [{"code", "name", ...}]}`."""
    scores = latest_scores(framework, as_of)
    pillar_of = dict(Commitment.objects.filter(pk__in=scores).values_list("pk", "pillar_id"))
    pillars = []
    for pillar in framework.pillars.all():
        mine = [scores[c] for c, p in pillar_of.items() if p == pillar.pk]
        pillars.append({"code": pillar.code, "name": pillar.name, **shares(mine)})
    unclassified = [scores[c] for c, p in pillar_of.items() if p is None]
    if unclassified:
        pillars.append({"code": None, "name": None, **shares(unclassified)})
    return {"framework": framework.name, "as_of": as_of.isoformat() if as_of else None,
            "overall": shares(list(scores.values())), "pillars": pillars}  # fmt: skip


def overall_by_framework(frameworks: list[CommitmentFramework]) -> dict[int, dict]:
    """framework id → rollup(framework)["overall"] for each, in two queries (the list of
    frameworks shows where each stands)."""
    ids = [framework.pk for framework in frameworks]
    commitments = Commitment.objects.filter(framework__in=ids, draft=False)
    framework_of = dict(commitments.values_list("pk", "framework_id"))
    scores: dict[int, int | None] = dict.fromkeys(framework_of)
    assessments = Assessment.objects.filter(commitment__in=commitments,
                                            validated_at__isnull=False)  # fmt: skip
    for commitment_id, score in assessments.order_by("commitment_id", "date", "pk").values_list(
        "commitment_id", "score"
    ):  # fmt: skip
        scores[commitment_id] = score  # the last one, by date, wins
    per_framework: dict[int, list[int | None]] = {pk: [] for pk in ids}
    for commitment_id, latest in scores.items():
        per_framework[framework_of[commitment_id]].append(latest)
    return {pk: shares(found) for pk, found in per_framework.items()}
