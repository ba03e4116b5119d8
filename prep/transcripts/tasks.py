from celery import shared_task

from . import services


@shared_task(
    bind=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def transcript_postprocess(self, transcript_id: int) -> bool:
    """After a capture ends: analyse the transcript, then mark it ready (idempotent)."""
    return services.transcript_mark_ready(transcript_id=transcript_id)
