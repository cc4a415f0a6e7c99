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
    path("pay/", views.PayListView.as_view(), name="pay_list"),
    path("pay/<int:pk>/", views.PayDetailView.as_view(), name="pay_detail"),
    path("pay/kindergartens/<int:pk>/", views.PayFilingEditView.as_view(), name="pay_edit"),
]
