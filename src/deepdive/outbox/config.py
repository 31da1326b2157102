"""Reading DEEPDIVE_EMAIL_URL into the outbox's delivery settings (plain Python: imported by
settings.py before Django is set up)."""

from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_email_url


def delivery_settings(url: str | None, var_dir: Path) -> dict:
    """OUTBOX_DELIVERY for ``url`` (``smtp://…``, ``console://``, ``file:///abs/path``); no URL
    means files under ``<var_dir>/mail``.

    A file URL's path is absolute (``dj_email_url`` drops its leading slash, which made
    ``file:///srv/mail`` the relative ``srv/mail``); ``file://`` alone is ``<var_dir>/mail``.
    """
    url = url or f"file://{Path(var_dir).resolve() / 'mail'}"
    parsed = dj_email_url.parse(url)
    file_path = parsed.get("EMAIL_FILE_PATH") or ""
    if parsed["EMAIL_BACKEND"].endswith("filebased.EmailBackend"):
        parts = urlsplit(url)
        path = unquote(parts.netloc + parts.path)
        file_path = str(Path(path).resolve()) if path else str(Path(var_dir).resolve() / "mail")
    return {
        "BACKEND": parsed["EMAIL_BACKEND"],
        "HOST": parsed.get("EMAIL_HOST") or "",
        "PORT": parsed.get("EMAIL_PORT"),
        "USERNAME": parsed.get("EMAIL_HOST_USER") or "",
        "PASSWORD": parsed.get("EMAIL_HOST_PASSWORD") or "",
        "USE_TLS": parsed.get("EMAIL_USE_TLS", False),
        "USE_SSL": parsed.get("EMAIL_USE_SSL", False),
        "TIMEOUT": parsed.get("EMAIL_TIMEOUT") or 30,
        "FILE_PATH": file_path,
    }
