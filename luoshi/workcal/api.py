from datetime import date

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from luoshi.workcal import calendar


class AddWorkdaysQuery(serializers.Serializer):
    start = serializers.DateField(
        input_formats=["%Y-%m-%d"], error_messages={"invalid": "日期格式应为 YYYY-MM-DD。"}
    )
    days = serializers.IntegerField(
        min_value=-3650,
        max_value=3650,
        error_messages={"invalid": "days 应为整数。"},
    )


class BetweenQuery(serializers.Serializer):
    start = serializers.DateField(input_formats=["%Y-%m-%d"])
    end = serializers.DateField(input_formats=["%Y-%m-%d"])


class DayQuery(serializers.Serializer):
    date = serializers.DateField(input_formats=["%Y-%m-%d"])


@extend_schema(
    summary="起算日期加若干个工作日",
    parameters=[
        OpenApiParameter("start", str, description="YYYY-MM-DD"),
        OpenApiParameter("days", int, description="工作日数，可为 0 或负数"),
    ],
    responses={200: {"type": "object", "properties": {"date": {"type": "string"}}}},
)
@api_view(["GET"])
def add_workdays(request: Request) -> Response:
    query = AddWorkdaysQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    result: date = calendar.add_workdays(
        query.validated_data["start"], query.validated_data["days"]
    )
    return Response({"date": result.isoformat()})


@extend_schema(
    summary="两个日期之间的工作日数（不含起始日，含结束日）",
    parameters=[OpenApiParameter("start", str), OpenApiParameter("end", str)],
    responses={200: {"type": "object", "properties": {"workdays": {"type": "integer"}}}},
)
@api_view(["GET"])
def workdays_between(request: Request) -> Response:
    query = BetweenQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    data = query.validated_data
    return Response({"workdays": calendar.workdays_between(data["start"], data["end"])})


@extend_schema(
    summary="某日是否工作日",
    parameters=[OpenApiParameter("date", str)],
    responses={200: {"type": "object", "properties": {"workday": {"type": "boolean"}}}},
)
@api_view(["GET"])
def is_workday(request: Request) -> Response:
    query = DayQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    day = query.validated_data["date"]
    return Response({"date": day.isoformat(), "workday": calendar.is_workday(day)})
