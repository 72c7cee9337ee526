/* ServiceScore shopper script: the visit lives on the phone (IndexedDB) and an outbox sends it when it can.

   - Every change is saved in IndexedDB as it is made (a tick at once, typing 250 ms after the last key, anything
     pending when the page is hidden), so a reload, a closed browser or a dead battery loses nothing. A visit is
     marked synced only when the server answered 200/201 for its current revision.
   - A visit is submitted only when the phone finds every required question answered (the scorecard's rules come
     with the finish page); what is missing is listed with a link to each question. When the server refuses a
     submission anyway, its reasons are listed the same way and the visit goes back to being a draft.
   - The page says only what is true: saved on the phone, saved on the server as a draft, or submitted as the
     server confirmed.
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
  const SAVE_DELAY_MS = 250;  // typing is stored this long after the last key; a tick or a hidden page at once
  const THUMB_SIDE = 192;
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

  // The phone's copy is the truth: a page from the cache, or the server's older copy, may show other answers.
  function fillSection(form, answers) {
    for (const item of form.querySelectorAll(".item")) {
      const id = item.dataset.item, type = item.dataset.type;
      const answer = answers[id] || {};
      const chosen = answer.na ? "na" : answer.value === true ? "yes" : answer.value === false ? "no" : String(answer.value ?? "");
      for (const radio of item.querySelectorAll(`input[type=radio][name="${id}"]`)) radio.checked = radio.value === chosen;
      const field = item.querySelector(`[name="${id}"]:not([type=radio])`);
      if (field && field.type !== "file") field.value = answer.value ?? "";
      if (type === "duration") {
        const seconds = typeof answer.value === "number" ? answer.value : null;
        item.querySelector(`[name="${id}.min"]`).value = seconds === null ? "" : Math.floor(seconds / 60);
        item.querySelector(`[name="${id}.sec"]`).value = seconds === null ? "" : seconds % 60;
      }
      const comment = item.querySelector(`[name="${id}.comment"]`);
      if (comment) comment.value = answer.comment || "";
      const kept = item.querySelector("[data-photos-for]");
      if (kept) kept.textContent = kept.textContent.replace(/\d+$/, String((answer.photos || []).length));
    }
  }

  // Each photo as a thumbnail (the phone's own copy; the server's when this phone never had it) and, while the
  // visit can change, a button that removes it.
  async function showPhotos(form, answers, editable) {
    for (const list of form.querySelectorAll("[data-thumbs-for]")) {
      const id = list.dataset.thumbsFor;
      const thumbs = [];
      for (const [index, sha] of ((answers[id] || {}).photos || []).entries()) {
        const photo = await getPhoto(sha);
        const li = document.createElement("li");
        const img = document.createElement("img");
        img.src = photo && photo.thumb ? photo.thumb : `/api/v1/attachments/${sha}`;
        img.alt = list.dataset.alt.replace("{n}", index + 1);
        img.width = 96; img.height = 96;
        li.append(img);
        if (editable) {
          const remove = document.createElement("button");
          remove.type = "button"; remove.className = "button photo-remove"; remove.dataset.sha = sha;
          remove.textContent = list.dataset.remove.replace("{n}", index + 1);
          li.append(remove);
        }
        thumbs.push(li);
      }
      list.replaceChildren(...thumbs);
    }
  }

  // ---- photos: shrink on the phone, hash, keep ----------------------------------------------------------------
  function drawn(bitmap, side) {
    const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return canvas;
  }
  // The photo to send (JPEG, longest side 2048 px) and a small thumbnail as a data: URL (the pages' CSP allows
  // images from data: and the site only).
  async function shrink(file) {
    const bitmap = await createImageBitmap(file);
    const blob = await new Promise((resolve) => drawn(bitmap, MAX_SIDE).toBlob(resolve, "image/jpeg", 0.85));
    return {blob, thumb: drawn(bitmap, THUMB_SIDE).toDataURL("image/jpeg", 0.7)};
  }
  async function sha256(blob) {
    const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // ---- the outbox ----------------------------------------------------------------------------------------------
  let running = null;  // the sync pass under way; a call meanwhile asks for one more pass and waits for it
  let again = false;
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
        if (!response.ok) {
          const body = await response.json().catch(() => ({}));
          const code = ((body.errors || [])[0] || {}).code || "photo_rejected";
          return [{field: `answers.${itemOf(visit, sha)}.photos`, code}];
        }
        photo.uploaded = true;
        await putPhoto(photo);
      }
    }
    return [];
  }
  const itemOf = (visit, sha) => Object.keys(visit.payload.answers).find((id) => (visit.payload.answers[id].photos || []).includes(sha));

  // The server refused this revision: keep its reasons (field and code) to show them in the shopper's language.
  // A refused submission goes back to being a draft, sent as such; a refused draft waits for the shopper's change.
  function refused(visit, problems) {
    visit.refused = problems;
    if (visit.payload.status === "submitted") {
      visit.payload.status = "draft";
      visit.payload.revision = visit.sentRevision + 1;
      visit.synced = false;
      visit.error = "";
      again = true;  // the draft goes in this sync run
    } else {
      visit.error = problems.map((p) => p.code).join(" ");
    }
  }

  async function sendVisit(visit) {
    const photoProblems = await sendPhotos(visit);
    if (photoProblems.length) { await update(visit.assignment_id, (v) => refused(v, photoProblems)); return; }
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
        const problems = (body.errors || []).map((e) => ({field: String(e.field || "visit"), code: String(e.code || "invalid")}));
        refused(v, problems.length ? problems : [{field: "visit", code: response.status === 409 ? "conflict" : "invalid"}]);
      }
    });
  }

  async function syncOnce() {
    let waiting = 0;
    for (const visit of await allVisits()) {
      if (visit.synced || visit.error) continue;
      try {
        await sendVisit(visit);
      } catch (error) {
        const failed = await update(visit.assignment_id, (v) => { v.attempts = (v.attempts || 0) + 1; });
        waiting = Math.max(waiting, failed ? failed.attempts : 1);
      }
    }
    return waiting;
  }

  function syncAll() {
    if (leaving) return Promise.resolve();
    if (running) { again = true; return running; }
    running = (async () => {
      let waiting = 0;
      try {
        do { again = false; waiting = await syncOnce(); } while (again && !leaving);
      } finally {
        running = null;
        await showState();
      }
      if (waiting) schedule(waiting);
    })();
    return running;
  }

  // ---- what the shopper sees -----------------------------------------------------------------------------------
  function where(visit) {
    if (visit.error) return text("syncRefused");
    if (!visit.synced) return visit.payload.status === "submitted" ? text("syncSubmitWaiting") : text("syncPhoneOnly");
    return ["draft", "returned"].includes(visit.serverStatus) ? text("syncDraft") : text("syncSubmitted");
  }

  async function showState() {
    if (leaving) return;
    const visits = await allVisits();
    const status = document.getElementById("sync-status");
    const current = visits.find((v) => String(v.assignment_id) === root.dataset.assignment);
    if (status && current) status.textContent = where(current);
    const sent = visits.find((v) => String(v.assignment_id) === new URLSearchParams(location.search).get("sent"));
    const note = document.getElementById("sent-note");
    if (note && sent) { note.textContent = where(sent); note.hidden = false; }
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
        link.textContent = visit.label + " – " + where(visit);
        li.append(link);
        list.append(li);
      }
      group.hidden = !list.children.length;
      // A visit waiting on the phone is listed there only: the server's groups (a page kept for use offline) still
      // show it as to do or in progress. A group left without a visit is hidden with it.
      const waiting = new Set(visits.filter((v) => !v.synced).map((v) => String(v.assignment_id)));
      for (const section of document.querySelectorAll(".visit-group:not(#group-waiting)")) {
        const cards = [...section.querySelectorAll(".visit-card[data-assignment]")];
        for (const card of cards) card.hidden = waiting.has(card.dataset.assignment);
        section.hidden = cards.length > 0 && cards.every((card) => card.hidden);
      }
    }
  }

  // ---- before submitting: what the scorecard requires (servicescore.visits.validation, on the phone) -------------
  function matches(answer, expected) {
    if (Array.isArray(answer)) return answer.some((chosen) => matches(chosen, expected));
    if ((typeof answer === "boolean") !== (typeof expected === "boolean")) return false;
    return answer === expected;
  }
  function holds(condition, values) {  // definitions.conditions.Condition.holds
    const answer = values[condition.item];
    if (answer === undefined || answer === null) return false;
    if (condition.equals !== undefined) return matches(answer, condition.equals);
    if (condition.in !== undefined) return condition.in.some((expected) => matches(answer, expected));
    if (typeof answer !== "number") return false;
    if (condition.at_most !== undefined && answer > condition.at_most) return false;
    return !(condition.at_least !== undefined && answer < condition.at_least);
  }
  function missingAnswers(answers, checks) {
    const values = {};
    for (const [id, answer] of Object.entries(answers)) values[id] = answer.na ? null : answer.value ?? null;
    return checks.items.filter((item) => {
      if (!item.required || (item.show_if && !holds(item.show_if, values))) return false;
      const answer = answers[item.id];
      return !(answer && (answer.na || (answer.value !== undefined && answer.value !== null) || (answer.photos || []).length));
    }).map((item) => ({label: item.label, href: item.href, message: ""}));  // the heading says "not answered"
  }
  // The server's reasons as lines: the question (with a link) or the part of the visit, and what is wrong.
  function explained(problems, checks) {
    const items = new Map(checks.items.map((item, index) => [item.id, {item, index}]));
    const lines = [], seen = new Set();
    for (const problem of problems) {
      const parts = problem.field.split(".");
      const known = parts[0] === "answers" ? items.get(parts[1]) : undefined;
      const key = `${known ? parts[1] : problem.field} ${problem.code}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const ranged = problem.code === "out_of_range" && known ? known.item.out_of_range : "";  // says the range
      const message = ranged || checks.messages[problem.code] || checks.messages.invalid;
      lines.push(known
        ? {order: known.index, label: known.item.label, href: known.item.href, message}
        : {order: -1, label: checks.fields[parts[0]] || checks.fields.visit, href: "", message});
    }
    return lines.sort((a, b) => a.order - b.order);
  }
  function showProblems(kind, lines) {
    const box = document.getElementById("finish-problems");
    const heading = box.querySelector("h2");
    heading.textContent = box.dataset[`${kind}Heading`];
    box.querySelector("p").textContent = box.dataset[`${kind}Body`];
    box.querySelector("ul").replaceChildren(...lines.map((line) => {
      const li = document.createElement("li");
      const label = document.createElement(line.href ? "a" : "strong");
      if (line.href) label.href = line.href;
      label.textContent = line.label;
      li.append(label);
      if (line.message) {
        const message = document.createElement("span");
        message.textContent = line.message;
        li.append(" ", message);
      }
      return li;
    }));
    box.hidden = false;
    heading.focus();
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
    await showPhotos(form, visit.payload.answers || {}, editable(visit));
    if (!editable(visit)) return;
    // Every change is stored on the phone: a tick at once, typing shortly after the last key. data-unsaved marks
    // a change not stored yet.
    let pending = null;
    const store = async () => {
      clearTimeout(pending);
      pending = null;
      await change(visit.assignment_id, (p) => { p.answers = readSection(form, p.answers || {}); p.status = "draft"; });
      if (!pending) delete form.dataset.unsaved;
      await showState();
    };
    const soon = (delay) => { form.dataset.unsaved = "true"; clearTimeout(pending); pending = setTimeout(store, delay); };
    form.addEventListener("input", (event) => soon(event.target.type === "radio" ? 0 : SAVE_DELAY_MS));
    form.addEventListener("change", (event) => { if (event.target.type !== "file") soon(0); });
    const now = () => { if (pending) store(); };
    addEventListener("pagehide", now);
    document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden") now(); });

    const photos = async (edit) => {
      const current = await change(visit.assignment_id, (p) => { p.status = "draft"; edit(p); });
      fillSection(form, current.payload.answers);
      await showPhotos(form, current.payload.answers, true);
      await showState();
    };
    for (const input of form.querySelectorAll(".photo-input")) {
      input.addEventListener("change", async () => {
        const id = input.closest(".item").dataset.item;
        if (pending) await store();  // what was typed before the camera opened is kept first
        for (const file of input.files) {
          const {blob, thumb} = await shrink(file);
          const sha = await sha256(blob);
          await putPhoto({sha256: sha, blob, thumb, uploaded: false});
          await photos((p) => {
            const answer = p.answers[id] = p.answers[id] || {};
            answer.photos = [...new Set([...(answer.photos || []), sha])].slice(-Number(input.dataset.max || 3));
          });
        }
        input.value = "";  // the photo is on the phone now; the form must not upload it again
      });
    }
    form.addEventListener("click", async (event) => {
      const remove = event.target.closest(".photo-remove");
      if (!remove) return;
      const id = remove.closest(".item").dataset.item;
      await photos((p) => {
        const answer = p.answers[id] || {};
        answer.photos = (answer.photos || []).filter((sha) => sha !== remove.dataset.sha);
        if (!answer.photos.length) delete answer.photos;
        if (!Object.keys(answer).length) delete p.answers[id];
      });
      const input = form.querySelector(`#f-${CSS.escape(id)}`);
      if (input) input.focus();  // the removed button is gone: focus goes back to the photo field
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      await store();
      syncAll();
      location.href = form.dataset.next;
    });
  }

  async function onFinish() {
    const form = document.getElementById("finish-form");
    const visit = await localVisit();
    const checks = JSON.parse(document.getElementById("scorecard-checks").textContent);
    if (visit && visit.refused && visit.refused.length) showProblems("refused", explained(visit.refused, checks));
    if (!form || !visit) return;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const missing = missingAnswers((await getVisit(visit.assignment_id)).payload.answers || {}, checks);
      if (missing.length) { showProblems("missing", missing); return; }
      await change(visit.assignment_id, (p) => { p.status = "submitted"; p.ended_at = new Date().toISOString(); });
      await update(visit.assignment_id, (v) => { delete v.refused; });
      await syncAll();
      const after = await getVisit(visit.assignment_id);
      if (after.refused && after.refused.length) { showProblems("refused", explained(after.refused, checks)); return; }
      location.href = `/visits?sent=${visit.assignment_id}`;
    });
  }

  // Every open assignment's pages kept for use without a network. In the background: the outbox, which runs once
  // the page is set up, must not wait for a dozen page fetches on a slow line.
  async function keepOffline() {
    const urls = (root.dataset.offlineUrls || "").split(" ").filter(Boolean);
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

  async function onList() {
    if ("serviceWorker" in navigator) keepOffline();
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
    // The worker stops keeping copies first: a page fetch it was answering meanwhile would make the cache again.
    const workers = "serviceWorker" in navigator ? (await navigator.serviceWorker.getRegistrations())
      .filter((registration) => new URL(registration.scope).pathname.startsWith("/visits")) : [];
    await Promise.all(workers.filter((registration) => registration.active).map((registration) => new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = resolve;
      registration.active.postMessage({type: "forget"}, [channel.port2]);
      setTimeout(resolve, 2000);  // a worker that does not answer is removed below all the same
    })));
    if ("caches" in window) {
      for (const key of await caches.keys()) if (key.startsWith("servicescore-shopper")) await caches.delete(key);
    }
    for (const registration of workers) await registration.unregister();
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
      li.textContent = visit.label + (visit.error ? ` – ${where(visit)}` : "");
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
