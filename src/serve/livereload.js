(() => {
  "use strict";
  // milbrief preview: reload after each rebuild, swap stylesheets after a
  // CSS-only change, and show build errors over the page.
  let seen = null;
  const overlayId = "milbrief-error-overlay";
  const hideOverlay = () => {
    const o = document.getElementById(overlayId);
    if (o) o.remove();
  };
  const showOverlay = (text) => {
    hideOverlay();
    const o = document.createElement("div");
    o.id = overlayId;
    o.setAttribute("role", "alert");
    o.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
      "background:#1b1b1f;color:#f5f5f5;border-top:4px solid #d93025;padding:1rem 1.25rem;" +
      "font:13px/1.5 ui-monospace,Menlo,Consolas,monospace;box-shadow:0 -4px 24px rgba(0,0,0,.4)";
    const title = document.createElement("strong");
    title.textContent = "milbrief: the last change did not build. Still showing the last good version.";
    title.style.cssText = "display:block;color:#ff8a80;margin-bottom:.5rem;font-family:system-ui,sans-serif";
    const pre = document.createElement("pre");
    pre.textContent = text;
    pre.style.cssText = "margin:0;white-space:pre-wrap";
    const close = document.createElement("button");
    close.textContent = "×";
    close.setAttribute("aria-label", "Hide");
    close.style.cssText = "position:absolute;top:.5rem;right:.75rem;background:none;border:0;color:inherit;font-size:20px;cursor:pointer";
    close.onclick = hideOverlay;
    o.append(title, pre, close);
    document.body.append(o);
  };
  const connect = () => {
    const es = new EventSource("/__milbrief/events");
    es.addEventListener("hello", (e) => {
      // A rebuild happened while disconnected: reload.
      if (seen !== null && e.data !== seen) location.reload();
      seen = e.data;
    });
    es.addEventListener("reload", () => location.reload());
    es.addEventListener("css", (e) => {
      seen = e.data;
      hideOverlay();
      for (const l of document.querySelectorAll('link[rel="stylesheet"]')) {
        const u = new URL(l.href);
        u.searchParams.set("milbrief", e.data);
        l.href = u.toString();
      }
    });
    es.addEventListener("build-error", (e) => showOverlay(e.data));
    es.onerror = () => {
      es.close();
      setTimeout(connect, 1000);
    };
  };
  connect();
})();
