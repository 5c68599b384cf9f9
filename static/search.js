/* milbrief search: filters the prebuilt index in the browser. Data reaches
   the page only as text (textContent, attributes), never as markup. */
(() => {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const box = $("search");
  if (!box || !(window.fetch || location.protocol === "file:")) return;
  const form = $("search-form"), qIn = $("search-q"), cSel = $("search-country"), tSel = $("search-topic"),
    fromIn = $("search-from"), toIn = $("search-to"), status = $("search-status"), list = $("search-results");
  // The source facet: its select may be missing (a site's own template,
  // or sources turned off), and then the facet is not offered.
  const sSel = $("search-source");
  const root = box.dataset.root || "", LIMIT = 50;
  const MONTHS = "January February March April May June July August September October November December".split(" ");
  const DAYS = "Sunday Monday Tuesday Wednesday Thursday Friday Saturday".split(" ");
  const MORE = { "ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th" };
  let ix, arts = [], shown = [], lis = [], timer, loading = false, stale = false, want = {}, suffix = "";
  const shards = [];

  // Lower case, no accents, words joined by single spaces and padded with
  // one at each end, so " word" finds the start of a word.
  const fold = (s) => " " + String(s || "").toLowerCase().normalize("NFD").replace(/\p{M}/gu, "")
    .replace(/[øłđħıßæœþ]/g, (c) => MORE[c]).split(/[^\p{L}\p{N}]+/u).filter(Boolean).join(" ") + " ";
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  };
  const say = (text) => { if (status.textContent !== text) status.textContent = text; };
  const setState = (s) => { box.dataset.state = s; };
  const longDate = (d) => {
    const m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(d);
    if (!m) return d;
    return `${DAYS[new Date(Date.UTC(m[1], m[2] - 1, m[3])).getUTCDay()]}, ${+m[3]} ${MONTHS[m[2] - 1]} ${m[1]}`;
  };
  // Opened from disk (file://), browsers refuse to fetch files: each JSON
  // file has a script twin (search/index.js) that hands its data to
  // milbriefSearch(path, data).
  const fromDisk = location.protocol === "file:", waiting = {};
  window.milbriefSearch = (path, data) => {
    const w = waiting[path];
    if (w) { delete waiting[path]; w(data); }
  };
  const script = (url) => new Promise((resolve, reject) => {
    const path = url.startsWith(root) ? url.slice(root.length) : url, js = url.replace(/\.json$/, ".js");
    const s = document.createElement("script");
    waiting[path] = resolve;
    s.onerror = () => { delete waiting[path]; reject(new Error("cannot read " + js)); };
    s.onload = () => { s.remove(); if (waiting[path]) { delete waiting[path]; reject(new Error(js + " holds no search data")); } };
    s.src = js;
    document.head.appendChild(s);
  });
  const get = (url) => fromDisk ? script(url) : fetch(url).then((r) => {
    if (!r.ok) throw new Error("HTTP " + r.status);
    return r.json();
  });

  // The form's state lives in the URL, so a search can be shared.
  function readUrl() {
    const p = new URLSearchParams(location.search);
    qIn.value = p.get("q") || "";
    fromIn.value = p.get("from") || "";
    toIn.value = p.get("to") || "";
    want = { c: p.get("country"), t: p.get("topic"), s: p.get("source") };
  }
  function writeUrl() {
    const p = new URLSearchParams(), v = {
      q: qIn.value.trim(), country: ix ? cSel.value : want.c, topic: ix ? tSel.value : want.t, from: fromIn.value, to: toIn.value,
    };
    if (sSel) v.source = ix ? sSel.value : want.s;
    for (const k in v) if (v[k]) p.set(k, v[k]);
    const s = p.toString(), url = location.pathname + (s ? "?" + s : "") + location.hash;
    if (url !== location.pathname + location.search + location.hash) history.replaceState(history.state, "", url);
  }

  function setup(data) {
    if (!data || data.v !== 1 || !Array.isArray(data.articles)) return fail("unknown index format");
    ix = data;
    ix.countries ||= [];
    ix.topics ||= [];
    ix.sources ||= [];
    ix.summaries ||= { size: 1, shards: [] };
    arts = ix.articles.map((a, i) => {
      const c = a[2] || [], p = a[3] || [];
      const tags = c.map((x) => ix.countries[x][1]).concat(p.map((x) => ix.topics[x][1]), a[5] || "");
      return { i, t: fold(a[0]), g: fold(tags.join(" ")), s: "", sum: "", d: a[1] || "", c, p, o: Number.isInteger(a[6]) ? a[6] : -1 };
    });
    suffix = /index\.html$/.test(ix.articles[0] && ix.articles[0][4]) ? "index.html" : "";
    const facets = [[cSel, ix.countries, want.c], [tSel, ix.topics, want.t]];
    if (sSel) facets.push([sSel, ix.sources, want.s]);
    for (const [sel, pairs, value] of facets) {
      for (const p of pairs) sel.appendChild(el("option", null, p[1])).value = p[0];
      if (pairs.some((p) => p[0] === value)) sel.value = value;
    }
    setState("ready");
    run();
    loadShards();
  }
  function fail(err) {
    setState("error");
    const why = err.message || err, fix = fromDisk
      ? "Is the site's search/ folder complete? Build the site again with milbrief build, or preview it with milbrief serve."
      : "Reload the page; if it keeps failing, the site's search/ folder may be missing from the server.";
    say(`Search is unavailable: its index could not be loaded (${why}). ${fix}`);
  }

  // Summary shards, one at a time: those holding shown results first.
  function loadShards() {
    const { size, shards: paths } = ix.summaries;
    if (loading) return;
    let k = shown.map((i) => Math.floor(i / size)).find((s) => s < paths.length && !shards[s]);
    if (k === undefined) k = paths.findIndex((_, j) => !shards[j]);
    if (k < 0) return setState("done");
    shards[k] = loading = true;
    get(root + paths[k]).then((texts) => {
      (Array.isArray(texts) ? texts : []).forEach((text, n) => {
        const a = arts[k * size + n];
        if (a && text) { a.sum = String(text); a.s = fold(text); }
      });
    }, () => { /* a missing shard only means fewer matches */ }).then(() => {
      loading = false;
      // Do not pull the results from under the keyboard focus.
      if (list.contains(document.activeElement)) stale = true;
      else run();
      loadShards();
    });
  }

  const hit = (hay, w, prefix) => hay.includes(prefix ? " " + w : " " + w + " ");
  // Every word must match; title words count most, then tags and source,
  // then the summary. The last word may be the start of a word. 0: no match.
  function score(a, words, prefix) {
    let sc = 1;
    for (let k = 0; k < words.length; k++) {
      const w = words[k], pre = prefix && k === words.length - 1;
      if (hit(a.t, w, pre)) sc += 4;
      else if (hit(a.g, w, pre)) sc += 2;
      else if (hit(a.s, w, pre)) sc += 1;
      else return 0;
    }
    return sc;
  }
  function run() {
    if (!ix) return;
    const raw = qIn.value, words = fold(raw).trim().split(" ").filter(Boolean), prefix = /[\p{L}\p{N}]$/u.test(raw);
    const from = fromIn.value, to = toIn.value;
    const ci = ix.countries.findIndex((p) => p[0] === cSel.value), ti = ix.topics.findIndex((p) => p[0] === tSel.value);
    const si = sSel ? ix.sources.findIndex((p) => p[0] === sSel.value) : -1;
    const cc = ix.countries.map(() => 0), tc = ix.topics.map(() => 0), sc = ix.sources.map(() => 0), hits = [];
    for (const a of arts) {
      if ((from || to) && (!a.d || (from && a.d < from) || (to && a.d > to))) continue;
      const s = score(a, words, prefix), cOk = ci < 0 || a.c.includes(ci), tOk = ti < 0 || a.p.includes(ti);
      const sOk = si < 0 || a.o === si;
      if (!s) continue;
      // Each facet counts what the other filters let through.
      if (tOk && sOk) a.c.forEach((x) => cc[x]++);
      if (cOk && sOk) a.p.forEach((x) => tc[x]++);
      if (cOk && tOk && a.o >= 0) sc[a.o]++;
      if (cOk && tOk && sOk) hits.push([s, a]);
    }
    counts(cSel, ix.countries, cc);
    counts(tSel, ix.topics, tc);
    if (sSel) counts(sSel, ix.sources, sc);
    const n = hits.length, active = words.length || ci >= 0 || ti >= 0 || si >= 0 || from || to;
    hits.sort((x, y) => y[0] - x[0] || (x[1].d < y[1].d) - (x[1].d > y[1].d) || x[1].i - y[1].i);
    show(active ? hits.slice(0, LIMIT).map((h) => h[1].i) : []);
    say(!active ? `Type a word, or choose a country, topic or dates, to search ${arts.length} articles.`
      : !n ? "No results." : `${n} result${n > 1 ? "s" : ""}${n > LIMIT ? ", showing " + LIMIT : ""}.`);
  }
  function counts(sel, pairs, n) {
    pairs.forEach((p, k) => {
      const o = sel.options[k + 1];
      o.textContent = `${p[1]} (${n[k]})`;
      o.disabled = o.hidden = !n[k] && !o.selected;
    });
  }

  function show(ids) {
    if (ids.join() === shown.join()) return lis.forEach((li, k) => addSummary(li, ids[k]));
    shown = ids;
    lis = ids.map(card);
    list.replaceChildren(...lis);
  }
  function addSummary(li, i) {
    if (arts[i].sum && !li.querySelector(".summary")) li.insertBefore(el("p", "summary", arts[i].sum), li.querySelector(".chips"));
  }
  // Like templates/partials/card.html.
  function chip(ul, cls, dir, [key, name], flag) {
    const a = ul.appendChild(el("li")).appendChild(el("a", "chip " + cls, flag == null ? name : " " + name));
    a.href = root + dir + key.toLowerCase() + "/" + suffix;
    if (flag) {
      // Like templates/partials/flag.html.
      const img = el("img", "flag");
      img.src = root + flag;
      img.alt = "";
      img.width = 21;
      img.height = 14;
      a.prepend(img);
    }
    if (flag != null) a.title = name;
  }
  function card(i) {
    const a = ix.articles[i], li = el("li", "card"), ul = el("ul", "chips");
    li.appendChild(el("h2", "card-title")).appendChild(el("a", null, String(a[0]))).href = root + a[4];
    if (a[1] || a[5]) {
      const meta = li.appendChild(el("p", "meta"));
      if (a[1]) meta.appendChild(el("time", null, longDate(a[1]))).dateTime = a[1];
      if (a[5]) meta.appendChild(el("span", "source", String(a[5])));
    }
    ul.setAttribute("aria-label", "Tags");
    for (const x of arts[i].c) {
      const code = ix.countries[x][0]; // its flag: flags/{cc}.svg, written for every country shown
      chip(ul, "country", "countries/", ix.countries[x], /^[A-Z]{2}$/.test(code) ? "flags/" + code.toLowerCase() + ".svg" : "");
    }
    for (const x of arts[i].p) chip(ul, "topic", "topics/", ix.topics[x]);
    if (ul.firstChild) li.appendChild(ul);
    addSummary(li, i);
    return li;
  }

  function update() { clearTimeout(timer); run(); writeUrl(); }
  qIn.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(update, 120); });
  for (const x of [cSel, tSel, sSel, fromIn, toIn]) if (x) x.addEventListener("change", update);
  form.addEventListener("submit", (e) => { e.preventDefault(); update(); });
  list.addEventListener("focusout", (e) => {
    if (stale && !list.contains(e.relatedTarget)) { stale = false; run(); }
  });
  readUrl();
  setState("loading");
  say("Loading the search index…");
  get(box.dataset.index || root + "search/index.json").then(setup, fail);
})();
