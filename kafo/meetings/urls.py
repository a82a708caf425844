from django.urls import path

from kafo.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.body_list, name="bodies"),
    path("bodies/new/", views.body_edit, name="body_new"),
    path("bodies/<int:pk>/", views.body_detail, name="body"),
    path("bodies/<int:pk>/edit/", views.body_edit, name="body_edit"),
    path("bodies/<int:pk>/meetings.ics", views.body_calendar, name="body_calendar"),
    path("bodies/<int:pk>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/meeting.ics", views.meeting_calendar, name="meeting_calendar"),
    path("meetings/<int:pk>/attendance/", views.attendance_add, name="attendance_add"),
    path("meetings/<int:pk>/attendance/import/", views.attendance_import, name="attendance_import"),
    path("meetings/<int:pk>/decisions/", views.decision_add, name="decision_add"),
    path("meetings/<int:pk>/actions/", views.action_add, name="action_add"),
    path("actions/", views.action_board, name="actions"),
    path("actions/<int:pk>/", views.action_update, name="action_update"),
    path("referrals/", views.referral_list, name="referrals"),
    path("referrals/new/", views.referral_new, name="referral_new"),
    path("referrals/<int:pk>/", views.referral_update, name="referral_update"),
]
