import json
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kafo.commands import KafoCommand
from kafo.library.files import LibraryFileError
from kafo.library.models import ItemType, Pillar
from kafo.library.services import Filters, add_item, copy_of, search
from kafo.security.disclosure import Audience
from kafo.sensitivity import Sensitivity


class Command(KafoCommand):
    help = gettext_lazy(
        "The good-practice library: add a file as an item (its text extracted for search), "
        'or search it in French (accents and case ignored, words stemmed, "a phrase", '
        "-excluded, ou). The command line reads as the coordination does."
    )

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add")
        add.add_argument("path", metavar="PATH")
        add.add_argument("--title")
        add.add_argument("--type", default=ItemType.REPORT, choices=ItemType.values)
        add.add_argument("--language", default="fr")
        add.add_argument("--pillar", default="", choices=["", *Pillar.values])
        add.add_argument("--json", action="store_true")
        find = actions.add_parser("search")
        find.add_argument("query", metavar="QUERY")
        find.add_argument("--type", default="", choices=["", *ItemType.values])
        find.add_argument("--language", default="")
        find.add_argument("--limit", type=int, default=20)
        find.add_argument("--json", action="store_true")

    def handle(self, *args, **options) -> None:
        if options["action"] == "add":
            self._add(options)
        else:
            self._search(options)

    def _add(self, options) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(_("%(path)s: no such file.") % {"path": path})
        fields = {"item_type": options["type"], "language": options["language"][:3],
                  "pillar": options["pillar"], "confidentiality": Sensitivity.PARTNERS}  # fmt: skip
        if options["title"]:
            fields["title"] = options["title"][:300]
        copy = copy_of(path)
        try:
            item = add_item(copy, path.name, **fields)
        except LibraryFileError as error:
            raise CommandError(str(error)) from None
        finally:
            copy.unlink(missing_ok=True)
            copy.parent.rmdir()
        if options["json"]:
            self.stdout.write(json.dumps({"id": item.pk}))
            return
        note = f" ({item.extraction_note})" if item.extraction_note else ""
        self.stdout.write(_("Added no. %(id)d: %(title)s, %(chars)d characters of text%(note)s.")
                          % {"id": item.pk, "title": item.title, "chars": len(item.text),
                             "note": note})  # fmt: skip

    def _search(self, options) -> None:
        filters = Filters(item_type=options["type"], language=options["language"])
        coordination = Audience(role="coordinator")
        hits = search(coordination, options["query"], filters, kinds=("item",),
                      limit=max(1, options["limit"]))  # fmt: skip
        if options["json"]:
            results = [{"id": hit.record.pk, "title": hit.record.title, "snippet": hit.text,
                        "score": round(hit.score, 6)} for hit in hits]  # fmt: skip
            self.stdout.write(json.dumps({"results": results}, ensure_ascii=False))
            return
        if not hits:
            self.stdout.write(_("Nothing found."))
        for hit in hits:
            self.stdout.write(f"{hit.record.pk:>6}  {hit.record.title}\n        {hit.text}")
