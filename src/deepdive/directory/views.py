"""Pages of the partner directory: public list and organisation pages, and the
secretariat's create, edit, merge, import and export pages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_safe

from deepdive.core.paging import page_links
from deepdive.core.permissions import secretariat_required

from . import operations, queries
from .interfaces import exports, imports
from .interfaces.filters import OrganisationFilter
from .interfaces.forms import ImportConfirmForm, ImportUploadForm, MergeForm, OrganisationForm
from .models import Organisation

PAGE_SIZE = 20


@require_safe
def organisation_list(request):
    filterset = OrganisationFilter(request.GET, queryset=queries.directory_organisations())
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "directory/list.html",
        {
            "filter": filterset,
            "page": page,
            "page_links": page_links(page),
            "query": request.GET.urlencode(),
        },
    )


@require_safe
def organisation_detail(request, slug):
    organisation = queries.find_organisation(slug)
    if organisation is None:
        raise Http404
    if organisation.merged_into_id:
        destination = queries.merge_destination(organisation)
        return HttpResponsePermanentRedirect(destination.get_absolute_url())
    return render(
        request,
        "directory/organisation.html",
        queries.organisation_page(organisation, request.user),
    )


@secretariat_required
def organisation_create(request):
    form = OrganisationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = operations.create_organisation(
                actor=request.user,
                fields=form.organisation_fields(),
                domains=form.cleaned_data["domains"],
            )
        except ValidationError as e:
            form.add_error("domains", e)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": organisation})
            return redirect(organisation)
    return render(request, "directory/form.html", {"form": form, "organisation": None})


@secretariat_required
def organisation_edit(request, slug):
    organisation = get_object_or_404(Organisation.objects.active(), slug=slug)
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            changes = operations.update_organisation(
                actor=request.user,
                organisation=organisation,
                fields=form.organisation_fields(),
                domains=form.cleaned_data["domains"],
            )
        except ValidationError as e:
            form.add_error("domains", e)
        else:
            if changes:
                messages.success(request, _("%(name)s was saved.") % {"name": organisation})
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect(organisation)
    return render(request, "directory/form.html", {"form": form, "organisation": organisation})


@secretariat_required
def organisation_merge(request):
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        source, target = form.cleaned_data["source"], form.cleaned_data["target"]
        if "confirm" not in request.POST:
            return render(
                request,
                "directory/merge_confirm.html",
                {"form": form, **queries.merge_preview(source, target)},
            )
        try:
            operations.merge_organisations(actor=request.user, source=source, target=target)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(
                request,
                _("%(source)s was merged into %(target)s.") % {"source": source, "target": target},
            )
            return redirect(target)
    return render(request, "directory/merge.html", {"form": form})


@secretariat_required
def organisation_import(request):
    """Upload → every row checked and shown → confirm → written, all or nothing."""
    if request.method == "POST" and "token" in request.POST:
        return _import_confirm(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    context = {"form": form, "columns": imports.COLUMNS}
    if request.method == "POST" and form.is_valid():
        preview = imports.check_rows(form.table)
        if preview.is_valid:
            token = imports.store_upload(form.content, form.extension)
            imports.remember_upload(request.session, token, request.user)
            context["confirm_form"] = ImportConfirmForm(initial={"token": token})
        context.update(preview=preview, filename=form.cleaned_data["file"].name)
    return render(request, "directory/import.html", context)


def _import_confirm(request):
    confirm_form = ImportConfirmForm(request.POST)
    token = confirm_form.data.get("token", "")
    content = None
    if confirm_form.is_valid() and imports.upload_belongs_to(request.session, token, request.user):
        content = imports.load_upload(token)
    if content is None:
        messages.error(request, _("This import is not valid any more; upload the file again."))
        return redirect("directory:import")
    context = {"form": ImportUploadForm(), "columns": imports.COLUMNS}
    try:
        preview = imports.check_rows(imports.read_table(content, token.rsplit(".", 1)[1]))
    except imports.ImportFileError as e:
        messages.error(request, str(e))
        return redirect("directory:import")
    if not preview.is_valid:
        # The directory changed since the file was checked: show why, write nothing.
        imports.forget_upload(request.session, token)
        context["preview"] = preview
        return render(request, "directory/import.html", context)
    try:
        counts = operations.import_organisations(actor=request.user, rows=preview.writes)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("directory:import")
    imports.forget_upload(request.session, token)
    messages.success(
        request,
        _("Import done: %(created)s added, %(updated)s updated, %(unchanged)s unchanged.") % counts,
    )
    return redirect("directory:list")


@secretariat_required
@require_GET
def import_template(request):
    response = HttpResponse(imports.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="directory-import-template.csv"'
    return response


@secretariat_required
@require_GET
def organisation_export(request):
    file_format = request.GET.get("format", "csv")
    if file_format not in {"csv", "xlsx"}:
        raise Http404
    filterset = OrganisationFilter(request.GET, queryset=queries.directory_organisations())
    rows = exports.export_rows(filterset.qs)
    filename = f"directory-{timezone.localdate():%Y-%m-%d}.{file_format}"
    if file_format == "xlsx":
        response = HttpResponse(
            exports.to_xlsx(rows, title=_("Directory")),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(exports.to_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
