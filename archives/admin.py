"""The archive in the admin: the snapshots of a source on its page, "archive now" (a list
action and a button), each snapshot's details with its error or its extracted text, and
the button that makes that text the source's stored text."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html

from archives import services, views
from archives.models import Snapshot
from sources.models import Source


def _report(request, snapshots, asked):
    if snapshots:
        messages.success(
            request,
            f"{len(snapshots)} source(s) will be archived: the worker takes the snapshots "
            "in the background; their status is on each source's page.",
        )
    if asked > len(snapshots):
        messages.warning(request, f"{asked - len(snapshots)} source(s) have no URL to archive.")


class SnapshotInline(admin.TabularInline):
    """A source's snapshots, newest first: what was taken, or why it failed."""

    model = Snapshot
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    fields = ["requested_at", "status", "taken_at", "http_status", "content_type", "error"]
    readonly_fields = fields
    verbose_name_plural = "snapshots (archived copies taken by Counterclaim)"

    def has_add_permission(self, request, obj=None):
        return False


class SourceArchiveMixin:
    """For the sources' admin: the snapshots inline, "archive now" as a list action and as a
    button on a source's page (``admin/sources/source/change_form.html``)."""

    archive_inlines = [SnapshotInline]
    actions = ["archive_now"]

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        # A new source has no snapshots yet.
        return inlines if obj is None else [*inlines, *self.archive_inlines]

    @admin.action(description="Archive now (snapshot of the URL)", permissions=["change"])
    def archive_now(self, request, queryset):
        sources = list(queryset)
        _report(request, services.archive(sources, by=request.user), len(sources))

    def get_urls(self):
        archive = path(
            "<path:object_id>/archive/",
            self.admin_site.admin_view(self.archive_view),
            name="sources_source_archive",
        )
        return [archive, *super().get_urls()]

    def archive_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        source = get_object_or_404(Source, pk=object_id)
        if not self.has_change_permission(request, source):
            raise PermissionDenied
        _report(request, services.archive([source], by=request.user), 1)
        return redirect("admin:sources_source_change", source.pk)


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ["requested_url", "source", "status", "taken_at", "http_status", "error"]
    list_select_related = ["source__publisher", "source__via"]
    list_filter = ["status", "content_type"]
    search_fields = ["requested_url", "url", "source__title"]
    date_hierarchy = "requested_at"
    actions = ["use_text"]
    fields = [
        "source",
        "status",
        "error",
        "requested_url",
        "requested_by",
        "requested_at",
        "taken_at",
        "url",
        "redirects",
        "http_status",
        "content_type",
        "copy",
        "size",
        "sha256",
        "text",
    ]
    readonly_fields = fields

    class Media:
        css = {"all": ["css/admin.css"]}

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Proof is not thrown away from a list page; a deleted source takes its snapshots.
        return False

    def has_use_text_permission(self, request):
        return request.user.has_perm("sources.change_source")

    @admin.display(description="archived copy")
    def copy(self, snapshot):
        if snapshot.status != Snapshot.Status.TAKEN:
            return "—"
        return format_html(
            '<a href="{}">View the archived copy</a> · <a href="{}">Download the WARC file</a>',
            reverse("admin:archives_snapshot_copy", args=[snapshot.pk]),
            reverse("admin:archives_snapshot_warc", args=[snapshot.pk]),
        )

    @admin.action(
        description="Use the extracted text as the source's stored text",
        permissions=["use_text"],
    )
    def use_text(self, request, queryset):
        for snapshot in queryset.select_related("source"):
            self._use_text(request, snapshot)

    def _use_text(self, request, snapshot):
        try:
            services.accept_text(snapshot, by=request.user)
        except ValidationError as error:
            messages.error(request, f"{snapshot}: {' '.join(error.messages)}")
            return
        messages.success(
            request,
            f"The stored text of “{snapshot.source}” is now the text of this snapshot; "
            "the quotes from it were checked again.",
        )

    def get_urls(self):
        taken = Snapshot.objects.taken()
        preview = [
            (
                "copy/",
                views.snapshot,
                "copy",
                {"url_names": ("admin:archives_snapshot_page", "admin:archives_snapshot_warc")},
            ),
            ("copy/page/", views.page, "page", {}),
            ("warc/", views.warc, "warc", {}),
        ]
        urls = [
            path(
                f"<int:pk>/{route}",
                self.admin_site.admin_view(self._viewing(view)),
                {"queryset": taken, **kwargs},
                name=f"archives_snapshot_{name}",
            )
            for route, view, name, kwargs in preview
        ]
        urls.append(
            path(
                "<int:pk>/use-text/",
                self.admin_site.admin_view(self.use_text_view),
                name="archives_snapshot_use_text",
            )
        )
        return [*urls, *super().get_urls()]

    def _viewing(self, view):
        def checked(request, *args, **kwargs):
            if not self.has_view_permission(request):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return checked

    def use_text_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_use_text_permission(request):
            raise PermissionDenied
        snapshot = get_object_or_404(Snapshot.objects.select_related("source"), pk=pk)
        self._use_text(request, snapshot)
        return redirect("admin:archives_snapshot_change", snapshot.pk)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(
            show_save=False,
            show_save_and_continue=False,
            show_save_and_add_another=False,
            show_delete=False,
            may_use_text=obj is not None
            and obj.status == Snapshot.Status.TAKEN
            and bool(obj.text.strip())
            and self.has_use_text_permission(request),
        )
        return super().render_change_form(request, context, add, change, form_url, obj)
