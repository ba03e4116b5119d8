from celery import shared_task

from prep.lib.retry import RETRY

from . import services


@shared_task(bind=True, **RETRY)
def send_welcome_email(self, user_id: int) -> bool:
    return services.welcome_email_send(user_id=user_id)


@shared_task(bind=True, **RETRY)
def send_security_notice(self, user_id: int, kind: str, detail: str = "") -> bool:
    from . import security

    return security.notice_send(user_id=user_id, kind=kind, detail=detail)
