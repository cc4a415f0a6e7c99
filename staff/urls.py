from django.urls import path

from . import views

app_name = "staff"

urlpatterns = [
    # Development, ethics and pay
    path("principals/", views.PrincipalListView.as_view(), name="principal_list"),
    path("principals/credits/", views.PrincipalCreditView.as_view(), name="principal_credits"),
    path("principals/certificates/", views.PrincipalCertificateView.as_view(), name="principal_certificates"),
    path("principals/reserve/", views.ReservePoolView.as_view(), name="principal_reserve"),
    path("principals/<int:pk>/", views.PrincipalDetailView.as_view(), name="principal_detail"),
    path("principals/<int:pk>/stage/", views.StageRecordView.as_view(), name="principal_stage"),
    path("courses/", views.CourseListView.as_view(), name="course_list"),
    path("courses/new/", views.CourseEditView.as_view(), name="course_add"),
    path("courses/<int:pk>/", views.CourseEditView.as_view(), name="course_edit"),
    path("courses/<int:pk>/import/", views.AttendanceImportView.as_view(), name="course_import"),
    path("courses/<int:pk>/template/", views.AttendanceTemplateView.as_view(), name="course_template"),
    path("trainings/", views.TrainingListView.as_view(), name="training_list"),
    path("trainings/new/", views.TrainingRecordCreateView.as_view(), name="training_add"),
    path("titles/", views.TitleApplicationListView.as_view(), name="title_application_list"),
    path("titles/new/", views.TitleApplicationCreateView.as_view(), name="title_application_add"),
    path("titles/<int:pk>/decide/", views.TitleDecisionView.as_view(), name="title_application_decide"),
    path("research/", views.ResearchListView.as_view(), name="research_list"),
    path("research/new/", views.ResearchClusterCreateView.as_view(), name="research_cluster_add"),
    path("research/<int:pk>/", views.ResearchClusterDetailView.as_view(), name="research_cluster_detail"),
    path("research/<int:pk>/teams/", views.ResearchTeamCreateView.as_view(), name="research_team_add"),
    path("research/<int:pk>/activities/", views.ResearchActivityCreateView.as_view(), name="research_activity_add"),
    path("pairings/", views.PairingListView.as_view(), name="pairing_list"),
    path("pairings/new/", views.PairingCreateView.as_view(), name="pairing_add"),
    path("pairings/<int:pk>/", views.PairingDetailView.as_view(), name="pairing_detail"),
    path("pairings/<int:pk>/reviews/", views.PairingReviewView.as_view(), name="pairing_review"),
    path("ethics/", views.EthicsListView.as_view(), name="ethics_list"),
    path("ethics/new/", views.EthicsRecordCreateView.as_view(), name="ethics_add"),
    path("ethics/kindergartens/<int:pk>/self-check/", views.SelfCheckView.as_view(), name="ethics_self_check"),
    path("pay/", views.PayListView.as_view(), name="pay_list"),
    path("pay/<int:pk>/", views.PayDetailView.as_view(), name="pay_detail"),
    path("pay/kindergartens/<int:pk>/", views.PayFilingEditView.as_view(), name="pay_edit"),
]
