// The Mux token form, built from Python's own description of the token types
// (describe), so that parameter definitions live in Python only. Choosing a
// type, an ID kind or the Mux Player bundle shows the inputs it needs;
// hidden inputs keep their values, so switching back and forth loses nothing.

"use strict";

(() => {
  const ui = window.localjwtUI;
  const { byId, element } = ui;
  const typeSelect = byId("type");
  const idKindField = byId("id-kind-field");
  const idKindSelect = byId("id-kind");
  const playbackIdLabel = byId("playback-id-label");
  const expiration = byId("expiration");
  const bundle = byId("bundle");
  const drm = byId("drm");
  const paramsBox = byId("params");

  const mux = { types: new Map(), playerTypes: [], paramsBox };

  window.localjwt.ready.catch(() => {
    typeSelect.options[0].textContent = "Unavailable";
  });

  mux.build = (description) => {
    mux.types = new Map(description.types.map((type) => [type.name, type]));
    mux.playerTypes = description.player_types;
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
    mux.showChosenType();
  };

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

  mux.showChosenType = () => {
    const isBundle = bundle.checked;
    const type = mux.types.get(typeSelect.value);
    const idKinds = isBundle ? undefined : type?.id_kinds;
    drm.disabled = !isBundle;
    typeSelect.disabled = isBundle || mux.types.size === 0;
    idKindField.hidden = idKinds === undefined;

    let label = type?.id_label ?? "Playback ID";
    if (isBundle) {
      label = "Playback ID";
    } else if (idKinds !== undefined) {
      label = idKinds.find((kind) => kind.name === idKindSelect.value).label;
    }
    playbackIdLabel.textContent = label;

    const shown = isBundle ? mux.playerTypes : [typeSelect.value];
    for (const set of paramsBox.children) {
      set.hidden = !shown.includes(set.dataset.type);
    }
  };

  typeSelect.addEventListener("change", mux.showChosenType);
  idKindSelect.addEventListener("change", mux.showChosenType);
  bundle.addEventListener("change", mux.showChosenType);

  // The values typed for one type's parameters, by parameter name.
  mux.parametersOf = (typeName) => {
    const set = paramsBox.querySelector(`[data-type="${typeName}"]`);
    if (set === null) {
      return {};
    }
    return Object.fromEntries(
      [...set.elements]
        .filter((input) => input.value !== "")
        .map((input) => [input.dataset.param, input.value]),
    );
  };

  ui.mux = mux;
})();
