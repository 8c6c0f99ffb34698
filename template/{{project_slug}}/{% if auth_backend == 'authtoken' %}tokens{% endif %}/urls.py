from django.urls import path

from .views import LogoutView, ObtainTokenView

urlpatterns = [
    path("token/", ObtainTokenView.as_view(), name="token"),
    path("logout/", LogoutView.as_view(), name="logout"),
    # One token per user: logging out already logs out every device.
    path("logout-all/", LogoutView.as_view(), name="logout-all"),
]
