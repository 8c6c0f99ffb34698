"""`manage.py startapp NAME`: Django's command, making the app inside the project's
package from the project's own app template (api/app_template/), so that it
passes the project's checks as created: its `name` is the dotted path settings
need, and it leaves out Django's stubs (an unused import in each of admin.py,
models.py and views.py, and a tests.py that pytest never collects; tests go in
tests/).
"""

import shutil
from pathlib import Path

from django.core.management.base import CommandError
from django.core.management.commands.startapp import Command as StartAppCommand

PACKAGE = Path(__file__).resolve().parents[3]
APP_TEMPLATE = PACKAGE / "api" / "app_template"


class Command(StartAppCommand):
    help = (
        f"Creates an app in {PACKAGE.name}/NAME from the project's app template; "
        "then add it to LOCAL_APPS."
    )

    # As Django's startapp does; django-stubs types TemplateCommand's signature only.
    def handle(self, **options):  # type: ignore[override]
        options["template"] = options["template"] or str(APP_TEMPLATE)
        if options["directory"] is not None:
            return super().handle(package=PACKAGE.name, **options)
        name = options["name"]
        if not name.isidentifier():
            raise CommandError(f"'{name}' is not a valid app name: use a Python identifier.")
        target = PACKAGE / name
        if target.exists():
            raise CommandError(f"{target} already exists.")
        target.mkdir()
        try:
            super().handle(package=PACKAGE.name, **{**options, "directory": str(target)})
        except CommandError:
            shutil.rmtree(target)
            raise
