"""Backup and restore: one archive with the database, the uploaded files and a manifest.

``services.backup_create`` and ``services.backup_restore`` are the entry points (the
``backup`` and ``restore`` management commands call them); ``sqlite`` and ``postgres`` hold
what each database needs, ``archive`` the tar.gz format with its checksums, ``manifest``
what describes a backup and decides whether this code may restore it.
"""
