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
    """Analyse an ended transcript and mark it ready (idempotent, safe to run again)."""
    return services.transcript_analyse(transcript_id=transcript_id)


@shared_task
def transcripts_reprocess_stuck() -> int:
    """Re-queue transcripts left processing for 10 minutes (for Celery beat)."""
    return services.transcripts_reprocess_stuck()
