"""一事一档: one matter's complete file as a ZIP, built into a temporary file so memory stays
bounded whatever the size of its evidence: the summary (PDF and DOCX), every report's
text, every evidence file byte for byte, the event log, and a manifest of checksums."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import zipfile
from datetime import datetime
from pathlib import PurePath
from typing import IO, Any

from django.utils import timezone

from luoshi.audit.events import Event
from luoshi.audit.services import audit
from luoshi.core import downloads
from luoshi.core.errors import ServiceError
from luoshi.core.hashing import HashingWriter
from luoshi.documents import convert
from luoshi.dossier import eventlog, fmt, layout, summary
from luoshi.dossier.collect import gather
from luoshi.ledger.models import Matter

# Already compressed: deflating them again costs time and saves nothing.
STORED = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".pdf", ".docx", ".xlsx", ".pptx",
          ".ofd", ".zip"}  # fmt: skip
CHUNK = 1024 * 1024
INTEGRITY_NOTES = {
    "missing": "存储中找不到该文件",
    "mismatch": "文件与上传时记录的校验值（SHA-256）不一致，可能已被篡改或损坏",
}


class _Zip:
    def __init__(self, zf: zipfile.ZipFile, at: datetime) -> None:
        self.zf = zf
        self.time = timezone.localtime(at).timetuple()[:6]
        self.entries: list[tuple[str, int, str]] = []  # path, size, sha256

    def _info(self, path: str, at: datetime | None = None) -> zipfile.ZipInfo:
        # Non-ASCII names get the UTF-8 flag (bit 11) from zipfile, so Windows shows them.
        stamp = timezone.localtime(at).timetuple()[:6] if at else self.time
        info = zipfile.ZipInfo(path, date_time=max(stamp, (1980, 1, 1, 0, 0, 0)))
        suffix = PurePath(path).suffix.lower()
        info.compress_type = zipfile.ZIP_STORED if suffix in STORED else zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        return info

    def add(self, path: str, data: bytes) -> None:
        self.zf.writestr(self._info(path), data)
        self.entries.append((path, len(data), hashlib.sha256(data).hexdigest()))

    def add_stream(self, path: str, source: IO[bytes], size: int, at: datetime | None) -> str:
        info = self._info(path, at)
        with self.zf.open(info, "w", force_zip64=size > 1 << 30) as target:
            sink = HashingWriter(target)
            shutil.copyfileobj(source, sink, CHUNK)
        digest = sink.hexdigest()
        self.entries.append((path, sink.size, digest))
        return digest


def zip_name(matter: Matter) -> str:
    return f"一事一档_{fmt.safe_name(matter.number) if matter.number else matter.pk}.zip"


def _manifest(z: _Zip, matter: Matter, user: Any, at: datetime) -> bytes:
    unit = getattr(getattr(user, "unit", None), "name", "")
    lines = [
        "一事一档 文件清单",
        f"事项：{matter.number or '（未编号）'} {matter.title}",
        f"导出时间：{fmt.stamp(at)}",
        f"导出人：{fmt.person(user)}" + (f"（{unit}）" if unit else ""),
        f"文件数：{len(z.entries)}（不含本清单）",
        "",
        "SHA-256\t大小（字节）\t文件",
    ]
    lines += [f"{sha}\t{size}\t{path}" for path, size, sha in z.entries]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def write(target: IO[bytes], matter: Matter, user: Any, at: datetime | None = None) -> None:
    """Write the matter's file as a ZIP into ``target`` (a seekable binary file)."""
    at = at or timezone.now()
    d = gather(matter)
    plan = layout.plan(d)
    notes: list[str] = []
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        z = _Zip(zf, at)
        docx = summary.build(d, user, at)
        try:
            z.add("事项概要.pdf", convert.docx_to_pdf(docx))
        except ServiceError as exc:
            notes.append(f"事项概要.pdf 未能生成：{exc.message} 请查看 事项概要.docx，内容相同。")
        z.add("事项概要.docx", docx)
        for seq, report in enumerate(d.reports, start=1):
            text = layout.report_text(d, plan, seq, report)
            z.add(plan.report_files[report.pk], text.encode("utf-8"))
        for pk, path in plan.files.items():
            att = plan.attachments[pk]
            # Verified before it goes in: a missing or altered file is left out, said so,
            # and written to the audit log, never passed on as if it were the evidence.
            try:
                source = downloads.open_verified(att.file, att.sha256)
            except downloads.FileIntegrityError as exc:
                why = INTEGRITY_NOTES[exc.reason]
                notes.append(f"{path}：{why}（{att.name}），未能收入。")
                audit(Event.FILE_INTEGRITY, actor=user, obj=att, success=False,
                      detail=f"{exc.reason}：一事一档导出时{why}")  # fmt: skip
                continue
            with source:
                z.add_stream(path, source, att.size, att.uploaded_at)
        table = eventlog.rows(d.events)
        z.add("事项记录.xlsx", eventlog.to_xlsx(table))
        z.add("事项记录.csv", eventlog.to_csv(table))
        if notes:
            z.add("说明.txt", ("\r\n".join(notes) + "\r\n").encode("utf-8"))
        zf.writestr(z._info("清单.txt"), _manifest(z, d.matter, user, at))


def build(matter: Matter, user: Any) -> IO[bytes]:
    """The ZIP in an anonymous temporary file, rewound; it disappears when closed."""
    # Not a context manager: the caller's response closes it after sending.
    handle = tempfile.TemporaryFile(prefix="luoshi-dossier-", suffix=".zip")  # noqa: SIM115
    try:
        write(handle, matter, user)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return handle
