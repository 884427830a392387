"""The upload check: type by content (the name must agree), size, macros, encryption, zip
bombs, unsafe paths, nested archives; each refusal names the file."""

from __future__ import annotations

import io

import docx
import openpyxl
import pytest

from luoshi.core import uploads
from luoshi.core.tests import files
from luoshi.followup import evidence

MB = 1024 * 1024


def check(name: str, data: bytes, policy: uploads.Policy | None = None) -> uploads.Checked:
    return uploads.check_bytes(data, name, policy or evidence.policy())


def refused(name: str, data: bytes, policy: uploads.Policy | None = None) -> uploads.UploadRejected:
    with pytest.raises(uploads.UploadRejected) as caught:
        check(name, data, policy)
    assert f"“{uploads.clean_name(name)}”" in caught.value.message  # names the file
    return caught.value


def real_docx() -> bytes:
    buf = io.BytesIO()
    docx.Document().save(buf)
    return buf.getvalue()


def real_xlsx() -> bytes:
    buf = io.BytesIO()
    openpyxl.Workbook().save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("照片.JPG", files.JPEG, "image/jpeg"),
        ("a.jpeg", files.JPEG, "image/jpeg"),
        ("a.png", files.PNG, "image/png"),
        ("a.gif", files.GIF, "image/gif"),
        ("a.webp", files.WEBP, "image/webp"),
        ("a.pdf", files.PDF, "application/pdf"),
        ("a.doc", files.doc(), "application/msword"),
        ("a.wps", files.doc(), "application/vnd.ms-works"),
        ("a.xls", files.xls(), "application/vnd.ms-excel"),
        ("报告.docx", real_docx(), evidence.uploads.filetypes.KINDS["docx"].content_types[".docx"]),
        ("a.xlsx", real_xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("a.pptx", files.package("pptx"),
         "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        ("a.ofd", files.ofd(), "application/ofd"),
    ],
)  # fmt: skip
def test_it_accepts_real_files_and_takes_the_type_from_the_content(name, data, content_type):
    got = check(name, data)
    assert got.content_type == content_type
    assert got.name == name


def test_it_ignores_what_the_browser_says_the_type_is() -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    f = SimpleUploadedFile("a.png", files.PNG, content_type="application/x-msdownload")
    assert uploads.check(f, evidence.policy()).content_type == "image/png"
    f = SimpleUploadedFile("a.pdf", files.EXE, content_type="application/pdf")
    assert refused_file(f).reason == "mismatch"


def refused_file(f) -> uploads.UploadRejected:
    with pytest.raises(uploads.UploadRejected) as caught:
        uploads.check(f, evidence.policy())
    return caught.value


@pytest.mark.parametrize(
    ("name", "data", "reason", "words"),
    [
        ("setup.exe", files.EXE, "type_not_allowed", "类型不允许"),
        ("照片.jpg", files.EXE, "mismatch", "内容与扩展名不符"),  # a renamed executable
        ("报告.pdf", files.PNG, "mismatch", "内容与扩展名不符"),
        ("a.webp", b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\0" * 16, "mismatch", "不符"),
        ("表.xlsx", real_docx(), "mismatch", "不符"),  # a Word file renamed
        ("a.docx", files.plain_zip({"a.txt": b"x"}), "mismatch", "不符"),  # a plain ZIP
        ("a.doc", files.xls(), "mismatch", "不符"),
        ("空.png", b"", "empty", "是空文件"),
        ("宏.docx", files.package("docm"), "macro", "含有宏"),  # a .docm renamed
        ("宏.docx", files.package("docx", {"word/vbaProject.bin": b"\xcc" * 64}), "macro", "宏"),
        ("宏.doc", files.doc(macros=True), "macro", "含有宏"),
        ("宏.xls", files.xls(macros=True), "macro", "含有宏"),
        ("加密.docx", files.encrypted_ooxml(), "encrypted", "加密"),
        ("炸弹.docx", files.bomb_by_ratio(), "archive_ratio", "压缩比异常"),
        ("a.docx", files.package("docx", {"../../evil.xml": b"x"}), "unsafe_path", "不安全的文件路径"),
        ("a.docx", files.package("docx", {"/etc/x.xml": b"x"}), "unsafe_path", "不安全"),
        ("a.docx", files.package("docx", {"word/media/a.zip": files.plain_zip({"a": b"b"})}),
         "nested_archive", "压缩包"),
        ("a.docx", files.package("docx", {"word/embeddings/Sheet.xlsm": files.package("xlsx", {
            "xl/vbaProject.bin": b"\0"})}), "macro", "含有宏"),
        ("a.docx", files.package("docx", {"word/embeddings/oleObject1.bin": files.doc(macros=True)}),
         "macro", "含有宏"),
        ("坏.docx", b"PK\x03\x04" + b"\0" * 40, "damaged", "已损坏"),
    ],
)  # fmt: skip
def test_it_refuses_with_a_reason_naming_the_file(name, data, reason, words) -> None:
    exc = refused(name, data)
    assert exc.reason == reason
    assert words in exc.message
    assert exc.field == "files"


def test_an_embedded_chart_workbook_is_fine() -> None:
    chart = files.package("xlsx")
    data = files.package("docx", {"word/embeddings/Microsoft_Excel_Worksheet.xlsx": chart})
    assert check("图表.docx", data).content_type.endswith("wordprocessingml.document")


def test_it_refuses_what_expands_beyond_the_limits(settings) -> None:
    settings.LUOSHI_ARCHIVE_MAX_MB = 1
    many = files.package(
        "docx", {"word/media/a.bin": b"\1" * 700_000, "word/b.bin": b"\2" * 700_000}
    )
    assert refused("大.docx", many).reason == "archive_too_large"
    settings.LUOSHI_ARCHIVE_MAX_ENTRIES = 20
    crowd = files.package("docx", {f"word/p{i}.xml": b"<p/>" for i in range(30)})
    exc = refused("多.docx", crowd)
    assert exc.reason == "archive_entries" and "超过 20 个" in exc.message


def test_it_reads_only_the_central_directory_of_a_bomb(monkeypatch) -> None:
    import zipfile

    bomb = files.bomb_by_ratio()
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    refused("炸弹.docx", bomb)
    assert opened == []  # judged before any part was opened


def test_it_refuses_a_file_over_the_size_limit(settings) -> None:
    settings.LUOSHI_UPLOAD_MAX_MB = 1
    exc = refused("大.pdf", files.PDF + b"\0" * MB)
    assert exc.reason == "too_large" and "超过 1 MB" in exc.message


def test_imports_take_only_real_workbooks_up_to_10_mb() -> None:
    policy = uploads.IMPORT_XLSX
    assert check("分解表.xlsx", real_xlsx(), policy).kind == "xlsx"
    assert refused("分解表.xls", files.xls(), policy).reason == "type_not_allowed"
    vba = [("xl/vbaProject.bin", "application/vnd.ms-office.vbaProject")]
    assert refused("分解表.xlsx", files.package("xlsx", types=vba), policy).reason == "macro"
    big = uploads.check_bytes
    with pytest.raises(uploads.UploadRejected, match="超过 10 MB"):
        big(b"PK\x03\x04" + b"\0" * (10 * MB), "大.xlsx", policy)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("C:\\Users\\zhao\\照片.png", "照片.png"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("报告\r\n\x00.pdf", "报告.pdf"),
        ("photo\u202egpj.exe", "photogpj.exe"),  # a right-to-left override hides .exe
        ("a.pdf. . ", "a.pdf"),
        ("", "未命名文件"),
        (".pdf", "未命名文件.pdf"),
        ("长" * 300 + ".docx", "长" * 115 + ".docx"),
    ],
)
def test_the_original_name_is_cleaned_for_display(raw, clean) -> None:
    assert uploads.clean_name(raw) == clean
