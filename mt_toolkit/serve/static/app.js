// The workbench's only script (served from /static, no inline script anywhere: the pages'
// content security policy forbids it). It adds conveniences; every page works without it.
"use strict";

// --- the trace form: another original, language identification as you paste -------------
(function () {
  const form = document.getElementById("traceform");
  if (!form) return;
  const originals = document.getElementById("originals");
  document.getElementById("add-original").addEventListener("click", () => {
    const blocks = originals.querySelectorAll("fieldset.textblock");
    if (blocks.length >= 20) return;
    const last = blocks[blocks.length - 1];
    const copy = last.cloneNode(true);
    const from = last.dataset.prefix, n = blocks.length, to = "original" + n;
    copy.dataset.prefix = to;
    copy.querySelector("legend").textContent = "Candidate original " + (n + 1);
    copy.querySelectorAll("[name]").forEach((el) => {
      el.name = el.name.replace(from + "_", to + "_");
      if (el.tagName === "SELECT") el.selectedIndex = 0; else el.value = "";
    });
    copy.querySelector(".detected").textContent = "";
    originals.appendChild(copy);
    watch(copy);
  });

  function watch(block) {
    const area = block.querySelector("textarea");
    const out = block.querySelector(".detected");
    let timer = null;
    const detect = () => {
      const text = area.value.trim();
      if (text.length < 20) { out.textContent = ""; return; }
      fetch("/detect", { method: "POST", headers: { "Content-Type": "application/json" },
                         body: JSON.stringify({ q: text.slice(0, 5000) }) })
        .then((r) => r.ok ? r.json() : [])
        .then((rows) => {
          out.textContent = rows.length ? "identified: " + rows[0].language + " (" + Math.round(rows[0].confidence) + "%)" : "";
        })
        .catch(() => { out.textContent = ""; });
    };
    area.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(detect, 400); });
    if (area.value.trim()) detect();
  }
  form.querySelectorAll("fieldset.textblock").forEach(watch);
})();

// --- a running trace: follow its progress (server-sent events, polling as a fallback) -----
(function () {
  const box = document.getElementById("job");
  if (!box) return;
  const id = box.dataset.job;
  const phase = document.getElementById("job-phase");
  const bar = document.getElementById("job-progress");
  const count = document.getElementById("job-count");
  const error = document.getElementById("job-error");
  const back = document.getElementById("job-back");
  let finished = false;

  function show(s) {
    box.dataset.state = s.state;
    phase.textContent = s.phase;
    if (s.total) { bar.max = s.total; bar.value = s.done; count.textContent = s.done + " / " + s.total; }
    if (s.state === "done" && !finished) { finished = true; window.location.assign("/traces/" + s.trace_id); }
    if (s.state === "failed" && !finished) {
      finished = true; error.textContent = s.error; error.hidden = false; back.hidden = false;
      document.querySelector("h1").textContent = "The trace failed";
    }
  }

  function poll() {
    if (finished) return;
    fetch("/api/jobs/" + id).then((r) => r.json()).then((s) => { show(s); if (!finished) setTimeout(poll, 700); })
      .catch(() => setTimeout(poll, 1500));
  }

  if (window.EventSource) {
    const events = new EventSource("/api/jobs/" + id + "/events");
    events.addEventListener("progress", (e) => { show(JSON.parse(e.data)); if (finished) events.close(); });
    events.onerror = () => { events.close(); poll(); };
  } else {
    poll();
  }
})();
