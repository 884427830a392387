"""Documents made through the services, and LibreOffice kept out of 签发 except where a
test asks for it (each conversion costs over a second)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from luoshi.documents import services
from luoshi.documents.models import OfficialDocument

BODY = "\n".join(
    [
        "为推动重点工作落实，现将有关情况通报如下。",
        "一、总体情况",
        "全市纳入督办的任务120项，已办结98项，办结率81.7%。",
        "（一）主要成效",
        "各单位高度重视，压实责任，推动任务按期完成。",
        "【表格】",
        "二、下步要求",
        "请各单位对照任务清单逐项抓好落实。",
    ]
)
TABLE = {"header": ["序号", "单位", "任务数"], "rows": [["1", "市住房和城乡建设局", "10"]]}


@pytest.fixture(autouse=True)
def no_pdf_on_issue(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "PDF_ON_ISSUE", False)


@pytest.fixture
def office_unit(units: Any) -> Any:
    return units["市政府督查室"]


def make_doc(users: Any, units: Any, kind: str = "circular", **fields: Any) -> OfficialDocument:
    data = {
        "title": "关于2026年10月份重点工作督查情况的通报",
        "recipients": "各区县人民政府，市政府各部门",
        "body": BODY,
        "table": TABLE,
        "issue_date": date(2026, 11, 23),
        **fields,
    }
    return services.document_create(users["office"], units["市政府督查室"], kind, **data)


@pytest.fixture
def draft(users: Any, units: Any, now: Any) -> OfficialDocument:
    return make_doc(users, units)


@pytest.fixture
def published(users: Any, units: Any, now: Any) -> OfficialDocument:
    doc = make_doc(users, units, title="关于公开事项的通报")
    services.document_issue(users["office"], doc)
    return services.document_publish(users["office"], doc)
