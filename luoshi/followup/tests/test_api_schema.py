"""The OpenAPI schema: generated without a warning, with the follow-through in Chinese."""

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_it_generates_the_schema_without_warnings(tmp_path) -> None:
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text(encoding="utf-8"))
    paths = schema["paths"]
    assert paths["/api/v1/assignments/{id}/reports/"]["post"]["summary"] == "报送办理情况"
    assert (
        "multipart/form-data"
        in paths["/api/v1/assignments/{id}/reports/"]["post"]["requestBody"]["content"]
    )
    assert "head-approve 的别名" in paths["/api/v1/reports/{id}/approve/"]["post"]["summary"]
    for path in ("/api/v1/extensions/{id}/approve/", "/api/v1/matters/{id}/continue/",
                 "/api/v1/assignments/{id}/verify/", "/api/v1/matters/{id}/cancel-approve/"):  # fmt: skip
        assert paths[path]["post"]["description"]
    enums = schema["components"]["schemas"]
    assert {"MatterStatusEnum", "AssignmentStatusEnum", "ReportStatusEnum",
            "ExtensionStatusEnum", "CompletionStatusEnum", "LightEnum"} <= set(enums)  # fmt: skip
