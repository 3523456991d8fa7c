from django.apps import AppConfig


class ReaderRequestsConfig(AppConfig):
    name = "reader_requests"
    verbose_name = "Readers' requests"
