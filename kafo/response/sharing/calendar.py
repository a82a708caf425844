"""The sharing board: which offered resources are free, where, and when."""

import datetime

from kafo.response.sharing.models import Loan, LoanStatus, Resource

BUSY = (LoanStatus.ACCEPTED,)


def is_free(resource: Resource, start: datetime.date, end: datetime.date) -> bool:
    """Whether one of the owner's free periods covers [start, end] and no accepted loan
    overlaps it."""
    covered = resource.availability.filter(start__lte=start, end__gte=end).exists()
    taken = Loan.objects.filter(
        resource=resource, status__in=BUSY, start__lte=end, end__gte=start
    ).exists()
    return covered and not taken


def free_periods(
    resource: Resource, after: datetime.date
) -> list[tuple[datetime.date, datetime.date]]:
    """The resource's free periods from `after`, with accepted loans cut out."""
    loans = sorted(
        (loan.start, loan.end)
        for loan in resource.loans.all()
        if loan.status in BUSY and loan.end >= after
    )
    periods = []
    for period in resource.availability.all():
        start, end = max(period.start, after), period.end
        for loan_start, loan_end in loans:
            if loan_end < start or loan_start > end:
                continue
            if loan_start > start:
                periods.append((start, loan_start - datetime.timedelta(days=1)))
            start = max(start, loan_end + datetime.timedelta(days=1))
        if start <= end:
            periods.append((start, end))
    return periods
