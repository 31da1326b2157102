import signal
import threading

from django.core.management.base import BaseCommand

from deepdive.core import scheduling


class Command(BaseCommand):
    help = (
        "Run the periodic work (reminders, outbox recovery) as it falls due. Any number may "
        "be started: one at a time acts (a lease in the database), another takes over when it "
        "dies. Stops cleanly on SIGTERM or Ctrl-C."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Run the jobs that are due, then stop."
        )

    def handle(self, *args, once: bool, verbosity: int, **options) -> None:
        self.verbosity = verbosity
        if once:
            ran = scheduling.run_due()
            if ran is None:
                self.stdout.write("Another scheduler holds the lease: nothing run.")
                return
            self._report(ran)
            if not ran:
                self.stdout.write("Nothing due.")
            return
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        scheduling.Scheduler().run_forever(stop=stop, on_round=self._report)

    def _report(self, ran: list[scheduling.Ran]) -> None:
        """Each job's result (not at verbosity 0); failures are logged in any case."""
        if self.verbosity < 1:
            return
        for each in ran:
            if each.failed:
                self.stderr.write(f"{each.job}: failed: {each.error}")
            else:
                self.stdout.write(f"{each.job}: {each.result}")
        self.stdout.flush()
