"""A case type's machine drawn as SVG, with its current state marked.

Our own small layout instead of Graphviz: no binary to install on the server, and the picture
stays the same from one deployment to the next. States are boxes in one column in the flow's
order; a move to the next state is a straight arrow, every other move a bracket on the side
(forward on the right, backward on the left), and a move several states make to the same place
(reclassifying) one shared line on the far right.

The picture scales to the page's width; on a narrow screen the page shows the same machine as a
list of states, each with the steps that leave it (``state_steps``), since the picture shrunk to
a phone's width would be too small to read.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from html import escape

from app.labels import TRIGGER_LABELS, state_label

from .definition import Flow

BOX_W = 300
BOX_H = 46
GAP = 62
PITCH = BOX_H + GAP
TOP = 24
LANE = 56
LANE_START = 48
CHAR_W = 6.6  # rough width of one character at the 12px label size
LINE_H = 15
BUS_MIN_SOURCES = 3


def trigger_label(trigger: str) -> str:
    label = TRIGGER_LABELS.get(trigger)
    return str(label) if label is not None else trigger


def _text_width(text: str) -> float:
    return len(text) * CHAR_W


@dataclass(frozen=True)
class _Side:
    src: int
    dest: int
    labels: tuple[str, ...]
    lane: int


def _assign_lanes(spans: list[tuple[int, int, tuple[str, ...]]]) -> list[_Side]:
    """Greedy interval colouring: brackets whose spans overlap get different lanes."""
    lanes: list[list[tuple[int, int]]] = []
    out: list[_Side] = []
    for src, dest, labels in sorted(spans, key=lambda s: (abs(s[0] - s[1]), min(s[0], s[1]))):
        low, high = min(src, dest), max(src, dest)
        for index, taken in enumerate(lanes):
            if all(high <= t_low or low >= t_high for t_low, t_high in taken):
                taken.append((low, high))
                out.append(_Side(src, dest, labels, index))
                break
        else:
            lanes.append([(low, high)])
            out.append(_Side(src, dest, labels, len(lanes) - 1))
    return out


class _Canvas:
    def __init__(self, flow: Flow) -> None:
        self.flow = flow
        self.parts: list[str] = []

    def y_top(self, index: int) -> float:
        return TOP + index * PITCH

    def y_mid(self, index: int) -> float:
        return self.y_top(index) + BOX_H / 2

    def text(
        self, x: float, y: float, value: str, anchor: str = "middle", cls: str = "edge-label"
    ) -> None:
        self.parts.append(
            f'<text x="{x:.0f}" y="{y:.0f}" text-anchor="{anchor}" class="{cls}" '
            f'font-size="12" fill="#1f2933" stroke="#ffffff" stroke-width="4" '
            f'paint-order="stroke">{escape(value)}</text>'
        )

    def path(self, d: str, arrow: bool = True) -> None:
        marker = ' marker-end="url(#lf-arrow)"' if arrow else ""
        self.parts.append(
            f'<path d="{d}" class="edge" fill="none" stroke="#52606d" stroke-width="1.5"{marker}/>'
        )


def render_svg(flow: Flow, current_state: str) -> str:
    states = list(flow.states)
    index = {state: i for i, state in enumerate(states)}
    grouped: dict[tuple[int, int], list[str]] = defaultdict(list)
    by_trigger_dest: dict[tuple[str, int], list[int]] = defaultdict(list)
    for src_state, trigger, dest_state in flow.edges():
        by_trigger_dest[(trigger, index[dest_state])].append(index[src_state])
    buses: list[tuple[str, int, list[int]]] = []
    for (trigger, dest), sources in by_trigger_dest.items():
        unique = sorted(set(sources))
        if len(unique) >= BUS_MIN_SOURCES:
            buses.append((trigger_label(trigger), dest, unique))
            continue
        for src in unique:
            label = trigger_label(trigger)
            if label not in grouped[(src, dest)]:
                grouped[(src, dest)].append(label)

    straight = {k: v for k, v in grouped.items() if k[1] == k[0] + 1}
    loops = {k: v for k, v in grouped.items() if k[0] == k[1]}
    right = _assign_lanes([(s, d, tuple(v)) for (s, d), v in grouped.items() if d > s + 1])
    left = _assign_lanes([(s, d, tuple(v)) for (s, d), v in grouped.items() if d < s])

    left_lanes = max((side.lane for side in left), default=-1) + 1
    right_lanes = max((side.lane for side in right), default=-1) + 1 + len(buses)
    left_text = max((_text_width(label) for side in left for label in side.labels), default=0.0)
    loop_text = max(
        (_text_width(label) for labels in loops.values() for label in labels), default=0.0
    )
    right_text = max(
        [_text_width(label) for side in right for label in side.labels]
        + [_text_width(label) for label, _dest, _src in buses]
        + [0.0]
    )
    left_width = max(LANE_START + left_lanes * LANE + left_text, 40 + loop_text) + 16
    x0 = left_width
    x1 = x0 + BOX_W
    cx = x0 + BOX_W / 2
    width = x1 + LANE_START + right_lanes * LANE + right_text + 16
    height = TOP * 2 + len(states) * PITCH - GAP

    canvas = _Canvas(flow)
    for i, state in enumerate(states):
        _box(
            canvas,
            i,
            x0,
            cx,
            state_label(flow.case_type, state),
            state == current_state,
            state in flow.final,
        )
    for (src, _dest), labels in straight.items():
        y_from, y_to = canvas.y_top(src) + BOX_H, canvas.y_top(src + 1)
        canvas.path(f"M{cx:.0f},{y_from:.0f} V{y_to - 2:.0f}")
        first = (y_from + y_to) / 2 - (len(labels) - 1) * LINE_H / 2 + 4
        for n, label in enumerate(labels):
            canvas.text(cx, first + n * LINE_H, label)
    for (src, _dest), labels in loops.items():
        y = canvas.y_mid(src)
        # In the upper half of the box's side: brackets arrive in the lower half.
        canvas.path(
            f"M{x0:.0f},{y - 16:.0f} C{x0 - 32:.0f},{y - 32:.0f} {x0 - 32:.0f},{y + 4:.0f} "
            f"{x0 - 2:.0f},{y - 4:.0f}"
        )
        for n, label in enumerate(labels):
            canvas.text(x0 - 36, y - 6 + (n - (len(labels) - 1) / 2) * LINE_H, label, "end")
    for side in right:
        _bracket(canvas, side, x1, x1 + LANE_START + side.lane * LANE, 1)
    for side in left:
        _bracket(canvas, side, x0, x0 - LANE_START - side.lane * LANE, -1)
    first_bus_lane = right_lanes - len(buses)
    for n, (bus_label, bus_dest, bus_sources) in enumerate(buses):
        _bus(
            canvas,
            x1,
            x1 + LANE_START + (first_bus_lane + n) * LANE,
            bus_label,
            bus_dest,
            bus_sources,
        )

    title = escape(_title(flow, current_state))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="state-diagram" role="img" '
        f'aria-label="{title}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="100%" preserveAspectRatio="xMidYMin meet" '
        f'font-family="system-ui, sans-serif">'
        f"<title>{title}</title>"
        '<defs><marker id="lf-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#52606d"/></marker></defs>' + "".join(canvas.parts) + "</svg>"
    )


def _title(flow: Flow, current_state: str) -> str:
    from flask_babel import gettext as _

    return str(
        _(
            "Ärendets steg. Nuvarande steg: %(state)s",
            state=state_label(flow.case_type, current_state),
        )
    )


def _box(
    canvas: _Canvas, i: int, x0: float, cx: float, label: str, current: bool, final: bool
) -> None:
    from flask_babel import gettext as _

    y = canvas.y_top(i)
    cls = "state" + (" state--current" if current else "") + (" state--final" if final else "")
    stroke_width = 4 if current else 1.5
    fill = "#e3f0fb" if current else ("#f5f7fa" if final else "#ffffff")
    canvas.parts.append(
        f'<g class="{cls}"><rect x="{x0:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" '
        f'rx="6" fill="{fill}" stroke="#1d3a5f" stroke-width="{stroke_width}"/>'
    )
    weight = "bold" if current else "normal"
    if current:
        canvas.parts.append(
            f'<text x="{cx:.0f}" y="{y + 19:.0f}" text-anchor="middle" font-size="13" '
            f'font-weight="{weight}" fill="#102a43">{escape(label)}</text>'
            f'<text x="{cx:.0f}" y="{y + 36:.0f}" text-anchor="middle" font-size="12" '
            f'font-weight="bold" fill="#102a43" class="current-marker">'
            f"{escape(_('(nuvarande)'))}</text></g>"
        )
    else:
        canvas.parts.append(
            f'<text x="{cx:.0f}" y="{y + 28:.0f}" text-anchor="middle" font-size="13" '
            f'fill="#102a43">{escape(label)}</text></g>'
        )


def _bracket(canvas: _Canvas, side: _Side, edge_x: float, lane_x: float, direction: int) -> None:
    # Leave a box a little above its middle and arrive a little below, so that brackets
    # meeting at one box do not share an end point.
    y_from = canvas.y_mid(side.src) - 8
    y_to = canvas.y_mid(side.dest) + 8
    r = 10 * direction
    down = 1 if y_to > y_from else -1
    canvas.path(
        f"M{edge_x:.0f},{y_from:.0f} H{lane_x - r:.0f} "
        f"Q{lane_x:.0f},{y_from:.0f} {lane_x:.0f},{y_from + 10 * down:.0f} "
        f"V{y_to - 10 * down:.0f} Q{lane_x:.0f},{y_to:.0f} {lane_x - r:.0f},{y_to:.0f} "
        f"H{edge_x + 2 * direction:.0f}"
    )
    middle = (y_from + y_to) / 2 - (len(side.labels) - 1) * LINE_H / 2 + 4
    anchor = "start" if direction > 0 else "end"
    for n, label in enumerate(side.labels):
        canvas.text(lane_x + 6 * direction, middle + n * LINE_H, label, anchor)


def _bus(
    canvas: _Canvas, edge_x: float, lane_x: float, label: str, dest: int, sources: list[int]
) -> None:
    y_to = canvas.y_mid(dest)
    top = min(canvas.y_mid(s) for s in sources)
    for src in sources:
        y = canvas.y_mid(src) + 16
        canvas.path(f"M{edge_x:.0f},{y:.0f} H{lane_x:.0f}", arrow=False)
    canvas.path(f"M{lane_x:.0f},{top + 16:.0f} V{y_to:.0f} H{edge_x + 2:.0f}")
    last = max(canvas.y_mid(s) for s in sources)
    canvas.text(lane_x + 6, (last + y_to) / 2 + 4, label, "start")


@dataclass(frozen=True)
class StateStep:
    """One state of the machine in words, with the moves that leave it (step, destination)."""

    label: str
    current: bool
    final: bool
    moves: tuple[tuple[str, str], ...]


def state_steps(flow: Flow, current_state: str) -> list[StateStep]:
    """The machine as a list, in the flow's order: what the narrow screen shows for the picture."""
    moves: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for src, trigger, dest in flow.edges():
        move = (trigger_label(trigger), state_label(flow.case_type, dest))
        if move not in moves[src]:
            moves[src].append(move)
    return [
        StateStep(
            label=state_label(flow.case_type, state),
            current=state == current_state,
            final=state in flow.final,
            moves=tuple(moves[state]),
        )
        for state in flow.states
    ]


def describe_edges(flow: Flow) -> list[tuple[str, str, str]]:
    """The moves as text, (from, trigger, to) in Swedish, for readers who cannot see the picture."""
    seen: set[tuple[str, str, str]] = set()
    out: list[tuple[str, str, str]] = []
    for src, trigger, dest in flow.edges():
        row = (
            state_label(flow.case_type, src),
            trigger_label(trigger),
            state_label(flow.case_type, dest),
        )
        if row not in seen:
            seen.add(row)
            out.append(row)
    return out
