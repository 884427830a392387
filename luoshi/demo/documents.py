"""The demo's published circular, so that the public site and 督查公文 are not empty.

Loaded by the seed_demo command only (it renders a PDF, which the test fixtures that
load the demo data should not pay for)."""

from __future__ import annotations

from django.utils import timezone

from luoshi.accounts.models import User
from luoshi.demo import data
from luoshi.documents.models import OfficialDocument
from luoshi.documents.monthly import circular_for_month
from luoshi.documents.services import document_issue, document_publish
from luoshi.org.models import Unit


def seed_demo_documents() -> int:
    office = Unit.objects.filter(name=data.OFFICE).first()
    actor = User.objects.filter(username="office").first()
    if office is None or actor is None or OfficialDocument.objects.filter(office=office).exists():
        return 0
    today = timezone.localdate()
    doc = circular_for_month(actor, office, today.year, today.month)
    doc = document_issue(actor, doc)
    document_publish(actor, doc)
    return 1
