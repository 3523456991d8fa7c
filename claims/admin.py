import copy
from typing import NamedTuple

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from archives.admin import SourceArchiveMixin
from claims import matching, rules, services
from claims.models import (
    Appearance,
    Claim,
    ClaimTransition,
    Correction,
    Counterclaim,
    Evidence,
    QuoteCheck,
    StanceLink,
    Topic,
    Verdict,
)
from sources.admin import ROOMY_FIELDS, HistoryAdmin, SourceAdmin, VersionedAdminMixin
from sources.concurrency import VersionedForm
from sources.history import with_changes
from sources.models import Source


def _form_error(error):
    """A refusal of ``claims.services`` as a form error: field errors stay on their field
    where the form has it, and a permission refusal says why."""
    if isinstance(error, PermissionDenied):
        return ValidationError(str(error))
    return error


class CorrectionFields(forms.Form):
    """The public note (or editor's minor mark) a material change to a published fact check
    needs; the rules are ``claims.rules``, applied by ``claims.services``."""

    correction_note = forms.CharField(
        label="Public correction note",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Shown on the claim page, at /corrections/ and in the corrections feed: "
        "what changed and why. It is also the reason recorded in the history.",
    )
    minor = forms.BooleanField(
        label="Minor change (typo or formatting): listed as an update, no correction",
        required=False,
        help_text="Editors only.",
    )


class ClaimAdminForm(VersionedForm, CorrectionFields):
    user = None  # the editor saving, set by ClaimAdmin.get_form

    class Meta:
        model = Claim
        fields = [
            "quote",
            "language",
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Where static/js/claim-suggestions.js asks for the claims closest to the quote.
        if "quote" in self.fields:
            url = reverse("admin:claims_claim_suggestions")
            if self.instance.pk:
                url += f"?exclude={self.instance.pk}"
            self.fields["quote"].widget.attrs["data-suggestions-url"] = url

    def material_changes(self):
        return [name for name in rules.MATERIAL if name in self.changed_data]

    def review(self, changed):
        """The rules' verdict on this save, with the evidence changes the inline adds."""
        return services.review(
            self.instance,
            by=self.user,
            changed=changed,
            correction_note=self.cleaned_data.get("correction_note", ""),
            minor=self.cleaned_data.get("minor", False),
            verdict_before_id=self.initial.get("verdict"),
            quote_override_changed="quote_override_reason" in self.changed_data,
        )

    def clean(self):
        data = super().clean()
        try:
            self.review(self.material_changes())
        except (ValidationError, PermissionDenied) as error:
            error = _form_error(error)
            if hasattr(error, "error_dict"):
                for name, messages in error.message_dict.items():
                    self.add_error(name if name in self.fields else None, messages)
            else:
                raise error
        return data


class UserFormMixin:
    """Gives the admin's form the user who is saving: the editorial rules depend on who."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form


class UserFormSet(forms.BaseInlineFormSet):
    """An inline formset that knows who is saving (set by ``UserInlineMixin``)."""

    user = None

    def changed_forms(self):
        deleted = set(map(id, self.deleted_forms)) if self.can_delete else set()
        return [
            (form, id(form) in deleted)
            for form in self.forms
            if form.has_changed() or id(form) in deleted
        ]


class UserInlineMixin:
    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.user = request.user
        return formset


class StanceLinkFormSet(UserFormSet):
    """The evidence of the claim being edited. Adding or removing evidence, or changing its
    stance, is a material change: the claim form's correction note (or minor mark) covers it."""

    def material_changes(self):
        for form, deleted in self.changed_forms():
            restanced = {"evidence", "stance"} & set(form.changed_data)
            if deleted or form.instance.pk is None or restanced:
                return ["evidence"]
        return []

    def clean(self):
        super().clean()
        if not self.material_changes():
            return
        try:
            services.review(
                self.instance,
                by=self.user,
                changed=["evidence"],
                correction_note=self.data.get("correction_note", ""),
                minor=bool(self.data.get("minor")),
            )
        except (ValidationError, PermissionDenied) as error:
            raise ValidationError(
                f"You changed the evidence: {' '.join(_form_error(error).messages)}"
            ) from error


class StanceLinkInline(UserInlineMixin, admin.TabularInline):
    """On a claim: the evidence that bears on it, in the editor's order."""

    model = StanceLink
    formset = StanceLinkFormSet
    fk_name = "claim"
    fields = ["position", "evidence", "stance", "note"]
    autocomplete_fields = ["evidence"]
    extra = 1
    verbose_name = "piece of evidence"
    verbose_name_plural = "evidence (refutes, adds context, supports)"


class ClaimsServedFormSet(UserFormSet):
    """Links made from the evidence's page follow the same rules as on the claim's page.
    This page has no correction note: a published claim's evidence is changed on the claim's
    page, where the note is written."""

    def clean(self):
        super().clean()
        for form, deleted in self.changed_forms():
            link = form.instance
            try:
                if deleted:
                    services.review(link.claim, by=self.user, changed=["evidence"])
                elif link.claim_id:
                    services.review_stance_link(link, by=self.user)
            except (ValidationError, PermissionDenied) as error:
                raise ValidationError(
                    f"“{link.claim}”: {' '.join(_form_error(error).messages)} Change a "
                    "published claim's evidence on the claim's own page."
                ) from error


class ClaimsServedInline(UserInlineMixin, admin.TabularInline):
    """On a piece of evidence: the claims it serves."""

    model = StanceLink
    formset = ClaimsServedFormSet
    fk_name = "evidence"
    fields = ["claim", "stance", "note", "position"]
    autocomplete_fields = ["claim"]
    extra = 1
    verbose_name = "claim served"
    verbose_name_plural = "claims this evidence serves"


class CounterclaimFormSet(UserFormSet):
    """Counterclaim links follow the rules for both claims they join (``claims.services``)."""

    def clean(self):
        super().clean()
        for form, _ in self.changed_forms():
            link = form.instance
            if not (link.original_id and link.response_id):
                continue
            try:
                services.check_may_link(link.original, link.response, by=self.user)
            except PermissionDenied as error:
                raise ValidationError(f"“{link}”: {error}") from error


class AnsweredByInline(UserInlineMixin, admin.TabularInline):
    model = Counterclaim
    formset = CounterclaimFormSet
    fk_name = "original"
    fields = ["response", "note"]
    autocomplete_fields = ["response"]
    extra = 0
    verbose_name = "counterclaim answering this claim"
    verbose_name_plural = "answered by (counterclaims)"


class AnswersInline(UserInlineMixin, admin.TabularInline):
    model = Counterclaim
    formset = CounterclaimFormSet
    fk_name = "response"
    fields = ["original", "note"]
    autocomplete_fields = ["original"]
    extra = 0
    verbose_name = "claim this one answers"
    verbose_name_plural = "this claim answers"


class AppearanceFormSet(UserFormSet):
    """The other times the claim was said. Each row is reviewed (``services.review_appearance``)
    and saved or deleted through the write path, like the appearance's own admin page."""

    def clean(self):
        super().clean()
        for form, deleted in self.changed_forms():
            appearance = form.instance
            setattr(appearance, self.fk.name, self.instance)  # a new claim has no id yet
            try:
                if deleted:
                    services.check_may_change(self.instance, by=self.user)
                elif appearance.source_id and appearance.claimant_id:
                    services.review_appearance(appearance, by=self.user)
            except PermissionDenied as error:
                raise ValidationError(f"Appearances: {error}") from error
            except ValidationError as error:
                for name, messages_ in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, messages_)

    def save_new(self, form, commit=True):
        setattr(form.instance, self.fk.name, self.instance)
        return services.save_appearance(form.save(commit=False), by=self.user)

    def save_existing(self, form, obj, commit=True):
        return services.save_appearance(form.save(commit=False), by=self.user)

    def delete_existing(self, obj, commit=True):
        if commit:
            services.delete_appearance(obj, by=self.user)


class AppearanceInline(UserInlineMixin, admin.StackedInline):
    """On a claim: the other times it was said (by its claimant or someone else)."""

    model = Appearance
    formset = AppearanceFormSet
    fk_name = "claim"
    fields = [("claimant", "said_on"), "source", "quote", "quote_check", "quote_override_reason"]
    readonly_fields = ["quote_check"]
    autocomplete_fields = ["claimant", "source"]
    formfield_overrides = ROOMY_FIELDS
    extra = 0
    show_change_link = True
    verbose_name = "appearance (said again)"
    verbose_name_plural = "appearances: the other times this claim was said"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("claimant")  # each row's title

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if rules.role_of(request.user) not in rules.MAY_OVERRIDE_QUOTE_CHECK:
            readonly.append("quote_override_reason")
        return readonly


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


class ClaimsQuotedFormSet(UserFormSet):
    """Claims edited on their source's page follow the rules of the claim's own page; this
    page has no correction note, so a published claim's material change is made there."""

    def clean(self):
        super().clean()
        for form, _ in self.changed_forms():
            try:
                services.review_claim(form.instance, by=self.user)
            except (ValidationError, PermissionDenied) as error:
                raise ValidationError(
                    f"“{form.instance}”: {' '.join(_form_error(error).messages)} Change a "
                    "published claim on its own page."
                ) from error

    def save_new(self, form, commit=True):
        services.fill_languages([form.instance])
        return super().save_new(form, commit)


class ClaimQuotedInline(UserInlineMixin, VersionedAdminMixin, admin.StackedInline):
    """On a source: the claims quoted from it; new ones can be added right here."""

    model = Claim
    formset = ClaimsQuotedFormSet
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


def warn_if_the_quote_blocks_publication(request, claim):
    """A claim whose quote its source's text does not contain saves as a draft; say now,
    not only when someone tries to publish it, that publication will be refused and why."""
    if claim.is_public:
        return
    reason = claim._missing_for_publication(check_evidence=False).get("quote_override_reason")
    if reason:
        messages.warning(request, f"“{claim}” cannot be published as it stands. {reason}")


class WorkflowButton(NamedTuple):
    label: str
    url: str
    asks_note: bool  # opens a page that asks for a note, rather than taking the step


class RetractionForm(forms.Form):
    note = forms.CharField(
        label="Public retraction note",
        required=False,  # the claim's retract() says why a note is needed, as on every door
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        help_text="Shown on the claim's page, which stays at its address, and listed with "
        "the corrections: why this fact check is withdrawn.",
    )


# Suggestions for a quote being typed: from its third distinctive word (fewer match too much),
# and of its first words only (a quote is a sentence or two; the matcher's API takes 2,000).
MIN_SUGGESTION_WORDS = 3
MAX_SUGGESTION_QUOTE = 2000


@admin.register(Claim)
class ClaimAdmin(UserFormMixin, QuoteCheckDisplay, VersionedAdminMixin, HistoryAdmin):
    # What an editor triages by, narrow enough to fit a laptop's screen beside the filters:
    # summaries name the claimant ("An agency official says…"), who is also a filter, and
    # static/css/admin.css cuts long summaries to two lines.
    list_display = ["summary", "verdict", "status", "quote_check", "said_on"]
    list_select_related = ["claimant", "verdict"]
    list_filter = [
        "status",
        "verdict",
        "quote_check",
        "language",
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
        (
            None,
            {"fields": ["quote", "language", "claimant", "source", "said_on", "summary", "topics"]},
        ),
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
    inlines = [
        StanceLinkInline,
        AppearanceInline,
        AnsweredByInline,
        AnswersInline,
        ClaimTransitionInline,
    ]
    actions = ["submit_for_review", "publish", "send_back_to_draft", "retract"]
    form = ClaimAdminForm

    class Media:
        css = {"all": ["css/admin.css"]}
        js = [
            "js/admin-workflow.js",
            "vendor/htmx-2.0.11/htmx.min.js",
            "js/claim-suggestions.js",
        ]

    def view_on_site(self, claim):
        # A draft has no public page yet: editors see its preview instead.
        return claim.get_absolute_url() if claim.is_public else claim.get_preview_url()

    def has_change_permission(self, request, obj=None):
        # A fact-checker sees a published claim, or one in review, read-only (claims.rules).
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or services.may_change(obj, request.user))

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if rules.role_of(request.user) not in rules.MAY_OVERRIDE_QUOTE_CHECK:
            readonly.append("quote_override_reason")
        return readonly

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and rules.RULES[obj.status].correction:
            fields = ["correction_note"]
            if rules.role_of(request.user) in rules.MAY_MARK_MINOR:
                fields.append("minor")
            fieldsets.insert(3, ("Public correction", {"fields": fields}))
        return fieldsets

    def save_model(self, request, obj, form, change):
        services.fill_languages([obj])
        super().save_model(request, obj, form, change)
        warn_if_the_quote_blocks_publication(request, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        evidence = [
            name
            for formset in formsets
            if isinstance(formset, StanceLinkFormSet)
            for name in formset.material_changes()
        ]
        if change:
            form.review(form.material_changes() + evidence).record()

    def has_publish_permission(self, request):
        return rules.role_of(request.user) in rules.TRANSITIONS["publish"].roles

    # The workflow: list actions for many claims, and buttons on one claim's page. Both
    # take each step through the claim's own workflow method (``take_step``), which checks
    # the rules; the buttons shown are the steps ``Claim.can`` allows (claims.rules).

    def take_step(self, request, claim, name, note=None):
        """Take workflow step ``name`` on ``claim`` as the signed-in user; report a refusal
        as a message that says why. Retracting uses ``note``, or else the claim's stored
        retraction note. Returns whether the step was taken."""
        try:
            if name == "retract" and note is None:
                note = claim.retraction_note
            services.take_step(claim, name, by=request.user, note=note or "")
        except (ValidationError, PermissionDenied) as error:
            reasons = " ".join(getattr(error, "messages", [str(error)]))
            messages.error(request, f"“{claim}” was not {rules.TRANSITIONS[name].done}: {reasons}")
            return False
        return True

    def _transition(self, request, queryset, name):
        """Run one workflow step on each selected claim; report each refusal by name."""
        changed = sum(self.take_step(request, claim, name) for claim in queryset)
        if changed:
            messages.success(request, f"{changed} claim(s) {rules.TRANSITIONS[name].done}.")

    @admin.action(description="Submit selected claims for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._transition(request, queryset, "submit_for_review")

    @admin.action(description="Publish selected claims", permissions=["publish"])
    def publish(self, request, queryset):
        self._transition(request, queryset, "publish")

    @admin.action(description="Send selected claims back to draft", permissions=["publish"])
    def send_back_to_draft(self, request, queryset):
        self._transition(request, queryset, "send_back_to_draft")

    @admin.action(
        description="Retract selected claims (uses each claim's retraction note)",
        permissions=["publish"],
    )
    def retract(self, request, queryset):
        self._transition(request, queryset, "retract")

    def history_view(self, request, object_id, extra_context=None):
        # Adding or taking off evidence, or changing its stance, changes the fact check:
        # the claim's history shows its evidence links' history too.
        links = with_changes(
            StanceLink.history.filter(claim_id=unquote(object_id)).select_related(
                "evidence", "history_user"
            )
        )
        for link in links:
            link.linked_label = f"{link.get_stance_display()}: {link.evidence}"
        context = {
            "linked_history": links,
            "linked_history_title": "Its evidence: links added, changed and taken off",
            "linked_history_label": "Evidence",
        }
        return super().history_view(request, object_id, {**context, **(extra_context or {})})

    def get_urls(self):
        step = path(
            "<path:object_id>/workflow/<slug:name>/",
            self.admin_site.admin_view(self.workflow_view),
            name="claims_claim_workflow",
        )
        suggestions = path(
            "suggestions/",
            self.admin_site.admin_view(self.suggestions_view),
            name="claims_claim_suggestions",
        )
        return [step, suggestions, *super().get_urls()]

    def suggestions_view(self, request):
        """The claims closest to a quote an editor is typing (``?quote=``), any status, with
        their scores: the claim form asks for them as the quote changes (htmx, debounced;
        static/js/claim-suggestions.js), so a claim said again is recorded as an appearance
        of the existing one rather than entered twice. ``?exclude=`` leaves out the claim
        being edited."""
        if not request.user.has_perm("claims.change_claim"):
            raise PermissionDenied
        quote = request.GET.get("quote", "")[:MAX_SUGGESTION_QUOTE].strip()
        claims = Claim.objects.select_related("verdict", "claimant")
        exclude = request.GET.get("exclude", "")
        if exclude.isascii() and exclude.isdigit():
            claims = claims.exclude(pk=int(exclude))
        enough = len(matching.content_words(quote)) >= MIN_SUGGESTION_WORDS
        context = {
            "quote": quote,
            "asked": enough,
            "matches": matching.match_text(quote, claims=claims) if enough else [],
        }
        return TemplateResponse(request, "admin/claims/claim/suggestions.html", context)

    def workflow_steps(self, request, claim):
        """The buttons for the steps the user may take on ``claim`` now: (label, url, asks
        for a note first)."""
        return [
            WorkflowButton(
                name.replace("_", " ").capitalize(),
                reverse("admin:claims_claim_workflow", args=[claim.pk, name]),
                name == "retract",
            )
            for name in rules.TRANSITIONS
            if claim.can(name, request.user)
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["workflow_steps"] = self.workflow_steps(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def workflow_view(self, request, object_id, name):
        """One claim's workflow step, from its page's buttons: a POST takes it and returns to
        the claim's page. Retracting first asks, on a page of its own, for the public note."""
        if name not in rules.TRANSITIONS:
            raise Http404
        claim = self.get_object(request, unquote(object_id))
        if claim is None:
            raise Http404
        if not self.has_view_or_change_permission(request, claim) or (
            rules.role_of(request.user) not in rules.TRANSITIONS[name].roles
        ):
            raise PermissionDenied
        change_url = reverse("admin:claims_claim_change", args=[claim.pk])
        if name == "retract":
            return self._retract_view(request, claim, change_url)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if self.take_step(request, claim, name):
            messages.success(request, f"“{claim}” was {rules.TRANSITIONS[name].done}.")
        return redirect(change_url)

    def _retract_view(self, request, claim, change_url):
        form = RetractionForm(request.POST or None, initial={"note": claim.retraction_note})
        if form.is_valid() and self.take_step(
            request, claim, "retract", note=form.cleaned_data["note"]
        ):
            messages.success(request, f"“{claim}” was retracted.")
            return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Retract this fact check",
            "claim": claim,
            "form": form,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/claims/claim/retract.html", context)


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


class StanceLinkAdminForm(forms.ModelForm, CorrectionFields):
    user = None

    class Meta:
        model = StanceLink
        fields = ["claim", "evidence", "stance", "note", "position"]

    def clean(self):
        data = super().clean()
        link = copy.copy(self.instance)
        for name in ("claim", "evidence", "stance"):
            setattr(link, name, data.get(name))
        if link.claim is None:
            return data
        try:
            services.review_stance_link(
                link,
                by=self.user,
                correction_note=data.get("correction_note", ""),
                minor=data.get("minor", False),
            )
        except (ValidationError, PermissionDenied) as error:
            raise _form_error(error) from error
        return data


class PartOfClaimAdmin:
    """The admin of rows that belong to one claim (evidence links, appearances): whoever may
    change the claim (``services.may_change``) may change or delete them."""

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or services.may_change(obj.claim, request.user))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or services.may_change(obj.claim, request.user))


@admin.register(StanceLink)
class StanceLinkAdmin(PartOfClaimAdmin, UserFormMixin, HistoryAdmin):
    list_display = ["claim", "stance", "evidence", "position"]
    list_select_related = ["claim", "evidence"]
    list_filter = ["stance"]
    search_fields = ["claim__summary", "claim__quote", "evidence__excerpt", "note"]
    autocomplete_fields = ["claim", "evidence"]
    form = StanceLinkAdminForm
    fields = ["claim", "evidence", "stance", "note", "position", "correction_note", "minor"]

    def get_deleted_objects(self, objs, request):
        # The delete page and the bulk delete action ask this first. Taking evidence off a
        # public claim needs a correction note, which only the claim's page asks for.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        links = objs.select_related("claim") if hasattr(objs, "select_related") else objs
        if any(not services.may_change(link.claim, request.user) for link in links):
            perms_needed.add("evidence links of claims you may not change")
        elif any(rules.RULES[link.claim.status].correction for link in links):
            perms_needed.add(
                "evidence links of published fact checks (take the evidence off on the "
                "claim's page, with a public correction note)"
            )
        return deleted, counts, perms_needed, protected

    def delete_queryset(self, request, queryset):
        for link in queryset.select_related("claim"):
            services.delete_stance_link(link, by=request.user)

    def save_model(self, request, obj, form, change):
        services.save_stance_link(
            obj,
            by=request.user,
            correction_note=form.cleaned_data.get("correction_note", ""),
            minor=form.cleaned_data.get("minor", False),
        )

    def delete_model(self, request, obj):
        services.delete_stance_link(obj, by=request.user)


class AppearanceAdminForm(forms.ModelForm):
    user = None

    class Meta:
        model = Appearance
        fields = ["claim", "claimant", "said_on", "source", "quote", "quote_override_reason"]

    def clean(self):
        data = super().clean()
        appearance = copy.copy(self.instance)
        for name in ("claim", "claimant", "source", "quote", "quote_override_reason"):
            if name in data:
                setattr(appearance, name, data[name])
        if not (appearance.claim_id and appearance.source_id):
            return data
        try:
            services.review_appearance(appearance, by=self.user)
        except (ValidationError, PermissionDenied) as error:
            raise _form_error(error) from error
        return data


@admin.register(Appearance)
class AppearanceAdmin(PartOfClaimAdmin, UserFormMixin, QuoteCheckDisplay, HistoryAdmin):
    """An appearance on a page of its own. Its add form takes the claim and the words from the
    address (``?claim=<id>&quote=<text>``, Django's initial data from GET), so a suggestion
    that a text repeats a claim can open it filled in; saving returns to the claim."""

    list_display = ["claim", "claimant", "said_on", "source", "quote_check"]
    list_select_related = ["claim", "claimant", "source"]
    list_filter = ["quote_check"]
    search_fields = ["quote", "claim__summary", "claimant__name", "source__title"]
    autocomplete_fields = ["claim", "claimant", "source"]
    readonly_fields = ["quote_check", "checked_passage"]
    form = AppearanceAdminForm
    fields = [
        "claim",
        "quote",
        ("claimant", "said_on"),
        "source",
        "quote_check",
        "checked_passage",
        "quote_override_reason",
    ]
    formfield_overrides = ROOMY_FIELDS

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if rules.role_of(request.user) not in rules.MAY_OVERRIDE_QUOTE_CHECK:
            readonly.append("quote_override_reason")
        return readonly

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        rows = objs.select_related("claim") if hasattr(objs, "select_related") else objs
        if any(not services.may_change(row.claim, request.user) for row in rows):
            perms_needed.add("appearances of claims you may not change")
        return deleted, counts, perms_needed, protected

    def delete_queryset(self, request, queryset):
        for appearance in queryset.select_related("claim"):
            services.delete_appearance(appearance, by=request.user)

    def save_model(self, request, obj, form, change):
        services.save_appearance(obj, by=request.user)

    def delete_model(self, request, obj):
        services.delete_appearance(obj, by=request.user)

    def response_add(self, request, obj, post_url_continue=None):
        # Back to the claim, where the editor came from; "save and add another" and "save
        # and continue editing" keep Django's own answers.
        if any(key in request.POST for key in ("_continue", "_addanother", "_popup")):
            return super().response_add(request, obj, post_url_continue)
        messages.success(request, f"The appearance “{obj}” was recorded.")
        return redirect("admin:claims_claim_change", obj.claim_id)


class CounterclaimAdminForm(forms.ModelForm):
    user = None

    class Meta:
        model = Counterclaim
        fields = ["original", "response", "note"]

    def clean(self):
        data = super().clean()
        if data.get("original") and data.get("response"):
            try:
                services.check_may_link(data["original"], data["response"], by=self.user)
            except PermissionDenied as error:
                raise ValidationError(str(error)) from error
        return data


@admin.register(Counterclaim)
class CounterclaimAdmin(UserFormMixin, HistoryAdmin):
    list_display = ["response", "original", "note"]
    list_select_related = ["response", "original"]
    search_fields = ["response__summary", "original__summary", "note"]
    autocomplete_fields = ["original", "response"]
    form = CounterclaimAdminForm

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None:
            return allowed
        try:
            services.check_may_link(obj.original, obj.response, by=request.user)
        except PermissionDenied:
            return False
        return True

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or self.has_change_permission(request, obj)
        )

    def save_model(self, request, obj, form, change):
        services.save_counterclaim(obj, by=request.user)

    def delete_model(self, request, obj):
        services.delete_counterclaim(obj, by=request.user)


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
class SourceWithClaimsAdmin(SourceArchiveMixin, SourceAdmin):
    inlines = [ClaimQuotedInline, EvidenceDrawnInline]

    def save_related(self, request, form, formsets, change):
        # New or changed words, or a new text for the source, may leave a draft's quote
        # unmatched: the claims quoted from it are rechecked by now.
        super().save_related(request, form, formsets, change)
        unmatched = Claim.quoting(form.instance).filter(quote_check=QuoteCheck.NO_MATCH)
        for claim in unmatched.select_related("source__via"):
            warn_if_the_quote_blocks_publication(request, claim)
