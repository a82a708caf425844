"""How the property tests of generated files run: the same 25 examples on every run
(derandomised, so CI is repeatable; no example database written), without a deadline
(an import takes its time), on the test's database fixtures."""

from hypothesis import HealthCheck, settings

GENERATED_FILES = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
