"""Run by a rendered project's own Python (cwd: the project): a token for a user, as
the project issues it (`tokens.services.issue_token`) or, for an authorization
server, which issues tokens only at the end of its flows, as its token endpoint
stores one (django-oauth-toolkit's model and the project's token generator).

As a script: python issue.py <package> <backend registry entry as JSON>; creates
the user load@example.com and prints the token. Needs DJANGO_SETTINGS_MODULE and a
migrated database. bench/inprocess.py imports `issue` instead.
"""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from importlib import import_module


def issue(slug: str, backend: dict, user) -> str:
    services = import_module(f"{slug}.tokens.services")
    if not backend["client_command"]:
        return services.issue_token(user)[backend["token_field"]]
    from django.utils import timezone
    from oauth2_provider.models import (
        get_access_token_model,
        get_application_model,
        set_token_value,
    )

    application_model = get_application_model()
    client = application_model.objects.create(
        name="Bench",
        client_type=application_model.CLIENT_PUBLIC,
        authorization_grant_type=application_model.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://bench.example/callback",
        client_secret="",
    )
    token = get_access_token_model()(
        user=user,
        application=client,
        scope="read write",
        expires=timezone.now() + timedelta(hours=1),
    )
    key = services.new_token(None)
    set_token_value(token, key)
    token.save()
    return key


if __name__ == "__main__":
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    User = get_user_model()
    load_user = User.objects.create_user(
        **{User.USERNAME_FIELD: "load@example.com"}, password="x-Bench-1"
    )
    print(issue(sys.argv[1], json.loads(sys.argv[2]), load_user))
