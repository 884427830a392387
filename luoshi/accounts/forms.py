from typing import Any, NoReturn

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError

from luoshi.accounts import lockout
from luoshi.accounts.passwords import rules_text
from luoshi.accounts.roles import Role
from luoshi.accounts.security_models import POLICY_LIMITS, REQUIRED_MFA_ROLES, policy_field_text
from luoshi.core.client import client_ip


class LoginForm(AuthenticationForm):
    # One message for an unknown user, a wrong password, a disabled account and a locked
    # one, so the form reveals neither which accounts exist nor which are locked.
    error_messages = {
        "invalid_login": "用户名或密码错误，请重新输入。",
        "inactive": "用户名或密码错误，请重新输入。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})

    def clean(self) -> dict[str, Any]:
        from luoshi.demo.guard import is_demo_login

        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return self.cleaned_data
        address = client_ip(self.request)
        if lockout.is_locked(username, address) or is_demo_login(username, password):
            # Refused before the password is checked: a locked name stays locked even
            # with the right password, and the published demo password is no key.
            user_login_failed.send(
                sender=__name__, credentials={"username": username}, request=self.request
            )
            self._fail(username, address)
        self.user_cache = authenticate(self.request, username=username, password=password)
        if self.user_cache is None:
            self._fail(username, address)
        try:
            self.confirm_login_allowed(self.user_cache)
        except ValidationError:
            self._fail(username, address)
        lockout.record_success(self.request, username, address)
        return self.cleaned_data

    def _fail(self, username: str, address: str) -> NoReturn:
        lockout.record_failure(self.request, username, address)
        raise self.get_invalid_login_error()


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label="原密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password = forms.CharField(
        label="新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    new_password2 = forms.CharField(
        label="确认新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The rules of the policy in force, not a copy that could drift from it.
        self.fields["new_password"].help_text = f"密码要求：{rules_text()}"

    def clean(self):
        data = super().clean() or {}
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", "两次输入的新密码不一致。")
        return data


class UserForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=64)
    name = forms.CharField(label="姓名", max_length=50)
    unit = forms.TypedChoiceField(label="所属单位", coerce=int)
    title = forms.CharField(label="职务", max_length=50, required=False)
    phone = forms.CharField(label="手机号码", max_length=20, required=False)


class GrantForm(forms.Form):
    user = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    unit = forms.TypedChoiceField(label="授权范围（含下级单位）", coerce=int)


def _policy_field(name: str) -> forms.IntegerField:
    label, help_text = policy_field_text(name)
    _, low, high = POLICY_LIMITS[name]
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        help_text=help_text,
        error_messages={
            "required": f"请填写{label}。",
            "invalid": f"{label}须为整数。",
            "min_value": f"{label}不能小于 {low}（等保三级不允许低于默认要求）。",
            "max_value": f"{label}不能大于 {high}（等保三级不允许低于默认要求）。",
        },
        widget=forms.NumberInput(attrs={"min": low, "max": high, "inputmode": "numeric"}),
    )


class SecurityPolicyForm(forms.Form):
    PASSWORD_FIELDS = ("min_length", "min_classes", "max_age_days", "history")
    LOGIN_FIELDS = ("lockout_threshold", "lockout_minutes", "rate_limit")
    SESSION_FIELDS = ("idle_minutes", "absolute_hours", "inactive_days")

    min_length = _policy_field("min_length")
    min_classes = _policy_field("min_classes")
    max_age_days = _policy_field("max_age_days")
    history = _policy_field("history")
    lockout_threshold = _policy_field("lockout_threshold")
    lockout_minutes = _policy_field("lockout_minutes")
    rate_limit = _policy_field("rate_limit")
    idle_minutes = _policy_field("idle_minutes")
    absolute_hours = _policy_field("absolute_hours")
    inactive_days = _policy_field("inactive_days")
    mfa_roles = forms.MultipleChoiceField(
        label="须使用动态口令的角色",
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="督查室管理员、系统管理员、安全管理员、审计管理员必须使用，不能取消；可增加其他角色。",
    )

    def clean_mfa_roles(self) -> list[str]:
        chosen = list(self.cleaned_data.get("mfa_roles") or [])
        missing = [str(Role(r).label) for r in REQUIRED_MFA_ROLES if r not in chosen]
        if missing:
            raise ValidationError(
                f"等保三级要求以下角色必须使用动态口令，不能取消：{'、'.join(missing)}。"
            )
        return chosen

    def group(self, names: tuple[str, ...]) -> list[forms.BoundField]:
        return [self[name] for name in names]

    def password_fields(self) -> list[forms.BoundField]:
        return self.group(self.PASSWORD_FIELDS)

    def login_fields(self) -> list[forms.BoundField]:
        return self.group(self.LOGIN_FIELDS)

    def session_fields(self) -> list[forms.BoundField]:
        return self.group(self.SESSION_FIELDS)
