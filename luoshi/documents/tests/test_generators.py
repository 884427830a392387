"""Drafts written from data: the monthly circular from a known ledger, the 督查专报 and the
督办通知 from a matter."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from luoshi.core.errors import ServiceError
from luoshi.documents import generators, monthly
from luoshi.followup.services import reports
from luoshi.ledger.models import Assignment
from luoshi.workbench.tests.scenario import make_task

SH = ZoneInfo("Asia/Shanghai")
HOUSING, ECOLOGY, FINANCE = "市住房和城乡建设局", "市生态环境局", "市财政局"


def _task(users, units, title, lead, due, **fields):
    a = make_task(users, units, title, due, lead=lead, sign=lead != FINANCE)
    Assignment.objects.filter(pk=a.pk).update(due_date=due, **fields)
    return a


@pytest.fixture
def ledger(users, units, now):
    """November 2026, today the 23rd: 住建 has a task 3 days overdue (named), 环境 finished
    its task due this month on time (praised), 财政 finished late (neither)."""
    done = {"status": "completed"}
    _task(users, units, "住建已办结", HOUSING, date(2026, 11, 10), **done,
          completed_at=datetime(2026, 11, 8, 10, tzinfo=SH))  # fmt: skip
    _task(users, units, "住建逾期事项", HOUSING, date(2026, 11, 20))
    _task(users, units, "环境按期事项", ECOLOGY, date(2026, 11, 12), **done,
          completed_at=datetime(2026, 11, 12, 17, tzinfo=SH))  # fmt: skip
    _task(users, units, "环境年底事项", ECOLOGY, date(2026, 12, 31))
    _task(users, units, "财政迟办事项", FINANCE, date(2026, 11, 5), **done,
          completed_at=datetime(2026, 11, 9, 10, tzinfo=SH))  # fmt: skip


def test_it_writes_the_monthly_circular(users, units, ledger) -> None:
    office = units["市政府督查室"]
    d = monthly.circular_for_month(users["office"], office, 2026, 11)
    assert d.kind == "circular" and d.status == "draft" and not d.number
    assert (d.period_year, d.period_month) == (2026, 11)
    assert d.title == "关于2026年11月份重点工作督查情况的通报"
    assert d.copies == "市纪委监委、市考核办、市新闻办"
    lines = d.body.splitlines()
    heads = [line for line in lines if line[:2] in ("一、", "二、", "三、", "四、", "五、")]
    assert heads == [
        "一、总体情况",
        "二、各单位办理情况",
        "三、点名通报",
        "四、表扬",
        "五、下步要求",
    ]
    assert "11月份新交办，纳入督办的任务5项，已办结3项" in d.body
    named = d.body.split("三、点名通报")[1].split("四、表扬")[0]
    assert "1．市住房和城乡建设局：“住建逾期事项”（时限11月20日，逾期3天）。" in named
    assert ECOLOGY not in named and FINANCE not in named
    praised = d.body.split("四、表扬")[1].split("五、")[0]
    assert ECOLOGY in praised and HOUSING not in praised and FINANCE not in praised
    assert d.table["header"][:3] == ["序号", "单位", "任务数"]
    units_in_table = [row[1] for row in d.table["rows"]]
    assert sorted(units_in_table) == sorted([HOUSING, ECOLOGY, FINANCE])
    housing = next(r for r in d.table["rows"] if r[1] == HOUSING)
    assert housing[2:4] == ["2", "1"] and housing[-1] == "1"  # 2 tasks, 1 done, 1 overdue
    assert "【表格】" in lines


def test_it_refuses_a_month_not_yet_begun(users, units, now) -> None:
    with pytest.raises(ServiceError, match="尚未开始"):
        monthly.circular_for_month(users["office"], units["市政府督查室"], 2026, 12)
    with pytest.raises(ServiceError, match="有效"):
        monthly.circular_for_month(users["office"], units["市政府督查室"], 2026, 13)


def test_it_writes_a_brief_and_a_notice_from_a_matter(users, units, now) -> None:
    a = make_task(users, units, "老旧小区改造", date(2026, 12, 31))
    r = reports.report_submit(users["head_a"], a, text="已完成主体施工的60%。", progress=60)
    reports.report_accept(users["office"], r)
    brief = generators.brief_from_matter(users["office"], a.matter)
    assert brief.kind == "brief" and brief.matter_id == a.matter_id
    assert "一、事项来源" in brief.body and "会议议定" in brief.body
    assert f"（一）{HOUSING}牵头" in brief.body
    assert "进度60%）：已完成主体施工的60%。" in brief.body
    assert "尚在办理中" in brief.body
    notice = generators.notice_from_matter(users["office"], a.matter)
    assert notice.kind == "notice" and notice.recipients == HOUSING
    # 5 working days after Monday 2026-11-23.
    assert "请于2026年11月30日前（5个工作日内）" in notice.body
    assert generators.cn_index(12) == "十二" and generators.cn_index(20) == "二十"
