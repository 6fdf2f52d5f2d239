/* llmkb: the copy buttons of the citation dialogs (paper tables and the paper index): GB/T 7714,
 * APA and BibTeX, and the 「引用本书」 blocks.
 *
 * The buttons are written with the page (llmkb/cite/dialog.py) and this script adds one click
 * listener for all of them: nothing runs per block when the page loads. A button copies exactly
 * its block's text, as the page shows it. Without JavaScript the buttons are hidden (llmkb.css)
 * and the text can still be selected by hand.
 *
 * A paper row's dialog comes closed and without its content: the summary and a link to the
 * page's .bib file (a.llmkb-cite-fallback, what a reader without JavaScript gets). When a reader
 * first opens one, this script loads the paper's _static/cite/<key>.js (a <script>: a book
 * opened from disk may not fetch() its files), which registers the content's HTML, written at
 * build time (llmkb/cite/dialog_files.py), and puts it in the fallback's place. If that file
 * cannot be loaded, the fallback stays and the console names the file.
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

  // the data files' folder: next to this script (its URL may carry a ?digest= query)
  const CITE_DIR = document.currentScript ? new URL("cite/", document.currentScript.src) : null;
  const loads = new Map(); // data file URL -> Promise of the dialog's HTML

  // as llmkb/cite/dialog_files.py file_name(): any character but a-z, 0-9 and "-" as _<hex>_
  function fileName(key) {
    return key.replace(/[^a-z0-9-]/gu, (c) => "_" + c.codePointAt(0).toString(16) + "_") + ".js";
  }

  function content(key) {
    const url = new URL(fileName(key), CITE_DIR).href;
    if (!loads.has(url)) {
      loads.set(url, new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = url;
        script.onload = () => {
          const html = (window.llmkbCite || {})[key];
          if (typeof html === "string") resolve(html);
          else fail(`llmkb: the citation data file ${url} does not hold the entry "${key}"; rebuild the book`);
        };
        script.onerror = () => fail(`llmkb: could not load the citation data file ${url}; the dialog keeps its link to the page's .bib file`);
        function fail(message) {
          console.error(message); // once per file, however often its dialogs are opened
          reject(new Error(message));
        }
        document.head.appendChild(script);
      }));
    }
    return loads.get(url);
  }

  function fill(details) {
    const fallback = details.querySelector(":scope > .llmkb-cite-fallback");
    const row = details.closest("tr[data-key]");
    if (!fallback || !row || !CITE_DIR || details.llmkbFilling) return;
    details.llmkbFilling = true;
    content(row.dataset.key).then((html) => {
      const focused = fallback.contains(document.activeElement);
      fallback.insertAdjacentHTML("afterend", html);
      fallback.remove();
      // a reader who had tabbed onto the fallback link goes on from the first copy button
      if (focused) details.querySelector("button.llmkb-copy").focus();
    }, () => {
      details.llmkbFilling = false; // the error is in the console; the fallback link stays
    });
  }

  // "toggle" does not bubble: listen while it goes down to the <details>
  document.addEventListener("toggle", (event) => {
    const details = event.target;
    if (details.open && details.matches && details.matches("details.llmkb-bibtex")) fill(details);
  }, true);

  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("button.llmkb-copy");
    if (!button) return;
    const code = button.parentElement.querySelector("code");
    copyText(code.textContent).then(() => say(button, "已复制"), () => say(button, "复制失败，请手动选择"));
  });
})();
