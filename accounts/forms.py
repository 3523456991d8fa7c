from django import forms
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm

CODE_WIDGET = forms.TextInput(
    attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
)


class LoginForm(OTPAdminAuthenticationForm):
    """The admin's login: username and password, and the authenticator app's code from those
    who enrolled one (django-otp's form asks everyone). A wrong code is refused like a wrong
    password; django-otp slows down repeated wrong codes for the device."""

    otp_error_messages = {
        **OTPAdminAuthenticationForm.otp_error_messages,
        "token_required": "Enter the 6-digit code from your authenticator app.",
        "invalid_token": "That code is not right. Enter the newest code from your app.",
    }
    otp_token = forms.CharField(
        label="Authentication code",
        required=False,
        widget=CODE_WIDGET,
        help_text="The 6-digit code from your authenticator app, if you set one up.",
    )

    def clean(self):
        self.cleaned_data = super(OTPAdminAuthenticationForm, self).clean()
        user = self.get_user()
        device = next(devices_for_user(user), None) if user else None
        if device is not None:
            # One device per user (accounts/views.py): no choice to make.
            self.cleaned_data["otp_device"] = device.persistent_id
            self.clean_otp(user)
        return self.cleaned_data


class CodeForm(forms.Form):
    """A code from the authenticator app being set up, to prove it works."""

    otp_token = forms.CharField(
        label="Code from the app", max_length=8, widget=CODE_WIDGET, strip=True
    )
