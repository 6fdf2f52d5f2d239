/* llmkb: the copy button of every BibTeX block (paper tables and the paper index).
 *
 * The buttons are written with the page (paper_table.visit_paper_row_html) and this script adds
 * one click listener for all of them: nothing runs per block when the page loads. The button
 * copies exactly the block's text, the entry as refs.bib exports it. Without JavaScript the
 * buttons are hidden (llmkb.css) and the text can still be selected by hand.
 */
(function () {
  "use strict";
  const LABEL = "复制这条 BibTeX";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    // plain http: the clipboard API is unavailable, a selected textarea still copies
    return new Promise((resolve, reject) => {
      const area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      const ok = document.execCommand("copy");
      area.remove();
      if (ok) resolve();
      else reject(new Error("copy refused"));
    });
  }

  function say(button, message) {
    button.dataset.state = message; // shown next to the button (llmkb.css)
    button.setAttribute("aria-label", message);
    clearTimeout(button.llmkbTimer);
    button.llmkbTimer = setTimeout(() => {
      delete button.dataset.state;
      button.setAttribute("aria-label", LABEL);
    }, 2000);
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("button.llmkb-copy");
    if (!button) return;
    const code = button.parentElement.querySelector("code");
    copyText(code.textContent).then(() => say(button, "已复制"), () => say(button, "复制失败，请手动选择"));
  });
})();
