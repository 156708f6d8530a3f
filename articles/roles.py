"""The newsroom's roles as Django groups, and the model permissions each one holds.

Per-object rules (a reporter edits only their own drafts) live in ``workflow``; these are the
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
}
EDITOR = REPORTER | {
    "articles.article": [*WRITE, "review"],
    "articles.topic": WRITE,
    "people.position": FULL,
}
PUBLISHER = EDITOR | {"articles.article": [*FULL, "review", "publish"]}

ROLES = {"Reporter": REPORTER, "Editor": EDITOR, "Publisher": PUBLISHER}


def permission_codenames(model_actions: dict[str, list[str]]):
    """Yield (app_label, codename) for each action on each ``app_label.model``."""
    for label, actions in model_actions.items():
        app_label, model = label.split(".")
        for action in actions:
            yield app_label, f"{action}_{model}"
