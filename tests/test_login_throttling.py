from django.contrib.auth import get_user_model

from newsroom.login import LOCKED, MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS

PASSWORD = "correct horse battery staple"


def sign_in(client, username, password, address="203.0.113.7"):
    return client.post(
        "/admin/login/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def test_repeated_wrong_passwords_lock_the_account_even_for_the_right_one(client, db):
    get_user_model().objects.create_user("editor", password=PASSWORD, is_staff=True)
    for _ in range(MAX_FAILURES_PER_ACCOUNT):
        assert LOCKED not in sign_in(client, "editor", "guess").content.decode()
    response = sign_in(client, "editor", PASSWORD)
    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_another_address_can_still_sign_in(client, db):
    get_user_model().objects.create_user("editor", password=PASSWORD, is_staff=True)
    for _ in range(MAX_FAILURES_PER_ACCOUNT):
        sign_in(client, "editor", "guess", address="203.0.113.7")
    assert sign_in(client, "editor", PASSWORD, address="198.51.100.2").status_code == 302


def test_spraying_many_accounts_from_one_address_is_stopped(client, db):
    get_user_model().objects.create_user("publisher", password=PASSWORD, is_staff=True)
    for number in range(MAX_FAILURES_PER_ADDRESS):
        sign_in(client, f"user{number}", "Summer2026!")
    assert LOCKED in sign_in(client, "publisher", PASSWORD).content.decode()


def test_a_few_mistakes_do_not_lock_anyone_out(client, db):
    get_user_model().objects.create_user("editor", password=PASSWORD, is_staff=True)
    for _ in range(MAX_FAILURES_PER_ACCOUNT - 1):
        sign_in(client, "editor", "typo")
    assert sign_in(client, "editor", PASSWORD).status_code == 302
