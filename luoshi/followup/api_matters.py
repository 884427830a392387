"""REST API for closing a matter: 呈报, 销号, 续办, 归档 and the year-end review of
long-term matters. Each answers with the matter and its new ETag; an If-Match header,
when sent, must hold."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from luoshi.core.errors import ServiceError
from luoshi.followup.api import ID, valid
from luoshi.followup.serializers import ContinueSerializer, YearReviewSerializer
from luoshi.followup.services import closing
from luoshi.ledger import selectors
from luoshi.ledger.api import matter_response, precondition
from luoshi.ledger.models import Matter
from luoshi.ledger.serializers import CommentSerializer, MatterSerializer


class MatterFollowupViewSet(viewsets.GenericViewSet):
    """事项的呈报、销号、续办、归档和年终评估。"""

    serializer_class = MatterSerializer
    lookup_value_regex = ID

    def get_queryset(self) -> Any:
        return selectors.matter_queryset_for(self.request.user)

    def _matter(self, request: Request) -> Matter:
        matter: Matter = self.get_object()
        precondition(request, matter, required=False)
        return matter

    def _comment(self, request: Request) -> str:
        return str(valid(CommentSerializer, request)["comment"])

    @extend_schema(
        request=CommentSerializer,
        responses=MatterSerializer,
        summary="呈报领导",
        description="全部任务核查通过后，督查室将事项呈报分管领导，由领导销号或批示续办。",
    )
    @action(detail=True, methods=["post"], url_path="report-to-leader")
    def report_to_leader(self, request: Request, pk: str | None = None) -> Response:
        matter = self._matter(request)
        comment = self._comment(request)
        return matter_response(request, closing.report_to_leader(request.user, matter, comment))

    @extend_schema(
        request=CommentSerializer,
        responses=MatterSerializer,
        summary="销号",
        description="分管领导或主要领导对已呈报的事项销号，事项办结。",
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        matter = self._matter(request)
        comment = self._comment(request)
        return matter_response(request, closing.close(request.user, matter, comment))

    @extend_schema(
        request=ContinueSerializer,
        responses=MatterSerializer,
        summary="批示续办",
        description="领导对已呈报的事项提出续办要求和新的完成时限，所选任务（默认全部已办结"
        "任务）重新进入办理，原时限保留在时限记录中。",
    )
    @action(detail=True, methods=["post"], url_path="continue")
    def continue_(self, request: Request, pk: str | None = None) -> Response:
        matter = self._matter(request)
        data = valid(ContinueSerializer, request)
        ids = set(data.pop("assignments", None) or [])
        chosen = list(matter.assignments.filter(pk__in=ids)) if ids else None
        if chosen is not None and len(chosen) != len(ids):
            raise ServiceError("所选任务不属于该事项。", field="assignments")
        matter = closing.continue_work(request.user, matter, assignments=chosen, **data)
        return matter_response(request, matter)

    @extend_schema(
        request=None,
        responses=MatterSerializer,
        summary="归档",
        description="督查室将已销号的事项归档，此后只读。",
    )
    @action(detail=True, methods=["post"])
    def archive(self, request: Request, pk: str | None = None) -> Response:
        matter = self._matter(request)
        return matter_response(request, closing.archive(request.user, matter))

    @extend_schema(
        request=YearReviewSerializer,
        responses=MatterSerializer,
        summary="年终评估",
        description="督查室对长期跟踪事项作年终评估，可将办理中任务的完成时限顺延到明年。",
    )
    @action(detail=True, methods=["post"], url_path="year-review")
    def year_review(self, request: Request, pk: str | None = None) -> Response:
        matter = self._matter(request)
        data = valid(YearReviewSerializer, request)
        return matter_response(request, closing.year_review(request.user, matter, **data))
