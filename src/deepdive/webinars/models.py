"""A webinar of the series: a selected proposal whose host confirmed, placed in time by the
timetable (``deepdive.timetable``) and shown on the public programme.

Two starts are kept: ``planned_start`` is the secretariat's working plan (set by a timetable
run or by hand), ``starts_at`` is what was published to hosts, registrants and the programme.
They differ exactly when a change waits to be published. ``sequence`` is the calendar files'
SEQUENCE: raised each time a published time changes, so calendars replace the old event.
Workflows live in ``operations.py``; these models hold data only.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from deepdive.directory.models import Organisation
from deepdive.proposals.models import Proposal
from deepdive.reference.models import Output
from deepdive.series.models import Call, Series


class Webinar(models.Model):
    class Length(models.IntegerChoices):
        MINUTES_45 = 45, _("45 minutes")
        MINUTES_60 = 60, _("60 minutes")

    class State(models.TextChoices):
        """preparing → ready → held → recording published; cancelled from any state before
        held. "Ready" is the secretariat's approval of what the host submitted."""

        PREPARING = "preparing", _("preparing")
        READY = "ready", _("ready")
        HELD = "held", _("held")
        RECORDING_PUBLISHED = "recording_published", _("recording published")
        CANCELLED = "cancelled", _("cancelled")

    class Platform(models.TextChoices):
        ZOOM = "zoom", "Zoom"
        TEAMS = "teams", "Microsoft Teams"
        WEBEX = "webex", "Webex"
        OTHER = "other", _("another platform")

    proposal = models.OneToOneField(
        Proposal, on_delete=models.PROTECT, related_name="webinar", verbose_name=_("proposal")
    )
    minutes = models.PositiveSmallIntegerField(
        _("length"), choices=Length.choices, default=Length.MINUTES_60
    )
    audience = models.JSONField(
        _("audience"),
        default=dict,
        blank=True,
        help_text=_("Time zone name → weight (share of the audience, in per cent)."),
    )
    audience_edited = models.BooleanField(
        _("audience set by hand"),
        default=False,
        help_text=_("Otherwise the audience is worked out from the members and the countries."),
    )
    available = models.JSONField(
        _("host available"),
        default=list,
        blank=True,
        help_text=_('Inclusive date ranges, [["2027-01-11", "2027-02-05"]]; empty: any date.'),
    )
    unavailable = models.JSONField(
        _("host not available"), default=list, blank=True, help_text=_("ISO dates.")
    )
    members_only = models.BooleanField(
        _("for Alliance members only"),
        default=True,
        help_text=_("Members-only webinars are listed publicly without their joining details."),
    )
    joining_url = models.URLField(_("joining link"), blank=True)
    planned_start = models.DateTimeField(_("planned start"), null=True, blank=True)
    starts_at = models.DateTimeField(_("published start"), null=True, blank=True)
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0)

    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PREPARING, db_index=True
    )
    # The host's workspace. Descriptions are per language: {"en": "...", "fr": "..."}; a
    # language of the series without one is shown as missing, never filled by machine.
    descriptions = models.JSONField(_("public description"), default=dict, blank=True)
    languages_spoken = models.JSONField(
        _("languages spoken"), default=list, blank=True, help_text=_("Language codes.")
    )
    interpretation = models.JSONField(
        _("interpretation into"), default=list, blank=True, help_text=_("Language codes.")
    )
    interpretation_by = models.CharField(
        _("interpretation arranged by"), max_length=200, blank=True
    )
    platform = models.CharField(_("platform"), max_length=10, choices=Platform.choices, blank=True)
    dial_in = models.TextField(_("dial-in numbers"), blank=True)
    test_call_on = models.DateField(_("test call"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Seats; empty for no limit. When full, people join a waiting list."),
    )
    # Readiness: the host submits, the secretariat approves (state ready) or sends it back.
    submitted_at = models.DateTimeField(_("submitted as ready"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    sent_back_comment = models.TextField(_("comment when sent back"), blank=True)
    changed_after_approval = models.BooleanField(_("changed after approval"), default=False)
    host_active_at = models.DateTimeField(_("host's last activity"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled on"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    # The workplan Outputs the webinar serves (its series' Action Group's), set by its hosts or
    # the secretariat (``workplan.set_outputs``); the insight reports count them.
    outputs = models.ManyToManyField(
        Output, blank=True, related_name="webinars", verbose_name=_("workplan Outputs")
    )

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["starts_at", "planned_start", "pk"]
        verbose_name = _("webinar")
        verbose_name_plural = _("webinars")

    def __str__(self) -> str:
        return self.proposal.title or str(_("Webinar %(number)s") % {"number": self.pk})

    def get_absolute_url(self) -> str:
        return reverse("webinars:detail", kwargs={"pk": self.pk})

    @property
    def call(self) -> Call:
        """The proposal's call: a webinar is its proposal made real, never moved elsewhere."""
        return self.proposal.call

    @property
    def call_id(self) -> int:
        return self.proposal.call_id

    @property
    def title(self) -> str:
        return self.proposal.title

    @property
    def ends_at(self) -> datetime | None:
        return self.starts_at + timedelta(minutes=self.minutes) if self.starts_at else None

    @property
    def planned_end(self) -> datetime | None:
        return self.planned_start + timedelta(minutes=self.minutes) if self.planned_start else None

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def has_unpublished_change(self) -> bool:
        return self.is_published and self.planned_start != self.starts_at

    @property
    def uid(self) -> str:
        """The calendar UID: stable for the life of the webinar, whatever its time."""
        return f"webinar-{self.pk}@{settings.CALENDAR_UID_DOMAIN}"


class RepeatSession(models.Model):
    """A second occurrence of a webinar, for an audience its start leaves outside their hours
    (no start inside the series' window reaches both the Americas and the Pacific).

    It has its own start, registrations and calendar event (UID ``webinar-<pk>-repeat@``) and
    shares everything else with the webinar. Like the webinar, ``planned_start`` is the
    secretariat's plan and ``starts_at`` what was published; ``sequence`` is its own calendar
    SEQUENCE. Deleted while unpublished; once published it is cancelled (``cancelled_at``),
    which cancels its registrations."""

    webinar = models.OneToOneField(
        Webinar, on_delete=models.CASCADE, related_name="repeat", verbose_name=_("webinar")
    )
    planned_start = models.DateTimeField(_("planned start"))
    starts_at = models.DateTimeField(_("published start"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0)
    cancelled_at = models.DateTimeField(_("cancelled on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("repeat session")
        verbose_name_plural = _("repeat sessions")

    def __str__(self) -> str:
        return str(_("Repeat of %(webinar)s") % {"webinar": self.webinar})

    @property
    def minutes(self) -> int:
        return self.webinar.minutes

    @property
    def ends_at(self) -> datetime | None:
        return self.starts_at + timedelta(minutes=self.minutes) if self.starts_at else None

    @property
    def is_published(self) -> bool:
        return self.starts_at is not None and self.cancelled_at is None

    @property
    def uid(self) -> str:
        return f"webinar-{self.webinar_id}-repeat@{settings.CALENDAR_UID_DOMAIN}"


class AgendaItem(models.Model):
    """One item of a webinar's agenda; the durations add up to the webinar's length."""

    webinar = models.ForeignKey(
        Webinar, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("webinar")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("item"), max_length=200)
    minutes = models.PositiveSmallIntegerField(_("minutes"))

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return f"{self.title} ({self.minutes} min)"


class Speaker(models.Model):
    """A speaker or the moderator, listed publicly only with their consent."""

    class Role(models.TextChoices):
        SPEAKER = "speaker", _("speaker")
        MODERATOR = "moderator", _("moderator")

    webinar = models.ForeignKey(
        Webinar, on_delete=models.CASCADE, related_name="speakers", verbose_name=_("webinar")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.SPEAKER)
    name = models.CharField(_("name"), max_length=150)
    title = models.CharField(_("title or role"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("organisation in the directory"),
    )
    organisation_name = models.CharField(
        _("organisation (if not in the directory)"), max_length=200, blank=True
    )
    bio = models.TextField(_("short bio"), max_length=1000, blank=True)
    consents_to_listing = models.BooleanField(_("agrees to be listed publicly"), default=False)
    consents_to_recording = models.BooleanField(_("agrees to be recorded"), default=False)

    class Meta:
        ordering = ["role", "position", "pk"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self) -> str:
        return self.name


def _material_path(material: "Material", filename: str) -> str:
    return f"webinars/{material.webinar_id}/{filename}"


class Material(models.Model):
    """A presentation or another document, shown to those its visibility allows."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("everyone")
        MEMBERS = "members", _("Alliance members")
        HOSTS = "hosts", _("the hosts and the secretariat")

    webinar = models.ForeignKey(
        Webinar, on_delete=models.CASCADE, related_name="materials", verbose_name=_("webinar")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_material_path)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    visibility = models.CharField(
        _("who may see it"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self) -> str:
        return self.title


class RegistrationQuestions(models.Model):
    """What a series' registration form asks, beyond name and e-mail (defaults: everything,
    each answer optional except where the law or the workplan needs it)."""

    series = models.OneToOneField(
        Series,
        on_delete=models.CASCADE,
        related_name="registration_questions",
        verbose_name=_("series"),
    )
    asks_organisation = models.BooleanField(_("organisation"), default=True)
    asks_country = models.BooleanField(_("country"), default=True)
    asks_partner_type = models.BooleanField(_("partner type"), default=True)
    asks_sex = models.BooleanField(
        _("sex"),
        default=True,
        help_text=_("For the workplan's sex-disaggregated reporting; always optional."),
    )
    asks_interpretation = models.BooleanField(_("interpretation needs"), default=True)
    asks_consent = models.BooleanField(_("consent to be contacted"), default=True)

    class Meta:
        verbose_name = _("registration questions")
        verbose_name_plural = _("registration questions")

    def __str__(self) -> str:
        return str(self.series)


class Registration(models.Model):
    """A person registered for a webinar; they get the calendar invitation and its updates.

    A signed-in member registers as themself (``user``); anyone may register for a public
    webinar with a name and an e-mail address, confirmed by a link (``email_verified_at``).
    ``email`` is always filled (a member's own address), one registration per address.
    When the webinar is full, a registration waits (``waiting``); a freed seat is offered to the
    first in line (``offered`` until ``offer_expires_at``), who confirms or lets it pass on.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for e-mail confirmation")
        REGISTERED = "registered", _("registered")
        WAITING = "waiting", _("on the waiting list")
        OFFERED = "offered", _("offered a seat")
        CANCELLED = "cancelled", _("cancelled")

    class Sex(models.TextChoices):
        FEMALE = "female", _("female")
        MALE = "male", _("male")
        ANOTHER = "another", _("another")
        NOT_SAID = "not_said", _("prefer not to say")

    webinar = models.ForeignKey(
        Webinar, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("webinar")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("person"),
    )
    name = models.CharField(_("name"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    email_verified_at = models.DateTimeField(_("e-mail confirmed"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED
    )
    offer_expires_at = models.DateTimeField(_("offer expires"), null=True, blank=True)
    # The answers to the series' registration questions.
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("organisation"),
    )
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    partner_type = models.CharField(_("partner type"), max_length=40, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)
    interpretation_needs = models.CharField(_("interpretation needs"), max_length=200, blank=True)
    consents_to_contact = models.BooleanField(_("may be contacted about the series"), default=False)
    # Set when the person chose the repeat session; empty for the webinar's first session.
    repeat = models.ForeignKey(
        RepeatSession,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("repeat session"),
    )
    # The calendar SEQUENCE last sent to this person (their invitation, update or cancellation).
    sequence_sent = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("registered on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["webinar", "user"],
                condition=models.Q(user__isnull=False),
                name="one_registration_per_person",
            ),
            models.UniqueConstraint(
                Lower("email"),
                "webinar",
                condition=~models.Q(email=""),
                name="one_registration_per_address",
            ),
        ]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self) -> str:
        return f"{self.name or self.user or self.email} — {self.webinar}"

    @property
    def session(self) -> "Webinar | RepeatSession":
        """The occurrence this person attends: its ``starts_at``, ``ends_at``, ``uid`` and
        ``sequence`` are theirs."""
        return self.repeat if self.repeat_id else self.webinar


class ReminderSent(models.Model):
    """A reminder that was sent, once per (what it is about, kind): a restart, a second worker
    or a rerun of the scheduler finds the row and sends nothing. ``kind`` names the reminder,
    e.g. "registrant.7d", "registrant.1h", "host.21d"."""

    webinar = models.ForeignKey(Webinar, on_delete=models.CASCADE, related_name="+")
    registration = models.ForeignKey(
        Registration, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=30)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "kind"],
                condition=models.Q(registration__isnull=False),
                name="one_reminder_per_registration_and_kind",
            ),
            models.UniqueConstraint(
                fields=["webinar", "kind"],
                condition=models.Q(registration__isnull=True),
                name="one_reminder_per_webinar_and_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} — {self.registration or self.webinar}"


class Attendance(models.Model):
    """Who attended a held webinar and for how long, from the meeting platform's report
    (``attendance.service``): one row per person and session (``repeat`` empty: the first
    session, else its repeat session, which has its own meeting and report), by e-mail
    address, else by name. The report itself is not kept. Hosts, panelists, speakers and the
    host contacts are kept apart (``counted_as_host``), never counted as attendees."""

    webinar = models.ForeignKey(
        Webinar, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("webinar")
    )
    registration = models.ForeignKey(
        Registration,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attendance",
        verbose_name=_("registration"),
    )
    # The session the report was of: empty for the webinar's first session.
    repeat = models.ForeignKey(
        RepeatSession,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attendance",
        verbose_name=_("repeat session"),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    minutes = models.PositiveIntegerField(_("minutes attended"))
    counted_as_host = models.BooleanField(_("counted as a host"), default=False)
    imported_at = models.DateTimeField(_("imported"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("imported by"),
    )

    class Meta:
        ordering = ["name", "email", "pk"]
        constraints = [
            # Per session: 0 stands for the first one (NULLs would never clash).
            models.UniqueConstraint(
                Lower("email"),
                "webinar",
                Coalesce("repeat", models.Value(0)),
                condition=~models.Q(email=""),
                name="one_attendance_per_address",
            ),
            models.UniqueConstraint(
                Lower("name"),
                "webinar",
                Coalesce("repeat", models.Value(0)),
                condition=models.Q(email=""),
                name="one_attendance_per_name_without_address",
            ),
            models.CheckConstraint(
                condition=~models.Q(name="", email=""),
                name="attendance_has_name_or_address",
            ),
        ]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return f"{self.name or self.email} — {self.webinar} ({self.minutes} min)"


class Recording(models.Model):
    """The recording of a held webinar, in one language: a video page (YouTube, Vimeo,
    PeerTube) or a video file's address, with its captions (``Captions``). Shown on the
    webinar page and in the library once published, which needs every listed speaker's
    consent to be recorded (``recordings.publish``)."""

    class Provider(models.TextChoices):
        YOUTUBE = "youtube", "YouTube"
        VIMEO = "vimeo", "Vimeo"
        PEERTUBE = "peertube", "PeerTube"
        FILE = "file", _("video file")

    webinar = models.ForeignKey(
        Webinar, on_delete=models.CASCADE, related_name="recordings", verbose_name=_("webinar")
    )
    url = models.URLField(_("address of the recording"), max_length=500)
    provider = models.CharField(_("provider"), max_length=10, choices=Provider.choices)
    # The provider's id of the video (empty for a file): builds the embed address.
    video_id = models.CharField(max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("added by"),
    )
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("published by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["webinar", "language", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["webinar", "language"], name="one_recording_per_webinar_and_language"
            ),
        ]
        verbose_name = _("recording")
        verbose_name_plural = _("recordings")

    def __str__(self) -> str:
        return f"{self.webinar} ({self.language})"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Captions(models.Model):
    """A recording's captions in one language, kept as WebVTT (an SRT file is converted on
    upload); the transcript page is made from their cues."""

    recording = models.ForeignKey(
        Recording, on_delete=models.CASCADE, related_name="captions", verbose_name=_("recording")
    )
    language = models.CharField(_("language"), max_length=8)
    vtt = models.TextField(_("captions (WebVTT)"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["recording", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["recording", "language"], name="one_captions_per_recording_and_language"
            ),
        ]
        verbose_name = _("captions")
        verbose_name_plural = _("captions")

    def __str__(self) -> str:
        return f"{self.recording} — {self.language}"


class Feedback(models.Model):
    """One person's answer to a webinar's short feedback form (linked from the thanks e-mail),
    one per person: a second submission updates it. Shown to the webinar's hosts and the
    secretariat without the person's name."""

    class Usefulness(models.IntegerChoices):
        NOT_AT_ALL = 1, _("not useful")
        A_LITTLE = 2, _("a little useful")
        FAIRLY = 3, _("fairly useful")
        VERY = 4, _("very useful")
        EXTREMELY = 5, _("extremely useful")

    webinar = models.ForeignKey(
        Webinar, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("webinar")
    )
    attendance = models.OneToOneField(
        Attendance,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
        verbose_name=_("attendance"),
    )
    registration = models.OneToOneField(
        Registration,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
        verbose_name=_("registration"),
    )
    usefulness = models.PositiveSmallIntegerField(_("how useful"), choices=Usefulness.choices)
    learned = models.TextField(_("one thing learned"), max_length=2000, blank=True)
    wished_topics = models.TextField(_("topics wished for next"), max_length=2000, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    created_at = models.DateTimeField(_("answered on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self) -> str:
        return f"{self.webinar}: {self.usefulness}"


class RecordingPlays(models.Model):
    """How many times a published recording's player was started on one day (UTC), on the
    webinar's page or through its link: a count, nothing about who played it (no user, no
    address). Written by ``engagement.count_play``."""

    recording = models.ForeignKey(
        Recording, on_delete=models.CASCADE, related_name="plays", verbose_name=_("recording")
    )
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("plays"), default=0)

    class Meta:
        ordering = ["recording", "day"]
        constraints = [
            models.UniqueConstraint(fields=["recording", "day"], name="one_plays_row_per_day"),
        ]
        verbose_name = _("recording plays")
        verbose_name_plural = _("recording plays")

    def __str__(self) -> str:
        return f"{self.recording} {self.day}: {self.count}"


class MaterialDownloads(models.Model):
    """How many times a material was downloaded on one day (UTC): a count, nothing about who
    downloaded it. Written by ``engagement.count_download``."""

    material = models.ForeignKey(
        Material, on_delete=models.CASCADE, related_name="downloads", verbose_name=_("material")
    )
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("downloads"), default=0)

    class Meta:
        ordering = ["material", "day"]
        constraints = [
            models.UniqueConstraint(fields=["material", "day"], name="one_downloads_row_per_day"),
        ]
        verbose_name = _("material downloads")
        verbose_name_plural = _("material downloads")

    def __str__(self) -> str:
        return f"{self.material} {self.day}: {self.count}"
