from django.urls import path

from . import views

app_name = "governance"

urlpatterns = [
    path("", views.GovernanceIndexView.as_view(), name="index"),
    path("recognitions/", views.RecognitionListView.as_view(), name="recognition_list"),
    path("recognitions/apply/", views.RecognitionApplyView.as_view(), name="recognition_apply"),
    path("recognitions/<int:pk>/", views.RecognitionDetailView.as_view(), name="recognition_detail"),
    path("recognitions/<int:pk>/<slug:step>/", views.RecognitionStepView.as_view(), name="recognition_step"),
    path("fees/", views.FeeFilingListView.as_view(), name="fee_filing_list"),
    path("fees/new/", views.FeeFilingCreateView.as_view(), name="fee_filing_add"),
    path("fees/export.xlsx", views.FeeFilingExportView.as_view(), name="fee_filing_export"),
    path("fees/<int:pk>/", views.FeeFilingDetailView.as_view(), name="fee_filing_detail"),
    path("fees/account/", views.RegisteredAccountView.as_view(), name="account_edit"),
    path("fees/summary/", views.FinancialSummaryView.as_view(), name="summary_add"),
    path("fee-alerts/", views.FeeAlertListView.as_view(), name="fee_alert_list"),
    path("fee-alerts/<int:pk>/", views.FeeAlertDetailView.as_view(), name="fee_alert_detail"),
    path("fee-alerts/<int:pk>/resolve/", views.FeeAlertResolveView.as_view(), name="fee_alert_resolve"),
    path("subsidies/", views.SubsidyView.as_view(), name="subsidies"),
    path("subsidies/export.xlsx", views.SubsidyExportView.as_view(), name="subsidy_export"),
    path("subsidies/disbursements/new/", views.DisbursementCreateView.as_view(), name="disbursement_add"),
    path("subsidies/facts/", views.SubsidyFactsView.as_view(), name="subsidy_facts"),
    path("subsidies/new-places/new/", views.NewPlaceCreateView.as_view(), name="new_place_add"),
    path("subsidies/premises/new/", views.RentedPremisesCreateView.as_view(), name="premises_add"),
    path("aid/", views.AidRecipientListView.as_view(), name="aid_list"),
    path("aid/new/", views.AidRecipientCreateView.as_view(), name="aid_add"),
    path("credit/", views.CreditRecordListView.as_view(), name="credit_list"),
    path("credit/export.xlsx", views.CreditExportView.as_view(), name="credit_export"),
    path("credit/refresh/", views.CreditRefreshView.as_view(), name="credit_refresh"),
    path("credit/<int:pk>/", views.CreditRecordDetailView.as_view(), name="credit_detail"),
    path("credit/<int:pk>/commend/", views.CreditCommendView.as_view(), name="credit_commend"),
    path("credit/<int:pk>/exit/", views.CreditExitView.as_view(), name="credit_exit"),
    path("credit/events/<int:pk>/appeal/", views.CreditAppealFileView.as_view(), name="credit_appeal"),
    path("credit/appeals/<int:pk>/decide/", views.CreditAppealDecideView.as_view(), name="credit_appeal_decide"),
]
