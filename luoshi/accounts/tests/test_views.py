import pytest

from luoshi.accounts.models import User

pytestmark = pytest.mark.django_db


def test_it_shows_a_chinese_error_for_a_wrong_password(client, users) -> None:
    r = client.post("/accounts/login/", {"username": "office", "password": "nope"})
    assert "用户名或密码错误" in r.content.decode()
    r = client.post("/accounts/login/", {"username": "nobody", "password": "nope"})
    assert "用户名或密码错误" in r.content.decode()


def test_it_sends_anonymous_users_to_login(client, users) -> None:
    for url in ("/", "/org/units/", "/calendar/", "/accounts/users/", "/system/loops/"):
        r = client.get(url)
        assert r.status_code == 302
        assert r["Location"].startswith("/accounts/login/")


def test_it_forbids_pages_outside_a_role(client, users) -> None:
    client.force_login(users["liaison_a"])
    for url in ("/accounts/users/", "/accounts/grants/", "/org/import/", "/system/loops/"):
        assert client.get(url).status_code == 403
    client.force_login(users["sysadmin"])
    assert client.get("/accounts/grants/").status_code == 403
    client.force_login(users["secadmin"])
    assert client.get("/accounts/users/").status_code == 403


def test_it_forces_a_new_password_after_creation(client, users, units) -> None:
    client.force_login(users["sysadmin"])
    r = client.post(
        "/accounts/users/new/",
        {
            "username": "fresh",
            "name": "新用户",
            "unit": units["市教育局"].pk,
            "title": "",
            "phone": "",
        },
    )
    assert r.status_code == 200
    password = r.context["password"]
    client.logout()
    client.post("/accounts/login/", {"username": "fresh", "password": password})
    assert client.get("/").url == "/accounts/password/"
    r = client.post(
        "/accounts/password/",
        {"old_password": password, "new_password": "Tide#2026ok", "new_password2": "Tide#2026ok"},
    )
    assert r.status_code == 302
    assert client.get("/").status_code == 200
    assert not User.objects.get(username="fresh").must_change_password


def test_it_shows_user_form_errors_in_chinese(client, users, units) -> None:
    client.force_login(users["sysadmin"])
    r = client.post(
        "/accounts/users/new/",
        {"username": "office", "name": "重名", "unit": units["市教育局"].pk},
    )
    assert "用户名“office”已被使用" in r.content.decode()


def test_it_grants_a_role_through_the_page(client, users, units) -> None:
    client.force_login(users["secadmin"])
    target = users["inspector"]
    r = client.post(
        f"/accounts/grants/user/{target.pk}/",
        {"user": target.pk, "role": "observer", "unit": units["清河市人民政府"].pk},
    )
    assert r.status_code == 302
    r = client.post(
        f"/accounts/grants/user/{target.pk}/",
        {"user": target.pk, "role": "sysadmin", "unit": units["清河市人民政府"].pk},
    )
    assert "三员分立" in r.content.decode()
