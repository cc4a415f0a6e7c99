from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="notification_list"),
    path("read-all/", views.NotificationMarkAllReadView.as_view(), name="notification_read_all"),
    path("<int:pk>/open/", views.NotificationOpenView.as_view(), name="notification_open"),
    path("<int:pk>/read/", views.NotificationMarkReadView.as_view(), name="notification_read"),
]
