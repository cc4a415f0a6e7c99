from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("security/", views.AccountSecurityView.as_view(), name="account_security"),
    path("security/token/rotate/", views.TokenRotateView.as_view(), name="account_token_rotate"),
    path("security/otp/enrol/", views.OTPEnrolView.as_view(), name="otp_enrol"),
    path("security/otp/verify/", views.OTPVerifyView.as_view(), name="otp_verify"),
    path("security/otp/disable/", views.OTPDisableView.as_view(), name="otp_disable"),
    path("security/otp/recovery-codes/", views.RecoveryCodesView.as_view(), name="otp_recovery_codes"),
    path("security/events/", views.SecurityEventListView.as_view(), name="security_events"),
    path("security/token/revoke/", views.TokenRevokeView.as_view(), name="account_token_revoke"),
]
