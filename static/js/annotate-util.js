/*
 * Shared helpers of the Annotate screen: building elements, talking JSON to the server,
 * announcing messages, and the labelled field wrapper every form control sits in.
 * Loaded before the other annotate-*.js files, which find it at window.NewsroomAnnotate.
 */
(function () {
  "use strict";
  const NA = (window.NewsroomAnnotate = window.NewsroomAnnotate || {});

  /**
   * Build an element. Attributes named on* become listeners; true/false/null toggle or skip
   * an attribute. Children are nodes or strings (strings become text, never HTML).
   */
  function el(tag, attrs, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
      else element.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined && child !== false) element.append(child);
    }
    return element;
  }

  // The page's own token first: it is right even when the cookie is HttpOnly or missing.
  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input && input.value) return input.value;
    const cookie = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
    return cookie ? decodeURIComponent(cookie.slice("csrftoken=".length)) : "";
  }

  const FALLBACK_MESSAGES = {
    0: "The server could not be reached. Check your connection and try again.",
    403: "You may not do that, or your session has expired: reload the page and log in again.",
    404: "That is no longer there. Reload the page.",
  };

  function fallbackMessage(status) {
    return FALLBACK_MESSAGES[status] || "Something went wrong on the server. Try again.";
  }

  /**
   * Send a JSON request; resolve to {ok, status, data}, never reject. Errors come back in the
   * server's shape, {message, errors}, even when the server (or the network) said nothing
   * useful, so callers handle one shape. An answer that is not JSON (the login page after an
   * expired session) counts as an error.
   */
  async function request(method, url, body) {
    const options = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (method !== "GET") options.headers["X-CSRFToken"] = csrfToken();
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(url, options);
    } catch (error) {
      return { ok: false, status: 0, data: { message: fallbackMessage(0), errors: {} } };
    }
    let data = null;
    try {
      data = await response.json();
    } catch (error) {
      data = null;
    }
    if (!data || typeof data !== "object") {
      const status = response.ok ? 403 : response.status;
      return { ok: false, status, data: { message: fallbackMessage(status), errors: {} } };
    }
    if (!response.ok) {
      data.message = data.message || fallbackMessage(response.status);
      data.errors = data.errors || {};
    }
    return { ok: response.ok, status: response.status, data };
  }

  function getJSON(url, params) {
    const query = new URLSearchParams(params || {}).toString();
    return request("GET", query ? `${url}?${query}` : url);
  }

  /** Say something in the live region; tone "error" styles it as a problem. */
  function announce(text, tone) {
    const box = document.getElementById("annotate-messages");
    if (!box) return;
    box.dataset.tone = tone || "info";
    // Emptied first so that the same sentence twice in a row is announced twice.
    box.textContent = "";
    window.setTimeout(() => {
      box.textContent = text;
    }, 30);
  }

  function debounce(fn, wait) {
    let timer = null;
    return (...args) => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => fn(...args), wait);
    };
  }

  /**
   * A form field: label, control, optional help, and the place its error message goes.
   * The control is described by its help and error. `node` is what to place under the label
   * when the control comes wrapped (a combobox with its list of suggestions).
   */
  function field(name, labelText, control, { help, node } = {}) {
    const errorId = `${control.id}-error`;
    const helpId = help ? `${control.id}-help` : null;
    control.setAttribute("aria-describedby", [helpId, errorId].filter(Boolean).join(" "));
    return el(
      "div",
      { class: "annotate-field", "data-field": name },
      el("label", { for: control.id }, labelText),
      node || control,
      help ? el("p", { class: "annotate-help-text", id: helpId }, help) : null,
      el("p", { class: "annotate-error", id: errorId, hidden: true }),
    );
  }

  /** Show (or with no message, clear) the error of the field wrapper holding `control`. */
  function setFieldError(wrapper, message) {
    const error = wrapper.querySelector(":scope > .annotate-error");
    const control = wrapper.querySelector("input, select, textarea");
    error.textContent = message || "";
    error.hidden = !message;
    if (control) {
      if (message) control.setAttribute("aria-invalid", "true");
      else control.removeAttribute("aria-invalid");
    }
  }

  function quoted(text, limit) {
    const chars = Array.from(text || "");
    const short = limit && chars.length > limit ? `${chars.slice(0, limit - 1).join("")}…` : text;
    return `“${short}”`;
  }

  NA.util = { el, request, getJSON, announce, debounce, field, setFieldError, quoted, csrfToken };
})();
