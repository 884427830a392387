"""The form of 消息渠道: an SMS gateway or a group robot of 企业微信 / 钉钉."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from luoshi.notify.models import ROBOT_CHANNELS, Channel, ChannelConfig
from luoshi.org.models import Unit
from luoshi.org.selectors import unit_choices

KIND_CHOICES = [(c.value, c.label) for c in (Channel.WECOM, Channel.DINGTALK, Channel.SMS)]
URL_ERROR = "地址必须是以 http:// 或 https:// 开头的完整网址。"


class ChannelConfigForm(forms.ModelForm):
    kind = forms.ChoiceField(
        label="渠道",
        choices=KIND_CHOICES,
        error_messages={"invalid_choice": "请选择短信网关、企业微信或钉钉群机器人。"},
    )
    name = forms.CharField(
        label="名称", max_length=100, error_messages={"required": "请填写名称。"}
    )
    url = forms.CharField(
        label="地址",
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"], message=URL_ERROR)],
        error_messages={"required": "请填写地址。"},
        help_text="企业微信：机器人的 Webhook 地址（含 key）；"
        "钉钉：含 access_token 的 Webhook 地址；短信：短信网关的接收地址。",
        widget=forms.URLInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    secret = forms.CharField(
        label="密钥",
        max_length=200,
        required=False,
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=False),
        help_text="钉钉：加签密钥（SEC 开头）；短信：签名密钥；企业微信无需密钥。",
    )
    clear_secret = forms.BooleanField(label="清除密钥", required=False)
    unit = forms.TypedChoiceField(
        label="所属单位（工作群）",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="群机器人把该单位的每日提醒发到工作群；短信网关不选单位。",
    )
    enabled = forms.BooleanField(label="启用", required=False, initial=True)

    class Meta:
        model = ChannelConfig
        fields = ["kind", "name", "url", "secret", "unit", "enabled"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        units = Unit.objects.filter(is_active=True)
        if editing and self.instance.unit_id:
            units = units | Unit.objects.filter(pk=self.instance.unit_id)
        self._units = units
        self.fields["unit"].choices = [("", "（不属于单位）"), *unit_choices(units)]  # type: ignore[attr-defined]
        if editing:
            self.initial["unit"] = self.instance.unit_id
            self.fields["secret"].label = "新密钥"
            state = "已设置" if self.instance.secret else "未设置"
            self.fields["secret"].help_text = f"当前密钥：{state}。留空则保持原密钥。"
        else:
            del self.fields["clear_secret"]

    def clean_unit(self) -> Unit | None:
        pk = self.cleaned_data.get("unit")
        if pk is None:
            return None
        unit = self._units.filter(pk=pk).first()
        if unit is None:
            raise ValidationError("请选择一个在用的单位。")
        return unit

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind in ROBOT_CHANNELS and data.get("unit") is None and "unit" not in self.errors:
            self.add_error("unit", "群机器人必须选择所属单位（工作群）。")
        if kind == Channel.SMS and data.get("unit") is not None:
            self.add_error("unit", "短信网关不属于任何单位，请选择“不属于单位”。")
        if data.get("clear_secret") and data.get("secret"):
            self.add_error("secret", "勾选“清除密钥”时请不要填写新密钥。")
        elif self.instance.pk is not None and not data.get("secret"):
            # On edit an empty secret keeps the stored one, unless "清除密钥" is ticked.
            data["secret"] = "" if data.get("clear_secret") else self.instance.secret
        return data
