// What every part of the page's UI shares, on one namespace object,
// window.localjwtUI: finding and making elements, errors beside fields,
// copy fields with their buttons, and the aria-live announcer. Each later
// file in web/ui/ adds its own part to the same object.
//
// Key material lives in the form and in Python only: nothing in web/ui/
// stores it, puts it in the URL or writes it to the console.

"use strict";

window.localjwtUI = (() => {
  // How long a copy button says "Copied".
  const COPIED_MS = 2000;

  const byId = (id) => document.getElementById(id);
  const announcer = byId("announce");
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

  function announce(message) {
    // Emptied first, so that the same message twice is announced twice.
    announcer.textContent = "";
    requestAnimationFrame(() => {
      announcer.textContent = message;
    });
  }

  // Each input's message goes in the element whose id is the input's id
  // plus "-error", and is named by its aria-describedby.
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

  // Clear the marks in each container, and the form-level message of each.
  function clearErrors(...containers) {
    for (const container of containers) {
      for (const input of container.querySelectorAll("[aria-invalid]")) {
        clearError(input);
      }
      const formError = container.querySelector(".form-error");
      if (formError !== null) {
        formError.hidden = true;
        formError.textContent = "";
      }
    }
  }

  // Show a bridge error beside the input it names, or at the top of the
  // form when it names none; return the element to move focus to.
  function showError(error, input, form) {
    if (input === null || input === undefined) {
      const formError = form.querySelector(".form-error");
      formError.textContent = error.message;
      formError.hidden = false;
      formError.tabIndex = -1;
      return formError;
    }
    markInvalid(input, error.message);
    return input;
  }

  function showWarnings(list, warnings) {
    list.replaceChildren(
      ...warnings.map((warning) =>
        element("li", { text: `Warning: ${warning.message}` }),
      ),
    );
    list.hidden = warnings.length === 0;
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

  async function copy(button, text, field) {
    try {
      await navigator.clipboard.writeText(text);
      flash(button, "Copied");
      announce("Copied to the clipboard.");
    } catch {
      // The clipboard can be refused (an unfocused or embedded page): leave
      // the text selected for Ctrl+C instead.
      field.focus();
      field.select();
      flash(button, "Selected: press Ctrl+C");
    }
  }

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

  // Every copy button on the page names its field in data-copy.
  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-copy]");
    if (button !== null) {
      const field = byId(button.dataset.copy);
      copy(button, field.value, field);
    }
  });

  return {
    byId,
    element,
    announce,
    markInvalid,
    clearError,
    clearErrors,
    showError,
    showWarnings,
    copyField,
    decoded,
    copy,
  };
})();
