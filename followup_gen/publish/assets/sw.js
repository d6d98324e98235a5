// followup-gen envelope: serves the encrypted site, decrypting in the browser.
// The key (a non-extractable WebCrypto key) is in IndexedDB, put there by the
// password page; without it every page answers with the password page.
"use strict";

const ROOT = new URL(self.registration.scope).pathname;
const encoder = new TextEncoder();
let unlocked = null; // { key, manifest }

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

function storedKey() {
  return new Promise((resolve) => {
    const request = indexedDB.open("followup-gen", 1);
    request.onupgradeneeded = () => request.result.createObjectStore("keys");
    request.onerror = () => resolve(null);
    request.onsuccess = () => {
      const get = request.result.transaction("keys").objectStore("keys").get(ROOT);
      get.onsuccess = () => resolve(get.result || null);
      get.onerror = () => resolve(null);
    };
  });
}

async function open(key, sealed, id) {
  const data = new Uint8Array(sealed);
  const packed = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: data.slice(0, 12), additionalData: encoder.encode(id) }, key, data.slice(12));
  const stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Response(stream).arrayBuffer();
}

// A navigation re-reads the manifest, so a republished site shows at once.
async function unlock(fresh) {
  if (unlocked && !fresh) return unlocked;
  const key = (unlocked && unlocked.key) || (await storedKey());
  if (!key) return (unlocked = null);
  try {
    const response = await fetch(ROOT + "_enc/manifest.bin", { cache: "no-cache" });
    const manifest = JSON.parse(new TextDecoder().decode(await open(key, await response.arrayBuffer(), "manifest")));
    return (unlocked = { key, manifest });
  } catch (error) {
    return (unlocked = null); // the password changed: ask again
  }
}

async function serve(request, rel) {
  const navigate = request.mode === "navigate";
  const state = await unlock(navigate);
  if (!state) {
    if (navigate) return fetch(ROOT + "_enc/login.html", { cache: "no-cache" });
    return new Response("Locked", { status: 403 });
  }
  let path = rel === "" || rel.endsWith("/") ? rel + "index.html" : rel;
  if (!state.manifest[path] && state.manifest[path + "/index.html"]) {
    const url = new URL(request.url);
    url.pathname += "/";
    return Response.redirect(url.href, 301);
  }
  let status = 200;
  if (!state.manifest[path]) {
    path = "404.html";
    status = 404;
    if (!state.manifest[path]) return new Response("Not found", { status });
  }
  const [id, type] = state.manifest[path];
  const sealed = await fetch(ROOT + "_enc/" + id + ".bin");
  const body = await open(state.key, await sealed.arrayBuffer(), id);
  return new Response(body, {
    status,
    headers: { "Content-Type": type, "X-Robots-Tag": "noindex, nofollow", "Cache-Control": "no-store" },
  });
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin || event.request.method !== "GET") return;
  if (!url.pathname.startsWith(ROOT)) return;
  const rel = decodeURIComponent(url.pathname.slice(ROOT.length));
  if (rel === "sw.js" || rel.startsWith("_enc/")) return; // the envelope itself
  event.respondWith(serve(event.request, rel));
});
