import os
import signal
import subprocess
import sys
from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from deepdive.demo.attendance import write_attendance_samples
from deepdive.demo.data import ACCOUNTS
from deepdive.demo.operations import load_demo
from deepdive.demo.recordings import write_captions_sample
from deepdive.outbox.operations import interrupt_stale, requeue_stale


class Command(BaseCommand):
    help = "Set up the database, load the demo data and serve Deep Dive with its task worker."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--no-serve", action="store_true", help="Load the data, then stop (no web server)."
        )

    def handle(self, *args, host: str, port: int, no_serve: bool, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        created = load_demo()
        self.stdout.write(
            "Demo data ready ("
            + ", ".join(f"{n} {kind} created" for kind, n in created.items())
            + ")."
        )
        samples = write_attendance_samples(settings.VAR_DIR)
        if samples:
            self.stdout.write(
                "Attendance reports of the pilot's held webinars, to import on each webinar's "
                "attendance page:\n" + "\n".join(f"    {path}" for path in samples)
            )
        captions = write_captions_sample(settings.VAR_DIR)
        if captions:
            self.stdout.write(
                "English captions (SRT) of the pilot's second webinar, to upload with its "
                "recording on the webinar's recordings page:\n"
                + "\n".join(f"    {path}" for path in captions)
            )
        # No worker runs yet: whatever is still sending was left by one that died.
        interrupt_stale(stale_after=timedelta(0))
        requeue_stale()
        if no_serve:
            return
        self._serve(host, port)

    def _serve(self, host: str, port: int) -> None:
        from waitress import serve

        from deepdive.wsgi import application

        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "deepdive",
                "db_worker",
                "--queue-name",
                "*",
                "--no-reload",
                "--verbosity",
                "0",
            ],
        )
        # The periodic work (reminders, outbox recovery): see deepdive.core.scheduling.
        scheduler = subprocess.Popen(
            [sys.executable, "-m", "deepdive", "scheduler", "--verbosity", "0"]
        )
        accounts = "\n".join(f"    {email}" for email, *_ in ACCOUNTS)
        self.stdout.write(
            f"\nDeep Dive is running on http://{host}:{port}/ with its task worker.\n"
            f"Demo accounts (password: {settings.DEMO_PASSWORD}):\n{accounts}\n"
            "Press Ctrl-C to stop.\n"
        )
        # Ctrl-C and a plain `kill` stop both processes (even when started in the background,
        # where a shell makes the process ignore Ctrl-C).
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            serve(application, host=host, port=port, threads=8, _quiet=True)
        except KeyboardInterrupt:
            pass
        finally:
            for process in (worker, scheduler):
                process.terminate()
            for process in (worker, scheduler):
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
            self.stdout.write("Stopped.")


def _interrupt(signum, frame):
    raise KeyboardInterrupt
