/* ServiceScore shopper script: the visit lives on the phone (IndexedDB) and an outbox sends it when it can.

   - Every change is saved in IndexedDB before anything else, so a reload, a closed browser or a dead battery
     loses nothing. A visit is marked synced only when the server answered 200/201 for its current revision.
   - Once a revision has left the phone, the next change becomes revision + 1 (the sync contract: the same
     revision with other content is a conflict).
   - Photos are shrunk on the phone (canvas, longest side 2048 px, JPEG) and uploaded one by one before their
     visit; each upload and each visit is retried with exponential backoff (2 s … 5 min) until confirmed.
   - Logging out passes through /visits/logout: what can be sent is sent, visits still only on the phone are
     listed and deleted only when the shopper confirms, then the IndexedDB database, the service worker's
     caches and the worker itself are removed, so the next person on a shared phone finds nothing.
   - Each visit is kept with its owner (the user id); a phone only shows and sends its own user's visits.
   Without this script every page still works as plain forms the server saves. */
"use strict";
(() => {
  const DB_NAME = "servicescore-shopper";
  const MAX_SIDE = 2048;
  const MAX_DELAY_MS = 5 * 60 * 1000;
  const root = document.getElementById("visit-page");
  if (!root || !("indexedDB" in window)) return;
  const csrf = () => (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  const text = (key) => root.dataset[key] || "";
  const owner = Number(root.dataset.user || 0);
  const mine = (visit) => visit && (visit.owner === undefined || visit.owner === owner);

  // ---- IndexedDB: visits by assignment, photos by hash ------------------------------------------------------
  // One connection per page, closed when another page deletes the database (logging out in another tab).
  let connection = null;
  let leaving = false;  // logging out: nothing may reopen (and so recreate) the database
  function openDb() {
    if (leaving) return Promise.reject(new Error("logging out"));
    if (!connection) {
      connection = new Promise((resolve, reject) => {
        const request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = () => {
          request.result.createObjectStore("visits", {keyPath: "assignment_id"});
          request.result.createObjectStore("photos", {keyPath: "sha256"});
        };
        request.onsuccess = () => {
          const db = request.result;
          db.onversionchange = () => { db.close(); connection = null; };
          resolve(db);
        };
        request.onerror = () => { connection = null; reject(request.error); };
      });
    }
    return connection;
  }
  async function store(name, mode, action) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(name, mode);
      const result = action(tx.objectStore(name));
      tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
      tx.onerror = () => reject(tx.error);
    });
  }
  const getVisit = async (id) => {
    const visit = await store("visits", "readonly", (s) => s.get(Number(id)));
    return mine(visit) ? visit : undefined;
  };
  const allVisits = async () => (await store("visits", "readonly", (s) => s.getAll())).filter(mine);
  const putVisit = (visit) => store("visits", "readwrite", (s) => s.put(visit));
  const getPhoto = (sha) => store("photos", "readonly", (s) => s.get(sha));
  const putPhoto = (photo) => store("photos", "readwrite", (s) => s.put(photo));

  // ---- the local visit ---------------------------------------------------------------------------------------
  function serverState() {
    const node = document.getElementById("server-payload");
    const payload = node ? JSON.parse(node.textContent || "null") : null;
    if (!payload || !root.dataset.serverVisit) return null;
    return {
      id: root.dataset.serverVisit, payload, revision: Number(root.dataset.serverRevision),
      status: root.dataset.serverStatus,
    };
  }

  async function localVisit() {
    const assignmentId = Number(root.dataset.assignment);
    let visit = await getVisit(assignmentId);
    const server = serverState();
    // The server knows better when the phone has nothing unsent (e.g. the consultant returned the visit).
    if (server && (!visit || (visit.synced && (server.revision >= visit.revision || server.status !== visit.serverStatus)))) {
      visit = {
        assignment_id: assignmentId, id: server.id, label: text("label"), owner,
        payload: Object.assign({}, server.payload, {revision: server.revision}),
        sentRevision: server.revision, synced: true, serverStatus: server.status, error: "",
      };
      await putVisit(visit);
    }
    return visit;
  }

  // Read, change and write one visit in a single IndexedDB transaction: the outbox and the page both write
  // visits, and two separate steps would let one overwrite the other's change with a stale copy.
  async function update(assignmentId, action) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const tx = db.transaction("visits", "readwrite");
      const visits = tx.objectStore("visits");
      let changed;
      const request = visits.get(Number(assignmentId));
      request.onsuccess = () => {
        changed = request.result;
        if (!changed) return;
        action(changed);
        visits.put(changed);
      };
      tx.oncomplete = () => resolve(changed);
      tx.onerror = () => reject(tx.error);
    });
  }

  // A change by the shopper: once a revision has left the phone, the change is the next revision.
  function change(assignmentId, edit) {
    return update(assignmentId, (visit) => {
      if (visit.sentRevision >= visit.payload.revision) visit.payload.revision = visit.sentRevision + 1;
      edit(visit.payload);
      visit.synced = false;
      visit.error = "";
      visit.attempts = 0;
    });
  }

  const editable = (visit) => !visit || !visit.serverStatus || ["draft", "returned"].includes(visit.serverStatus);

  // ---- reading and filling a section's form (the same names the server reads) ---------------------------------
  function readSection(form, answers) {
    for (const item of form.querySelectorAll(".item")) {
      const id = item.dataset.item, type = item.dataset.type;
      const answer = {};
      const checked = item.querySelector(`input[name="${id}"]:checked`);
      const field = item.querySelector(`[name="${id}"]:not([type=radio])`);
      if (checked && checked.value === "na") answer.na = true;
      else if (type === "yes_no" && checked) answer.value = checked.value === "yes";
      else if ((type === "rating" || type === "nps") && checked) answer.value = Number(checked.value);
      else if (type === "choice" && checked) answer.value = checked.value;
      else if (type === "number" && field && field.value.trim() !== "") answer.value = Number(field.value.replace(",", "."));
      else if (type === "text" && field && field.value.trim() !== "") answer.value = field.value.trim();
      else if (type === "duration") {
        const minutes = item.querySelector(`[name="${id}.min"]`).value.trim();
        const seconds = item.querySelector(`[name="${id}.sec"]`).value.trim();
        if (minutes || seconds) answer.value = Number(minutes || 0) * 60 + Number(seconds || 0);
      }
      const comment = item.querySelector(`[name="${id}.comment"]`);
      if (comment && comment.value.trim()) answer.comment = comment.value.trim();
      const earlier = answers[id] || {};
      if (earlier.photos && earlier.photos.length) answer.photos = earlier.photos;
      if (Object.keys(answer).length) answers[id] = answer; else delete answers[id];
    }
    return answers;
  }

  function fillSection(form, answers) {
    for (const item of form.querySelectorAll(".item")) {
      const id = item.dataset.item, type = item.dataset.type;
      const answer = answers[id];
      if (!answer) continue;
      const chosen = answer.na ? "na" : answer.value === true ? "yes" : answer.value === false ? "no" : String(answer.value ?? "");
      for (const radio of item.querySelectorAll(`input[type=radio][name="${id}"]`)) radio.checked = radio.value === chosen;
      const field = item.querySelector(`[name="${id}"]:not([type=radio])`);
      if (field && field.type !== "file" && answer.value !== undefined) field.value = answer.value;
      if (type === "duration" && typeof answer.value === "number") {
        item.querySelector(`[name="${id}.min"]`).value = Math.floor(answer.value / 60);
        item.querySelector(`[name="${id}.sec"]`).value = answer.value % 60;
      }
      const comment = item.querySelector(`[name="${id}.comment"]`);
      if (comment && answer.comment) comment.value = answer.comment;
      const kept = item.querySelector("[data-photos-for]");
      if (kept && answer.photos) kept.textContent = kept.textContent.replace(/\d+$/, String(answer.photos.length));
    }
  }

  // ---- photos: shrink on the phone, hash, keep ----------------------------------------------------------------
  async function shrink(file) {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));
  }
  async function sha256(blob) {
    const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // ---- the outbox ----------------------------------------------------------------------------------------------
  let syncing = false;
  let timer = null;

  function schedule(attempts) {
    const delay = Math.min(MAX_DELAY_MS, 2000 * 2 ** Math.min(attempts, 10)) * (0.75 + Math.random() / 2);
    clearTimeout(timer);
    timer = setTimeout(syncAll, delay);
  }

  async function sendPhotos(visit) {
    for (const answer of Object.values(visit.payload.answers || {})) {
      for (const sha of answer.photos || []) {
        const photo = await getPhoto(sha);
        if (!photo || photo.uploaded) continue;
        const response = await fetch(`/api/v1/attachments/${sha}`, {
          method: "PUT", body: photo.blob, credentials: "same-origin",
          headers: {"content-type": "image/jpeg", "x-csrftoken": csrf()},
        });
        if (response.status >= 500) throw new Error(`photo: ${response.status}`);
        if (!response.ok) return `photo: ${response.status}`;
        photo.uploaded = true;
        await putPhoto(photo);
      }
    }
    return "";
  }

  async function sendVisit(visit) {
    const refused = await sendPhotos(visit);
    if (refused) { await update(visit.assignment_id, (v) => { v.error = refused; }); return; }
    let payload;
    await update(visit.assignment_id, (v) => {
      v.sentRevision = Math.max(v.sentRevision || 0, v.payload.revision);
      payload = JSON.parse(JSON.stringify(v.payload));
    });
    const response = await fetch(`/api/v1/visits/${visit.id}`, {
      method: "PUT", credentials: "same-origin", body: JSON.stringify(payload),
      headers: {"content-type": "application/json", "x-csrftoken": csrf()},
    });
    if (response.status >= 500 || response.status === 408 || response.status === 429) throw new Error(`visit: ${response.status}`);
    if (response.status === 401 || response.status === 403) throw new Error("login");  // kept; sent after login
    const body = await response.json().catch(() => ({}));
    await update(visit.assignment_id, (v) => {
      if (response.ok) {
        v.serverStatus = body.status;
        v.synced = v.payload.revision === payload.revision;  // a change made meanwhile still waits
        v.attempts = 0;
      } else if (v.payload.revision === payload.revision) {
        v.error = body.detail || String(response.status);
      }
    });
  }

  async function syncAll() {
    if (syncing || leaving) return;
    syncing = true;
    let waiting = 0;
    try {
      for (const visit of await allVisits()) {
        if (visit.synced || visit.error) continue;
        try {
          await sendVisit(visit);
        } catch (error) {
          const failed = await update(visit.assignment_id, (v) => { v.attempts = (v.attempts || 0) + 1; });
          waiting = Math.max(waiting, failed ? failed.attempts : 1);
        }
      }
    } finally {
      syncing = false;
      await showState();
    }
    if (waiting) schedule(waiting);
  }

  // ---- what the shopper sees -----------------------------------------------------------------------------------
  async function showState() {
    if (leaving) return;
    const visits = await allVisits();
    const status = document.getElementById("sync-status");
    const mine = visits.find((v) => String(v.assignment_id) === root.dataset.assignment);
    if (status && mine) {
      status.textContent = mine.error ? text("syncRefused") + mine.error : mine.synced ? text("syncDone") : text("syncWaiting");
    }
    const group = document.getElementById("group-waiting");
    if (group) {
      const list = document.getElementById("waiting-list");
      list.textContent = "";
      for (const visit of visits.filter((v) => !v.synced)) {
        const li = document.createElement("li");
        li.className = "visit-card";
        const link = document.createElement("a");
        link.className = "visit-link";
        link.href = `/visits/${visit.assignment_id}`;
        link.textContent = visit.label + (visit.error ? ` – ${visit.error}` : "");
        li.append(link);
        list.append(li);
      }
      group.hidden = !list.children.length;
    }
  }

  // ---- the pages -----------------------------------------------------------------------------------------------
  async function onBrief() {
    const form = document.getElementById("start-form");
    const visit = await localVisit();
    const next = `/visits/${root.dataset.assignment}/section/1`;
    if (!form) return;
    if (visit) {  // started on this phone while offline: the server does not know yet
      form.hidden = true;
      const link = document.createElement("a");
      link.className = "button primary"; link.href = next; link.id = "continue-link";
      link.textContent = form.querySelector("button").textContent;
      form.after(link);
      return;
    }
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const fresh = {
        assignment_id: Number(root.dataset.assignment), id: crypto.randomUUID(), label: text("label"), owner,
        payload: {assignment_id: Number(root.dataset.assignment), revision: 1, status: "draft",
                  language: text("lang") || "sv", started_at: new Date().toISOString(), answers: {}},
        sentRevision: 0, synced: false, serverStatus: "", error: "", attempts: 0,
      };
      await putVisit(fresh);  // the start is kept even if the phone dies while it looks for a position
      if (document.getElementById("want-position").checked && navigator.geolocation) {
        // Wait for the position here: leaving the page first would drop the answer (it used to be lost).
        const button = form.querySelector("button");
        button.disabled = true;
        button.textContent = button.dataset.locating || button.textContent;
        const where = await new Promise((resolve) => navigator.geolocation.getCurrentPosition(
          resolve, () => resolve(null), {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000}));
        if (where) {
          await change(fresh.assignment_id, (p) => {
            p.position = {latitude: where.coords.latitude, longitude: where.coords.longitude, accuracy_m: where.coords.accuracy};
          });
        }
      }
      syncAll();
      location.href = next;
    });
  }

  async function onSection() {
    const form = document.querySelector(".section-form");
    const visit = await localVisit();
    if (!form || !visit) return;
    fillSection(form, visit.payload.answers || {});
    if (!editable(visit)) return;
    for (const input of form.querySelectorAll(".photo-input")) {
      input.addEventListener("change", async () => {
        const id = input.closest(".item").dataset.item;
        for (const file of input.files) {
          const blob = await shrink(file);
          const sha = await sha256(blob);
          await putPhoto({sha256: sha, blob, uploaded: false});
          const current = await change(visit.assignment_id, (p) => {
            const answer = p.answers[id] = p.answers[id] || {};
            answer.photos = [...new Set([...(answer.photos || []), sha])].slice(-Number(input.dataset.max || 3));
          });
          fillSection(form, current.payload.answers);
        }
        input.value = "";  // the photo is on the phone now; the form must not upload it again
      });
    }
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      await change(visit.assignment_id, (p) => { p.answers = readSection(form, p.answers || {}); p.status = "draft"; });
      syncAll();
      location.href = form.dataset.next;
    });
  }

  async function onFinish() {
    const form = document.getElementById("finish-form");
    const visit = await localVisit();
    if (!form || !visit) return;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      await change(visit.assignment_id, (p) => { p.status = "submitted"; p.ended_at = new Date().toISOString(); });
      await syncAll();
      location.href = "/visits?sent=1";
    });
  }

  async function onList() {
    if ("serviceWorker" in navigator) {
      const urls = [];
      for (const path of (root.dataset.offlineUrls || "").split(" ").filter(Boolean)) {
        urls.push(path);
      }
      try {
        await navigator.serviceWorker.register("/visits/sw.js", {scope: "/visits"});
        const ready = await navigator.serviceWorker.ready;
        const pages = await Promise.all(urls.map((path) => fetch(path, {credentials: "same-origin"}).then((r) => r.text()).catch(() => "")));
        const all = new Set(urls);
        pages.forEach((html, index) => {
          const sections = Number((html.match(/data-sections="(\d+)"/) || [])[1] || 0);
          for (let n = 1; n <= sections; n += 1) all.add(`${urls[index]}/section/${n}`);
          if (sections) all.add(`${urls[index]}/finish`);
        });
        navigator.serviceWorker.addEventListener("message", (event) => {
          if (event.data && event.data.type === "precached") {
            document.documentElement.dataset.offlineReady = String(event.data.stored);
            const note = document.getElementById("offline-ready");
            if (note) note.hidden = false;
          }
        });
        ready.active.postMessage({type: "precache", urls: [...all, "/visits"]});
      } catch (error) { /* no offline copy; pages still work online */ }
    }
    await showState();
  }

  // ---- logging out: nothing personal stays on the phone, nothing unsent is deleted without a yes ----------------
  async function clearPhone() {
    leaving = true;
    clearTimeout(timer);
    if (connection) {
      const db = await connection.catch(() => null);
      if (db) db.close();
      connection = null;
    }
    await new Promise((resolve, reject) => {
      const request = indexedDB.deleteDatabase(DB_NAME);  // waits while another tab closes its connection
      request.onsuccess = resolve;
      request.onerror = () => reject(request.error);
    });
    if ("caches" in window) {
      for (const key of await caches.keys()) if (key.startsWith("servicescore-shopper")) await caches.delete(key);
    }
    if ("serviceWorker" in navigator) {
      for (const registration of await navigator.serviceWorker.getRegistrations()) {
        if (new URL(registration.scope).pathname.startsWith("/visits")) await registration.unregister();
      }
    }
  }

  async function onLogout() {
    const form = document.getElementById("logout-form");
    if (!form) return;
    const status = document.getElementById("logout-status");
    status.textContent = text("checking");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try { await clearPhone(); } finally { form.submit(); }  // the server session ends either way
    });
    if (navigator.onLine) await syncAll();  // send what can be sent before deciding anything
    const unsent = (await allVisits()).filter((visit) => !visit.synced);
    status.textContent = "";
    if (!unsent.length) { form.requestSubmit(); return; }
    const list = document.getElementById("unsynced-list");
    for (const visit of unsent) {
      const li = document.createElement("li");
      li.className = "visit-card unsynced-visit";
      li.textContent = visit.label + (visit.error ? ` – ${visit.error}` : "");
      list.append(li);
    }
    document.getElementById("logout-plain").hidden = true;
    document.getElementById("unsynced").hidden = false;
    document.getElementById("h-unsynced").focus();
  }

  // Offline, the header's logout could only fail with the browser's own error page: say why instead.
  const header = document.querySelector("form.logout");
  if (header) {
    header.addEventListener("submit", (event) => {
      if (navigator.onLine) return;
      event.preventDefault();
      let note = document.getElementById("logout-offline");
      if (!note) {
        note = document.createElement("p");
        note.id = "logout-offline"; note.className = "notice"; note.setAttribute("role", "alert");
        document.getElementById("main").prepend(note);
      }
      note.textContent = text("logoutOffline");
    });
  }

  window.addEventListener("online", syncAll);
  const pages = {list: onList, brief: onBrief, section: onSection, finish: onFinish, logout: onLogout};
  (pages[root.dataset.page] || (async () => {}))()
    .then(() => { document.documentElement.dataset.visitScript = "ready"; })  // forms are the script's now
    .then(showState).then(syncAll);
})();
