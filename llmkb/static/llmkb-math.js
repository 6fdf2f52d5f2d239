/* llmkb: load MathJax (vendored in _static/mathjax, never a CDN) once a formula comes near the
 * screen. Sphinx loads this file instead of MathJax itself on pages with maths (mathjax_path, set in
 * llmkb/page_assets.py). A reader who never scrolls to the maths does not download and run 1.2 MB of
 * script on a phone; one who does gets MathJax a screen ahead of the first formula, and MathJax then
 * typesets each formula as it comes into view (its ui/lazy extension). Printing loads it at once.
 */
(function () {
  "use strict";
  const script = document.currentScript;
  const mathjax = new URL("mathjax/tex-chtml.js", script.src).href;
  let loaded = false;

  function load() {
    if (loaded) return;
    loaded = true;
    if (observer) observer.disconnect();
    const tag = document.createElement("script");
    tag.src = mathjax;
    tag.defer = true;
    tag.id = "MathJax-script";
    document.head.appendChild(tag);
  }

  const formulas = document.querySelectorAll("div.math, span.math");
  let observer = null;
  if (!formulas.length || !("IntersectionObserver" in window)) {
    load();
    return;
  }
  observer = new IntersectionObserver(
    (entries) => { if (entries.some((e) => e.isIntersecting)) load(); },
    { rootMargin: "100% 0px 100% 0px" }, // one screen above and below the viewport
  );
  formulas.forEach((f) => observer.observe(f));
  window.addEventListener("beforeprint", load);
})();
