"""The annual report's charts, drawn on the server as SVG strings.

No JavaScript and no CDN: the same markup is inlined in the HTML page (usable with JavaScript
off) and in the PDF that WeasyPrint renders. Each chart carries a <title> and a <desc> (the
figures in words, for screen readers), text labels and a legend. In Arabic the value axis sits
on the right and categories (forms, years, months) run from right to left.

Text anchors are computed for a left-to-right coordinate system and the root says
``direction: ltr``, so an RTL page around the SVG (whose CSS ``direction`` inherits into inline
SVG) cannot flip them; Arabic words are still ordered by the bidi algorithm inside each label.
Colours pass 3:1 against white (WCAG 1.4.11) and differ in lightness, not only in hue."""

import math
from typing import NamedTuple

from babel.dates import get_month_names
from babel.numbers import format_decimal, format_percent
from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import override

from . import labels

# Dark blue, burnt orange, grey: contrast against white 7.0, 4.9, 5.7.
SEX_COLOURS = {"female": "#1f4e8c", "male": "#b0461a", "unknown": "#5f5f5f"}
LINE_COLOURS = {"prosecuted": "#1f4e8c", "convicted": "#b0461a"}
OCCUPANCY_COLOUR = "#23704f"
CAPACITY_COLOUR = "#333333"
FONT = "DejaVu Sans, sans-serif"

WIDTH, HEIGHT = 640, 350
TOP, BOTTOM = 64, 66  # room for the title above, category labels and legend below
AXIS_SIDE, FAR_SIDE = 56, 16


def _locale(lang):
    return settings.BABEL_LOCALES.get(lang, "en_GB")


def _num(value, lang):
    return format_decimal(value, locale=_locale(lang))


def _label(label, lang):
    """A label of a stored report (statistics.labels), or a text, in ``lang``."""
    return labels.render(label, lang)


def _nice_max(value):
    """An axis maximum and step: the first of 1, 2, 2.5, 5 x 10^k giving at most 5 steps."""
    if not value or value <= 0:
        return 1, 1
    raw = value / 5
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * power
        if step >= raw:
            break
    if step < 1:
        step = 1
    step = int(step) if float(step).is_integer() else step
    top = step * math.ceil(value / step)
    return top, step


def _wrap(text, max_chars):
    """Split a label into at most two lines at spaces."""
    if len(text) <= max_chars or " " not in text:
        return [text]
    words, first = text.split(" "), ""
    while words and len((first + " " + words[0]).strip()) <= max_chars:
        first = (first + " " + words.pop(0)).strip()
    if not first:
        first = words.pop(0)
    rest = " ".join(words)
    if len(rest) > max_chars + 4:
        rest = rest[: max_chars + 2] + "…"
    return [first, rest] if rest else [first]


class _Frame:
    """The plot area and its two axes, mirrored for right-to-left languages."""

    def __init__(self, lang, top_value):
        self.rtl = lang == "ar"
        self.lang = lang
        self.left = FAR_SIDE if self.rtl else AXIS_SIDE
        self.right = WIDTH - (AXIS_SIDE if self.rtl else FAR_SIDE)
        self.top, self.bottom = TOP, HEIGHT - BOTTOM
        self.max, self.step = _nice_max(top_value)

    def y(self, value):
        return self.bottom - (self.bottom - self.top) * (value or 0) / self.max

    def slots(self, n):
        """Centre x of n categories, the first one on the reading side."""
        width = (self.right - self.left) / max(n, 1)
        centres = [self.left + width * (i + 0.5) for i in range(n)]
        return (list(reversed(centres)) if self.rtl else centres), width

    def axes(self, y_title):
        out = []
        value = 0
        axis_x = self.right if self.rtl else self.left
        tick_x = axis_x + 6 if self.rtl else axis_x - 6
        anchor = "start" if self.rtl else "end"
        while value <= self.max + 1e-9:
            y = self.y(value)
            out.append(
                f'<line x1="{self.left}" x2="{self.right}" y1="{y:.1f}" y2="{y:.1f}" '
                f'stroke="#d0d0d0" stroke-width="1"/>'
            )
            out.append(_Text(tick_x, y + 4, _num(value, self.lang), anchor, 11))
            value += self.step
        out.append(
            f'<line x1="{axis_x}" x2="{axis_x}" y1="{self.top}" y2="{self.bottom}" '
            f'stroke="#222" stroke-width="1"/>'
        )
        out.append(
            f'<line x1="{self.left}" x2="{self.right}" y1="{self.bottom}" y2="{self.bottom}" '
            f'stroke="#222" stroke-width="1"/>'
        )
        # The axis title sits above the axis, aligned with it, on the reading side.
        title_anchor = "end" if self.rtl else "start"
        title_x = WIDTH - 4 if self.rtl else 4
        out.append(_Text(title_x, self.top - 14, y_title, title_anchor, 11))
        return out

    def legend(self, items):
        """items: [(colour, label, kind)], kind "box" or "line", laid out from the reading side."""
        out, x = [], (WIDTH - 4 if self.rtl else 4)
        y = HEIGHT - 14
        for colour, label, kind in items:
            width = 14 + 6 + 7 * len(label) + 18
            swatch_x = x - 14 if self.rtl else x
            if kind == "line":
                out.append(
                    f'<line x1="{swatch_x}" x2="{swatch_x + 14}" y1="{y - 4}" y2="{y - 4}" '
                    f'stroke="{colour}" stroke-width="3"/>'
                )
            else:
                out.append(
                    f'<rect x="{swatch_x}" y="{y - 10}" width="12" height="12" fill="{colour}"/>'
                )
            text_x = swatch_x - 6 if self.rtl else swatch_x + 20
            anchor = "end" if self.rtl else "start"
            out.append(_Text(text_x, y, label, anchor, 12))
            x = x - width if self.rtl else x + width
        return out


class _Text(NamedTuple):
    """A label at (x, y) on the baseline, anchored like SVG text-anchor in LTR coordinates."""

    x: float
    y: float
    text: str
    anchor: str = "middle"
    size: int = 11
    bold: bool = False


def _svg_text(t):
    weight = ' font-weight="bold"' if t.bold else ""
    return (
        f'<text x="{t.x:.1f}" y="{t.y:.1f}" text-anchor="{t.anchor}" font-size="{t.size}"'
        f'{weight} fill="#222">{escape(t.text)}</text>'
    )


# DejaVu Sans: ascent 0.928 em, descent 0.236 em; with line-height 1 the baseline of a line box
# lies 0.846 em below its top.
_BASELINE = 0.846


def _html_text(t):
    top = t.y - _BASELINE * t.size
    if t.anchor == "middle":
        box = f"left:{t.x - 90:.1f}px;width:180px;text-align:center"
    elif t.anchor == "end":
        box = f"right:{WIDTH - t.x:.1f}px;text-align:right"
    else:
        box = f"left:{t.x:.1f}px;text-align:left"
    weight = "font-weight:bold;" if t.bold else ""
    return (
        f'<span style="position:absolute;top:{top:.1f}px;{box};font-size:{t.size}px;{weight}'
        f'line-height:1;white-space:nowrap;color:#222">{escape(t.text)}</span>'
    )


def _svg(name, title, desc, body, lang, for_pdf=False):
    """The chart's markup. For WeasyPrint (``for_pdf``) the labels are HTML spans laid over a
    text-free SVG: WeasyPrint draws SVG <text> code point by code point, so Arabic would come
    out unjoined and in logical order (Kozea/WeasyPrint#2909), while its HTML text is shaped
    by HarfBuzz and reordered. Browsers get plain SVG with <text>."""
    ident = f"chart-{name}"
    rtl = lang == "ar"
    body = [_Text(WIDTH - 4 if rtl else 4, 18, title, "end" if rtl else "start", 14, True), *body]
    shapes = "".join(b for b in body if isinstance(b, str))
    texts = [b for b in body if isinstance(b, _Text)]
    svg_open = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="himaya-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'aria-labelledby="{ident}-title {ident}-desc" lang="{escape(lang)}" '
        f'font-family="{FONT}" '
    )
    head = (
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}</desc>'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>'
    )
    if not for_pdf:
        markup = (
            svg_open  # sized by himaya.css (the CSP forbids inline style on pages)
            + 'direction="ltr">'
            + head
            + shapes
            + "".join(_svg_text(t) for t in texts)
            + "</svg>"
        )
    else:
        markup = (
            f'<div class="himaya-chart-pdf" style="position:relative;width:{WIDTH}px;'
            f'height:{HEIGHT}px;font-family:{FONT};direction:ltr;text-align:left">'
            + svg_open
            + 'style="position:absolute;left:0;top:0">'
            + head
            + shapes
            + "</svg>"
            + "".join(_html_text(t) for t in texts)
            + "</div>"
        )
    return mark_safe(markup)  # noqa: S308 -- every text above went through escape()


def _empty(name, title, lang, for_pdf):
    body = [_Text(WIDTH / 2, HEIGHT / 2, _("No data for this year."), "middle", 14)]
    return _svg(name, title, _("No data for this year."), body, lang, for_pdf)


def _sep(lang):
    return "، " if lang == "ar" else ", "


def bar_chart_victims_by_form_sex(report, lang, *, for_pdf=False):
    """Victims identified in the year, by form of exploitation (groups) and sex (bars)."""
    with override(lang):
        rows = report.get("series", {}).get("victims_by_form_sex") or []
        title = _("Victims identified in %(year)s, by form of exploitation and sex") % {
            "year": report["year"]
        }
        if not rows:
            return _empty("victims", title, lang, for_pdf)
        sexes = [("female", _("Female")), ("male", _("Male")), ("unknown", _("Sex unknown"))]
        top = max(max(r.get(s) or 0 for s, _n in sexes) for r in rows)
        frame = _Frame(lang, top)
        body = frame.axes(_("Victims"))
        centres, slot = frame.slots(len(rows))
        bar = min(34, slot * 0.8 / 3)
        order = list(reversed(sexes)) if frame.rtl else sexes
        for row, centre in zip(rows, centres, strict=True):
            start = centre - bar * 1.5
            for i, (sex, _name) in enumerate(order):
                value = row.get(sex) or 0
                x, y = start + i * bar, frame.y(value)
                body.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar - 2:.1f}" '
                    f'height="{frame.bottom - y:.1f}" fill="{SEX_COLOURS[sex]}"/>'
                )
                body.append(_Text(x + (bar - 2) / 2, y - 3, _num(value, lang), "middle", 10))
            for n, line in enumerate(_wrap(_label(row.get("label"), lang), int(slot / 7))):
                body.append(_Text(centre, frame.bottom + 16 + 13 * n, line, "middle", 11))
        body += frame.legend([(SEX_COLOURS[s], name, "box") for s, name in sexes])
        desc = "; ".join(
            _label(r.get("label"), lang)
            + ": "
            + _sep(lang).join(f"{name} {_num(r.get(s) or 0, lang)}" for s, name in sexes)
            for r in rows
        )
        return _svg("victims", title, desc + ".", body, lang, for_pdf)


def line_chart_justice_by_year(report, lang, *, for_pdf=False):
    """Persons prosecuted and convicted, year by year (up to six years)."""
    with override(lang):
        rows = sorted(
            report.get("series", {}).get("justice_by_year") or [], key=lambda r: r["year"]
        )
        title = _("Persons prosecuted and convicted, by year")
        if not rows:
            return _empty("justice", title, lang, for_pdf)
        lines = [("prosecuted", _("Prosecuted")), ("convicted", _("Convicted"))]
        top = max(max(r.get(k) or 0 for k, _n in lines) for r in rows)
        frame = _Frame(lang, top)
        body = frame.axes(_("Persons"))
        centres, _slot = frame.slots(len(rows))
        for key, _name in lines:
            points = [(c, frame.y(r.get(key) or 0)) for r, c in zip(rows, centres, strict=True)]
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            colour = LINE_COLOURS[key]
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="3"/>'
            )
            # Prosecuted labels above the points, convicted below, so they do not collide.
            dy = -8 if key == "prosecuted" else 16
            for (x, y), row in zip(points, rows, strict=True):
                body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>')
                body.append(_Text(x, y + dy, _num(row.get(key) or 0, lang), "middle", 10))
        for row, centre in zip(rows, centres, strict=True):
            body.append(_Text(centre, frame.bottom + 16, str(row["year"]), "middle", 11))
        body += frame.legend([(LINE_COLOURS[k], name, "line") for k, name in lines])
        desc = "; ".join(
            f"{r['year']}: "
            + _sep(lang).join(f"{name} {_num(r.get(k) or 0, lang)}" for k, name in lines)
            for r in rows
        )
        return _svg("justice", title, desc + ".", body, lang, for_pdf)


def occupancy_chart(report, lang, *, for_pdf=False):
    """Shelter bed-nights used each month of the year, against the bed-nights available."""
    with override(lang):
        rows = sorted(
            report.get("series", {}).get("shelter_occupancy") or [], key=lambda r: r["month"]
        )
        title = _("Shelter occupancy in %(year)s: bed-nights used and available, by month") % {
            "year": report["year"]
        }
        if not rows:
            return _empty("occupancy", title, lang, for_pdf)
        months = get_month_names("abbreviated", locale=_locale(lang))
        top = max(max(r.get("bed_nights") or 0, r.get("capacity_nights") or 0) for r in rows)
        frame = _Frame(lang, top)
        body = frame.axes(_("Bed-nights"))
        centres, slot = frame.slots(len(rows))
        bar = slot * 0.6
        for row, centre in zip(rows, centres, strict=True):
            used = row.get("bed_nights") or 0
            y = frame.y(used)
            body.append(
                f'<rect x="{centre - bar / 2:.1f}" y="{y:.1f}" width="{bar:.1f}" '
                f'height="{frame.bottom - y:.1f}" fill="{OCCUPANCY_COLOUR}"/>'
            )
            capacity = row.get("capacity_nights")
            if capacity:
                cy = frame.y(capacity)
                body.append(
                    f'<line x1="{centre - slot / 2 + 1:.1f}" x2="{centre + slot / 2 - 1:.1f}" '
                    f'y1="{cy:.1f}" y2="{cy:.1f}" stroke="{CAPACITY_COLOUR}" stroke-width="2" '
                    f'stroke-dasharray="4 2"/>'
                )
                percent = format_percent(used / capacity, locale=_locale(lang))
                body.append(_Text(centre, cy - 4, percent, "middle", 9))
            body.append(_Text(centre, frame.bottom + 16, months[row["month"]], "middle", 10))
        body += frame.legend(
            [
                (OCCUPANCY_COLOUR, _("Bed-nights used"), "box"),
                (CAPACITY_COLOUR, _("Bed-nights available"), "line"),
            ]
        )
        desc = "; ".join(
            f"{months[r['month']]}: "
            + _("%(used)s of %(available)s bed-nights")
            % {
                "used": _num(r.get("bed_nights") or 0, lang),
                "available": _num(r.get("capacity_nights") or 0, lang),
            }
            for r in rows
        )
        return _svg("occupancy", title, desc + ".", body, lang, for_pdf)


def all_charts(report, lang, *, for_pdf=False):
    """The three charts in report order, for templates."""
    return [
        bar_chart_victims_by_form_sex(report, lang, for_pdf=for_pdf),
        line_chart_justice_by_year(report, lang, for_pdf=for_pdf),
        occupancy_chart(report, lang, for_pdf=for_pdf),
    ]
