"""One router for the whole API, so every resource sits under /api/ with one browsable root."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from accounts.token_views import obtain_expiring_token
from enrollment.api.tracker import EnrollmentSubmissionStatusViewSet
from enrollment.api.views import (
    ChildPopulationViewSet,
    EnrollmentByAgeViewSet,
    SchoolClassViewSet,
    SchoolYearViewSet,
    SubmissionViewSet,
)
from governance.api import (
    AidRecipientViewSet,
    CreditRecordViewSet,
    DisbursementViewSet,
    FeeFilingViewSet,
    NewPlaceViewSet,
    RecognitionViewSet,
    RentedPremisesViewSet,
)
from inspections.api import (
    ConductCaseViewSet,
    CycleAssignmentViewSet,
    EvaluationCycleViewSet,
    EvaluationResultViewSet,
    EvaluationTeamViewSet,
    ExternalEvaluationViewSet,
    FrameworkVersionViewSet,
    QualityIssueViewSet,
    RectificationOrderViewSet,
    SelfAssessmentViewSet,
    UnlicensedCaseViewSet,
)
from kindergartens.api.views import EstateKindergartenViewSet, KindergartenViewSet, SubdistrictViewSet
from notifications.api.views import NotificationViewSet
from reports.api.scorecards import ScorecardViewSet
from reports.api.views import (
    ComputationRunViewSet,
    EarlyWarningViewSet,
    IndicatorSnapshotViewSet,
    SeatForecastViewSet,
)
from safety.api import (
    ChecklistTemplateViewSet,
    FootageRequestViewSet,
    HazardViewSet,
    IncidentViewSet,
    SafetyCheckViewSet,
    SafetyPostViewSet,
    SafetyProfileViewSet,
    SupervisionOrderViewSet,
)
from staff.api import (
    CertificateViewSet,
    EthicsRecordViewSet,
    PairingViewSet,
    PayFilingViewSet,
    ResearchClusterViewSet,
    StaffMemberViewSet,
    TrainingRecordViewSet,
)

router = DefaultRouter()
router.register("subdistricts", SubdistrictViewSet, basename="subdistrict")
router.register("kindergartens", KindergartenViewSet, basename="kindergarten")
router.register("school-years", SchoolYearViewSet, basename="schoolyear")
router.register("classes", SchoolClassViewSet, basename="schoolclass")
router.register("enrollment", EnrollmentByAgeViewSet, basename="enrollmentbyage")
router.register("submissions", SubmissionViewSet, basename="submission")
router.register("enrollment-submissions", EnrollmentSubmissionStatusViewSet, basename="enrollmentsubmissionstatus")
router.register("population", ChildPopulationViewSet, basename="childpopulation")
router.register("indicators", IndicatorSnapshotViewSet, basename="indicator")
router.register("forecasts", SeatForecastViewSet, basename="forecast")
router.register("warnings", EarlyWarningViewSet, basename="warning")
router.register("runs", ComputationRunViewSet, basename="run")
router.register("framework-versions", FrameworkVersionViewSet, basename="frameworkversion")
router.register("cycles", EvaluationCycleViewSet, basename="evaluationcycle")
router.register("cycle-assignments", CycleAssignmentViewSet, basename="cycleassignment")
router.register("self-assessments", SelfAssessmentViewSet, basename="selfassessment")
router.register("evaluation-teams", EvaluationTeamViewSet, basename="evaluationteam")
router.register("evaluations", ExternalEvaluationViewSet, basename="externalevaluation")
router.register("evaluation-results", EvaluationResultViewSet, basename="evaluationresult")
router.register("rectification-orders", RectificationOrderViewSet, basename="rectificationorder")
router.register("unlicensed-cases", UnlicensedCaseViewSet, basename="unlicensedcase")
router.register("conduct-cases", ConductCaseViewSet, basename="conductcase")
router.register("issues", QualityIssueViewSet, basename="qualityissue")
router.register("safety-profiles", SafetyProfileViewSet, basename="safetyprofile")
router.register("hazards", HazardViewSet, basename="hazard")
router.register("safety-checks", SafetyCheckViewSet, basename="safetycheck")
router.register("checklist-templates", ChecklistTemplateViewSet, basename="checklisttemplate")
router.register("recognitions", RecognitionViewSet, basename="recognition")
router.register("fee-filings", FeeFilingViewSet, basename="feefiling")
router.register("credit-records", CreditRecordViewSet, basename="creditrecord")
router.register("subsidies", DisbursementViewSet, basename="disbursement")
router.register("aid-recipients", AidRecipientViewSet, basename="aidrecipient")
router.register("new-places", NewPlaceViewSet, basename="newplace")
router.register("rented-premises", RentedPremisesViewSet, basename="rentedpremises")
router.register("staff", StaffMemberViewSet, basename="staffmember")
router.register("certificates", CertificateViewSet, basename="certificate")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("incidents", IncidentViewSet, basename="incident")
router.register("footage-requests", FootageRequestViewSet, basename="footagerequest")
router.register("safety-posts", SafetyPostViewSet, basename="safetypost")
router.register("supervision-orders", SupervisionOrderViewSet, basename="supervisionorder")
router.register("estate-kindergartens", EstateKindergartenViewSet, basename="estatekindergarten")
router.register("scorecards", ScorecardViewSet, basename="scorecard")
router.register("trainings", TrainingRecordViewSet, basename="trainingrecord")
router.register("research-clusters", ResearchClusterViewSet, basename="researchcluster")
router.register("pairings", PairingViewSet, basename="pairing")
router.register("ethics-records", EthicsRecordViewSet, basename="ethicsrecord")
router.register("pay-filings", PayFilingViewSet, basename="payfiling")

urlpatterns = [
    path("token/", obtain_expiring_token, name="api_token"),
    path("", include(router.urls)),
]
