"""Background file jobs: a long export (a street's ledgers as one ZIP) runs on the worker, shows
its progress, and its file is served only to the user who asked for it.

The file is kept in Django's default storage under a random name (``exports/<hex>.zip``) that
is not a ``/media/`` path: ``job_file`` looks the job up by its id AND the requesting user, so
another user (whatever their scope) gets a 404, the same answer as for a job that does not exist.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _export_name(instance, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return f"exports/{uuid.uuid4().hex}.{suffix if suffix.isalnum() and len(suffix) <= 5 else 'zip'}"


class JobStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class FileJob(models.Model):
    """One background export asked for by one user: progress (``done`` of ``total`` steps) and,
    when finished, the file. Not audited: it changes no domain data (the export itself is what
    the domain app logs, e.g. unmasked personal data in the access log)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE)
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    params = models.JSONField(_("parameters"), default=dict)
    status = models.CharField(_("status"), max_length=8, choices=JobStatus.choices, default=JobStatus.PENDING)
    done = models.PositiveIntegerField(_("steps done"), default=0)
    total = models.PositiveIntegerField(_("steps"), default=0)
    file = models.FileField(_("file"), upload_to=_export_name, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("background export")
        verbose_name_plural = _("background exports")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        return 100 if self.status == JobStatus.DONE else (100 * self.done // self.total if self.total else 0)

    def step(self, done: int) -> None:
        FileJob.objects.filter(pk=self.pk).update(done=done, status=JobStatus.RUNNING)

    def note(self, done: int | None = None, **params) -> None:
        """Progress kept in ``params`` (e.g. rows read / validated / saved) and, if given, ``done``."""
        self.params = {**self.params, **params}
        self.status = JobStatus.RUNNING
        fields = ["params", "status"]
        if done is not None:
            self.done = done
            fields.append("done")
        self.save(update_fields=fields)

    def succeed(self) -> None:
        """Finished without a file (the result is in ``params``)."""
        self.status, self.done, self.finished_at = JobStatus.DONE, self.total, timezone.now()
        self.save(update_fields=["status", "done", "finished_at"])

    def finish(self, name: str, data: bytes) -> None:
        from django.core.files.base import ContentFile

        self.file.save(name, ContentFile(data), save=False)
        self.filename, self.status, self.done, self.finished_at = name, JobStatus.DONE, self.total, timezone.now()
        self.save(update_fields=["file", "filename", "status", "done", "finished_at"])

    def fail(self, message: str) -> None:
        self.status, self.error, self.finished_at = JobStatus.FAILED, message[:500], timezone.now()
        self.save(update_fields=["status", "error", "finished_at"])


def job_for(request, pk: int) -> FileJob:
    """The requesting user's own job, else 404."""
    if not getattr(request.user, "is_authenticated", False):
        raise Http404
    return get_object_or_404(FileJob, pk=pk, user=request.user)


def job_file(request, pk: int):
    """The finished job's file, for the user who asked only."""
    job = job_for(request, pk)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404
    response = FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
