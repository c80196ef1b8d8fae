"""The course's house style, in one place: palettes, fonts and sizes, deterministic files.

Every course figure uses the colour-blind-safe Okabe–Ito palette, the same colour for the
same category, region or operation everywhere, and the sizes of :data:`HOUSE_RC`, applied
with :func:`house_style` (a context manager; matplotlib's settings are restored after)
or, for your own plots, :func:`apply_house_style`. Nothing here changes matplotlib on import.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import MappingProxyType
from typing import Any

import matplotlib as mpl

__all__ = ["CATEGORY_COLORS", "EDGE", "FIG_METADATA", "HOUSE_RC", "NATO_COLOR", "OKABE_ITO",
           "OPERATION_COLORS", "PARTNER_COLOR", "REGION_COLORS", "apply_house_style",
           "house_style"]

#: Okabe & Ito (2008) colour-blind-safe palette, by name.
OKABE_ITO: Mapping[str, str] = MappingProxyType({
    "black": "#000000", "orange": "#E69F00", "sky blue": "#56B4E9",
    "bluish green": "#009E73", "yellow": "#F0E442", "blue": "#0072B2",
    "vermillion": "#D55E00", "reddish purple": "#CC79A7", "grey": "#999999",
})
_P = OKABE_ITO

#: Colour of each operation category (operations.category), in the data's vocabulary order.
CATEGORY_COLORS: Mapping[str, str] = MappingProxyType({
    "air operations": _P["sky blue"],
    "maritime security": _P["blue"],
    "peace support": _P["bluish green"],
    "security assistance and stabilisation": _P["vermillion"],
    "training and capacity building": _P["orange"],
    "logistic support": _P["reddish purple"],
    "humanitarian relief": _P["yellow"],
})

#: Colour of each region (operations.region).
REGION_COLORS: Mapping[str, str] = MappingProxyType({
    "Balkans": _P["bluish green"],
    "Europe": _P["blue"],
    "Mediterranean": _P["sky blue"],
    "Middle East": _P["orange"],
    "South and Central Asia": _P["vermillion"],
    "Africa": _P["yellow"],
    "Gulf of Aden and Indian Ocean": _P["reddish purple"],
    "North America": _P["grey"],
})

NATO_COLOR = _P["blue"]  #: NATO Allies in contribution charts
PARTNER_COLOR = _P["orange"]  #: partner (non-NATO) contributors
EDGE = "#333333"  #: thin outline, so that yellow stays visible on white

#: Fonts, sizes and defaults of every course figure (use via house_style()).
HOUSE_RC: Mapping[str, Any] = MappingProxyType({
    "figure.figsize": (8.0, 4.5),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "axes.prop_cycle": mpl.cycler(color=[_P[k] for k in (
        "blue", "orange", "bluish green", "vermillion", "sky blue", "reddish purple",
        "yellow", "black")]),
    "grid.color": "#DDDDDD",
    "legend.frameon": False,
    "legend.fontsize": 9,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "svg.hashsalt": "course-utils",
    "svg.fonttype": "path",
})

#: Metadata that keeps saved files byte-identical across runs (per output format).
FIG_METADATA: Mapping[str, Mapping[str, None]] = MappingProxyType({
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
})


#: Fixed colours of the operations whose strength the course plots together.
OPERATION_COLORS: Mapping[str, str] = MappingProxyType({
    "ifor": _P["orange"], "sfor": _P["sky blue"], "kfor": _P["bluish green"],
    "isaf": _P["vermillion"], "resolute_support": _P["blue"], "nmi": _P["reddish purple"],
    "ntm_i": _P["black"],
})


@contextmanager
def house_style() -> Iterator[None]:
    """Apply :data:`HOUSE_RC` inside a ``with`` block; matplotlib's settings are restored after."""
    with mpl.rc_context(dict(HOUSE_RC)):
        yield


def apply_house_style() -> None:
    """Apply :data:`HOUSE_RC` to matplotlib's global settings (an explicit opt-in)."""
    mpl.rcParams.update(dict(HOUSE_RC))
