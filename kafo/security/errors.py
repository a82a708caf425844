"""Error pages and error e-mails never show restricted personal data.

Django's debug page and the e-mails sent to admins list a request's POST data and
each frame's local variables. This filter, always active, hides every POST field
named like a restricted field, replaces protected records by their safe label, and
blanks any other value containing a restricted value found in those records.
"""

from django.views.debug import SafeExceptionReporterFilter

from kafo.sensitivity import policy_for, restricted_field_names

MASK = "•••"


class RestrictedDataFilter(SafeExceptionReporterFilter):
    cleansed_substitute = MASK

    def is_active(self, request) -> bool:
        return True

    def get_post_parameters(self, request):
        parameters = super().get_post_parameters(request)
        if not parameters:
            return parameters
        restricted = restricted_field_names()
        cleansed = parameters.copy()
        for key in cleansed:
            if key.split("-")[-1] in restricted:
                cleansed[key] = MASK
        return cleansed

    def get_traceback_frame_variables(self, request, tb_frame):
        variables = super().get_traceback_frame_variables(request, tb_frame)
        secrets = set()
        for _name, value in variables:
            policy = policy_for(value) if hasattr(value, "_meta") else None
            if policy is not None:
                secrets.update(
                    str(getattr(value, field))
                    for field in policy.restricted_fields
                    if getattr(value, field, None) not in (None, "")
                )
        cleansed = []
        for name, value in variables:
            if hasattr(value, "_meta") and policy_for(value) is not None:
                value = f"<{value._meta.label} {value.pk}>"
            elif any(secret in repr(value) for secret in secrets if len(secret) > 2):
                value = MASK
            cleansed.append((name, value))
        return cleansed
