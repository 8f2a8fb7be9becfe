"""gunicorn settings for WISH (scripts/run starts gunicorn with -c scripts/gunicorn.conf.py).

The access log is private by design: it keeps the time, the method, the path (never the query
string, which holds places, coordinates and search words), the status and the size. No client
address, no forwarded-for header, no referrer, no user agent. tests/api/test_privacy.py checks it.
"""

import os

wsgi_app = "wish:create_app()"
bind = f"127.0.0.1:{os.environ.get('PORT', '5000')}"
# WEB_CONCURRENCY is gunicorn's own name; a WISH_* name would fail WISH's check for unknown settings.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
control_socket_disable = True
accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
