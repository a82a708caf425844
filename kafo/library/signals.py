"""Search kept in step with every save and delete of an item or a lesson, whatever makes
it (a page, the command line, the admin, the demo)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from kafo.library.models import Lesson, LibraryItem
from kafo.library.services import index, unindex


@receiver(post_save, sender=LibraryItem)
@receiver(post_save, sender=Lesson)
def _indexed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:  # fixtures load rows as they are
        index(instance)


@receiver(post_delete, sender=LibraryItem)
@receiver(post_delete, sender=Lesson)
def _unindexed(sender, instance, **kwargs) -> None:
    unindex(instance)
