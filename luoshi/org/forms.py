from django import forms

from luoshi.org.models import UnitKind


class UnitForm(forms.Form):
    name = forms.CharField(label="单位名称", max_length=100)
    short_name = forms.CharField(label="简称", max_length=30, required=False)
    kind = forms.ChoiceField(label="类型", choices=UnitKind.choices)
    order = forms.IntegerField(label="排序", min_value=0, max_value=100000, initial=100)


class UnitCreateForm(UnitForm):
    parent = forms.TypedChoiceField(label="上级单位", coerce=int)

    field_order = ["parent", "name", "short_name", "kind", "order"]


class UnitMoveForm(forms.Form):
    parent = forms.TypedChoiceField(label="新的上级单位", coerce=int)


class ImportUploadForm(forms.Form):
    # Type (by content), size and macros are checked by luoshi.core.uploads in the view.
    file = forms.FileField(label="Excel 文件（.xlsx）")
