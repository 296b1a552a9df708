import zoneinfo

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TIME_ZONE_CHOICES = sorted((tz, tz.replace("_", " ")) for tz in zoneinfo.available_timezones())


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Their roles live in programs.Membership: nobody is a mentor or mentee globally."""

    class CareerStage(models.TextChoices):
        STUDENT = "student", _("Medical student")
        RESIDENT = "resident", _("Resident")
        FELLOW = "fellow", _("Fellow")
        JUNIOR_FACULTY = "junior_faculty", _("Junior faculty")
        MID_CAREER = "mid_career", _("Mid-career faculty")
        SENIOR_FACULTY = "senior_faculty", _("Senior faculty")
        OTHER = "other", _("Other")

    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("full name"), max_length=150, blank=True)
    title = models.CharField(
        _("title or rank"), max_length=100, blank=True, help_text=_("e.g. Assistant Professor")
    )
    department = models.CharField(_("department"), max_length=150, blank=True)
    career_stage = models.CharField(
        _("career stage"), max_length=20, choices=CareerStage, blank=True
    )
    expertise = models.TextField(
        _("areas of expertise"),
        blank=True,
        help_text=_("Comma-separated, e.g. health services research, QI"),
    )
    interests = models.TextField(
        _("interests"),
        blank=True,
        help_text=_("Comma-separated, e.g. grant writing, medical education"),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        choices=TIME_ZONE_CHOICES,
        default="UTC",
        help_text=_("Dates and meeting times are shown in this zone."),
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return (self.name.split() or [self.email])[0]

    @property
    def topics(self) -> set[str]:
        """Expertise and interests as a set of lower-case topics, for matching mentors to mentees."""
        raw = f"{self.expertise},{self.interests}"
        return {t.strip().lower() for t in raw.replace(";", ",").split(",") if t.strip()}
