from django.urls import path

from reader_requests import views

app_name = "reader_requests"

urlpatterns = [
    path("requests/", views.request_list, name="list"),
    path("requests/ask/", views.ask, name="ask"),
    path("requests/ask/matches/", views.ask_matches, name="ask-matches"),
    path("requests/challenge/", views.challenge, name="challenge"),
    path("requests/sent/", views.sent, name="sent"),
    path("requests/report-error/<int:pk>/", views.report_error, name="report-error"),
]
