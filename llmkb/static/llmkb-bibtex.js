/* llmkb: the copy buttons of the citation dialogs (paper tables and the paper index): GB/T 7714,
 * APA and BibTeX, and the 「引用本书」 blocks.
 *
 * The buttons are written with the page (llmkb/cite/dialog.py) and this script adds one click
 * listener for all of them: nothing runs per block when the page loads. A button copies exactly
 * its block's text, as the page shows it. Without JavaScript the buttons are hidden (llmkb.css)
 * and the text can still be selected by hand.
 */
(function () {
  "use strict";
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
    // each button names its own format ("复制 GB/T 7714 格式"): remember it, to say it again after
    if (button.llmkbLabel === undefined) button.llmkbLabel = button.getAttribute("aria-label");
    button.dataset.state = message; // shown next to the button (llmkb.css)
    button.setAttribute("aria-label", message);
    clearTimeout(button.llmkbTimer);
    button.llmkbTimer = setTimeout(() => {
      delete button.dataset.state;
      button.setAttribute("aria-label", button.llmkbLabel);
    }, 2000);
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("button.llmkb-copy");
    if (!button) return;
    const code = button.parentElement.querySelector("code");
    copyText(code.textContent).then(() => say(button, "已复制"), () => say(button, "复制失败，请手动选择"));
  });
})();
