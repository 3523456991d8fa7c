"""The readers' forms. Each carries the spam protection of ``reader_requests.spam`` (a
honeypot, the ALTCHA challenge); the views add the rate limit. Lengths come from the models."""

from django import forms
from django.urls import reverse_lazy

from reader_requests import spam
from reader_requests.models import CheckRequest, ReportedError

CONSENT = (
    "I agree that {site} keeps what I send to answer it. An email address, if I give one, is "
    "used only to reply to me; it and my internet address are never published and are deleted "
    "after {days} days."
)


class ProtectedForm(forms.ModelForm):
    """A reader's submission: a honeypot and the proof-of-work challenge, whose refusals say
    what to do and keep everything the reader typed."""

    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    altcha = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        refusal = spam.honeypot_refusal(cleaned.get(spam.HONEYPOT)) or (
            # The challenge is spent only by an otherwise valid submission.
            "" if self.errors else spam.challenge_refusal(cleaned.get(spam.CHALLENGE_FIELD))
        )
        if refusal:
            raise forms.ValidationError(refusal, code="spam")
        return cleaned


class CheckRequestForm(ProtectedForm):
    consent = forms.BooleanField(required=True)

    class Meta:
        model = CheckRequest
        fields = ["claim_text", "heard_where", "email"]
        labels = {
            "claim_text": "The claim, as you heard or read it",
            "heard_where": "Where you saw or heard it (a link, or a few words)",
            "email": "Your email address, if you would like a reply (optional)",
        }
        help_texts = {"email": "", "claim_text": "", "heard_where": ""}
        # As the reader types, the matching fact checks are shown beside the form (htmx).
        widgets = {
            "claim_text": forms.Textarea(
                attrs={
                    "rows": 4,
                    "hx-get": reverse_lazy("reader_requests:ask-matches"),
                    "hx-trigger": "input changed delay:600ms",
                    "hx-target": "#matches",
                    "hx-swap": "outerHTML",
                    "hx-sync": "this:replace",
                }
            )
        }
        error_messages = {"claim_text": {"required": "Tell us the claim you want checked."}}


class ReportedErrorForm(ProtectedForm):
    consent = forms.BooleanField(required=True)

    class Meta:
        model = ReportedError
        fields = ["what_is_wrong", "source", "email"]
        labels = {
            "what_is_wrong": "What is wrong in this fact check?",
            "source": "Your source: a link or a reference that shows it",
            "email": "Your email address, if you would like a reply (optional)",
        }
        help_texts = {"email": "", "source": ""}
        widgets = {"what_is_wrong": forms.Textarea(attrs={"rows": 5})}
        error_messages = {
            "what_is_wrong": {"required": "Tell us what is wrong."},
            "source": {"required": "Give us a source, so that we can check it."},
        }
