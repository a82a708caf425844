"""The organisations in HXL: the export's columns and their hashtags."""

ORGANISATION_COLUMNS = {
    "name": "#org+name",
    "acronym": "#org+acronym",
    "type": "#org+type",
    "iati_identifier": "#org+code+iati",
    "parent__name": "#org+name+parent",
    "website": "#org+url",
}
