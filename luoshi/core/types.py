from django.http import HttpRequest

from luoshi.accounts.models import User


class AuthedRequest(HttpRequest):
    """A request behind ``login_required``: its user is a real account."""

    user: User
