// followup-gen envelope, in every decrypted page: keeps the site's key in this
// page's memory (never in storage) to hand back to the service worker when
// the browser has stopped and restarted it, reports activity, and locks the
// site after the idle time of meta.json. Messages are taken only from this
// site's own worker, so no other page of the origin can ask for the key.
"use strict";
(() => {
  if (window.__followupSession || !("serviceWorker" in navigator)) return;
  window.__followupSession = true;
  const container = navigator.serviceWorker;
  const script = new URL(document.currentScript.src);
  const root = script.pathname.replace(/_enc\/session\.js$/, "");
  const worker = script.origin + root + "sw.js";
  let key = null;
  let idleMs = 0;
  let lastActive = Date.now();

  const recent = () => idleMs === 0 || Date.now() - lastActive < idleMs;
  const send = (message) => container.controller && container.controller.postMessage(message);

  container.addEventListener("message", (event) => {
    if (!event.source || event.source.scriptURL !== worker) return;
    const data = event.data || {};
    if (data.type === "key?" && event.ports[0]) event.ports[0].postMessage({ key: recent() ? key : null });
    if (data.type === "locked") {
      key = null;
      location.replace(root + "_enc/lock.html");
    }
  });

  container.ready.then(() => {
    if (!container.controller) return;
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => {
      key = (event.data && event.data.key) || key;
      window.__followupSession = key ? "holding the key" : "waiting";  // for tests; not the key
    };
    container.controller.postMessage({ type: "key" }, [channel.port2]);
  });

  fetch(root + "_enc/meta.json", { cache: "no-cache" })
    .then((response) => response.json())
    .then((meta) => { idleMs = (meta.idle_lock_minutes || 0) * 60000; })
    .catch(() => {});

  let reported = 0;
  const active = () => {
    lastActive = Date.now();
    if (lastActive - reported > 15000) {
      reported = lastActive;
      send({ type: "active" });
    }
  };
  for (const name of ["pointerdown", "keydown", "scroll", "touchstart"]) {
    addEventListener(name, active, { passive: true, capture: true });
  }
  // The worker locks (every page) once nobody used the site for the idle
  // time; a page left alone that long drops its own copy of the key at once.
  setInterval(() => {
    if (!recent()) key = null;
    send({ type: "tick" });
  }, 20000);
})();
