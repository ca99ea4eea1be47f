from django.urls import path

from . import views

app_name = "linkage"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("pairs/<int:pk>/", views.pair_detail, name="pair"),
    path("pairs/<int:pk>/decide/", views.pair_decide, name="decide"),
    path("batch/", views.batch_start, name="batch"),
    path("persons/<int:pk>/request/", views.contact_request, name="request"),
    path("questions/", views.questions, name="questions"),
    path("questions/<int:pk>/answer/", views.question_answer, name="answer"),
]
