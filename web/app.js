// The signing form: builds the token types and their parameter inputs from
// Python's own description of them, sends the form to localjwt's bridge
// (window.localjwt, from boot.js), and shows the tokens, or each error beside
// the field it concerns. No signing happens here.
//
// Key material lives in the form and in Python only: nothing here stores it,
// puts it in the URL or writes it to the console.

"use strict";

(() => {
  // How long a copy button says "Copied".
  const COPIED_MS = 2000;
  // Inspect the pasted key once typing pauses, not on every keystroke.
  const INSPECT_DELAY_MS = 250;
  // The stages boot.js reports, in order, for the progress bar.
  const BOOT_STAGES = ["unpack", "start", "install", "import"];

  const root = document.documentElement;
  const byId = (id) => document.getElementById(id);
  const form = byId("sign-form");
  const keyId = byId("key-id");
  const privateKey = byId("private-key");
  const keyHint = byId("private-key-hint");
  const typeSelect = byId("type");
  const idKindField = byId("id-kind-field");
  const idKindSelect = byId("id-kind");
  const playbackId = byId("playback-id");
  const playbackIdLabel = byId("playback-id-label");
  const expiration = byId("expiration");
  const bundle = byId("bundle");
  const drm = byId("drm");
  const paramsBox = byId("params");
  const restriction = byId("playback-restriction-id");
  const custom = byId("custom");
  const kidInHeader = byId("kid-in-header");
  const signButton = byId("sign");
  const signHint = byId("sign-hint");
  const formError = byId("form-error");
  const warningList = byId("warnings");
  const results = byId("results");
  const resultList = byId("result-list");
  const announcer = byId("announce");
  const progress = byId("boot-progress");

  // The bridge's error fields, and the inputs they are shown beside.
  const FIELDS = {
    key_id: keyId,
    private_key: privateKey,
    type: typeSelect,
    playback_id: playbackId,
    expiration,
    playback_restriction_id: restriction,
    custom,
  };
  const KEY_HINT = keyHint.textContent;
  const SIGN_HINT = "or Ctrl+Enter (⌘+Enter on a Mac)";

  let types = new Map();
  let playerTypes = [];
  let inspectTimer;
  const copyTimers = new WeakMap();

  // element("p", {class: "hint", text: "..."}, [children]): attributes are
  // set as written; true sets an empty attribute, false and null none.
  function element(tag, attributes = {}, children = []) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (name === "text") {
        node.textContent = value;
      } else if (value === true) {
        node.setAttribute(name, "");
      } else if (value !== false && value !== null && value !== undefined) {
        node.setAttribute(name, value);
      }
    }
    node.append(...children);
    return node;
  }

  // Stage: start-up.

  document.addEventListener("localjwt:progress", (event) => {
    const step = BOOT_STAGES.indexOf(event.detail.stage);
    if (step >= 0) {
      progress.value = step + 1;
    }
  });

  signHint.textContent = "Sign is available once Python has started.";
  window.localjwt.ready.then(start, () => {
    byId("boot-status").setAttribute("role", "alert");
    typeSelect.options[0].textContent = "Unavailable";
    signHint.textContent = "Signing is unavailable: Python did not start.";
  });

  async function start() {
    const answer = await window.localjwt.call("describe");
    if (!answer.ok) {
      showError(answer.error);
      return;
    }
    buildTypes(answer.result);
    signButton.disabled = false;
    signHint.textContent = SIGN_HINT;
  }

  // Stage: the form, built from describe so that parameter definitions live
  // in Python only.

  function buildTypes(description) {
    types = new Map(description.types.map((type) => [type.name, type]));
    playerTypes = description.player_types;
    typeSelect.replaceChildren(
      ...description.types.map((type) =>
        element("option", { value: type.name, text: type.label }),
      ),
    );
    const viewerCounts = description.types.find((type) => type.id_kinds);
    idKindSelect.replaceChildren(
      ...(viewerCounts?.id_kinds ?? []).map((kind) =>
        element("option", { value: kind.name, text: kind.label }),
      ),
    );
    paramsBox.replaceChildren(
      ...description.types
        .filter((type) => type.params.length > 0)
        .map(parameterSet),
    );
    expiration.placeholder = description.default_expiration;
    showChosenType();
  }

  function parameterSet(type) {
    return element("fieldset", { class: "param-set", "data-type": type.name }, [
      element("legend", { text: `${type.label} parameters` }),
      element(
        "div",
        { class: "param-grid" },
        type.params.map((parameter) => parameterField(type.name, parameter)),
      ),
    ]);
  }

  function parameterField(typeName, parameter) {
    const id = `param-${typeName}-${parameter.name}`;
    const input = parameterInput(parameter);
    input.id = id;
    input.dataset.param = parameter.name;
    input.setAttribute("aria-describedby", `${id}-hint`);
    return element("div", { class: "field" }, [
      element("label", { for: id }, [
        element("code", { text: parameter.name }),
      ]),
      input,
      element("p", { class: "hint", id: `${id}-hint`, text: hint(parameter) }),
      element("p", { class: "error", id: `${id}-error`, hidden: true }),
    ]);
  }

  function parameterInput(parameter) {
    if (parameter.kind === "choice" || parameter.kind === "boolean") {
      const choices =
        parameter.kind === "boolean" ? ["true", "false"] : parameter.choices;
      return element("select", {}, [
        element("option", { value: "", text: "(default)" }),
        ...choices.map((choice) =>
          element("option", { value: choice, text: choice }),
        ),
      ]);
    }
    if (parameter.kind === "string") {
      return element("input", {
        type: "text",
        autocomplete: "off",
        spellcheck: "false",
      });
    }
    const whole = parameter.kind !== "number";
    return element("input", {
      type: "number",
      inputmode: whole ? "numeric" : "decimal",
      step: whole ? "1" : "any",
      min: parameter.min,
      max: parameter.max,
    });
  }

  function hint(parameter) {
    const { help, min, max } = parameter;
    if (min !== null && max !== null) {
      return `${help}, ${min} to ${max}`;
    }
    if (max !== null) {
      return `${help}, at most ${max}`;
    }
    if (min !== null && min > 0) {
      return `${help}, at least ${min}`;
    }
    return help;
  }

  // Show what the chosen type (or the bundle) needs; hidden inputs keep their
  // values, so switching back and forth loses nothing.
  function showChosenType() {
    const isBundle = bundle.checked;
    const type = types.get(typeSelect.value);
    const idKinds = isBundle ? undefined : type?.id_kinds;
    drm.disabled = !isBundle;
    typeSelect.disabled = isBundle || types.size === 0;
    idKindField.hidden = idKinds === undefined;

    let label = type?.id_label ?? "Playback ID";
    if (isBundle) {
      label = "Playback ID";
    } else if (idKinds !== undefined) {
      label = idKinds.find((kind) => kind.name === idKindSelect.value).label;
    }
    playbackIdLabel.textContent = label;

    const shown = isBundle ? playerTypes : [typeSelect.value];
    for (const set of paramsBox.children) {
      set.hidden = !shown.includes(set.dataset.type);
    }
  }

  typeSelect.addEventListener("change", showChosenType);
  idKindSelect.addEventListener("change", showChosenType);
  bundle.addEventListener("change", showChosenType);

  // Stage: the key. Python says what was pasted; Mux's API JSON also holds
  // the key ID.

  privateKey.addEventListener("input", () => {
    clearTimeout(inspectTimer);
    inspectTimer = setTimeout(inspectKey, INSPECT_DELAY_MS);
  });

  async function inspectKey() {
    const text = privateKey.value;
    clearError(privateKey);
    keyHint.textContent = KEY_HINT;
    if (text.trim() === "" || root.dataset.state === "error") {
      return;
    }
    const answer = await window.localjwt.call("inspect_key", {
      private_key: text,
    });
    if (privateKey.value !== text) {
      return;
    }
    if (!answer.ok) {
      markInvalid(privateKey, answer.error.message);
      return;
    }
    const { form: keyForm, bits, key_id: foundKeyId } = answer.result;
    keyHint.textContent = `${keyForm}, ${bits}-bit`;
    if (foundKeyId && keyId.value.trim() === "") {
      keyId.value = foundKeyId;
    }
  }

  byId("clear-key").addEventListener("click", () => {
    clearTimeout(inspectTimer);
    privateKey.value = "";
    clearError(privateKey);
    keyHint.textContent = KEY_HINT;
    privateKey.focus();
    window.localjwt.call("clear_key");
    announce("Private key cleared.");
  });

  // Stage: signing.

  function parametersOf(typeName) {
    const set = paramsBox.querySelector(`[data-type="${typeName}"]`);
    if (set === null) {
      return {};
    }
    return Object.fromEntries(
      [...set.elements]
        .filter((input) => input.value !== "")
        .map((input) => [input.dataset.param, input.value]),
    );
  }

  function signRequest() {
    const isBundle = bundle.checked;
    const type = typeSelect.value;
    const request = {
      key_id: keyId.value,
      private_key: privateKey.value,
      type,
      id_kind: types.get(type)?.id_kinds ? idKindSelect.value : null,
      playback_id: playbackId.value,
      expiration: expiration.value,
      playback_restriction_id: restriction.value,
      custom: custom.value,
      bundle: isBundle,
      drm: isBundle && drm.checked,
      kid_in_header: kidInHeader.checked,
    };
    if (isBundle) {
      request.bundle_params = Object.fromEntries(
        playerTypes.map((name) => [name, parametersOf(name)]),
      );
    } else {
      request.params = parametersOf(type);
    }
    return request;
  }

  // A number input holding text that is not a number has the value "", which
  // Python would take as "not given"; say so here instead.
  function unreadableNumber() {
    return [...paramsBox.querySelectorAll("input[type=number]")].find(
      (input) => input.validity.badInput && !input.closest("[hidden]"),
    );
  }

  async function sign() {
    if (signButton.disabled) {
      return;
    }
    clearErrors();
    const unreadable = unreadableNumber();
    if (unreadable !== undefined) {
      markInvalid(unreadable, "Expected a number");
      unreadable.focus();
      return;
    }

    signButton.disabled = true;
    form.setAttribute("aria-busy", "true");
    const answer = await window.localjwt.call("sign", signRequest());
    form.removeAttribute("aria-busy");
    signButton.disabled = false;

    if (!answer.ok) {
      results.hidden = true;
      showWarnings([]);
      showError(answer.error).focus();
      announce(`Not signed: ${answer.error.message}`);
      return;
    }
    const { key_id: signedKeyId, tokens, player, warnings } = answer.result;
    if (keyId.value.trim() === "" && signedKeyId) {
      keyId.value = signedKeyId;
    }
    showWarnings(warnings);
    showResults(tokens, player);
    announce(summary(tokens));
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    sign();
  });

  form.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      sign();
    }
  });

  function summary(tokens) {
    const { words } = tokens[0].expires;
    if (tokens.length === 1) {
      return `Signed a ${tokens[0].label} token, expires ${words}.`;
    }
    return `Signed ${tokens.length} tokens for Mux Player, expiring ${words}.`;
  }

  // Stage: errors and warnings, beside the field they concern.

  function inputFor(field) {
    if (field === null) {
      return null;
    }
    if (field.startsWith("params.")) {
      const name = field.slice("params.".length);
      return (
        [...paramsBox.querySelectorAll("[data-param]")].find(
          (input) => input.dataset.param === name && !input.closest("[hidden]"),
        ) ?? null
      );
    }
    return FIELDS[field] ?? null;
  }

  function showError(error) {
    const input = inputFor(error.field);
    if (input === null) {
      formError.textContent = error.message;
      formError.hidden = false;
      formError.tabIndex = -1;
      return formError;
    }
    markInvalid(input, error.message);
    return input;
  }

  function markInvalid(input, message) {
    const box = byId(`${input.id}-error`);
    box.textContent = message;
    box.hidden = false;
    input.setAttribute("aria-invalid", "true");
    const described = (input.getAttribute("aria-describedby") ?? "").split(" ");
    if (!described.includes(box.id)) {
      input.setAttribute(
        "aria-describedby",
        [...described, box.id].join(" ").trim(),
      );
    }
  }

  function clearError(input) {
    const box = byId(`${input.id}-error`);
    box.hidden = true;
    box.textContent = "";
    input.removeAttribute("aria-invalid");
    const described = (input.getAttribute("aria-describedby") ?? "")
      .split(" ")
      .filter((id) => id !== "" && id !== box.id);
    if (described.length > 0) {
      input.setAttribute("aria-describedby", described.join(" "));
    } else {
      input.removeAttribute("aria-describedby");
    }
  }

  function clearErrors() {
    for (const input of form.querySelectorAll("[aria-invalid]")) {
      clearError(input);
    }
    formError.hidden = true;
    formError.textContent = "";
  }

  function showWarnings(warnings) {
    warningList.replaceChildren(
      ...warnings.map((warning) =>
        element("li", { text: `Warning: ${warning.message}` }),
      ),
    );
    warningList.hidden = warnings.length === 0;
  }

  function announce(message) {
    // Emptied first, so that the same message twice is announced twice.
    announcer.textContent = "";
    requestAnimationFrame(() => {
      announcer.textContent = message;
    });
  }

  // Stage: results, one block per token.

  function showResults(tokens, player) {
    const blocks = tokens.map((token, index) =>
      tokenBlock(token, `token-${index}`, tokens.length > 1),
    );
    if (player !== null) {
      blocks.push(playerBlock(player));
    }
    resultList.replaceChildren(...blocks);
    byId("results-heading").textContent =
      tokens.length === 1 ? "Result" : `Results: ${tokens.length} tokens`;
    results.hidden = false;
  }

  function tokenBlock(token, id, inBundle) {
    return element(
      "article",
      { class: "result", "data-type": token.type, "aria-labelledby": id },
      [
        element("h3", { id }, [
          `${token.label} token`,
          inBundle ? element("code", { text: token.name }) : "",
        ]),
        element("p", {
          class: "expires",
          text: `Expires ${token.expires.words}`,
        }),
        copyField(`${id}-token`, "Token", token.token, "Copy token", true),
        ...token.urls.map((url, index) =>
          copyField(`${id}-url-${index}`, url.label, url.url, "Copy URL"),
        ),
        element("div", { class: "decoded" }, [
          decoded(`${id}-header`, "Header", token.header),
          decoded(`${id}-payload`, "Payload", token.payload),
        ]),
      ],
    );
  }

  function playerBlock(player) {
    return element(
      "article",
      { class: "result", "data-type": "player", "aria-labelledby": "player" },
      [
        element("h3", { id: "player", text: "Mux Player" }),
        copyField(
          "player-snippet",
          "Snippet",
          player.snippet,
          "Copy snippet",
          true,
        ),
        copyField("player-url", "Player URL", player.url, "Copy URL"),
      ],
    );
  }

  // A read-only field with its label and a copy button; long text wraps in a
  // textarea, a URL stays on one line.
  function copyField(id, label, value, buttonText, wraps = false) {
    const field = wraps
      ? element("textarea", {
          id,
          readonly: true,
          rows: 4,
          spellcheck: "false",
        })
      : element("input", { id, type: "text", readonly: true });
    field.value = value;
    return element(
      "div",
      { class: wraps ? "copy-field wraps" : "copy-field" },
      [
        element("label", { for: id, text: label }),
        element("div", { class: "copy-row" }, [
          field,
          element("button", {
            type: "button",
            class: "copy",
            "data-copy": id,
            "aria-label":
              buttonText === "Copy URL" ? `Copy URL: ${label}` : null,
            text: buttonText,
          }),
        ]),
      ],
    );
  }

  function decoded(id, label, value) {
    return element("figure", {}, [
      element("figcaption", { id, text: label }),
      element("pre", { "aria-labelledby": id, tabindex: "0" }, [
        JSON.stringify(value, null, 2),
      ]),
    ]);
  }

  resultList.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-copy]");
    if (button === null) {
      return;
    }
    const field = byId(button.dataset.copy);
    try {
      await navigator.clipboard.writeText(field.value);
      flash(button, "Copied");
      announce("Copied to the clipboard.");
    } catch {
      // The clipboard can be refused (an unfocused or embedded page): leave
      // the text selected for Ctrl+C instead.
      field.focus();
      field.select();
      flash(button, "Selected: press Ctrl+C");
    }
  });

  function flash(button, text) {
    button.dataset.label ??= button.textContent;
    button.textContent = text;
    clearTimeout(copyTimers.get(button));
    copyTimers.set(
      button,
      setTimeout(() => {
        button.textContent = button.dataset.label;
      }, COPIED_MS),
    );
  }
})();
