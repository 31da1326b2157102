"""The demo's newsletter issues (issue 14): one of the Supply Chains series already sent to the
workers' organisations (the earlier invitation's small audience), its web version public; and
one draft, in English, French and Spanish, for the secretariat to preview, send for approval
and send from its campaign's page.

Both go through the services the pages use (``communications.newsletters``: written, sent for
approval; ``communications.campaigns``: sent), so their history, messages and web version are
real. An issue is known by its English subject: loading the demo again writes neither twice.
"""

from deepdive.accounts.models import User
from deepdive.communications import audiences, campaigns, newsletters
from deepdive.communications.models import NewsletterIssue
from deepdive.series.models import Series

from .invitations import EARLIER_AUDIENCE
from .workspaces import SECRETARIAT

# The issue sent earlier: the programme as it stands, with a word of welcome.
SENT_SUBJECT = "The Supply Chains deep dives have begun"
SENT_INTRODUCTION = (
    "The first webinars of the Supply Chains Action Group's deep dive series have taken "
    "place. Below: the webinars to come, with the time in your zone, and the recordings "
    "already online."
)
SENT_TEXTS = {
    "fr": {
        "subject": "Les ateliers Deep Dive sur les chaînes d'approvisionnement ont commencé",
        "introduction": (
            "Les premiers webinaires de la série Deep Dive du Groupe d'action sur les chaînes "
            "d'approvisionnement ont eu lieu. Ci-dessous : les webinaires à venir, à l'heure "
            "de votre fuseau, et les enregistrements déjà en ligne."
        ),
    },
    "es": {
        "subject": "Han comenzado los talleres Deep Dive sobre cadenas de suministro",
        "introduction": (
            "Se han celebrado los primeros seminarios web de la serie Deep Dive del Grupo de "
            "Acción sobre Cadenas de Suministro. A continuación: los próximos seminarios web, "
            "a la hora de su zona, y las grabaciones ya disponibles."
        ),
    },
}

# The draft: what the secretariat previews and sends on the demo.
DRAFT_SUBJECT = "Coming up in the Supply Chains deep dives"
DRAFT_INTRODUCTION = (
    "Members of the Action Group share what works against child labour, forced labour and "
    "human trafficking in supply chains. Here are the next webinars: register from their "
    "page, in the language you prefer."
)
DRAFT_TEXTS = {
    "fr": {
        "subject": "Prochainement dans les ateliers Deep Dive sur les chaînes d'approvisionnement",
        "introduction": (
            "Les membres du Groupe d'action partagent ce qui fonctionne contre le travail des "
            "enfants, le travail forcé et la traite des êtres humains dans les chaînes "
            "d'approvisionnement. Voici les prochains webinaires : inscrivez-vous depuis leur "
            "page, dans la langue de votre choix."
        ),
    },
    "es": {
        "subject": "Próximamente en los talleres Deep Dive sobre cadenas de suministro",
        "introduction": (
            "Los miembros del Grupo de Acción comparten lo que funciona contra el trabajo "
            "infantil, el trabajo forzoso y la trata de personas en las cadenas de suministro. "
            "Estos son los próximos seminarios web: inscríbase desde su página, en el idioma "
            "que prefiera."
        ),
    },
}
DRAFT_BLOCKS = [
    {
        "heading": {
            "en": "Missed a webinar? Watch the recording",
            "fr": "Vous avez manqué un webinaire ? Regardez l'enregistrement",
            "es": "¿Se perdió un seminario web? Vea la grabación",
        },
        "body": {
            "en": (
                "<p>Every webinar of the series is recorded, with captions, and published in "
                "the <strong>recording library</strong> a few days after it is held. Share "
                "it with colleagues who could not join.</p>"
            ),
            "fr": (
                "<p>Chaque webinaire de la série est enregistré, sous-titré, et publié dans la "
                "<strong>bibliothèque des enregistrements</strong> quelques jours après sa "
                "tenue. Partagez-le avec les collègues qui n'ont pas pu y assister.</p>"
            ),
            "es": (
                "<p>Cada seminario web de la serie se graba, con subtítulos, y se publica en "
                "la <strong>biblioteca de grabaciones</strong> unos días después de "
                "celebrarse. Compártalo con los colegas que no pudieron asistir.</p>"
            ),
        },
    }
]


def load_newsletters(*, series: Series) -> int:
    """The sent issue and the draft, each once; returns how many issues were written.

    Call it after the demo's cancellations (like the earlier invitation): an issue is
    composed from the webinars to come when it is sent."""
    secretariat = User.objects.get(email=SECRETARIAT)
    return _sent_issue(series, secretariat) + _draft_issue(series, secretariat)


def _sent_issue(series: Series, secretariat: User) -> int:
    """Written, sent for approval to the workers' organisations and sent at once (fewer
    people than a minute's pace: all released, the campaign done, its web version public).
    0 when it exists, or when the directory has no workers' organisation left to send to."""
    if NewsletterIssue.objects.filter(series=series, subject=SENT_SUBJECT).exists():
        return 0
    kind, value = EARLIER_AUDIENCE
    audience = audiences.Audience(series_id=series.pk, kind=kind, value=value)
    if not audiences.count(audience):  # a directory edited on the demo: nobody to send to
        return 0
    issue = newsletters.save_issue(
        actor=secretariat,
        series=series,
        subject=SENT_SUBJECT,
        introduction=SENT_INTRODUCTION,
        texts=SENT_TEXTS,
    )
    campaign, _drafted = newsletters.send_for_approval(
        actor=secretariat, issue=issue, audience=audience
    )
    campaigns.start_sending(actor=secretariat, campaign=campaign)
    return 1


def _draft_issue(series: Series, secretariat: User) -> int:
    if NewsletterIssue.objects.filter(series=series, subject=DRAFT_SUBJECT).exists():
        return 0
    newsletters.save_issue(
        actor=secretariat,
        series=series,
        subject=DRAFT_SUBJECT,
        introduction=DRAFT_INTRODUCTION,
        texts=DRAFT_TEXTS,
        blocks=DRAFT_BLOCKS,
    )
    return 1
