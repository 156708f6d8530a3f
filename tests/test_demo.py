import io

from django.contrib.auth import authenticate
from django.core.management import call_command

from articles.models import PublishedArticle


def test_demo_loads_the_story_and_prints_working_staff_credentials(db):
    output = io.StringIO()
    call_command("demo", "--no-serve", stdout=output)
    printed = [line.split() for line in output.getvalue().splitlines() if line.startswith("  ")]
    lines = {words[0]: words for words in printed}
    assert set(lines) == {"reporter", "editor", "publisher", "admin"}
    for username in ["reporter", "editor", "publisher"]:
        user = authenticate(username=username, password=lines[username][1])
        assert user is not None and user.is_staff
        assert user.groups.get().name == lines[username][2]
    assert authenticate(username="admin", password=lines["admin"][1]).is_superuser
    assert PublishedArticle.objects.count() == 1
