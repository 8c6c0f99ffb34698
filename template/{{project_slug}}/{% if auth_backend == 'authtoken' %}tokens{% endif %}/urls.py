from django.urls import path

from .views import LogoutAllView, LogoutView, ObtainTokenView

urlpatterns = [
    path("token/", ObtainTokenView.as_view(), name="token"),
    path("logout/", LogoutView.as_view(), name="logout"),
    # One token per user: logging out already logs out every device; this also
    # ends the user's sessions.
    path("logout-all/", LogoutAllView.as_view(), name="logout-all"),
]
