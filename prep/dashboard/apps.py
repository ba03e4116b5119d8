from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "prep.dashboard"
    label = "dashboard"

    def ready(self):
        from curriculum.signals import progress_changed

        def on_progress(sender, user_id, **kwargs):
            from .tasks import dashboard_refresh_soon

            # Sent after commit already: queue the refresh (run in-process without a broker;
            # with one, a burst of changes is refreshed once, REFRESH_DELAY_SECONDS later).
            dashboard_refresh_soon(user_id)

        progress_changed.connect(on_progress, weak=False, dispatch_uid="prep.dashboard.refresh")
