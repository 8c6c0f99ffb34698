from django.urls import path

from .views import LogoutAllView, LogoutView

urlpatterns = [
    path("logout/", LogoutView.as_view(), name="logout"),
    path("logout-all/", LogoutAllView.as_view(), name="logout-all"),
]
