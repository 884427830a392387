"""Signals other apps listen to without the ledger knowing them."""

from django.dispatch import Signal

# Sent after a service changed a matter or one of its tasks (kwargs: matter, today).
matter_changed = Signal()
