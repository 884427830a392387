from __future__ import annotations

from django import forms

from luoshi.mfa import recovery, totp

CODE_ATTRS = {
    "autocomplete": "one-time-code",
    "autocapitalize": "off",
    "spellcheck": "false",
    "autofocus": True,
}


class VerifyForm(forms.Form):
    """The login step: a code from the app, or a recovery code."""

    code = forms.CharField(
        label="动态口令",
        max_length=32,
        widget=forms.TextInput(attrs=CODE_ATTRS),
        help_text="打开手机上的身份验证器，输入“落实督查督办”当前显示的 6 位数字；"
        "手机不在身边时，可输入一个恢复码（每个只能用一次）。",
        error_messages={"required": "请输入动态口令或恢复码。"},
    )

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        # "123 456" as some apps show it counts as the six digits.
        digits = code.replace(" ", "")
        if totp.is_code_shape(digits):
            return digits
        # Something that can be neither is a typo, not a guess: not counted as a failure.
        if not recovery.looks_like_code(code):
            raise forms.ValidationError("请输入 6 位数字动态口令，或一个恢复码（如 abcde-fghjk）。")
        return code.strip()


class CodeForm(forms.Form):
    """A current code from the app: to confirm enrolment and to change the device."""

    code = forms.CharField(
        label="动态口令",
        max_length=12,
        widget=forms.TextInput(attrs={**CODE_ATTRS, "inputmode": "numeric"}),
        help_text="手机上身份验证器当前显示的 6 位数字。",
        error_messages={"required": "请输入 6 位数字动态口令。"},
    )

    def __init__(self, *args, autofocus: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not autofocus:
            self.fields["code"].widget.attrs.pop("autofocus", None)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "")
        if not totp.is_code_shape(code):
            raise forms.ValidationError("请输入 6 位数字动态口令。")
        return code


class ResetForm(forms.Form):
    reason = forms.CharField(
        label="重置原因",
        max_length=200,
        help_text="如：手机丢失、更换手机。记入审计日志。",
        error_messages={"required": "请填写重置原因（如：手机丢失、更换手机）。"},
    )


class DeviceFilterForm(forms.Form):
    STATUS = [
        ("", "全部"),
        ("missing", "须绑定但未绑定"),
        ("bound", "已绑定"),
        ("unbound", "未绑定"),
    ]
    q = forms.CharField(label="搜索", required=False)
    status = forms.ChoiceField(label="绑定状态", choices=STATUS, required=False)
