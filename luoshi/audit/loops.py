from luoshi.audit.services import purge, retention_days


def audit_purge() -> str:
    removed = purge()
    return f"清理 {retention_days()} 天前的审计记录 {removed} 条"
