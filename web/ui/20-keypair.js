// The signing key fields every mode shares: the key ID and the private key.
// Python says what was pasted (the hint under the field), and Mux's API JSON
// fills the key ID too. Clear key empties the field and Python's cache.
//
// Generate a test key: a 2048-bit key pair made by the browser's WebCrypto
// (far faster than pure Python in Pyodide), handed to Python as PKCS #8 to
// be put in Mux's base64 form with a made-up key ID. It fills the fields and
// offers the public key, PEM and JWK, for a local verifier. Nothing leaves
// the page; the key it replaced can be put back.

"use strict";

(() => {
  const ui = window.localjwtUI;
  // Inspect the pasted key once typing pauses, not on every keystroke.
  const INSPECT_DELAY_MS = 250;

  const root = document.documentElement;
  const keyId = ui.byId("key-id");
  const privateKey = ui.byId("private-key");
  const keyHint = ui.byId("private-key-hint");
  const KEY_HINT = keyHint.textContent;
  let inspectTimer;

  privateKey.addEventListener("input", () => {
    clearTimeout(inspectTimer);
    inspectTimer = setTimeout(inspectKey, INSPECT_DELAY_MS);
  });

  async function inspectKey() {
    const text = privateKey.value;
    ui.clearError(privateKey);
    keyHint.textContent = KEY_HINT;
    if (text.trim() === "" || root.dataset.state !== "ready") {
      return;
    }
    const answer = await window.localjwt.call("inspect_key", {
      private_key: text,
    });
    if (privateKey.value !== text) {
      return;
    }
    if (!answer.ok) {
      ui.markInvalid(privateKey, answer.error.message);
      return;
    }
    const { form: keyForm, bits, key_id: foundKeyId } = answer.result;
    keyHint.textContent = `${keyForm}, ${bits}-bit`;
    if (foundKeyId && keyId.value.trim() === "") {
      keyId.value = foundKeyId;
    }
  }

  // Put a key in the fields as if it had been pasted (a generated test key,
  // or the key it replaced).
  function setKey(id, key) {
    keyId.value = id;
    privateKey.value = key;
    clearTimeout(inspectTimer);
    ui.clearError(keyId);
    inspectKey();
  }

  ui.byId("clear-key").addEventListener("click", () => {
    clearTimeout(inspectTimer);
    privateKey.value = "";
    ui.clearError(privateKey);
    keyHint.textContent = KEY_HINT;
    privateKey.focus();
    window.localjwt.call("clear_key");
    ui.announce("Private key cleared.");
  });

  ui.keypair = { box: ui.byId("keypair"), keyId, privateKey, setKey };
})();

(() => {
  const ui = window.localjwtUI;
  const { byId, element, copyField } = ui;
  const button = byId("generate-key");
  const notice = byId("test-key");
  const publicBox = byId("test-key-public");
  const restore = byId("restore-key");
  let previous = null;
  let generated = null;
  let downloads = [];

  // RSASSA-PKCS1-v1_5 with SHA-256 is RS256 (RFC 7518, section 3.3).
  const ALGORITHM = {
    name: "RSASSA-PKCS1-v1_5",
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: "SHA-256",
  };

  async function pkcs8Pem() {
    const pair = await crypto.subtle.generateKey(ALGORITHM, true, [
      "sign",
      "verify",
    ]);
    const der = new Uint8Array(
      await crypto.subtle.exportKey("pkcs8", pair.privateKey),
    );
    const lines = der.toBase64().match(/.{1,64}/g);
    return [
      "-----BEGIN PRIVATE KEY-----",
      ...lines,
      "-----END PRIVATE KEY-----",
      "",
    ].join("\n");
  }

  async function generate() {
    button.disabled = true;
    // Putting a key back while a new one is on its way would be undone by it.
    restore.disabled = true;
    button.textContent = "Generating…";
    const answer = await window.localjwt.call("test_key", {
      pkcs8: await pkcs8Pem(),
    });
    button.textContent = "Generate a test key";
    button.disabled = false;
    restore.disabled = false;
    if (!answer.ok) {
      ui.announce(`No test key: ${answer.error.message}`);
      return;
    }
    const { keyId, privateKey } = ui.keypair;
    if (privateKey.value.trim() !== "" && privateKey.value !== generated) {
      previous ??= { id: keyId.value, key: privateKey.value };
    }
    restore.hidden = previous === null;
    const result = answer.result;
    generated = result.private_key;
    ui.keypair.setKey(result.key_id, result.private_key);
    offer(result.public_pem, JSON.stringify(result.public_jwk, null, 2));
    ui.announce("Generated a test key: Mux does not know it.");
  }

  function offer(pem, jwk) {
    for (const url of downloads) {
      URL.revokeObjectURL(url);
    }
    downloads = [
      URL.createObjectURL(new Blob([pem], { type: "application/x-pem-file" })),
      URL.createObjectURL(new Blob([jwk], { type: "application/json" })),
    ];
    publicBox.replaceChildren(
      copyField("test-key-pem", "Public key (PEM)", pem, "Copy PEM", true),
      copyField("test-key-jwk", "Public key (JWK)", jwk, "Copy JWK", true),
      element("p", { class: "downloads" }, [
        element("a", {
          href: downloads[0],
          download: "localjwt-test-key.pub.pem",
          text: "Download the PEM",
        }),
        element("a", {
          href: downloads[1],
          download: "localjwt-test-key.pub.jwk.json",
          text: "Download the JWK",
        }),
      ]),
    );
    notice.hidden = false;
  }

  button.addEventListener("click", generate);

  restore.addEventListener("click", () => {
    ui.keypair.setKey(previous.id, previous.key);
    previous = null;
    notice.hidden = true;
    ui.keypair.privateKey.focus();
    ui.announce("Put back the key you had.");
  });
})();
