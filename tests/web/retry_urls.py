"""Views that lose their database connection once, for the test of the retry."""

from django.contrib.auth.decorators import login_not_required
from django.db import OperationalError
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

CALLS: list[str] = []


@csrf_exempt
@login_not_required
def cut_once(request):
    CALLS.append(request.method)
    if len(CALLS) == 1:
        raise OperationalError("server closed the connection unexpectedly")
    return HttpResponse("ok")


@login_not_required
def bug(request):
    CALLS.append(request.method)
    raise ZeroDivisionError("a bug, not the database")


urlpatterns = [path("cut-once/", cut_once), path("bug/", bug)]
