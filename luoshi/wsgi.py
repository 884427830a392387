import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
application = get_wsgi_application()

# Load the URLconf (and the views' modules with it) now rather than on the first request,
# then move everything loaded so far out of the garbage collector's sight: a full
# collection otherwise walks Django's and our modules' objects every few requests, about
# 100 ms each time (one ledger page in eight took 160 ms instead of 65 at province scale).
get_resolver().url_patterns  # noqa: B018 - imported for its side effect
gc.freeze()
