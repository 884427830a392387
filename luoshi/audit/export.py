"""The audit log as .xlsx, for the auditor's own records or an assessor's request."""

from __future__ import annotations

import json
import tempfile
from typing import IO, Any

import xlsxwriter
from django.db.models import QuerySet
from django.utils import timezone

from luoshi.audit.models import AuditRecord
from luoshi.core.errors import ServiceError

MAX_ROWS = 200_000
HEADERS = (
    ("序号", 8), ("时间", 27), ("用户名", 14), ("姓名", 10), ("单位", 22), ("角色", 18),
    ("地址", 16), ("请求编号", 34), ("事件", 14), ("请求", 40), ("对象", 30), ("结果", 6),
    ("状态码", 8), ("说明", 40), ("变更前", 50), ("变更后", 50), ("上一条哈希", 66), ("哈希", 66),
)  # fmt: skip


def _json(value: Any) -> str:
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)[:32000]  # Excel's cell limit


def write_xlsx(qs: QuerySet[AuditRecord]) -> IO[bytes]:
    """Stream the records into a temporary file (constant memory) and return it rewound."""
    total = qs.count()
    if total > MAX_ROWS:
        raise ServiceError(
            f"符合条件的记录有 {total} 条，超过单次导出上限 {MAX_ROWS} 条，请缩小时间范围。"
        )
    # Returned open: FileResponse closes (and so deletes) it once sent.
    handle = tempfile.TemporaryFile()  # noqa: SIM115
    book = xlsxwriter.Workbook(handle, {"constant_memory": True, "in_memory": False})
    sheet = book.add_worksheet("审计记录")
    bold = book.add_format({"bold": True, "bg_color": "#EEEEEE", "border": 1})
    for col, (title, width) in enumerate(HEADERS):
        sheet.set_column(col, col, width)
        sheet.write(0, col, title, bold)
    sheet.freeze_panes(1, 0)
    for row, r in enumerate(qs.order_by("seq").iterator(chunk_size=2000), start=1):
        local = timezone.localtime(r.at)
        values = (
            r.seq, local.isoformat(timespec="seconds"), r.username, r.user_name, r.unit_name,
            r.roles, r.address, r.request_id, r.get_event_display(), f"{r.method} {r.path}".strip(),
            " ".join(x for x in (r.object_type, r.object_id, r.object_repr) if x),
            "成功" if r.success else "失败", r.status_code or "", r.detail,
            _json(r.before), _json(r.after), r.prev_hash, r.hash,
        )  # fmt: skip
        for col, value in enumerate(values):
            sheet.write(row, col, value)
    book.close()
    handle.seek(0)
    return handle
