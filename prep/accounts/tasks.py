from celery import shared_task

from . import services


@shared_task(
    bind=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def send_welcome_email(self, user_id: int) -> bool:
    return services.welcome_email_send(user_id=user_id)
