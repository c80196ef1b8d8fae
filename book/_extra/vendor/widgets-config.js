// Point require.js at the vendored widget manager so that the modules it
// defines (and the Font Awesome files they load relative to their own URL)
// resolve inside this folder, not next to each page. Loaded after require.js
// and before embed-amd.js on pages that hold saved widget state.
(function () {
  var here = document.currentScript.src.replace(/[^/]*$/, "");
  var manager = here + "html-manager-1.0.15/";
  require.config({
    paths: {
      "@jupyter-widgets/base": manager + "embed-amd",
      "@jupyter-widgets/base7": manager + "embed-amd",
      "@jupyter-widgets/controls": manager + "embed-amd",
      "@jupyter-widgets/controls7": manager + "embed-amd",
      "@jupyter-widgets/output": manager + "embed-amd",
      "@jupyter-widgets/html-manager": manager + "embed-amd",
      "@jupyter-widgets/html-manager/dist/libembed-amd": manager + "embed-amd"
    }
  });
})();
