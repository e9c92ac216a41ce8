"""The web console (``xuncha serve``): dashboard, targets, reviews, rectification cases (整改),
login and roles.

Every page is server-rendered HTML; the same path answers JSON when the request carries
``Accept: application/json`` (or ``?format=json``). See ``app.create_app``.
"""

from xuncha.web.app import create_app

__all__ = ["create_app"]
