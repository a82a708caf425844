"""The response app's models, each in its sub-domain (activities and needs, sharing,
strategies); imported here for Django, which finds an app's models in its `models`."""

from kafo.response.activities.models import (  # noqa: F401
    ACCESS_DIFFICULTY,
    AMOUNT_LIMIT,
    PEOPLE,
    TITLE_LENGTH,
    TOTAL_GROUPS,
    AccessLevel,
    AccessRestriction,
    Activity,
    ActivityParticipant,
    ActivityStatus,
    Need,
    OrganisationRole,
)
from kafo.response.sharing.models import (  # noqa: F401
    TEAMS,
    Availability,
    Loan,
    LoanStatus,
    OperatingArea,
    Resource,
    ResourceKind,
)
from kafo.response.strategies.models import (  # noqa: F401
    ActivityObjective,
    Framework,
    FrameworkKind,
    Indicator,
    Measure,
    Objective,
    ObjectiveLevel,
)
