"""DOCX → PDF with LibreOffice (headless), so the PDF is the DOCX's own layout.

Each conversion uses its own LibreOffice profile: two conversions sharing a profile make
the second one fail silently, and a profile per call costs well under a second.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

from luoshi.core.errors import ServiceError
from luoshi.documents import fonts

TIMEOUT_SECONDS = 120


def soffice() -> str | None:
    configured = os.environ.get("LUOSHI_SOFFICE", "")
    if configured:
        return configured if Path(configured).exists() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    return soffice() is not None


def docx_to_pdf(docx: bytes) -> bytes:
    """The PDF of ``docx``; ServiceError in Chinese when it cannot be made."""
    binary = soffice()
    if binary is None:
        raise ServiceError(
            "服务器未安装 LibreOffice，无法生成 PDF；请下载 DOCX，或请管理员安装 "
            "libreoffice-writer-nogui。"
        )
    conf = fonts.fontconfig_file(Path(settings.VAR_DIR) / "fontconfig")
    with tempfile.TemporaryDirectory(prefix="luoshi-pdf-") as work:
        source = Path(work) / "document.docx"
        source.write_bytes(docx)
        profile = Path(work) / "profile"
        env = {**os.environ, "FONTCONFIG_FILE": str(conf), "HOME": work}
        command = [
            binary,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            work,
            str(source),
        ]
        try:
            subprocess.run(  # noqa: S603 (our binary, a file we wrote)
                command, env=env, capture_output=True, timeout=TIMEOUT_SECONDS, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise ServiceError("生成 PDF 超时，请稍后重试。") from exc
        target = Path(work) / "document.pdf"
        if not target.exists() or target.stat().st_size == 0:
            raise ServiceError("生成 PDF 失败，请稍后重试或下载 DOCX。")
        return target.read_bytes()
