// The Mux form's settings that are safe to share or keep: the token type, ID,
// expiry, parameters, restriction, custom claims and the kid placement, and
// the signing key ID only when the person asks for it; never the private key
// or a secret. read() takes them from the form; apply() puts them back,
// checking each value's shape and ignoring anything unknown.
//
// Share a setup: a link to this same file whose fragment (#s=...) carries
// them. A fragment never leaves the browser (RFC 3986, section 3.5).
//
// Remember settings on this device: off until switched on. While on, the
// same settings are saved to localStorage as they change; switching off or
// "Forget saved settings" removes them.

"use strict";

(() => {
  const ui = window.localjwtUI;
  const { byId } = ui;
  const VERSION = 1;
  // Longer than any ID or claims a person types; a link is no place for more.
  const MAX_TEXT = 4000;

  const text = {
    playback_id: byId("playback-id"),
    expiration: byId("expiration"),
    playback_restriction_id: byId("playback-restriction-id"),
    custom: byId("custom"),
  };
  const flags = {
    bundle: byId("bundle"),
    drm: byId("drm"),
    kid_in_header: byId("kid-in-header"),
  };
  const typeSelect = byId("type");
  const idKindSelect = byId("id-kind");
  const includeKeyId = byId("share-key-id");

  function read() {
    const settings = { v: VERSION, type: typeSelect.value };
    if (!byId("id-kind-field").hidden) {
      settings.id_kind = idKindSelect.value;
    }
    for (const [name, input] of Object.entries(text)) {
      if (input.value !== "") {
        settings[name] = input.value;
      }
    }
    for (const [name, input] of Object.entries(flags)) {
      settings[name] = input.checked;
    }
    const params = {};
    for (const set of ui.mux.paramsBox.children) {
      const values = ui.mux.parametersOf(set.dataset.type);
      if (Object.keys(values).length > 0) {
        params[set.dataset.type] = values;
      }
    }
    settings.params = params;
    const keyId = ui.keypair.keyId.value.trim();
    if (includeKeyId.checked && keyId !== "") {
      settings.key_id = keyId;
    }
    return settings;
  }

  const isText = (value) =>
    typeof value === "string" && value.length <= MAX_TEXT;
  const isObject = (value) =>
    typeof value === "object" && value !== null && !Array.isArray(value);

  // Choose a value in a select only if it is one of its options.
  function choose(select, value) {
    const known = [...select.options].some((option) => option.value === value);
    if (known) {
      select.value = value;
    }
  }

  // Put settings back into the form; false if they are not settings at all.
  function apply(settings) {
    if (!isObject(settings) || settings.v !== VERSION) {
      return false;
    }
    if (isText(settings.type)) {
      choose(typeSelect, settings.type);
    }
    if (isText(settings.id_kind)) {
      choose(idKindSelect, settings.id_kind);
    }
    for (const [name, input] of Object.entries(text)) {
      if (isText(settings[name])) {
        input.value = settings[name];
      }
    }
    for (const [name, input] of Object.entries(flags)) {
      if (typeof settings[name] === "boolean") {
        input.checked = settings[name];
      }
    }
    if (isObject(settings.params)) {
      applyParams(settings.params);
    }
    if (isText(settings.key_id)) {
      ui.keypair.keyId.value = settings.key_id;
      includeKeyId.checked = true;
    }
    ui.mux.showChosenType();
    return true;
  }

  function applyParams(params) {
    for (const set of ui.mux.paramsBox.children) {
      const values = params[set.dataset.type];
      if (!isObject(values)) {
        continue;
      }
      for (const input of set.querySelectorAll("[data-param]")) {
        const value = values[input.dataset.param];
        if (!isText(value)) {
          continue;
        }
        if (input.tagName === "SELECT") {
          choose(input, value);
        } else {
          input.value = value;
        }
      }
    }
  }

  // Settings as URL-safe text and back: base64url of the JSON's UTF-8.
  function encode(settings) {
    const bytes = new TextEncoder().encode(JSON.stringify(settings));
    return bytes.toBase64({ alphabet: "base64url", omitPadding: true });
  }

  function decode(encoded) {
    try {
      const bytes = Uint8Array.fromBase64(encoded, { alphabet: "base64url" });
      return JSON.parse(
        new TextDecoder("utf-8", { fatal: true }).decode(bytes),
      );
    } catch {
      return null;
    }
  }

  ui.settings = { read, apply, encode, decode, includeKeyId };
})();

(() => {
  const ui = window.localjwtUI;
  const { byId } = ui;
  const PREFIX = "#s=";
  const button = byId("copy-share-link");
  const linkField = byId("share-link-field");
  const link = byId("share-link");

  button.addEventListener("click", () => {
    const base = location.href.split("#")[0];
    link.value = base + PREFIX + ui.settings.encode(ui.settings.read());
    linkField.hidden = false;
    ui.copy(button, link.value, link);
  });

  // Apply the settings of the link the page was opened with, if any.
  ui.restoreFromLink = () => {
    if (!location.hash.startsWith(PREFIX)) {
      return false;
    }
    const settings = ui.settings.decode(location.hash.slice(PREFIX.length));
    if (!ui.settings.apply(settings)) {
      ui.note("The link's settings could not be read; nothing was changed.");
      return false;
    }
    ui.note("Settings restored from the link.");
    return true;
  };

  // A short line at the top of the Mux form, and the same to screen readers.
  ui.note = (message) => {
    const note = byId("settings-note");
    note.textContent = message;
    note.hidden = false;
  };
})();

(() => {
  const ui = window.localjwtUI;
  const { byId } = ui;
  const STORAGE_KEY = "localjwt.settings";
  // Save once typing pauses, not on every keystroke.
  const SAVE_DELAY_MS = 300;
  const remember = byId("remember");
  let saveTimer;

  // Storage can be switched off or refused (a private window, a policy):
  // then nothing is remembered, and the switch says so.
  function storage() {
    try {
      return window.localStorage;
    } catch {
      return null;
    }
  }

  function save() {
    clearTimeout(saveTimer);
    if (remember.checked) {
      const text = JSON.stringify(ui.settings.read());
      storage()?.setItem(STORAGE_KEY, text);
    }
  }

  function forget() {
    clearTimeout(saveTimer);
    storage()?.removeItem(STORAGE_KEY);
  }

  function later() {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, SAVE_DELAY_MS);
  }

  byId("sign-form").addEventListener("input", later);
  byId("sign-form").addEventListener("change", later);
  ui.keypair.keyId.addEventListener("input", later);

  remember.addEventListener("change", () => {
    if (storage() === null) {
      remember.checked = false;
      ui.note("This browser refuses to store settings for this page.");
    } else if (remember.checked) {
      save();
      ui.announce("Settings will be remembered on this device.");
    } else {
      forget();
      ui.announce("Saved settings forgotten.");
    }
  });

  byId("forget").addEventListener("click", () => {
    forget();
    remember.checked = false;
    ui.announce("Saved settings forgotten.");
  });

  // Apply saved settings, if any; their presence is what switches it on.
  ui.restoreRemembered = () => {
    let saved = null;
    try {
      saved = JSON.parse(storage()?.getItem(STORAGE_KEY) ?? "null");
    } catch {
      saved = null;
    }
    if (saved === null) {
      return false;
    }
    remember.checked = true;
    if (!ui.settings.apply(saved)) {
      return false;
    }
    ui.note("Settings restored from this device.");
    return true;
  };
})();
