from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.utils.html import format_html

from claims.models import (
    Claim,
    ClaimTransition,
    Correction,
    Counterclaim,
    Evidence,
    StanceLink,
    Topic,
    Verdict,
)
from sources.admin import ROOMY_FIELDS, HistoryAdmin, SourceAdmin, VersionedAdminMixin
from sources.concurrency import VersionedForm
from sources.models import Source


def _correction_missing(claim, data):
    """Whether a change to a public claim is about to be saved with neither a public
    correction note nor the editor's word that it is minor. ``data`` is the posted form."""
    return (
        claim.pk is not None
        and claim.is_public
        and not data.get("minor_change")
        and not data.get("correction_note", "").strip()
    )


class ClaimAdminForm(VersionedForm):
    correction_note = forms.CharField(
        label="Public correction note",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Shown on the claim page and in the corrections feed: what changed and why.",
    )
    minor_change = forms.BooleanField(
        label="Minor change (typo or formatting): no public correction",
        required=False,
    )

    class Meta:
        model = Claim
        fields = [
            "quote",
            "claimant",
            "source",
            "said_on",
            "summary",
            "topics",
            "verdict",
            "ruling",
            "retraction_note",
            "quote_override_reason",
            "slug",
        ]
        widgets = {"summary": forms.TextInput(attrs={"size": 100})}

    def material_changes(self):
        return [name for name in Claim.MATERIAL_FIELDS if name in self.changed_data]

    def clean(self):
        data = super().clean()
        changes = self.material_changes()
        if changes and _correction_missing(self.instance, self.data):
            self.add_error(
                "correction_note",
                f"You changed the {', '.join(changes)} of a published fact check: write a "
                "public correction note, or mark the change as minor.",
            )
        return data


class StanceLinkFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if self.has_changed() and _correction_missing(self.instance, self.data):
            raise ValidationError(
                "You changed the evidence of a published fact check: write a public "
                "correction note, or mark the change as minor."
            )


class StanceLinkInline(admin.TabularInline):
    """On a claim: the evidence that bears on it, in the editor's order."""

    model = StanceLink
    formset = StanceLinkFormSet
    fk_name = "claim"
    fields = ["position", "evidence", "stance", "note"]
    autocomplete_fields = ["evidence"]
    extra = 1
    verbose_name = "piece of evidence"
    verbose_name_plural = "evidence (refutes, adds context, supports)"


class ClaimsServedInline(admin.TabularInline):
    """On a piece of evidence: the claims it serves."""

    model = StanceLink
    fk_name = "evidence"
    fields = ["claim", "stance", "note", "position"]
    autocomplete_fields = ["claim"]
    extra = 1
    verbose_name = "claim served"
    verbose_name_plural = "claims this evidence serves"


class AnsweredByInline(admin.TabularInline):
    model = Counterclaim
    fk_name = "original"
    fields = ["response", "note"]
    autocomplete_fields = ["response"]
    extra = 0
    verbose_name = "counterclaim answering this claim"
    verbose_name_plural = "answered by (counterclaims)"


class AnswersInline(admin.TabularInline):
    model = Counterclaim
    fk_name = "response"
    fields = ["original", "note"]
    autocomplete_fields = ["original"]
    extra = 0
    verbose_name = "claim this one answers"
    verbose_name_plural = "this claim answers"


class QuoteCheckDisplay:
    """Shows, read-only, where a row's quoted words were found in its source's text."""

    @admin.display(description="passage found")
    def checked_passage(self, obj):
        selector = obj.quote_selector
        if not selector:
            return "—"
        return format_html(
            "…{}<mark>{}</mark>{}…", selector["prefix"], selector["exact"], selector["suffix"]
        )


class ClaimQuotedInline(VersionedAdminMixin, admin.StackedInline):
    """On a source: the claims quoted from it; new ones can be added right here."""

    model = Claim
    fk_name = "source"
    fields = [("claimant", "said_on"), "quote", "quote_check", "summary", "status"]
    readonly_fields = ["status", "quote_check"]
    autocomplete_fields = ["claimant"]
    extra = 0
    show_change_link = True
    formfield_overrides = ROOMY_FIELDS
    verbose_name = "claim quoted from this source"
    verbose_name_plural = "claims quoted from this source"


class EvidenceDrawnInline(VersionedAdminMixin, admin.StackedInline):
    model = Evidence
    fk_name = "source"
    fields = ["excerpt", "quote_check", ("author", "location")]
    readonly_fields = ["quote_check"]
    autocomplete_fields = ["author"]
    extra = 0
    show_change_link = True
    formfield_overrides = ROOMY_FIELDS
    verbose_name = "evidence drawn from this source"
    verbose_name_plural = "evidence drawn from this source"


class ClaimTransitionInline(admin.TabularInline):
    """The claim's workflow trail, read-only: who moved it where, and when."""

    model = ClaimTransition
    fields = ["at", "source", "target", "by", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "workflow history"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Claim)
class ClaimAdmin(QuoteCheckDisplay, VersionedAdminMixin, HistoryAdmin):
    list_display = [
        "summary",
        "claimant",
        "verdict",
        "status",
        "quote_check",
        "said_on",
        "published_at",
    ]
    list_select_related = ["claimant", "verdict"]
    list_filter = [
        "status",
        "verdict",
        "quote_check",
        "topics",
        ("claimant", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["quote", "summary", "claimant__name", "source__title"]
    autocomplete_fields = ["claimant", "source", "topics", "verdict"]
    date_hierarchy = "said_on"
    readonly_fields = [
        "status",
        "published_at",
        "created_at",
        "updated_at",
        "quote_check",
        "checked_passage",
    ]
    fieldsets = [
        (None, {"fields": ["quote", "claimant", "source", "said_on", "summary", "topics"]}),
        (
            "Quote check",
            {
                "fields": ["quote_check", "checked_passage", "quote_override_reason"],
                "description": "The quote is checked against the source's stored text (or the "
                "text of the document it is known through) each time either changes. A quote "
                "that is not found cannot be published without an editor's reason.",
            },
        ),
        ("Verdict", {"fields": ["verdict", "ruling"]}),
        (
            "Status",
            {"fields": ["status", "published_at", "retraction_note", "created_at", "updated_at"]},
        ),
        ("Permalink", {"fields": ["slug"], "classes": ["collapse"]}),
    ]
    inlines = [StanceLinkInline, AnsweredByInline, AnswersInline, ClaimTransitionInline]
    actions = ["submit_for_review", "publish", "send_back_to_draft", "retract"]
    form = ClaimAdminForm

    def view_on_site(self, claim):
        # A draft has no public page yet: editors see its preview instead.
        return claim.get_absolute_url() if claim.is_public else claim.get_preview_url()

    def get_readonly_fields(self, request, obj=None):
        # Only those who publish may decide that an unmatched quote is publishable.
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            readonly.append("quote_override_reason")
        return readonly

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and obj.is_public:
            fieldsets.insert(
                3, ("Public correction", {"fields": ["correction_note", "minor_change"]})
            )
        return fieldsets

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        claim = form.instance
        changed = form.material_changes()
        if any(
            isinstance(formset, StanceLinkFormSet) and formset.has_changed() for formset in formsets
        ):
            changed.append("evidence")
        if change and claim.is_public and changed and not form.cleaned_data.get("minor_change"):
            claim.record_correction(
                form.cleaned_data["correction_note"],
                changed,
                verdict_before=Verdict.objects.filter(pk=form.initial.get("verdict")).first(),
                by=request.user,
            )

    def has_publish_permission(self, request):
        return request.user.has_perm("claims.publish_claim")

    def _transition(self, request, queryset, name, step):
        """Run one workflow step on each selected claim; report each refusal by name."""
        done = Claim.TRANSITIONS[name].done
        changed = 0
        for claim in queryset:
            try:
                step(claim, request.user)
            except (ValidationError, PermissionDenied) as error:
                reasons = " ".join(getattr(error, "messages", [str(error)]))
                messages.error(request, f"“{claim}” was not {done}: {reasons}")
            else:
                changed += 1
        if changed:
            messages.success(request, f"{changed} claim(s) {done}.")

    @admin.action(description="Submit selected claims for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._transition(request, queryset, "submit_for_review", Claim.submit_for_review)

    @admin.action(description="Publish selected claims", permissions=["publish"])
    def publish(self, request, queryset):
        self._transition(request, queryset, "publish", Claim.publish)

    @admin.action(description="Send selected claims back to draft", permissions=["publish"])
    def send_back_to_draft(self, request, queryset):
        self._transition(request, queryset, "send_back_to_draft", Claim.send_back_to_draft)

    @admin.action(
        description="Retract selected claims (uses each claim's retraction note)",
        permissions=["publish"],
    )
    def retract(self, request, queryset):
        self._transition(
            request, queryset, "retract", lambda claim, by: claim.retract(claim.retraction_note, by)
        )


@admin.register(Evidence)
class EvidenceAdmin(QuoteCheckDisplay, VersionedAdminMixin, HistoryAdmin):
    list_display = ["__str__", "source", "author", "location", "quote_check", "claim_count"]
    ordering = ["-updated_at", "-id"]
    list_select_related = ["source", "author"]
    list_filter = ["source__kind", "quote_check", ("source", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["excerpt", "source__title", "author__name"]
    autocomplete_fields = ["source", "author"]
    readonly_fields = ["quote_check", "checked_passage", "created_at", "updated_at"]
    fields = [
        "excerpt",
        "quote_check",
        "checked_passage",
        "source",
        "author",
        "location",
        "created_at",
        "updated_at",
    ]
    formfield_overrides = ROOMY_FIELDS
    inlines = [ClaimsServedInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(claim_count=Count("stance_links"))

    @admin.display(description="claims served", ordering="claim_count")
    def claim_count(self, evidence):
        return evidence.claim_count


@admin.register(StanceLink)
class StanceLinkAdmin(HistoryAdmin):
    list_display = ["claim", "stance", "evidence", "position"]
    list_select_related = ["claim", "evidence"]
    list_filter = ["stance"]
    search_fields = ["claim__summary", "claim__quote", "evidence__excerpt", "note"]
    autocomplete_fields = ["claim", "evidence"]


@admin.register(Counterclaim)
class CounterclaimAdmin(HistoryAdmin):
    list_display = ["response", "original", "note"]
    list_select_related = ["response", "original"]
    search_fields = ["response__summary", "original__summary", "note"]
    autocomplete_fields = ["original", "response"]


@admin.register(ClaimTransition)
class ClaimTransitionAdmin(admin.ModelAdmin):
    """The workflow log of every claim, read-only."""

    list_display = ["at", "claim", "source", "target", "by", "note"]
    list_select_related = ["claim", "by"]
    list_filter = ["target", "source"]
    search_fields = ["claim__summary", "by__username", "note"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Correction)
class CorrectionAdmin(HistoryAdmin):
    """Corrections are made from the claim page; here editors can find them and fix a
    note's wording."""

    list_display = ["created_at", "claim", "kind", "note"]
    list_select_related = ["claim"]
    list_filter = ["kind"]
    search_fields = ["note", "claim__summary"]
    date_hierarchy = "created_at"
    fields = [
        "claim",
        "kind",
        "changed",
        "verdict_before",
        "verdict_after",
        "note",
        "by",
        "created_at",
    ]
    readonly_fields = [
        "claim",
        "kind",
        "changed",
        "verdict_before",
        "verdict_after",
        "by",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "description", "claim_count", "public_claims"]
    ordering = ["name"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(claim_count=Count("claims"))

    @admin.display(description="claims", ordering="claim_count")
    def claim_count(self, topic):
        return topic.claim_count


@admin.register(Verdict)
class VerdictAdmin(admin.ModelAdmin):
    list_display = ["rating", "label", "slug", "description"]
    list_display_links = ["label"]
    search_fields = ["label", "description"]
    prepopulated_fields = {"slug": ["label"]}


# The source page shows the claims quoted from it and the evidence drawn from it. Those
# models live here, so this app extends the source admin rather than the reverse.
admin.site.unregister(Source)


@admin.register(Source)
class SourceWithClaimsAdmin(SourceAdmin):
    inlines = [ClaimQuotedInline, EvidenceDrawnInline]
