"""The OpenAPI schema documents the errors every operation may answer, as it does."""

from drf_spectacular.openapi import AutoSchema

ERROR = {
    "type": "object",
    "additionalProperties": True,
    "description": "What is wrong: `detail`, or a list of reasons per field.",
}
ERRORS = {
    "400": "Invalid input: reasons per field.",
    "401": "No or wrong token.",
    "403": "The user's role or organisation may not do this.",
    "404": "No such record (or not one this user may read).",
}


class KafoAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in ERRORS.items():
            # A GET of one object has nothing to get wrong, unless it takes parameters
            # (the analyses take a level, dates, a strategy).
            takes_parameters = bool(self.get_override_parameters())
            if (
                code == "400"
                and self.method == "GET"
                and not self._is_list_view()
                and (not takes_parameters)
            ):
                continue
            responses.setdefault(
                code,
                {"content": {"application/json": {"schema": ERROR}}, "description": description},
            )
        return responses
