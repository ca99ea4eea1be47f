from django.urls import path

from . import campaign_views, questionnaire_views, views

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
    path("campaigns/", campaign_views.campaign_list, name="campaign_list"),
    path("campaigns/new/", campaign_views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", campaign_views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", campaign_views.campaign_edit, name="campaign_edit"),
    path("figures/", campaign_views.figures_page, name="figures"),
    path("questionnaires/", questionnaire_views.questionnaire_list, name="questionnaire_list"),
    path(
        "questionnaires/<int:pk>/",
        questionnaire_views.questionnaire_detail,
        name="questionnaire_detail",
    ),
    path(
        "questionnaires/<int:pk>/new-version/",
        questionnaire_views.questionnaire_new_version,
        name="questionnaire_new_version",
    ),
    path(
        "questionnaires/<int:pk>/edit/",
        questionnaire_views.questionnaire_edit,
        name="questionnaire_edit",
    ),
    path(
        "questionnaires/<int:pk>/publish/",
        questionnaire_views.questionnaire_publish,
        name="questionnaire_publish",
    ),
    path(
        "questionnaires/<int:pk>/discard/",
        questionnaire_views.questionnaire_discard,
        name="questionnaire_discard",
    ),
    path(
        "questionnaires/<int:pk>/questions/new/",
        questionnaire_views.question_edit,
        name="question_create",
    ),
    path(
        "questionnaires/<int:pk>/questions/<int:question_pk>/",
        questionnaire_views.question_edit,
        name="question_edit",
    ),
    path(
        "questionnaires/<int:pk>/questions/<int:question_pk>/delete/",
        questionnaire_views.question_delete,
        name="question_delete",
    ),
]
