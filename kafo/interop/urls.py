from django.urls import path

from kafo.interop import views

app_name = "interop"
urlpatterns = [
    path("", views.batch_list, name="batches"),
    path("new/", views.upload, name="upload"),
    path("<int:pk>/", views.batch_detail, name="batch"),
    path("<int:pk>/progress/", views.batch_progress, name="batch_progress"),
    path("<int:pk>/resubmit/", views.resubmit, name="resubmit"),
    path("template/<str:kind>.xlsx", views.template, name="template"),
    path("outbox/", views.outbox_import, name="outbox_import"),
    path("review/", views.review, name="review"),
    path("review/<int:pk>/", views.review_decide, name="review_decide"),
]
