from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from luoshi.accounts.roles import Role
from luoshi.org.models import Unit
from luoshi.org.selectors import unit_queryset_for


class UnitSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "kind_label",
            "parent",
            "order",
            "is_active",
            "depth",
        ]


class UnitList(generics.ListAPIView):
    """The unit directory, in tree order within each level."""

    serializer_class = UnitSerializer

    def get_queryset(self):
        qs = unit_queryset_for(self.request.user).order_by("depth", "order", "id")
        if self.request.query_params.get("active") == "1":
            qs = qs.filter(is_active=True)
        return qs


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()
    unit = UnitSerializer()
    roles = serializers.ListField(child=serializers.DictField())


@extend_schema(summary="当前用户、所属单位及其角色", responses=MeSerializer)
@api_view(["GET"])
def me(request: Request) -> Response:
    user = request.user
    grants = user.grants.select_related("unit")  # type: ignore[union-attr]
    roles = [
        {"role": g.role, "label": str(Role(g.role).label), "unit": g.unit.name} for g in grants
    ]
    return Response(
        {
            "username": user.username,
            "name": user.name,  # type: ignore[union-attr]
            "unit": UnitSerializer(user.unit).data,  # type: ignore[union-attr]
            "roles": roles,
        }
    )
