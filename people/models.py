"""The people a story is about, the organisations they belong to, and the posts they hold."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from people.dates import DatePrecision, first_of_month, format_partial_date, last_of_month
from people.images import validate_image
from people.uploads import UnguessableName

wikidata_id_validator = RegexValidator(
    r"^Q[1-9][0-9]*$", "A Wikidata id is a Q followed by digits, for example Q6279."
)


class PersonQuerySet(models.QuerySet):
    def matching(self, term: str):
        """People whose name or any alias contains ``term``: what autocomplete searches."""
        return self.filter(Q(name__icontains=term) | Q(aliases__icontains=term))


class Person(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    bio = models.TextField("short bio", blank=True)
    photo = models.ImageField(
        upload_to=UnguessableName("people/"), blank=True, validators=[validate_image]
    )
    photo_credit = models.CharField(max_length=200, blank=True)
    aliases = models.TextField(
        blank=True,
        help_text="Other names a story may use for this person, one per line "
        "(“Foote”, “President Biden”).",
    )
    wikidata_id = models.CharField(
        "Wikidata id", max_length=20, blank=True, validators=[wikidata_id_validator]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.aliases = "\n".join(self.alias_list)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("people:person", kwargs={"slug": self.slug})

    @property
    def alias_list(self) -> list[str]:
        return [alias.strip() for alias in self.aliases.splitlines() if alias.strip()]

    def position_on(self, day: datetime.date):
        """The position this person held on ``day``, preferring the most recently started."""
        return self.positions.held_on(day).order_by("-start_date").first()


class Organization(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", "Government body"
        NEWS = "news", "News organisation"
        AGENCY = "agency", "Agency"
        PARTY = "party", "Political party"
        NGO = "ngo", "NGO"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    website = models.URLField(blank=True)
    part_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="parts",
        help_text="The larger organisation this one belongs to, if any.",
    )
    description = models.TextField(blank=True)
    wikidata_id = models.CharField(
        "Wikidata id", max_length=20, blank=True, validators=[wikidata_id_validator]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("people:organization", kwargs={"slug": self.slug})


class Place(models.Model):
    """A place a story mentions (a country, a town, a border crossing)."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.CharField(max_length=300, blank=True)
    wikidata_id = models.CharField(
        "Wikidata id", max_length=20, blank=True, validators=[wikidata_id_validator]
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class PositionQuerySet(models.QuerySet):
    def held_on(self, day: datetime.date):
        """Positions held on ``day``: started on or before it, not ended before it."""
        return self.filter(Q(start_date__lte=day), Q(end_date__isnull=True) | Q(end_date__gte=day))


ENDS_BEFORE_START = "A position cannot end before it starts: check the start and end dates."


class Position(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="positions")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="positions",
    )
    title = models.CharField(
        max_length=200, help_text="For example “U.S. Special Envoy for Haiti”."
    )
    start_date = models.DateField()
    start_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    end_date = models.DateField(null=True, blank=True, help_text="Leave empty while it is held.")
    end_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    end_note = models.CharField(
        max_length=100, blank=True, help_text="How it ended, for example “resigned”."
    )
    on_record = models.BooleanField(
        "on the public record",
        default=False,
        help_text="Shown on the person's public page even when no published story names it. "
        "Leave unticked for a position that is itself the news (a nomination not yet "
        "reported): it shows once a published story names it.",
    )

    objects = PositionQuerySet.as_manager()

    class Meta:
        ordering = ["person", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="position_ends_after_it_starts",
                violation_error_message=ENDS_BEFORE_START,
            )
        ]

    def __str__(self):
        where = f", {self.organization}" if self.organization_id else ""
        return f"{self.title}{where} ({self.period})"

    def save(self, *args, **kwargs):
        self.normalize_dates()
        super().save(*args, **kwargs)

    def normalize_dates(self):
        """A month-precise start means from its first day, a month-precise end to its last day.

        The stored day is a bound for ``held_on``, never shown: the precision says what is known.
        """
        if self.start_date and self.start_precision == DatePrecision.MONTH:
            self.start_date = first_of_month(self.start_date)
        if self.end_date and self.end_precision == DatePrecision.MONTH:
            self.end_date = last_of_month(self.end_date)

    def clean(self):
        self.normalize_dates()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": ENDS_BEFORE_START})

    @property
    def is_current(self) -> bool:
        return self.end_date is None

    @property
    def period(self) -> str:
        start = format_partial_date(self.start_date, self.start_precision)
        end = format_partial_date(self.end_date, self.end_precision) or "present"
        return f"{start} – {end}"
