from django.urls import path

from kafo.library import views

app_name = "library"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.whats_new, name="new"),
    path("items/add/", views.item_new, name="item_new"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/file/", views.item_file, name="item_file"),
    path("<str:kind>/<int:pk>/links/", views.link_add, name="link_add"),
    path("lessons/", views.lesson_list, name="lessons"),
    path("lessons/add/", views.lesson_edit, name="lesson_new"),
    path("lessons/<int:pk>/", views.lesson_detail, name="lesson"),
    path("lessons/<int:pk>/edit/", views.lesson_edit, name="lesson_edit"),
    path("collections/", views.collection_list, name="collections"),
    path("collections/<int:pk>/", views.collection_detail, name="collection"),
    path("collections/items/", views.collection_items, name="collection_items"),
]
