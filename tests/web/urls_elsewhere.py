"""Kafo's addresses under another path (a test's URLconf)."""

from django.urls import include, path

urlpatterns = [path("ailleurs/", include("kafo.urls"))]
