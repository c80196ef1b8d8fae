/* Course overrides: accessibility fixes for what the theme, the saved widgets and the
 * self-check quizzes put on the page. Each fix is small, idempotent and re-applied whenever
 * the page changes (the widget manager, Font Awesome and jupyterquiz all render after load).
 * tests/test_accessibility.py (axe-core, WCAG 2.1 A/AA) and tests/test_browser.py check them.
 */
(function () {
  "use strict";

  var root = document.documentElement;

  // pydata-sphinx-theme: on a reader's first visit nothing is in localStorage, the page's
  // inline script sets data-mode="" and the theme logs "Got invalid theme mode" as a console
  // error before falling back to "auto". Start from "auto" directly (this file runs before
  // the theme's script, which is loaded at the end of the body).
  if (!root.dataset.mode) {
    root.dataset.mode = "auto";
  }

  function words(el) {
    return ((el && el.textContent) || "").replace(/\s+/g, " ").trim();
  }

  // Theme search buttons show "Search Ctrl+K" but were named only "Search" (axe
  // label-content-name-mismatch, WCAG 2.5.3): name them from their visible text and state
  // the shortcut in aria-keyshortcuts. Icon-only search buttons keep their label.
  function fixSearchButtons(scope) {
    scope.querySelectorAll("button.search-button__button[aria-label]").forEach(function (b) {
      if (words(b)) {
        b.removeAttribute("aria-label");
        b.setAttribute("aria-keyshortcuts", "Control+K");
      }
    });
  }

  // The colour-mode button is named "Color mode" but holds three icons whose SVG titles
  // (Light, Dark, System Settings) count as its visible text (label-content-name-mismatch).
  // The icons are decorative: drop their titles and hide them, and say the current mode in
  // the button's name instead.
  var MODES = { light: "Light", dark: "Dark", auto: "System Settings" };
  function fixThemeButtons(scope) {
    scope.querySelectorAll(".theme-switch-button").forEach(function (b) {
      b.querySelectorAll("svg").forEach(function (icon) {
        icon.querySelectorAll("title").forEach(function (title) { title.remove(); });
        icon.removeAttribute("aria-labelledby");
        icon.removeAttribute("role");
        icon.setAttribute("aria-hidden", "true");
      });
      var label = "Color mode: " + (MODES[root.dataset.mode] || MODES.auto);
      if (b.getAttribute("aria-label") !== label) {
        b.setAttribute("aria-label", label);
      }
      if (!b.dataset.courseLabelled) {
        b.dataset.courseLabelled = "1";
        b.addEventListener("click", function () {
          setTimeout(function () { fixThemeButtons(document); }, 0);
        });
      }
    });
  }

  // ipywidgets sliders (noUiSlider) render handles with role="slider" and no name (axe
  // aria-input-field-name): name each handle from the slider's visible description, adding
  // "start"/"end" for the two handles of a range slider. Labels without a tooltip also carry
  // title="null", which browsers show on hover: drop it.
  function nameSliders(scope) {
    scope.querySelectorAll(".widget-slider").forEach(function (slider) {
      var label = slider.querySelector(".widget-label");
      var name = words(label) || "Value";
      var handles = slider.querySelectorAll('.noUi-handle[role="slider"]');
      handles.forEach(function (handle, i) {
        var wanted = handles.length > 1 ? name + (i === 0 ? " (start)" : " (end)") : name;
        if (handle.getAttribute("aria-label") !== wanted) {
          handle.setAttribute("aria-label", wanted);
        }
      });
    });
    scope.querySelectorAll('.jupyter-widgets [title="null"]').forEach(function (el) {
      el.removeAttribute("title");
    });
  }

  // A saved explorer shows its chart as a PNG without alt text (axe image-alt). The chart is
  // the one the next cell draws as a static figure at the same default settings, with alt
  // text from the cell metadata: describe the explorer's chart with that text.
  function describeWidgetImages(scope) {
    var images = scope.querySelectorAll(".widget-subarea img:not([alt])");
    if (!images.length) {
      return;
    }
    var cells = Array.prototype.slice.call(document.querySelectorAll("div.cell"));
    images.forEach(function (img) {
      var cell = img.closest("div.cell");
      var next = cell ? cells[cells.indexOf(cell) + 1] : null;
      var figure = next ? next.querySelector(".cell_output img[alt]") : null;
      var described = figure && figure.getAttribute("alt");
      img.setAttribute("alt", described
        ? "The explorer's chart at its saved settings (the same as the next figure): " +
          described
        : "The explorer's chart at its saved settings; run the notebook to change it.");
    });
  }

  // jupyterquiz: the numeric answer box has a visible label that is not tied to it (axe
  // label): tie them, and let the question describe the box. Feedback that appears after an
  // answer is announced to screen-reader users.
  function labelQuizInputs(scope) {
    scope.querySelectorAll(".Quiz .Feedback:not([aria-live])").forEach(function (fb) {
      fb.setAttribute("aria-live", "polite");
    });
    scope.querySelectorAll(".Quiz input.Input-text").forEach(function (input) {
      var answer = input.parentElement;
      var label = answer ? answer.querySelector("label.InpLabel") : null;
      if (label && input.id && label.htmlFor !== input.id) {
        label.htmlFor = input.id;
      }
      var outer = input.closest('[id^="Outer"]');
      var question = outer ? outer.querySelector('[id^="quizQn"]') : null;
      if (question && question.id && input.getAttribute("aria-describedby") !== question.id) {
        input.setAttribute("aria-describedby", question.id);
      }
    });
  }

  // sphinxcontrib-bibtex/docutils: the bibliography is role="list" whose entries have the
  // deprecated role doc-biblioentry, so the list has no list items (axe
  // aria-required-children, critical; aria-deprecated-role). Make them list items.
  function fixBibliography(scope) {
    scope.querySelectorAll('[role="list"] > [role="doc-biblioentry"]').forEach(function (el) {
      el.setAttribute("role", "listitem");
    });
  }

  // A Markdown table cannot mark row headers. A comparison table whose top-left header cell
  // is empty and whose first column names each row leaves those names as data cells with
  // no header (axe td-has-header, critical): mark them as row headers.
  function markRowHeaders(scope) {
    scope.querySelectorAll("table").forEach(function (table) {
      var corner = table.querySelector("thead tr:first-child th:first-child");
      if (!corner || words(corner) || table.dataset.courseRowHeaders) {
        return;
      }
      var firsts = table.querySelectorAll("tbody tr > td:first-child");
      var named = Array.prototype.every.call(firsts, function (td) { return words(td); });
      if (!firsts.length || !named) {
        return;
      }
      table.dataset.courseRowHeaders = "1";
      firsts.forEach(function (td) { td.setAttribute("role", "rowheader"); });
    });
  }

  // An explorer's output (e.g. a wide table) scrolls inside its box; a scrollable region
  // must be reachable by keyboard (axe scrollable-region-focusable). The widget manager
  // makes such outputs focusable itself, but only after a layout pass: do it at once, for
  // every widget output that can scroll, and name it as a region.
  function focusableScrollers(scope) {
    scope.querySelectorAll(".widget-subarea .jp-OutputArea-output").forEach(function (el) {
      if (el.hasAttribute("tabindex")) {
        return;
      }
      var style = getComputedStyle(el);
      if (/auto|scroll/.test(style.overflow + " " + style.overflowX + " " + style.overflowY)) {
        el.setAttribute("tabindex", "0");
        el.setAttribute("role", "region");
        el.setAttribute("aria-label", "Explorer output (scrolls with the arrow keys)");
      }
    });
  }

  function fixAll() {
    fixSearchButtons(document);
    fixThemeButtons(document);
    nameSliders(document);
    describeWidgetImages(document);
    labelQuizInputs(document);
    fixBibliography(document);
    markRowHeaders(document);
    focusableScrollers(document);
  }

  // data-course-fixes on <html> says whether a pass is pending or done, so that tests (and
  // anything else) can wait for the page to settle instead of sleeping.
  var pending = null;
  function schedule() {
    if (pending === null) {
      root.dataset.courseFixes = "pending";
      pending = setTimeout(function () {
        pending = null;
        fixAll();
        root.dataset.courseFixes = "done";
      }, 30);
    }
  }

  function start() {
    fixAll();
    root.dataset.courseFixes = "done";
    // The fixes only set attributes, so watching added nodes cannot loop.
    new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
