// Start-up as a person sees it, and the UI's start once Python can answer.
// The progress bar follows boot.js's stages and a failed start turns the
// status line into an alert. Once ready: build the Mux form from describe,
// restore settings (a shared link first, then this device's) and enable the
// buttons marked data-needs-python. Ctrl+Enter (⌘+Enter) submits the mode
// shown.

"use strict";

(() => {
  const ui = window.localjwtUI;
  // The stages boot.js reports, in order, for the progress bar.
  const BOOT_STAGES = ["unpack", "start", "import"];
  const progress = ui.byId("boot-progress");

  document.addEventListener("localjwt:progress", (event) => {
    const step = BOOT_STAGES.indexOf(event.detail.stage);
    if (step >= 0) {
      progress.value = step + 1;
    }
  });

  window.localjwt.ready.catch(() => {
    ui.byId("boot-status").setAttribute("role", "alert");
  });

  ui.enablePython = () => {
    for (const button of document.querySelectorAll("[data-needs-python]")) {
      button.disabled = false;
    }
  };
})();

(() => {
  const ui = window.localjwtUI;

  async function start() {
    const answer = await window.localjwt.call("describe");
    if (!answer.ok) {
      ui.showError(answer.error, null, ui.byId("sign-form"));
      return;
    }
    ui.mux.build(answer.result);
    // A link's settings win, and are not saved over the device's own.
    if (!ui.restoreFromLink()) {
      ui.restoreRemembered();
    }
    ui.enablePython();
  }

  window.localjwt.ready.then(start, () => {});

  const SUBMIT = {
    mux: () => ui.mux.submit(),
    inspect: () => ui.inspect.submit(),
    jwt: () => ui.anyJwt.submit(),
  };

  document.addEventListener("keydown", (event) => {
    const inForm = event.target.closest?.("#keypair, [role=tabpanel]");
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && inForm) {
      event.preventDefault();
      SUBMIT[ui.tabs.active()]();
    }
  });
})();
