import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from .models import Kindergarten


def _url_maker(viewname: str):
    """pk -> URL from one reverse() per page (a reverse per row and link was a tenth of the list)."""
    marker = 987654321
    prefix, suffix = reverse(viewname, args=[marker]).split(str(marker))
    return lambda pk: f"{prefix}{pk}{suffix}"


class KindergartenTable(tables.Table):
    """Columns, headers, sorting and paging are django-tables2's; the rows are rendered by
    ``body_html`` in one pass, with the same cells (django-tables2's per-cell rendering was most
    of the registry list's CPU under load, docs/benchmarks.md)."""

    name = tables.Column(linkify=True)
    subdistrict = tables.Column(linkify=True)
    approved_capacity = tables.Column(attrs={"th": {"class": "num"}, "td": {"class": "num"}})
    name_compliant = tables.BooleanColumn(yesno=("✔", "✘"))

    class Meta:
        model = Kindergarten
        template_name = "kindergartens/includes/kindergarten_table.html"
        fields = (
            "code",
            "name",
            "subdistrict",
            "sponsor_type",
            "inclusive_status",
            "licence_status",
            "approved_capacity",
            "name_compliant",
        )
        attrs = {"class": "table"}
        empty_text = _("没有符合条件的幼儿园。")

    def body_html(self) -> SafeString:
        """The <tr>s of the current page, as django-tables2's template would render them."""
        escape, default = conditional_escape, conditional_escape(self.default)
        kindergarten_url = _url_maker("kindergartens:kindergarten_detail")
        subdistrict_url = _url_maker("kindergartens:subdistrict_detail")
        yes, no = (f'<span class="{c}">{escape(t)}</span>' for c, t in (("true", "✔"), ("false", "✘")))
        labels = {
            name: {value: escape(label) for value, label in Kindergarten._meta.get_field(name).flatchoices}
            for name in ("sponsor_type", "inclusive_status", "licence_status")
        }

        def cell(name: str, k: Kindergarten) -> str:
            if name == "name":
                return f'<a href="{kindergarten_url(k.pk)}">{escape(k.name)}</a>' if k.name else default
            if name == "subdistrict":
                s = k.subdistrict
                return f'<a href="{subdistrict_url(s.pk)}">{escape(s)}</a>'
            if name in labels:
                value = getattr(k, name)
                return labels[name].get(value, escape(value)) if value not in (None, "") else default
            if name == "name_compliant":
                return yes if k.name_compliant else no
            value = getattr(k, name)
            return default if value in (None, "") else escape(localize(value))

        columns = [(column.name, column.attrs["td"].as_html()) for column in self.columns]
        rows = []
        for counter, row in enumerate(self.paginated_rows):
            record = row.record
            cells = "".join(f"<td {attrs}>{cell(name, record)}</td>" for name, attrs in columns)
            rows.append(f'<tr class="{"odd" if counter % 2 else "even"}">{cells}</tr>')
        return mark_safe("\n".join(rows))
