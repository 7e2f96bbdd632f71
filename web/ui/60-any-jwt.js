// Any JWT: a free header and payload signed with RS256/384/512 and the key
// above, or HS256/384/512 and a secret, for services other than Mux. iat,
// nbf and exp come from durations, worked out in Python.

"use strict";

(() => {
  const ui = window.localjwtUI;
  const { byId, element } = ui;
  const { privateKey } = ui.keypair;
  const form = byId("jwt-form");
  const algorithm = byId("jwt-algorithm");
  const secretFields = byId("secret-fields");
  const secret = byId("jwt-secret");
  const encoding = byId("jwt-secret-encoding");
  const header = byId("jwt-header");
  const payload = byId("jwt-payload");
  const iat = byId("jwt-iat");
  const nbf = byId("jwt-nbf");
  const exp = byId("jwt-exp");
  const button = byId("sign-jwt");
  const results = byId("jwt-results");
  const resultBox = byId("jwt-result");
  const warningList = byId("jwt-warnings");

  // The bridge's error fields, and the inputs they are shown beside.
  const FIELDS = {
    algorithm,
    header,
    payload,
    secret,
    private_key: privateKey,
    nbf,
    expiration: exp,
  };

  const isHmac = () => algorithm.value.startsWith("HS");

  function showSecret() {
    secretFields.hidden = !isHmac();
  }
  algorithm.addEventListener("change", showSecret);
  showSecret();

  async function sign() {
    if (button.disabled) {
      return;
    }
    ui.clearErrors(form, ui.keypair.box);
    const request = {
      algorithm: algorithm.value,
      header: header.value,
      payload: payload.value,
      iat: iat.checked,
      nbf: nbf.value,
      exp: exp.value,
    };
    if (isHmac()) {
      request.secret = secret.value;
      request.secret_encoding = encoding.value;
    } else {
      request.private_key = privateKey.value;
    }
    button.disabled = true;
    const answer = await window.localjwt.call("sign_jwt", request);
    button.disabled = false;

    if (!answer.ok) {
      results.hidden = true;
      ui.showWarnings(warningList, []);
      const input = FIELDS[answer.error.field] ?? null;
      ui.showError(answer.error, input, form).focus();
      ui.announce(`Not signed: ${answer.error.message}`);
      return;
    }
    const result = answer.result;
    ui.showWarnings(warningList, result.warnings);
    resultBox.replaceChildren(
      element("article", { class: "result", "aria-label": "Signed JWT" }, [
        ui.copyField("jwt-token", "Token", result.token, "Copy token", true),
        element("div", { class: "decoded" }, [
          ui.decoded("jwt-decoded-header", "Header", result.header),
          ui.decoded("jwt-decoded-payload", "Payload", result.payload),
        ]),
      ]),
    );
    results.hidden = false;
    ui.announce(`Signed a JWT with ${result.header.alg}.`);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    sign();
  });

  ui.anyJwt = { submit: sign };
})();
