"""Editors' triage of readers' requests. Every decision is a model method
(``CheckRequest.accept/answer/decline/group``, ``ReportedError.resolve_*``), so the admin, the
API and the shell apply the same rules; an accepted request becomes a draft claim through
``claims.services``, which checks who may make one."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from claims.admin import ClaimAdmin, UserInlineMixin
from claims.matching import content, match_text, similarity
from claims.models import Claim, Correction
from reader_requests.models import CheckRequest, ReportedError
from sources.models import Actor, Source

# How many undecided requests the change page compares a request with, for duplicates.
SIMILAR_CANDIDATES = 300
SIMILAR_SHOWN = 5


class CheckRequestForm(forms.ModelForm):
    """A request's change page: the decision, and what each decision needs."""

    DECISIONS = [
        ("", "No decision yet"),
        ("accept", "Accept: check it (makes a draft claim)"),
        ("answer", "Answer it with a published fact check"),
        ("decline", "Decline it, with a public reason"),
        ("group", "It repeats another request: group them"),
    ]
    decision = forms.ChoiceField(choices=DECISIONS, required=False)
    claimant = forms.ModelChoiceField(
        Actor.objects.all(),
        required=False,
        help_text="Accept: who made the claim.",
        widget=AutocompleteSelect(Claim._meta.get_field("claimant"), admin.site),
    )
    source = forms.ModelChoiceField(
        Source.objects.all(),
        required=False,
        help_text="Accept: the document it was made in.",
        widget=AutocompleteSelect(Claim._meta.get_field("source"), admin.site),
    )
    summary = forms.CharField(
        max_length=200, required=False, help_text="Accept: a neutral one-line summary."
    )
    answer_with = forms.ModelChoiceField(
        Claim.objects.published(),
        required=False,
        help_text="Answer: the published fact check that answers it.",
        widget=AutocompleteSelect(CheckRequest._meta.get_field("claim"), admin.site),
    )
    group_with = forms.ModelChoiceField(
        CheckRequest.objects.all(),
        required=False,
        help_text="Group: the request this one repeats.",
        widget=AutocompleteSelect(CheckRequest._meta.get_field("duplicate_of"), admin.site),
    )

    class Meta:
        model = CheckRequest
        fields = ["public_reason"]

    NEEDS = {
        "accept": ["claimant", "source"],
        "answer": ["answer_with"],
        "decline": ["public_reason"],
        "group": ["group_with"],
    }

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        for name in self.NEEDS.get(decision, []):
            if not data.get(name) or (isinstance(data[name], str) and not data[name].strip()):
                self.add_error(name, "This decision needs it.")
        if decision and decision != "group" and self.instance.duplicate_of_id:
            raise ValidationError("This request is a duplicate: decide on the request it repeats.")
        if decision == "accept" and self.instance.status != CheckRequest.Status.NEW:
            raise ValidationError("Only a new request can be accepted.")
        if decision == "group" and data.get("group_with") == self.instance:
            self.add_error("group_with", "Choose another request.")
        return data


@admin.register(CheckRequest)
class CheckRequestAdmin(admin.ModelAdmin):
    form = CheckRequestForm
    list_display = ["__str__", "askers", "status", "created_at", "duplicate_of"]
    list_filter = ["status", ("duplicate_of", admin.EmptyFieldListFilter)]
    search_fields = ["claim_text", "heard_where"]
    date_hierarchy = "created_at"
    actions = ["group_duplicates"]
    readonly_fields = [
        "claim_text",
        "heard_where",
        "email",
        "client_ip",
        "created_at",
        "status",
        "askers",
        "duplicate_of",
        "duplicates_list",
        "claim_link",
        "decided_at",
        "decided_by",
        "personal_data_removed_at",
        "similar_requests",
        "matching_fact_checks",
    ]
    fieldsets = [
        (None, {"fields": ["claim_text", "heard_where", "created_at", "status", "askers"]}),
        (
            "The reader (private: never shown publicly; removed after the retention period)",
            {"fields": ["email", "client_ip", "personal_data_removed_at"]},
        ),
        (
            "Suggestions",
            {
                "fields": ["similar_requests", "matching_fact_checks"],
                "description": "Requests that may ask the same (group them) and published "
                "fact checks that may answer it, from the claim matcher.",
            },
        ),
        (
            "Decision",
            {
                "fields": [
                    "decision",
                    "claimant",
                    "source",
                    "summary",
                    "answer_with",
                    "group_with",
                    "public_reason",
                    "claim_link",
                    "duplicate_of",
                    "duplicates_list",
                    "decided_at",
                    "decided_by",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("duplicate_of", "claim", "decided_by")
            .annotate(askers=Count("duplicates") + 1)
        )

    def has_add_permission(self, request):
        return False  # readers send requests; editors decide on them

    @admin.display(ordering="askers")
    def askers(self, obj):
        return obj.askers

    @admin.display(description="Duplicates grouped here")
    def duplicates_list(self, obj):
        rows = obj.duplicates.order_by("created_at")
        return (
            format_html_join(
                "",
                '<p><a href="{}">{}</a></p>',
                (
                    (reverse("admin:reader_requests_checkrequest_change", args=[r.pk]), r)
                    for r in rows
                ),
            )
            or "None"
        )

    @admin.display(description="Claim")
    def claim_link(self, obj):
        if not obj.claim_id:
            return "-"
        url = reverse("admin:claims_claim_change", args=[obj.claim_id])
        return format_html(
            '<a href="{}">{}</a> ({})', url, obj.claim, obj.claim.get_status_display()
        )

    @admin.display(description="May repeat")
    def similar_requests(self, obj):
        """Undecided requests whose words are closest to this one's (the matcher's
        similarity), best first."""
        words = content(obj.claim_text)
        others = (
            CheckRequest.objects.filter(status=CheckRequest.Status.NEW, duplicate_of=None)
            .exclude(pk=obj.pk)
            .order_by("-created_at")[:SIMILAR_CANDIDATES]
        )
        scored = sorted(
            ((similarity(words, content(other.claim_text)), other) for other in others),
            key=lambda pair: pair[0],
            reverse=True,
        )
        rows = [(score, other) for score, other in scored[:SIMILAR_SHOWN] if score >= 0.5]
        return (
            format_html_join(
                "",
                '<p><a href="{}">{}</a> (similarity {})</p>',
                (
                    (
                        reverse("admin:reader_requests_checkrequest_change", args=[o.pk]),
                        o,
                        f"{s:.2f}",
                    )
                    for s, o in rows
                ),
            )
            or "None found"
        )

    @admin.display(description="May be answered by")
    def matching_fact_checks(self, obj):
        matches = match_text(obj.claim_text)
        return (
            format_html_join(
                "",
                '<p><a href="{}">{}</a> ({}, score {})</p>',
                (
                    (
                        reverse("admin:claims_claim_change", args=[m.claim.pk]),
                        m.claim,
                        m.confidence,
                        f"{m.score:.2f}",
                    )
                    for m in matches
                ),
            )
            or "None found"
        )

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        decision = data.get("decision")
        try:
            if decision == "accept":
                claim = obj.accept(
                    by=request.user,
                    claimant=data["claimant"],
                    source=data["source"],
                    summary=data.get("summary", ""),
                )
                url = reverse("admin:claims_claim_change", args=[claim.pk])
                messages.success(
                    request, format_html('Draft claim made: <a href="{}">{}</a>.', url, claim)
                )
            elif decision == "answer":
                obj.answer(data["answer_with"], by=request.user)
            elif decision == "decline":
                obj.decline(data["public_reason"], by=request.user)
            elif decision == "group":
                CheckRequest.group([obj, data["group_with"]])
            else:
                obj.save()
        except (ValidationError, PermissionDenied) as refusal:
            messages.error(request, " ".join(getattr(refusal, "messages", [str(refusal)])))

    @admin.action(description="Group the selected requests (they ask the same)")
    def group_duplicates(self, request, queryset):
        try:
            primary = CheckRequest.group(list(queryset))
        except ValidationError as refusal:
            self.message_user(request, " ".join(refusal.messages), messages.ERROR)
            return
        self.message_user(
            request, f"Grouped under “{primary}”: decide on it, and the group follows."
        )


class ReportedErrorForm(forms.ModelForm):
    """The resolution of a report: corrected (with the public correction) or no change (with
    the reason). Saved through the model's methods, which check both."""

    class Meta:
        model = ReportedError
        fields = ["status", "correction", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "correction" in self.fields and self.instance.claim_id:
            self.fields["correction"].queryset = Correction.objects.filter(
                claim=self.instance.claim_id
            )

    def clean(self):
        data = super().clean()
        status = data.get("status")
        if status == ReportedError.Status.CORRECTED and not data.get("correction"):
            self.add_error("correction", "Choose the correction made because of it.")
        if status == ReportedError.Status.NO_CHANGE and not (data.get("reason") or "").strip():
            self.add_error("reason", "Say why nothing changes.")
        if status == ReportedError.Status.OPEN and self.instance.status != status:
            self.add_error("status", "A resolved report stays resolved.")
        return data

    def save(self, commit=True):
        report, data = self.instance, self.cleaned_data
        user = getattr(self, "user", None)
        self.save_m2m = lambda: None  # nothing many-to-many; the admin calls it after
        if not self.has_changed():
            return report
        if data["status"] == ReportedError.Status.CORRECTED:
            report.resolve_corrected(data["correction"], by=user)
        elif data["status"] == ReportedError.Status.NO_CHANGE:
            report.resolve_no_change(data["reason"], by=user)
        return report


class ReportedErrorFormSet(forms.BaseInlineFormSet):
    user = None

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.user = self.user
        return form


class ReportedErrorInline(UserInlineMixin, admin.StackedInline):
    """Readers' error reports, beside the fact check they are about."""

    model = ReportedError
    form = ReportedErrorForm
    formset = ReportedErrorFormSet
    extra = 0
    can_delete = False
    verbose_name_plural = "errors reported by readers"
    fields = ["created_at", "what_is_wrong", "source", "email", "status", "correction", "reason"]
    readonly_fields = ["created_at", "what_is_wrong", "source", "email"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ReportedError)
class ReportedErrorAdmin(admin.ModelAdmin):
    form = ReportedErrorForm
    list_display = ["__str__", "claim", "status", "created_at"]
    list_select_related = ["claim"]
    list_filter = ["status"]
    search_fields = ["what_is_wrong", "source", "claim__summary"]
    date_hierarchy = "created_at"
    fields = [
        "claim",
        "what_is_wrong",
        "source",
        "email",
        "client_ip",
        "created_at",
        "status",
        "correction",
        "reason",
        "resolved_at",
        "resolved_by",
        "personal_data_removed_at",
    ]
    readonly_fields = [
        "claim",
        "what_is_wrong",
        "source",
        "email",
        "client_ip",
        "created_at",
        "resolved_at",
        "resolved_by",
        "personal_data_removed_at",
    ]

    def has_add_permission(self, request):
        return False

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def save_model(self, request, obj, form, change):
        form.save()


# Claims know nothing of readers' reports (this app depends on claims, not the reverse), so
# this app adds its inline to the claim admin.
admin.site.unregister(Claim)


@admin.register(Claim)
class ClaimWithReportsAdmin(ClaimAdmin):
    def get_inlines(self, request, obj):
        # Only where readers reported something: most claims have no reports, and an empty
        # section would ask the editor to scroll past it.
        inlines = super().get_inlines(request, obj)
        if obj is not None and obj.reported_errors.exists():
            inlines = [*inlines, ReportedErrorInline]
        return inlines
