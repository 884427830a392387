from django.contrib.sessions.models import Session
from django.utils import timezone


def sessions_cleanup() -> str:
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return f"清理过期会话 {deleted} 个"
