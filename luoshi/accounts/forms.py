from django import forms
from django.contrib.auth.forms import AuthenticationForm

from luoshi.accounts.roles import Role


class LoginForm(AuthenticationForm):
    # One message for an unknown user, a wrong password and a disabled account,
    # so the form does not reveal which accounts exist.
    error_messages = {
        "invalid_login": "用户名或密码错误，请重新输入。",
        "inactive": "用户名或密码错误，请重新输入。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label="原密码", widget=forms.PasswordInput)
    new_password = forms.CharField(
        label="新密码",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="至少 8 位，不能全为数字，不能是常见密码。",
    )
    new_password2 = forms.CharField(label="确认新密码", widget=forms.PasswordInput)

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
