// A link to #somewhere lands on it. The page's sections are laid out only when they come near the
// viewport (content-visibility: auto, llmkb.css) and count as a guessed height until then, so the
// browser's own jump to a fragment can stop where the target would be if every section above it
// had that height: on the paper index a row could end up a screen or more away. Once the sections
// the jump brought into view are laid out, jump again, until the target holds still near the top.
// When done, <html data-llmkb-landed="id"> says so (the browser tests wait for it).
(() => {
  const land = () => {
    const root = document.documentElement;
    delete root.dataset.llmkbLanded;
    let id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
    const target = id && document.getElementById(id);
    if (!target) return;
    let tries = 0;
    const settle = () => requestAnimationFrame(() => requestAnimationFrame(() => {
      const top = target.getBoundingClientRect().top;
      if ((top < 0 || top > innerHeight / 4) && tries++ < 8) {
        target.scrollIntoView();
        settle();
      } else {
        root.dataset.llmkbLanded = id;
      }
    }));
    settle();
  };
  if (document.readyState === "complete") land(); else addEventListener("load", land);
  addEventListener("hashchange", land);
})();
