from django.urls import path

from . import views

app_name = "screening"
urlpatterns = [
    path("", views.screening_list, name="list"),
    path("new/", views.screening_create, name="create"),
    path("<int:pk>/", views.screening_detail, name="detail"),
    path("<int:pk>/step/<int:step>/", views.screening_step, name="step"),
    path("<int:pk>/details/", views.screening_details, name="details"),
    path("<int:pk>/review/", views.screening_review, name="review"),
    path("<int:pk>/submit/", views.screening_submit, name="submit"),
    path("<int:pk>/discard/", views.screening_discard, name="discard"),
    path("<int:pk>/correct/", views.screening_correct, name="correct"),
    path("<int:pk>/open-dossier/", views.open_dossier, name="open_dossier"),
    path("<int:pk>/link-dossier/", views.link_dossier, name="link_dossier"),
    path(
        "<int:pk>/link-dossier/<int:dossier_pk>/",
        views.link_to_dossier,
        name="link_to_dossier",
    ),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("figures/", views.figures_page, name="figures"),
    path("questionnaires/", views.questionnaire_list, name="questionnaire_list"),
    path(
        "questionnaires/<int:pk>/",
        views.questionnaire_detail,
        name="questionnaire_detail",
    ),
    path(
        "questionnaires/<int:pk>/new-version/",
        views.questionnaire_new_version,
        name="questionnaire_new_version",
    ),
    path(
        "questionnaires/<int:pk>/edit/",
        views.questionnaire_edit,
        name="questionnaire_edit",
    ),
    path(
        "questionnaires/<int:pk>/publish/",
        views.questionnaire_publish,
        name="questionnaire_publish",
    ),
    path(
        "questionnaires/<int:pk>/discard/",
        views.questionnaire_discard,
        name="questionnaire_discard",
    ),
    path(
        "questionnaires/<int:pk>/questions/new/",
        views.question_edit,
        name="question_create",
    ),
    path(
        "questionnaires/<int:pk>/questions/<int:question_pk>/",
        views.question_edit,
        name="question_edit",
    ),
    path(
        "questionnaires/<int:pk>/questions/<int:question_pk>/delete/",
        views.question_delete,
        name="question_delete",
    ),
]
