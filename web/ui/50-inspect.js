// Inspect: decode a pasted token or signed URL, check its signature against
// the public key (or the private key above), and list the reasons Mux would
// refuse it, as Python's inspect_token finds them. The expiry counts down
// live, once a second.

"use strict";

(() => {
  const ui = window.localjwtUI;
  const UNITS = [
    ["d", 86400],
    ["h", 3600],
    ["m", 60],
    ["s", 1],
  ];

  function span(seconds) {
    let left = Math.floor(seconds);
    const parts = [];
    for (const [name, size] of UNITS) {
      const count = Math.floor(left / size);
      left -= count * size;
      if (count > 0 || parts.length > 0) {
        parts.push(`${count} ${name}`);
      }
    }
    return parts.length === 0 ? "0 s" : parts.join(" ");
  }

  ui.countdownWords = (exp, now) => {
    const left = exp - now;
    if (left > 0) {
      return `Expires in ${span(left)}`;
    }
    return `Expired ${span(-left)} ago`;
  };
})();

(() => {
  const ui = window.localjwtUI;
  const { byId, element } = ui;
  const { keyId, privateKey } = ui.keypair;
  const form = byId("inspect-form");
  const tokenInput = byId("inspect-token");
  const publicKey = byId("public-key");
  const button = byId("inspect");
  const results = byId("inspect-results");
  const countdown = byId("countdown");
  const findingList = byId("findings");
  const decodedBox = byId("inspect-decoded");
  // exp at or above this is milliseconds, as localjwt.expiry reads it.
  const MILLISECONDS_FROM = 1e10;
  // Text marks, so a finding's level never rests on colour alone.
  const MARKS = { error: "✗ Error", warning: "! Warning", ok: "✓ OK" };
  let ticker;

  // The bridge's error fields, and the inputs they are shown beside.
  const FIELDS = {
    token: tokenInput,
    public_key: publicKey,
    private_key: privateKey,
  };

  function inputFor(field) {
    return FIELDS[field] ?? null;
  }

  async function inspect() {
    if (button.disabled) {
      return;
    }
    ui.clearErrors(form, ui.keypair.box);
    clearInterval(ticker);
    button.disabled = true;
    const answer = await window.localjwt.call("inspect_token", {
      token: tokenInput.value,
      public_key: publicKey.value,
      private_key: privateKey.value,
      key_id: keyId.value,
    });
    button.disabled = false;

    if (!answer.ok) {
      results.hidden = true;
      ui.showError(answer.error, inputFor(answer.error.field), form).focus();
      ui.announce(`Not inspected: ${answer.error.message}`);
      return;
    }
    show(answer.result);
    ui.announce(summary(answer.result));
  }

  function show(result) {
    findingList.replaceChildren(
      ...result.findings.map((finding) =>
        element("li", { class: finding.level, "data-code": finding.code }, [
          element("strong", { text: `${MARKS[finding.level]}: ` }),
          finding.message,
        ]),
      ),
    );
    if (!result.signature_checked) {
      findingList.append(
        element("li", { class: "warning", "data-code": "signature" }, [
          element("strong", { text: "? Not checked: " }),
          "the signature, as no key was given",
        ]),
      );
    }
    decodedBox.replaceChildren(
      ui.decoded("inspect-header", "Header", result.header),
      ui.decoded("inspect-payload", "Payload", result.payload),
    );
    startCountdown(result.exp);
    results.hidden = false;
  }

  function summary(result) {
    const errors = result.findings.filter((f) => f.level === "error").length;
    if (errors === 0) {
      return "Inspected: no reason for Mux to refuse it.";
    }
    return `Inspected: ${errors} ${errors === 1 ? "problem" : "problems"}.`;
  }

  function startCountdown(exp) {
    if (exp === null) {
      countdown.textContent = "No exp: the token never expires.";
      return;
    }
    if (exp >= MILLISECONDS_FROM) {
      countdown.textContent = "No countdown: exp is in milliseconds.";
      return;
    }
    const tick = () => {
      countdown.textContent = ui.countdownWords(exp, Date.now() / 1000);
    };
    tick();
    ticker = setInterval(tick, 1000);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    inspect();
  });

  ui.inspect = {
    submit: inspect,
    // Show the Inspect tab with this token or URL, and inspect it.
    open: (text) => {
      tokenInput.value = text;
      ui.tabs.show("inspect");
      tokenInput.focus();
      inspect();
    },
  };
})();
