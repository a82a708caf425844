"""The domain's codes, written once: the models' choices are built from them (with their
French labels) and the engines (kafo.analysis, kafo.planning), which import no Django,
read them here. Imports nothing."""

# The mine action sector of the 5W (the code of OCHA's protection sub-cluster).
MINE_ACTION = "PRO-MIN"

# Hazard classifications, as IMSMA records them.
INDICATION = "indication"
SHA = "sha"  # suspected hazardous area: indirect evidence
CHA = "cha"  # confirmed hazardous area: direct evidence
AMMUNITION_STORAGE = "ammunition_storage"
EOD_SPOT_TASK = "eod_spot_task"
HAZARD_CLASSIFICATIONS = (INDICATION, SHA, CHA, AMMUNITION_STORAGE, EOD_SPOT_TASK)

# Hazard statuses. An open hazard still has land to release and work may go on there:
# open or being worked on (a suspended hazard waits; a closed one is released).
OPEN = "open"
WORKED_ON = "worked_on"
SUSPENDED = "suspended"
CLOSED = "closed"
HAZARD_STATUSES = (OPEN, WORKED_ON, SUSPENDED, CLOSED)
OPEN_HAZARD = (OPEN, WORKED_ON)

# Activity types of the mine action sector in the 5W.
EORE = "EORE"  # explosive ordnance risk education
NTS = "NTS"  # non-technical survey
TS = "TS"  # technical survey
CLR = "CLR"  # clearance
EOD = "EOD"  # EOD spot task
VA = "VA"  # victim assistance
ADV = "ADV"  # advocacy
CAP = "CAP"  # capacity building
SSD = "SSD"  # stockpile destruction
OTHER = "OTHER"
ACTIVITY_TYPES = (EORE, NTS, TS, CLR, EOD, VA, ADV, CAP, SSD, OTHER)

# The land release work (IMAS 07.11) each classification of hazard calls for next: an
# indication is checked by non-technical survey; a suspected area (indirect evidence)
# by technical survey, which confirms, reduces or cancels it; a confirmed area is
# cleared; spot tasks and storage areas are EOD work.
WORK_FOR_CLASSIFICATION = {INDICATION: NTS, SHA: TS, CHA: CLR, EOD_SPOT_TASK: EOD,
                           AMMUNITION_STORAGE: EOD}  # fmt: skip
# The classifications each kind of work answers (the inverse, in the classifications'
# order).
CLASSIFICATIONS_FOR_WORK = {
    work: tuple(c for c in HAZARD_CLASSIFICATIONS if WORK_FOR_CLASSIFICATION[c] == work)
    for work in (NTS, TS, CLR, EOD)
}

# Kinds of shared team, and the work each does.
EORE_TEAM = "eore_team"
NTS_TEAM = "nts_team"
TS_TEAM = "ts_team"
CLEARANCE_TEAM = "clearance_team"
EOD_TEAM = "eod_team"
VA_TEAM = "va_team"
TEAMS = (EORE_TEAM, NTS_TEAM, TS_TEAM, CLEARANCE_TEAM, EOD_TEAM, VA_TEAM)
WORK_OF_TEAM = {EORE_TEAM: EORE, NTS_TEAM: NTS, TS_TEAM: TS, CLEARANCE_TEAM: CLR,
                EOD_TEAM: EOD}  # fmt: skip

# Activity statuses. A cancelled activity is no response: the analyses leave it out.
PLANNED = "planned"
ONGOING = "ongoing"
COMPLETED = "completed"
CANCELLED = "cancelled"
ACTIVITY_STATUSES = (PLANNED, ONGOING, COMPLETED, SUSPENDED, CANCELLED)

# Target groups of the 5W; the people counted add those of unknown sex and age.
PEOPLE = ("girls", "boys", "women", "men")
UNKNOWN_PEOPLE = "unknown"

# Access restriction levels and how hard each makes a unit to reach (0 open … 1 none).
ESCORT = "escort"  # accessible with an escort only
NO_ACCESS = "no_access"
ACCESS_DIFFICULTY = {ESCORT: 0.5, NO_ACCESS: 1.0}

# A strategy's indicators measured in US dollars are its budget targets.
BUDGET_USD = "budget_usd"
