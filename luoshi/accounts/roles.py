"""Roles and what they are for. A role is always granted over a unit subtree."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICE_ADMIN = "office_admin", _("督查室管理员")
    INSPECTOR = "inspector", _("督查员")
    LEADER = "leader", _("领导")
    LIAISON = "liaison", _("单位联络员")
    UNIT_HEAD = "unit_head", _("单位负责人")
    INVITED_INSPECTOR = "invited_inspector", _("特邀督查员")
    OBSERVER = "observer", _("观察员")
    SYSADMIN = "sysadmin", _("系统管理员")
    SECADMIN = "secadmin", _("安全管理员")
    AUDITOR = "auditor", _("审计管理员")


# 三员分立: one account may hold at most one of these.
SEPARATED_ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})
BUSINESS_ROLES = frozenset(set(Role) - SEPARATED_ADMIN_ROLES)

# Who may manage what in the foundation.
UNIT_MANAGERS = frozenset({Role.SYSADMIN})
USER_MANAGERS = frozenset({Role.SYSADMIN})
ROLE_GRANTERS = frozenset({Role.SECADMIN})
CALENDAR_EDITORS = frozenset({Role.SYSADMIN, Role.OFFICE_ADMIN})

# The supervision office's staff, and the people who act for a responsible unit.
OFFICE_ROLES = frozenset({Role.OFFICE_ADMIN, Role.INSPECTOR})
UNIT_ROLES = frozenset({Role.LIAISON, Role.UNIT_HEAD})
