from django.urls import path

from .views import LogoutAllView, LogoutView, ObtainTokenView, RefreshTokenView

urlpatterns = [
    path("token/", ObtainTokenView.as_view(), name="token"),
    path("token/refresh/", RefreshTokenView.as_view(), name="token-refresh"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("logout-all/", LogoutAllView.as_view(), name="logout-all"),
]
