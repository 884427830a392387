"""Completion, 核查, 呈报, 续办, 销号, 归档 and cancelling through the API; lights as filters."""

import pytest
from rest_framework.test import APIClient

from luoshi.followup.tests.conftest import PDF, PNG, upload
from luoshi.ledger import lights
from luoshi.ledger.tests.factories import make_matter

pytestmark = pytest.mark.django_db
RESULT = "12 个小区改造全部完工并通过竣工验收。"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def ask_completion(client: APIClient, assignment, files=()):
    data = {"result": RESULT, "files": list(files)}
    url = f"/api/v1/assignments/{assignment.pk}/request-completion/"
    return client.post(url, data, format="multipart")


def verify(client: APIClient, assignment, **data):
    return client.post(f"/api/v1/assignments/{assignment.pk}/verify/", data, format="json")


def test_it_walks_a_matter_from_completion_to_archive(users, running) -> None:
    liaison, office, leader = api(users["liaison_a"]), api(users["office"]), api(users["vleader"])
    matter = running.matter
    m_url = f"/api/v1/matters/{matter.pk}"

    r = ask_completion(liaison, running, [upload("验收报告.pdf", PDF)])
    assert r.status_code == 200, r.json()
    assert (r.json()["status"], r.json()["id"]) == ("pending_verification", running.pk)
    assert r.json()["completion_requested_at"]
    assert office.get(f"{m_url}/").json()["status"] == "pending_verification"
    assert verify(liaison, running, decision="accept").status_code == 403

    r = verify(office, running, decision="return")
    assert r.status_code == 400 and r.json()["field"] == "comment"
    r = verify(office, running, decision="return", comment="缺少竣工验收材料。")
    assert r.json()["status"] == "in_progress" and r.json()["completion_requested_at"] is None
    assert ask_completion(liaison, running, [upload("现场.png", PNG)]).status_code == 200
    r = verify(office, running, decision="accept", comment="核查属实", onsite_on="2026-11-23",
               onsite_by="督查室 王明", onsite_findings="实地查看 3 个小区，已完工。")  # fmt: skip
    assert r.json()["status"] == "completed" and r.json()["completed_at"]

    done = office.get(f"/api/v1/assignments/{running.pk}/completions/").json()["results"]
    assert [(c["status"], c["verify_comment"]) for c in done] == [
        ("accepted", "核查属实"), ("returned", "缺少竣工验收材料。"),
    ]  # fmt: skip
    assert (
        done[0]["onsite_findings"].startswith("实地查看") and done[0]["onsite_by"] == "督查室 王明"
    )
    assert [a["name"] for a in done[0]["attachments"]] == ["现场.png"]

    r = office.post(f"{m_url}/report-to-leader/", {"comment": "请审定"})
    assert r.status_code == 200
    assert r.json()["status"] == "reported" and r.json()["reported_at"]
    assert r["ETag"] == f'"{r.json()["version"]}"'
    assert office.post(f"{m_url}/close/").status_code == 403
    r = leader.post(f"{m_url}/continue/", {"requirement": "请巩固整改成效，做好长效管护。",
                    "due_date": "2026-12-30", "assignments": [running.pk]}, format="json")  # fmt: skip
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == "in_progress"
    task = r.json()["assignments"][0]
    assert (task["status"], task["due_date"], task["original_due_date"]) == (
        "in_progress", "2026-12-30", "2026-12-31",
    )  # fmt: skip
    causes = office.get(f"/api/v1/assignments/{running.pk}/deadlines/").json()["deadlines"]
    assert [(d["cause"], d["due_date"]) for d in causes] == [
        ("original", "2026-12-31"), ("continue", "2026-12-30"),
    ]  # fmt: skip

    ask_completion(liaison, running)
    verify(office, running, decision="accept")
    office.post(f"{m_url}/report-to-leader/")
    assert api(users["observer"]).post(f"{m_url}/close/").status_code == 403
    r = leader.post(f"{m_url}/close/", {"comment": "同意销号"})
    assert r.json()["status"] == "closed" and r.json()["closed_at"]
    assert leader.post(f"{m_url}/archive/").status_code == 403
    r = office.post(f"{m_url}/archive/")
    assert r.json()["status"] == "archived" and r.json()["archived_at"]
    r = ask_completion(liaison, running)
    assert r.status_code == 400 and "已归档" in r.json()["detail"]


def test_it_refuses_actions_out_of_turn_and_stale_etags(users, running) -> None:
    office, leader = api(users["office"]), api(users["vleader"])
    m_url = f"/api/v1/matters/{running.matter.pk}"
    r = office.post(f"{m_url}/report-to-leader/")
    assert r.status_code == 400 and "核查通过" in r.json()["detail"]
    assert (
        verify(office, running, decision="accept").json()["detail"]
        == "该任务没有待核查的办结申请。"
    )
    r = verify(office, running, decision="maybe")
    assert r.status_code == 400 and "decision" in r.json()["errors"]
    ask_completion(api(users["liaison_a"]), running)
    r = verify(office, running, decision="accept", onsite_findings="看过了，已完工。")
    assert r.status_code == 400 and r.json()["field"] == "onsite_findings"
    verify(office, running, decision="accept")
    etag = office.get(f"{m_url}/")["ETag"]
    r = office.post(f"{m_url}/report-to-leader/", HTTP_IF_MATCH='"1"')
    assert r.status_code == 412 and r.json()["code"] == "precondition_failed"
    r = office.post(f"{m_url}/report-to-leader/", HTTP_IF_MATCH=etag)
    assert r.status_code == 200 and r["ETag"] != etag
    r = leader.post(f"{m_url}/continue/", {"requirement": "继续巩固成效", "due_date": "2026-12-30",
                    "assignments": [running.pk + 100]}, format="json")  # fmt: skip
    assert r.status_code == 400 and r.json()["field"] == "assignments"
    r = leader.post(
        f"{m_url}/continue/",
        {"requirement": "继续巩固成效", "due_date": "2026-12-26"},
        format="json",
    )
    assert r.status_code == 400 and r.json()["field"] == "due_date"
    r = office.post(f"{m_url}/year-review/", {"comment": "本年度整体进展顺利，明年继续跟踪。"})
    assert r.status_code == 400 and "长期跟踪" in r.json()["detail"]


def test_it_scopes_closing_actions(users, running) -> None:
    stranger = api(users["liaison_b"])
    assert ask_completion(stranger, running).status_code == 404
    assert stranger.get(f"/api/v1/assignments/{running.pk}/completions/").status_code == 404
    assert stranger.post(f"/api/v1/matters/{running.matter.pk}/archive/").status_code == 404
    observer = api(users["observer"])
    assert ask_completion(observer, running).status_code == 403
    assert verify(observer, running, decision="accept").status_code == 403
    assert observer.get(f"/api/v1/assignments/{running.pk}/completions/").status_code == 200


def test_a_co_unit_reads_the_result_but_not_the_evidence(users, running) -> None:
    # 市财政局 co-operates on the task; its users read the result without the lead's files.
    ask_completion(api(users["liaison_a"]), running, [upload("验收报告.pdf", PDF)])
    office_view = api(users["office"]).get(f"/api/v1/assignments/{running.pk}/completions/").json()
    assert len(office_view["results"][0]["attachments"]) == 1
    from luoshi.accounts.models import RoleGrant, User

    finance = User.objects.create_user("liaison_f", name="钱多", unit=running.co_units.get().unit)
    RoleGrant.objects.create(user=finance, role="liaison", unit=finance.unit)
    co_view = api(finance).get(f"/api/v1/assignments/{running.pk}/completions/").json()
    assert co_view["results"][0]["result"] == RESULT
    assert co_view["results"][0]["attachments"] == []
    file_id = office_view["results"][0]["attachments"][0]["id"]
    assert api(finance).get(f"/api/v1/attachments/{file_id}/download/").status_code == 404


def test_cancelling_an_approved_matter_needs_the_leader(users, running) -> None:
    office, leader = api(users["office"]), api(users["vleader"])
    m_url = f"/api/v1/matters/{running.matter.pk}"
    r = office.post(f"{m_url}/cancel/", {"reason": "短"})
    assert r.status_code == 400 and r.json()["field"] == "comment"
    r = office.post(f"{m_url}/cancel/", {"reason": "上级已统一部署，本事项不再单独督办。"})
    assert (r.json()["status"], r.json()["cancel_requested_by_name"]) == (
        "in_progress",
        users["office"].display_name,
    )
    assert r.json()["cancel_requested_at"]
    assert office.post(f"{m_url}/cancel-approve/").status_code == 403
    r = leader.post(f"{m_url}/cancel-refuse/", {"comment": ""})
    assert r.status_code == 400 and r.json()["field"] == "comment"
    r = leader.post(f"{m_url}/cancel-refuse/", {"comment": "继续督办"})
    assert r.json()["status"] == "in_progress" and r.json()["cancel_requested_at"] is None
    office.post(f"{m_url}/cancel/", {"comment": "上级已统一部署，本事项不再单独督办。"})
    r = leader.post(f"{m_url}/cancel-approve/", {"comment": "同意"})
    assert r.json()["status"] == "cancelled"
    assert r.json()["assignments"][0]["status"] == "cancelled"


def test_it_filters_assignments_and_matters_by_light(users, units, running, clock) -> None:
    quiet = make_matter(users, units, title="城市绿化", assigned=True)
    clock.move_to("2026-12-01 09:00 +0800")  # the November report of the signed task is late
    lights.refresh_matter(running.matter)
    lights.refresh_matter(quiet)
    office = api(users["office"])
    r = office.get("/api/v1/assignments/", {"light": "yellow"})
    assert [a["id"] for a in r.json()["results"]] == [running.pk]
    assert r.json()["results"][0]["light_label"] == "黄灯"
    assert r.json()["results"][0]["next_report_due"] == "2026-11-30"
    r = office.get("/api/v1/assignments/", {"light": "green", "status": "pending_sign"})
    assert [a["matter"] for a in r.json()["results"]] == [quiet.pk]
    r = office.get("/api/v1/matters/", {"light": "yellow"})
    assert [m["id"] for m in r.json()["results"]] == [running.matter.pk]
    assert r.json()["results"][0]["light"] == "yellow"
    r = office.get("/api/v1/assignments/", {"light": "purple"})
    assert r.status_code == 400 and r.json()["field"] == "light"
    assert office.get("/api/v1/matters/", {"light": "purple"}).status_code == 400


def test_the_office_reviews_a_long_term_matter_at_year_end(
    users, running, clock, year_2027
) -> None:
    from luoshi.ledger.models import Matter

    Matter.objects.filter(pk=running.matter.pk).update(long_term=True)
    clock.move_to("2026-12-21 10:00 +0800")
    office = api(users["office"])
    url = f"/api/v1/matters/{running.matter.pk}/year-review/"
    assert (
        api(users["liaison_a"]).post(url, {"comment": "本单位自评：进度符合预期。"}).status_code
        == 403
    )
    r = office.post(url, {"comment": "全年按月报送，进度符合预期，转入下一年度继续跟踪。",
                          "next_due": "2027-12-31"}, format="json")  # fmt: skip
    assert r.status_code == 200, r.json()
    assert r.json()["last_reviewed_year"] == 2026
    assert r.json()["assignments"][0]["due_date"] == "2027-12-31"
    causes = office.get(f"/api/v1/assignments/{running.pk}/deadlines/").json()["deadlines"]
    assert [d["cause"] for d in causes] == ["original", "year_review"]
