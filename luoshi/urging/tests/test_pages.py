"""催办督办 pages: from the task page to the notice, the reply and the office's decisions;
who sees what (another unit gets a 404, observers read only), the list's filters and
counts, the printable document and the statistics per unit."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine

from luoshi.urging import services
from luoshi.urging.models import UrgingNotice
from luoshi.urging.states import UrgingStatus as U
from luoshi.urging.tests.conftest import REPLY, TEXT

pytestmark = pytest.mark.django_db


def page(client, url: str, status: int = 200) -> str:
    r = client.get(url)
    assert r.status_code == status, (url, r.status_code)
    return r.content.decode()


def test_the_task_page_offers_urging_to_the_office_only(client, users, running) -> None:
    client.force_login(users["office"])
    html = page(client, f"/tasks/{running.pk}/")
    assert 'data-testid="urging-panel"' in html and "尚未催办" in html
    assert f'href="/urging/new/?assignment={running.pk}"' in html
    for username in ("liaison_a", "observer", "vleader"):
        client.force_login(users[username])
        assert 'data-testid="urge-button"' not in page(client, f"/tasks/{running.pk}/")


def test_the_office_issues_from_the_form(client, users, units, running) -> None:
    client.force_login(users["office"])
    url = f"/urging/new/?assignment={running.pk}"
    html = page(client, url)
    assert 'value="2026-11-26"' in html  # three working days
    assert "市住房和城乡建设局（牵头单位）" in html and "市财政局（配合单位）" in html
    housing = units["市住房和城乡建设局"].pk
    r = client.post(
        url, {"kind": "notice", "unit": housing, "text": "请加快", "reply_due": "2026-11-28"}
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "至少 10 个字" in html and "\n请加快</textarea>" in html  # the input is kept
    assert 'value="2026-11-28"' in html and re.search(r'value="notice"[^>]*checked', html)
    r = client.post(
        url, {"kind": "notice", "unit": housing, "text": TEXT, "reply_due": "2026-11-28"}
    )
    assert r.status_code == 400 and "不是工作日" in r.content.decode()
    assert not UrgingNotice.objects.exists()
    r = client.post(
        url, {"kind": "notice", "unit": housing, "text": TEXT, "reply_due": "2026-11-27"}
    )
    n = UrgingNotice.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/urging/{n.pk}/"
    html = page(client, r["Location"])
    assert "已发出督办通知，编号 督办〔2026〕第1号。" in html
    assert 'data-testid="urging-number">督办〔2026〕第1号' in html
    assert "2026年11月27日" in html and TEXT in html
    assert "尚未签阅" in html  # the office opening it is no 签阅
    html = page(client, f"/tasks/{running.pk}/")
    assert f'href="/urging/{n.pk}/"' in html and "待回复" in html


@pytest.mark.parametrize("username", ["liaison_a", "observer", "liaison_b"])
def test_only_the_office_opens_the_form(client, users, running, username) -> None:
    client.force_login(users[username])
    expected = 404 if username == "liaison_b" else 403  # liaison_b cannot see the task
    page(client, f"/urging/new/?assignment={running.pk}", expected)
    page(client, "/urging/new/?assignment=x", 404)


def test_a_finished_task_is_not_urged(client, users, units, running) -> None:
    from luoshi.ledger import services as ledger

    ledger.matter_cancel(users["vleader"], running.matter, "事项已由其他部门办理")
    client.force_login(users["office"])
    html = page(client, f"/urging/new/?assignment={running.pk}")
    assert 'data-testid="urging-closed"' in html and 'data-testid="urging-form"' not in html
    assert 'data-testid="urge-button"' not in page(client, f"/tasks/{running.pk}/")


def test_another_unit_gets_a_404_and_observers_read_only(client, users, notice) -> None:
    client.force_login(users["liaison_b"])
    for url in (f"/urging/{notice.pk}/", f"/urging/{notice.pk}/print/"):
        page(client, url, 404)
    assert client.post(f"/urging/{notice.pk}/reply/", {"reply_text": REPLY}).status_code == 404
    assert "督办〔" not in page(client, "/urging/") and notice.number not in page(
        client, "/urging/"
    )

    client.force_login(users["observer"])
    html = page(client, f"/urging/{notice.pk}/")
    assert TEXT in html
    for testid in ("urging-reply-form", "urging-review-form", "urging-cancel"):
        assert f'data-testid="{testid}"' not in html
    assert notice.number in page(client, "/urging/")
    assert client.post(f"/urging/{notice.pk}/reply/", {"reply_text": REPLY}).status_code == 403
    assert (
        client.post(f"/urging/{notice.pk}/cancel/", {"reason": "观察员想撤回"}).status_code == 403
    )
    notice.refresh_from_db()
    assert notice.status == U.ISSUED and notice.read_at is None


def test_the_unit_reads_replies_and_the_office_decides(client, users, notice) -> None:
    url = f"/urging/{notice.pk}/"
    client.force_login(users["liaison_a"])
    html = page(client, url)
    assert 'data-testid="urging-reply-form"' in html and 'data-testid="urging-cancel"' not in html
    notice.refresh_from_db()
    assert notice.read_by == users["liaison_a"]
    r = client.post(f"{url}reply/", {"reply_text": "已办理", "version": notice.version})
    assert r.status_code == 400
    assert (
        "请填写回复内容（至少 10 个字）" in r.content.decode()
        and "\n已办理</textarea>" in r.content.decode()
    )
    r = client.post(f"{url}reply/", {"reply_text": REPLY, "version": notice.version})
    assert r.status_code == 302
    html = page(client, url)
    assert "已回复，等待督查室确认。" in html and REPLY in html
    assert 'data-testid="urging-reply-form"' not in html
    assert client.post(f"{url}accept/", {"version": 2}).status_code == 403

    client.force_login(users["office"])
    html = page(client, url)
    assert 'data-testid="urging-review-form"' in html
    r = client.post(f"{url}return/", {"comment": "", "version": 2})
    assert r.status_code == 400 and "请填写退回意见（至少 5 个字）" in r.content.decode()
    r = client.post(
        f"{url}return/", {"comment": "请写明完成时间。", "reply_due": "2026-11-30", "version": 2}
    )
    assert r.status_code == 302
    notice.refresh_from_db()
    assert (notice.status, notice.reply_due, notice.returns) == (U.RETURNED, date(2026, 11, 30), 1)

    client.force_login(users["head_a"])
    html = page(client, url)
    assert "重新回复" in html and f"\n{REPLY}</textarea>" in html  # the last reply to correct
    client.post(f"{url}reply/", {"reply_text": REPLY + "11月底完成。", "version": notice.version})
    client.force_login(users["office"])
    r = client.post(f"{url}accept/", {"comment": "", "version": notice.version + 1})
    assert r.status_code == 302
    html = page(client, url)
    assert "已确认回复，该催办已办结。" in html and "已办结" in html
    events = html.split('data-testid="urging-events"')[1]
    for label in (
        "催办",
        "回复催办 → 已回复",
        "退回催办回复 → 被退回：请写明完成时间。",
        "催办办结 → 已办结",
    ):
        assert label in events


def test_a_stale_page_is_refused_with_the_input_kept(client, users, notice) -> None:
    url = f"/urging/{notice.pk}/"
    client.force_login(users["liaison_a"])
    client.post(f"{url}reply/", {"reply_text": REPLY, "version": 1})
    client.force_login(users["inspector"])
    client.post(f"{url}accept/", {"version": 2})
    client.force_login(users["office"])
    r = client.post(f"{url}return/", {"comment": "请补充整改时间表。", "version": 2})
    assert r.status_code == 409
    assert "已被他人处理" in r.content.decode()
    notice.refresh_from_db()
    assert notice.status == U.ACCEPTED


def test_the_office_withdraws(client, users, notice) -> None:
    client.force_login(users["office"])
    url = f"/urging/{notice.pk}/"
    r = client.post(f"{url}cancel/", {"reason": "", "version": 1})
    assert r.status_code == 400 and "请填写撤回原因" in r.content.decode()
    r = client.post(f"{url}cancel/", {"reason": "误发，任务已办理", "version": 1})
    assert r.status_code == 302
    assert "已撤回该催办单。" in page(client, url)
    page(client, f"{url}nothing/", 405)
    assert client.post(f"{url}nothing/").status_code == 404


def test_the_list_is_scoped_filtered_and_counted(client, users, units, running, notice) -> None:
    finance = services.urging_issue(
        users["office"], running, unit=units["市财政局"], text=TEXT, kind="notice"
    )
    client.force_login(users["office"])
    html = page(client, "/urging/")
    assert notice.number in html and finance.number in html
    counts = html.split('data-testid="urging-counts"')[1].split("</nav>")[0]
    assert "全部 <b>2</b>" in counts and "待回复 <b>2</b>" in counts
    html = page(client, "/urging/?kind=notice")
    assert finance.number in html and notice.number not in html
    html = page(client, f"/urging/?unit={units['市住房和城乡建设局'].pk}&year=2026")
    assert notice.number in html and finance.number not in html
    assert 'class="urging-overdue"' not in html

    with time_machine.travel("2026-11-27 10:00 +0800", tick=False):
        client.force_login(users["office"])  # the session of Monday has expired
        html = page(client, "/urging/?status=overdue")
        assert html.count('class="urging-overdue"') == 2 and "逾期未回复</span>" in html
        assert '<span class="urging-bad">逾期未回复 <b>2</b></span>' in html
        assert notice.number in page(client, "/urging/?status=issued")
        assert notice.number not in page(client, "/urging/?status=replied")

    client.force_login(users["liaison_a"])
    html = page(client, "/urging/")
    assert notice.number in html and finance.number not in html  # only its own
    page(client, f"/urging/{finance.pk}/", 404)
    client.force_login(users["sysadmin"])
    page(client, "/urging/", 403)


def test_the_menu_shows_urging_to_the_roles_that_use_it(client, users) -> None:
    for username, shown in (("office", True), ("liaison_a", True), ("observer", True),
                            ("leader", True), ("sysadmin", False)):  # fmt: skip
        client.force_login(users[username])
        assert ('href="/urging/"' in page(client, "/")) is shown, username


def test_the_print_page_is_the_document(client, users, units, running, notice) -> None:
    client.force_login(users["liaison_a"])
    html = page(client, f"/urging/{notice.pk}/print/")
    assert "<nav" not in html and 'data-testid="whoami"' not in html  # no app chrome
    assert "@media print" not in html and "urging.css" in html
    assert 'data-testid="doc-kind">催办单' in html
    assert 'data-testid="doc-number">催办〔2026〕第1号' in html
    assert 'data-testid="doc-to">市住房和城乡建设局：' in html
    assert TEXT in html and "请于2026年11月26日前将办理情况通过系统回复。" in html
    assert "市政府督查室" in html and "2026年11月23日" in html
    assert "抄送：刘卫东分管副市长，市财政局。" in html
    assert "牵头承办" in html


def test_the_statistics_per_unit(client, users, units, running, notice) -> None:
    services.urging_reply(users["liaison_a"], notice, REPLY)
    services.urging_issue(users["office"], running, unit=units["市财政局"], text=TEXT)
    client.force_login(users["observer"])
    html = page(client, "/urging/stats/")
    table = html.split('data-testid="urging-stats"')[1]
    housing = table.split(f'data-unit="{units["市住房和城乡建设局"].pk}"')[1].split("</tr>")[0]
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.split(r"<td[^>]*>", housing)[1:]]
    assert cells == ["1", "1", "1", "0", "0", "0"]
    assert "合计" in table and 'data-testid="urging-stats-total"' in table
    assert "2026 年发出" in page(client, "/urging/stats/?year=2026")
    for username in ("liaison_a", "sysadmin"):
        client.force_login(users[username])
        page(client, "/urging/stats/", 403)
