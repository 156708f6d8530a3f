"""The newsroom's roles as Django groups, and the model permissions each one holds.

Per-object rules (a reporter edits only their own drafts) live in ``permissions``; these are the
coarse permissions the admin needs to show a model at all.
"""

VIEW = ["view"]
WRITE = ["add", "change", "view"]
FULL = ["add", "change", "delete", "view"]

REPORTER = {
    "articles.article": WRITE,
    "articles.annotation": FULL,
    "articles.quote": FULL,
    "articles.source": WRITE,
    "articles.topic": VIEW,
    "people.person": WRITE,
    "people.organization": WRITE,
    "people.position": WRITE,
    "people.place": WRITE,
    "articles.previewlink": WRITE,
    "articles.reviewlogentry": VIEW,
    "articles.correction": VIEW,
}
EDITOR = REPORTER | {
    "articles.article": [*WRITE, "review"],
    "articles.topic": WRITE,
    "people.position": FULL,
}
PUBLISHER = EDITOR | {
    "articles.article": [*FULL, "review", "publish"],
    "articles.correction": WRITE,
}

ROLES = {"Reporter": REPORTER, "Editor": EDITOR, "Publisher": PUBLISHER}


def permission_codenames(model_actions: dict[str, list[str]]):
    """Yield (app_label, codename) for each action on each ``app_label.model``."""
    for label, actions in model_actions.items():
        app_label, model = label.split(".")
        for action in actions:
            yield app_label, f"{action}_{model}"


def sync_roles(apps) -> None:
    """Give each role group exactly its permissions, as far as the models exist yet.

    Called by data migrations: each one that adds models or changes ``ROLES`` runs it again.
    """
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations run; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, model_actions in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = Permission.objects.none()
        for app_label, codename in permission_codenames(model_actions):
            wanted |= Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            )
        group.permissions.set(wanted)
