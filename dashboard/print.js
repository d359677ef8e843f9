// A browser print of a page: fit its content to the paper's width. Charts keep the width
// they were drawn at on screen, and on a wide screen that is wider than the printed page
// (A4 landscape less 10 mm margins: 277 mm, about 1047 CSS px; see print.css), where they
// would be cut at the edge. A zoom shrinks the whole page to fit instead.
(() => {
  if (window.__intlMetricsPrintFit) return;
  window.__intlMetricsPrintFit = true;
  const PAGE_PX = (277 * 96) / 25.4;
  const main = () => document.querySelector('[data-testid="stMainBlockContainer"]');
  window.addEventListener("beforeprint", () => {
    const el = main();
    if (!el) return;
    el.style.zoom = "";
    const charts = el.querySelectorAll(
      '.js-plotly-plot, [data-testid="stDeckGlJsonChart"], [data-testid="stDataFrame"]'
    );
    const widest = Math.max(0, ...Array.from(charts, (c) => c.getBoundingClientRect().width));
    // a little to spare: the printed layout rounds widths differently from the screen's
    if (widest > PAGE_PX * 0.96) el.style.zoom = String((PAGE_PX * 0.96) / widest);
  });
  window.addEventListener("afterprint", () => {
    const el = main();
    if (el) el.style.zoom = "";
  });
})();
