"""The domain's codes are written once, in kafo.vocabulary: the models' choices are those
codes, and the rule of the work each classification calls for covers every
classification and is the one the gaps and the joint plans both use."""

from kafo import vocabulary
from kafo.coordination.plans import TASK_TYPES
from kafo.mineaction.vocabularies import HazardClassification, HazardStatus
from kafo.response.catalogue import ActivityType
from kafo.response.models import ACCESS_DIFFICULTY, AccessLevel, ActivityStatus, ResourceKind


def test_the_models_choices_are_the_vocabulary():
    assert tuple(HazardClassification.values) == vocabulary.HAZARD_CLASSIFICATIONS
    assert tuple(HazardStatus.values) == vocabulary.HAZARD_STATUSES
    assert tuple(ActivityType.values) == vocabulary.ACTIVITY_TYPES
    assert set(ActivityStatus.values) == set(vocabulary.ACTIVITY_STATUSES)
    assert set(vocabulary.TEAMS) <= set(ResourceKind.values)
    assert set(AccessLevel.values) == set(ACCESS_DIFFICULTY)


def test_imas_land_release_is_one_rule():
    assert set(vocabulary.WORK_FOR_CLASSIFICATION) == set(vocabulary.HAZARD_CLASSIFICATIONS)
    assert vocabulary.WORK_FOR_CLASSIFICATION[vocabulary.SHA] == vocabulary.TS
    assert vocabulary.CLASSIFICATIONS_FOR_WORK[vocabulary.TS] == (vocabulary.SHA,)
    # Every kind of work a hazard calls for is a task a team can be planned for.
    assert set(vocabulary.WORK_FOR_CLASSIFICATION.values()) <= set(TASK_TYPES)
    assert set(vocabulary.WORK_OF_TEAM.values()) == set(TASK_TYPES)
    assert vocabulary.OPEN_HAZARD == (vocabulary.OPEN, vocabulary.WORKED_ON)
