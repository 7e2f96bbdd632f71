// Signing the Mux form: sends the fields to the bridge's sign op and shows
// the tokens (one block each, with URLs and decoded parts, and for a bundle
// the Mux Player snippet), or the error beside the field it concerns. A
// failed sign changes nothing typed. Each token can go to the Inspect tab.

"use strict";

(() => {
  const ui = window.localjwtUI;
  const { byId } = ui;
  const { keyId, privateKey } = ui.keypair;
  const mux = ui.mux;
  const form = byId("sign-form");
  const typeSelect = byId("type");
  const idKindSelect = byId("id-kind");
  const bundle = byId("bundle");
  const drm = byId("drm");
  const signButton = byId("sign");
  const signHint = byId("sign-hint");
  const results = byId("results");
  const warningList = byId("warnings");
  const SIGN_HINT = "or Ctrl+Enter (⌘+Enter on a Mac)";

  // The bridge's error fields, and the inputs they are shown beside.
  const FIELDS = {
    key_id: keyId,
    private_key: privateKey,
    type: typeSelect,
    playback_id: byId("playback-id"),
    expiration: byId("expiration"),
    playback_restriction_id: byId("playback-restriction-id"),
    custom: byId("custom"),
  };

  signHint.textContent = "Sign is available once Python has started.";
  window.localjwt.ready.then(
    () => {
      signHint.textContent = SIGN_HINT;
    },
    () => {
      signHint.textContent = "Signing is unavailable: Python did not start.";
    },
  );

  function signRequest() {
    const isBundle = bundle.checked;
    const type = typeSelect.value;
    const request = {
      key_id: keyId.value,
      private_key: privateKey.value,
      type,
      id_kind: mux.types.get(type)?.id_kinds ? idKindSelect.value : null,
      playback_id: FIELDS.playback_id.value,
      expiration: FIELDS.expiration.value,
      playback_restriction_id: FIELDS.playback_restriction_id.value,
      custom: FIELDS.custom.value,
      bundle: isBundle,
      drm: isBundle && drm.checked,
      kid_in_header: byId("kid-in-header").checked,
    };
    if (isBundle) {
      request.bundle_params = Object.fromEntries(
        mux.playerTypes.map((name) => [name, mux.parametersOf(name)]),
      );
    } else {
      request.params = mux.parametersOf(type);
    }
    return request;
  }

  // A number input holding text that is not a number has the value "", which
  // Python would take as "not given"; say so here instead.
  function unreadableNumber() {
    return [...mux.paramsBox.querySelectorAll("input[type=number]")].find(
      (input) => input.validity.badInput && !input.closest("[hidden]"),
    );
  }

  function inputFor(field) {
    if (field === null) {
      return null;
    }
    if (field.startsWith("params.")) {
      const name = field.slice("params.".length);
      return (
        [...mux.paramsBox.querySelectorAll("[data-param]")].find(
          (input) => input.dataset.param === name && !input.closest("[hidden]"),
        ) ?? null
      );
    }
    return FIELDS[field] ?? null;
  }

  async function sign() {
    if (signButton.disabled) {
      return;
    }
    ui.clearErrors(form, ui.keypair.box);
    const unreadable = unreadableNumber();
    if (unreadable !== undefined) {
      ui.markInvalid(unreadable, "Expected a number");
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
      ui.showWarnings(warningList, []);
      ui.showError(answer.error, inputFor(answer.error.field), form).focus();
      ui.announce(`Not signed: ${answer.error.message}`);
      return;
    }
    const { key_id: signedKeyId, tokens, player, warnings } = answer.result;
    if (keyId.value.trim() === "" && signedKeyId) {
      keyId.value = signedKeyId;
    }
    ui.showWarnings(warningList, warnings);
    ui.muxResults.show(tokens, player);
    ui.announce(summary(tokens));
  }

  function summary(tokens) {
    const { words } = tokens[0].expires;
    if (tokens.length === 1) {
      return `Signed a ${tokens[0].label} token, expires ${words}.`;
    }
    return `Signed ${tokens.length} tokens for Mux Player, expiring ${words}.`;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    sign();
  });

  mux.submit = sign;
})();

(() => {
  const ui = window.localjwtUI;
  const { byId, element, copyField, decoded } = ui;
  const results = byId("results");
  const resultList = byId("result-list");

  function show(tokens, player) {
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
        element("button", {
          type: "button",
          class: "quiet",
          "data-inspect": token.urls[0]?.url ?? token.token,
          "aria-label": `Inspect the ${token.label} token`,
          text: "Inspect this token",
        }),
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

  resultList.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-inspect]");
    if (button !== null) {
      ui.inspect.open(button.dataset.inspect);
    }
  });

  ui.muxResults = { show };
})();
