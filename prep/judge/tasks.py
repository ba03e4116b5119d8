from celery import shared_task

from . import services


@shared_task(acks_late=True, time_limit=90, soft_time_limit=75)
def judge_submission(submission_id: int) -> str:
    """Judge one submission in the sandbox (the `judge` queue; see CELERY_TASK_ROUTES)."""
    done = services.submission_judge(submission_id=submission_id)
    return done.verdict if done else "already claimed"


@shared_task
def judge_requeue_stuck() -> int:
    """Beat: submissions a lost worker left behind go back on the judge queue."""
    return services.submissions_requeue_stuck()
