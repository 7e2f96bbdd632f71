// The three modes as tabs, after the WAI-ARIA Authoring Practices' tabs
// pattern (https://www.w3.org/WAI/ARIA/apg/patterns/tabs/): one tab in the
// Tab order, arrow keys, Home and End move between tabs and show each.
// Hidden panels keep what was typed in them.

"use strict";

(() => {
  const ui = window.localjwtUI;
  const tabs = [...document.querySelectorAll("[role=tab]")];

  function select(tab, focus = true) {
    for (const other of tabs) {
      const chosen = other === tab;
      other.setAttribute("aria-selected", String(chosen));
      other.tabIndex = chosen ? 0 : -1;
      ui.byId(other.getAttribute("aria-controls")).hidden = !chosen;
    }
    if (focus) {
      tab.focus();
    }
  }

  function moveTo(index) {
    select(tabs[(index + tabs.length) % tabs.length]);
  }

  for (const [index, tab] of tabs.entries()) {
    tab.addEventListener("click", () => select(tab));
    tab.addEventListener("keydown", (event) => {
      const target = {
        ArrowRight: index + 1,
        ArrowLeft: index - 1,
        Home: 0,
        End: tabs.length - 1,
      }[event.key];
      if (target !== undefined) {
        event.preventDefault();
        moveTo(target);
      }
    });
  }

  ui.tabs = {
    // The mode shown: "mux", "inspect" or "jwt", from the panel's id.
    active: () =>
      tabs
        .find((tab) => tab.getAttribute("aria-selected") === "true")
        .getAttribute("aria-controls")
        .replace("panel-", ""),
    show: (mode) => select(ui.byId(`tab-${mode}`), false),
  };
})();
