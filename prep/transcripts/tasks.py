from celery import shared_task

from prep.lib.retry import RETRY

from . import services


@shared_task(bind=True, **RETRY)
def transcript_postprocess(self, transcript_id: int) -> bool:
    """Analyse an ended transcript and mark it ready (idempotent, safe to run again)."""
    return services.transcript_analyse(transcript_id=transcript_id)


@shared_task
def transcripts_reprocess_stuck() -> int:
    """Re-queue transcripts left processing (for Celery beat; see settings)."""
    return services.transcripts_reprocess_stuck()
