import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from people.models import Person, Position


@pytest.fixture
def person(db):
    return Person.objects.create(name="Test Person", slug="test-person")


def test_position_ending_before_it_starts_is_refused_with_a_message_on_the_end_date(person):
    position = Position(
        person=person,
        title="Envoy",
        start_date=datetime.date(2021, 9, 22),
        end_date=datetime.date(2021, 7, 22),
    )
    with pytest.raises(ValidationError) as error:
        position.full_clean()
    assert error.value.message_dict == {
        "end_date": ["A position cannot end before it starts: check the start and end dates."]
    }


def test_database_refuses_a_position_ending_before_it_starts(person):
    with pytest.raises(IntegrityError), transaction.atomic():
        Position.objects.create(
            person=person,
            title="Envoy",
            start_date=datetime.date(2021, 9, 22),
            end_date=datetime.date(2021, 7, 22),
        )
    assert not Position.objects.exists()


def test_positions_held_on_a_date_respect_start_end_and_open_ended_positions(foote):
    titles = lambda day: sorted(p.title for p in foote.positions.held_on(day))  # noqa: E731
    assert titles(datetime.date(2021, 9, 22)) == ["U.S. Special Envoy for Haiti"]
    assert titles(datetime.date(2021, 9, 23)) == []
    assert titles(datetime.date(2019, 6, 1)) == ["U.S. Ambassador to Zambia"]
    assert titles(datetime.date(2017, 11, 1)) == ["U.S. Ambassador to Zambia"]
    assert titles(datetime.date(2017, 10, 31)) == []
    Position.objects.create(person=foote, title="Retired", start_date=datetime.date(2022, 1, 1))
    assert titles(datetime.date(2030, 1, 1)) == ["Retired"]


def test_month_precise_dates_cover_the_whole_month_and_show_without_a_day(foote):
    zambia = foote.positions.get(title="U.S. Ambassador to Zambia")
    assert zambia.period == "November 2017 – January 2020"
    assert foote.positions.held_on(datetime.date(2020, 1, 31)).filter(pk=zambia.pk).exists()
    envoy = foote.positions.get(title="U.S. Special Envoy for Haiti")
    assert envoy.period == "22 July 2021 – 22 September 2021"


def test_people_are_found_by_any_alias(foote_story):
    assert [p.slug for p in Person.objects.matching("President Biden")] == ["joe-biden"]
    assert [p.slug for p in Person.objects.matching("moïse")] == ["jovenel-moise"]
