from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from luoshi.accounts import access
from luoshi.accounts.roles import Role
from luoshi.workbench.selectors import cards_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    roles = access.roles_of(request.user)
    role_labels = [str(label) for value, label in Role.choices if value in roles]
    return render(
        request,
        "workbench/home.html",
        {"cards": cards_for(request.user), "role_labels": role_labels},
    )
