"""After the pilot (issue 13): the recording of its first webinar, published with captions, so
that the library is not empty on the demo; and an English SRT captions file for the
secretariat to upload, written by ``deepdive demo`` under the var folder with the attendance
reports.

The pilot's two other held webinars are left without a recording: publishing one is the
secretariat's to do on the demo. The recording is added, captioned and published through the
webinar's services (``webinars.recordings``) by the webinar's host, as on its recordings page;
its speakers consented to be recorded when the workspace was filled (``workspaces.py``). The
video's address is a made-up YouTube id: nothing is published on YouTube under it.
"""

from pathlib import Path

from django.utils.text import slugify

from deepdive.accounts.models import User
from deepdive.webinars import recordings
from deepdive.webinars.interfaces.captions import timestamp
from deepdive.webinars.models import Recording, Webinar

from .selected import PILOT_SLUG
from .workspaces import PILOT_WORKSPACES, ContactFinder

FOLDER = "demo-captions"
RECORDED = list(PILOT_WORKSPACES)[0]  # "Child-labour-free zones in Uganda's coffee districts"
# A YouTube address on a made-up id (eleven characters, as YouTube's are).
RECORDING_URL = "https://www.youtube.com/watch?v=DeepDemoUg1"
RECORDING_LANGUAGE = "en"
# The sample SRT file: for the pilot's second webinar, held in English and not recorded yet.
SAMPLE_FOR = list(PILOT_WORKSPACES)[1]  # "Seafood processing workers organise against …"

# One cue: start and end in seconds, the speaker, the text.
Cue = tuple[int, int, str, str]

SAMIRA, GRACE, PETER = "Samira Secretariat", "Grace Namutebi", "Peter Ssemakula"
# When each of the recorded webinar's cues is said, and by whom; then its text per language.
TIMING = [
    (2, 8, SAMIRA),
    (9, 15, SAMIRA),
    (17, 24, GRACE),
    (25, 32, GRACE),
    (34, 41, PETER),
    (42, 49, PETER),
    (51, 58, GRACE),
    (60, 66, SAMIRA),
]
SAID = {
    "en": [
        "Welcome to this deep dive of the Supply Chains Action Group.",
        "Today: child-labour-free zones in Uganda's coffee districts.",
        "Four districts decided that no child would work on coffee farms.",
        "Village committees visit every farm during the harvest.",
        "As a farmer, I saw my neighbours' children go back to school.",
        "The committee helps families pay for uniforms and books.",
        "Buyers pay a small premium that funds the monitoring.",
        "Thank you. Now to the questions from the participants.",
    ],
    "fr": [
        "Bienvenue à cet atelier du groupe d'action Chaînes d'approvisionnement.",
        "Aujourd'hui : les zones sans travail des enfants des districts caféiers de l'Ouganda.",
        "Quatre districts ont décidé qu'aucun enfant ne travaillerait dans les caféières.",
        "Des comités villageois visitent chaque exploitation pendant la récolte.",
        "Agriculteur, j'ai vu les enfants de mes voisins retourner à l'école.",
        "Le comité aide les familles à payer les uniformes et les livres.",
        "Les acheteurs versent une petite prime qui finance le suivi.",
        "Merci. Passons aux questions des participants.",
    ],
    "es": [
        "Bienvenidos a este taller del Grupo de Acción sobre Cadenas de Suministro.",
        "Hoy: las zonas libres de trabajo infantil de los distritos cafeteros de Uganda.",
        "Cuatro distritos decidieron que ningún niño trabajaría en las fincas de café.",
        "Comités de aldea visitan cada finca durante la cosecha.",
        "Como agricultor, vi a los hijos de mis vecinos volver a la escuela.",
        "El comité ayuda a las familias a pagar uniformes y libros.",
        "Los compradores pagan una pequeña prima que financia el seguimiento.",
        "Gracias. Pasamos a las preguntas de los participantes.",
    ],
}
# The recorded webinar's captions, in each language: the same cues in the same order.
CAPTIONS: dict[str, list[Cue]] = {
    language: [
        (start, end, who, text) for (start, end, who), text in zip(TIMING, texts, strict=True)
    ]
    for language, texts in SAID.items()
}

HOA, MINH = "Nguyen Thi Hoa", "Tran Van Minh"
# The sample SRT file's cues (English): what the secretariat uploads on the demo.
SAMPLE_CUES: list[Cue] = [
    (2, 8, SAMIRA, "Welcome to this deep dive of the Supply Chains Action Group."),
    (9, 16, SAMIRA, "Today: seafood processing workers organise against forced labour."),
    (18, 25, HOA, "In three provinces, workers' wages were held back for months."),
    (26, 33, HOA, "The union negotiated monthly pay and a cap on overtime."),
    (35, 42, MINH, "In our plant, overtime is now voluntary and recorded."),
    (43, 50, MINH, "Buyers audit the payroll, not only the safety of the floor."),
    (52, 59, HOA, "Workers now raise grievances without fear of losing their job."),
    (61, 67, SAMIRA, "Thank you. Now to the questions from the participants."),
]


def webvtt(cues: list[Cue]) -> str:
    """The cues as a WebVTT file, each opening with its speaker's voice (``<v Name>``)."""
    blocks = ["WEBVTT"]
    for start, end, speaker, text in cues:
        blocks.append(f"{timestamp(start * 1000)} --> {timestamp(end * 1000)}\n<v {speaker}>{text}")
    return "\n\n".join(blocks) + "\n"


def srt(cues: list[Cue]) -> str:
    """The cues as an SRT file (numbered, times with a comma, the speaker before the text)."""
    blocks = []
    for number, (start, end, speaker, text) in enumerate(cues, start=1):
        blocks.append(f"{number}\n{_srt_time(start)} --> {_srt_time(end)}\n{speaker}: {text}")
    return "\n\n".join(blocks) + "\n"


def _srt_time(seconds: int) -> str:
    """SRT's ``hh:mm:ss,ttt``: WebVTT's with a comma."""
    return timestamp(seconds * 1000).replace(".", ",")


def publish_pilot_recording(*, password: str, contact_for: ContactFinder) -> int:
    """The recording of the pilot's first webinar, in English with its captions in English,
    French and Spanish, published by its host. Returns 1 when it was added, 0 when the webinar
    is missing or already has a recording (whatever became of it on the demo)."""
    webinar = (
        Webinar.objects.filter(proposal__call__slug=PILOT_SLUG, proposal__title=RECORDED)
        .select_related("proposal__lead_organisation")
        .first()
    )
    if webinar is None or Recording.objects.filter(webinar=webinar).exists():
        return 0
    host: User = contact_for(webinar.proposal.lead_organisation, password)
    recording = recordings.add_recording(
        actor=host, webinar=webinar, url=RECORDING_URL, language=RECORDING_LANGUAGE
    )
    for language, cues in CAPTIONS.items():
        recordings.save_captions(
            actor=host, recording=recording, language=language, text=webvtt(cues)
        )
    recordings.publish(actor=host, recording=recording)
    return 1


def sample_file_name(title: str) -> str:
    """``<the webinar's title>.en.srt``, the title cut at a whole word."""
    slug = slugify(title)
    if len(slug) > 60:
        slug = slug[:61].rsplit("-", 1)[0]
    return f"{slug}.en.srt"


def write_captions_sample(var: Path) -> list[Path]:
    """Write (again) ``var/demo-captions/<webinar>.en.srt``, the English captions of the
    pilot's second webinar, when that webinar exists; return the file's path (or nothing)."""
    if not Webinar.objects.filter(
        proposal__call__slug=PILOT_SLUG, proposal__title=SAMPLE_FOR
    ).exists():
        return []
    folder = var / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / sample_file_name(SAMPLE_FOR)
    path.write_text(srt(SAMPLE_CUES), encoding="utf-8")
    return [path]
