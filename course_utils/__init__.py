"""Helpers for the NATO crisis-response operations course.

One module per concern:

- :mod:`course_utils.data` – load and validate the sourced dataset in ``data/``;
- :mod:`course_utils.charts` – the house style and the course's recurring figures;
- :mod:`course_utils.widgets` – interactive explorers built on ipywidgets;
- :mod:`course_utils.checks` – exercise checkers that explain a wrong answer;
- :mod:`course_utils.geo` – country outlines (Natural Earth, shipped with the package).

Nothing here touches the network.
"""

from __future__ import annotations

__version__ = "1.0.0"
