from django.urls import path

from .views import LogoutView, ObtainTokenView

urlpatterns = [
    path("token/", ObtainTokenView.as_view(), name="token"),
    path("logout/", LogoutView.as_view(), name="logout"),
]
