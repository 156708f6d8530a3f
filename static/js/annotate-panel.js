/*
 * The editor panel beside the story (#annotate-panel). It shows one of:
 * - a new annotation for the words just selected,
 * - an existing annotation, to change, move to another selection, or delete,
 * - a choice, when a click landed on words that several annotations cover.
 * Every write goes to the server; its answer (the annotations and the re-rendered body) is
 * handed to `onState`, which redraws the screen without a reload.
 */
(function () {
  "use strict";
  const NA = (window.NewsroomAnnotate = window.NewsroomAnnotate || {});
  const { el, request, announce, quoted } = NA.util;

  const STATUS_NOTES = {
    fuzzy: "This annotation followed an edit of its words: check that it still fits them.",
    orphaned:
      "Orphaned: its words were edited away. Select the words again and re-attach it, " +
      "or delete it.",
  };

  class Panel {
    constructor({ config, container, onState, onShow }) {
      this.config = config;
      this.container = container;
      this.onState = onState; // (server answer) -> redraw body and list
      this.onShow = onShow; // (annotation id or null) -> mark it in the story
      this.mode = "closed";
      this.annotation = null;
      this.selector = null;
      this.container.addEventListener("keydown", (event) => {
        if (event.key === "Escape" && this.mode !== "closed") this.close();
      });
      this.close();
    }

    get openId() {
      return this.mode === "edit" ? this.annotation.id : null;
    }

    /** Show a new annotation's form for `selector`; keep what was typed if one is open. */
    openNew(selector, { focus } = {}) {
      if (this.mode === "new") {
        this.selector = selector;
        this.quote.replaceChildren(...this.quoteContent(selector));
        this.setQuoteError("");
      } else {
        this.mode = "new";
        this.annotation = null;
        this.selector = selector;
        this.form = new NA.AnnotationForm(this.config, null);
        this.render("New annotation", this.form.element);
      }
      this.onShow(null);
      if (focus) this.form.kind.focus();
    }

    openExisting(annotation, { focus } = {}) {
      this.mode = "edit";
      this.annotation = annotation;
      this.selector = null;
      this.form = new NA.AnnotationForm(this.config, annotation);
      this.render(`Edit ${annotation.kind_label.toLowerCase()}`, this.form.element);
      this.onShow(annotation.id);
      if (focus) this.heading.focus();
    }

    /** A suggestion (annotate-suggestions.js): what it proposes, to accept, edit or reject. */
    openSuggestion(suggestion, { accept, edit, reject, details }) {
      this.mode = "suggestion";
      this.annotation = null;
      this.form = null;
      this.selector = suggestion;
      const terms = details.map(([term, description]) => [
        el("dt", {}, term),
        el("dd", {}, description),
      ]);
      this.render(
        `Suggested ${suggestion.kind_label.toLowerCase()}`,
        el(
          "div",
          { class: "annotate-suggestion" },
          el("dl", { class: "annotate-suggestion__details" }, terms.flat()),
          el(
            "div",
            { class: "annotate-actions" },
            el("button", { type: "button", class: "button default", onclick: accept }, "Accept"),
            el("button", { type: "button", class: "button", onclick: edit }, "Edit, then accept"),
            el(
              "button",
              { type: "button", class: "button annotate-delete", onclick: reject },
              "Reject",
            ),
          ),
        ),
      );
      this.onShow(null);
    }

    /** A new annotation's form for `selector`, filled in with what a suggestion proposes. */
    openPrefilled(selector, proposed) {
      this.mode = "new";
      this.annotation = null;
      this.selector = selector;
      this.form = new NA.AnnotationForm(this.config, proposed);
      this.render(`Accept suggested ${proposed.kind}`, this.form.element);
      const speaker = this.form.links.speaker;
      // A speaker not on record: their name, typed, for the editor to add or to choose another.
      if (!proposed.speaker && !proposed.speaker_organization && proposed.speaker_name)
        speaker.input.value = proposed.speaker_name;
      // No position proposed: the one held on the source's (else the article's) date.
      if (!proposed.position) this.form.refreshPositions();
      this.onShow(null);
      this.heading.focus();
    }

    /** Several annotations under one click: list them, innermost first, to pick one. */
    openChoice(annotations) {
      this.mode = "choose";
      this.annotation = null;
      this.form = null;
      const items = annotations.map((annotation) =>
        el(
          "li",
          {},
          el(
            "button",
            {
              type: "button",
              class: "annotate-pick",
              "data-kind": annotation.kind,
              onclick: () => this.openExisting(annotation, { focus: true }),
            },
            `${annotation.summary}: ${quoted(annotation.exact, 60)}`,
          ),
        ),
      );
      this.render(
        "Several annotations cover these words",
        el("ul", { class: "annotate-picks" }, items),
      );
      this.onShow(null);
      this.container.querySelector(".annotate-pick").focus();
    }

    /** A selection made while an annotation is open: offer to annotate it or move there. */
    offerSelection(selector) {
      if (this.mode !== "edit") {
        this.openNew(selector);
        return;
      }
      const verb = this.annotation.orphaned
        ? "Re-attach this annotation here"
        : "Move this annotation here";
      this.offer.replaceChildren(
        el("p", {}, `You selected ${quoted(selector.exact, 80)}.`),
        el(
          "button",
          {
            type: "button",
            class: "button",
            onclick: () => this.attach(this.annotation, selector),
          },
          verb,
        ),
        el(
          "button",
          {
            type: "button",
            class: "button annotate-secondary",
            onclick: () => this.openNew(selector, { focus: true }),
          },
          "Annotate it instead",
        ),
      );
      this.offer.hidden = false;
    }

    close() {
      const hadFocus = this.container.contains(document.activeElement);
      this.mode = "closed";
      this.annotation = null;
      this.form = null;
      this.container.replaceChildren(
        el(
          "p",
          { class: "annotate-placeholder" },
          "Select words in the story to annotate them, or choose an annotation below.",
        ),
      );
      this.onShow(null);
      if (hadFocus) document.getElementById("annotate-body").focus();
    }

    render(title, content) {
      const annotation = this.annotation;
      this.heading = el("h2", { id: "annotate-panel-title", tabindex: -1 }, title);
      this.quote = el(
        "blockquote",
        { class: "annotate-quote", id: "annotate-quote" },
        ...this.quoteContent(annotation || this.selector),
      );
      this.quoteError = el("p", {
        class: "annotate-error",
        id: "annotate-quote-error",
        hidden: true,
      });
      this.offer = el("div", { class: "annotate-offer", hidden: true });
      const status = annotation && STATUS_NOTES[annotation.anchor_status];
      const body = this.form
        ? el(
            "form",
            { class: "annotate-form", novalidate: true, onsubmit: (event) => this.save(event) },
            content,
            this.actions(),
          )
        : content;
      this.container.replaceChildren(
        el(
          "section",
          {
            class: "annotate-card",
            "data-kind": annotation ? annotation.kind : null,
            "aria-labelledby": this.heading.id,
          },
          el(
            "div",
            { class: "annotate-card__head" },
            this.heading,
            el(
              "button",
              {
                type: "button",
                class: "annotate-close",
                "aria-label": "Close the panel",
                onclick: () => this.close(),
              },
              "×",
            ),
          ),
          this.mode === "choose" ? null : [this.quote, this.quoteError],
          status
            ? el(
                "p",
                { class: `annotate-status annotate-status--${annotation.anchor_status}` },
                status,
              )
            : null,
          this.offer,
          body,
        ),
      );
    }

    // The words, with a little of their context when an orphan has nothing else to show.
    quoteContent(selector) {
      if (!selector) return [];
      if (!(this.annotation && this.annotation.orphaned)) return [selector.exact];
      return [
        el("span", { class: "annotate-context" }, `…${selector.prefix}`),
        el("mark", {}, selector.exact),
        el("span", { class: "annotate-context" }, `${selector.suffix}…`),
      ];
    }

    actions() {
      return el(
        "div",
        { class: "annotate-actions" },
        el("button", { type: "submit", class: "button default" }, "Save"),
        this.mode === "edit"
          ? el(
              "button",
              { type: "button", class: "button annotate-delete", onclick: () => this.remove() },
              "Delete",
            )
          : null,
        el(
          "button",
          { type: "button", class: "button annotate-secondary", onclick: () => this.close() },
          "Cancel",
        ),
      );
    }

    setQuoteError(message) {
      if (!this.quoteError) return;
      this.quoteError.textContent = message;
      this.quoteError.hidden = !message;
    }

    async save(event) {
      event.preventDefault();
      this.form.clearErrors();
      this.setQuoteError("");
      const payload = this.form.payload();
      if (!payload) {
        announce("Check the fields marked below.", "error");
        return;
      }
      const editing = this.annotation;
      if (editing) payload.version = editing.version;
      else payload.selector = this.selector;
      const url = editing
        ? `${this.config.urls.annotations}${editing.id}/`
        : this.config.urls.annotations;
      const answer = await this.send("POST", url, payload);
      if (!answer) {
        // Someone saved it meanwhile: keep the editor's choices, and let the next save win.
        const current = this.lastFailure && this.lastFailure.annotation;
        if (editing && current) editing.version = current.version;
        return;
      }
      this.onState(answer);
      this.openExisting(answer.annotation, { focus: true });
      announce("Saved.");
    }

    /** Move an annotation (or re-attach an orphan) to the selected words; nothing else changes. */
    async attach(annotation, selector) {
      if (this.openId !== annotation.id) this.openExisting(annotation); // errors show with it
      const url = `${this.config.urls.annotations}${annotation.id}/`;
      const answer = await this.send("POST", url, { selector });
      if (!answer) return;
      this.onState(answer);
      this.openExisting(answer.annotation, { focus: true });
      announce(annotation.orphaned ? "Re-attached." : "Moved.");
    }

    async remove(annotation) {
      const target = annotation || this.annotation;
      const what = `${target.kind_label.toLowerCase()} ${quoted(target.exact, 60)}`;
      if (!window.confirm(`Delete the ${what}? This cannot be undone.`)) return;
      const answer = await this.send("DELETE", `${this.config.urls.annotations}${target.id}/`);
      if (!answer) return;
      this.onState(answer);
      if (this.mode === "choose" || this.openId === target.id) this.close();
      announce(`Deleted the ${what}.`);
    }

    /** One request; on failure the messages go next to their fields and to the live region. */
    async send(method, url, payload) {
      const buttons = this.container.querySelectorAll("button");
      buttons.forEach((button) => {
        button.disabled = true;
      });
      const { ok, data } = await request(method, url, payload);
      buttons.forEach((button) => {
        button.disabled = false;
      });
      this.lastFailure = ok ? null : data;
      if (ok) return data;
      this.showFailure(data);
      return null;
    }

    /** A refusal's messages: each next to its field, the whole in the live region. */
    showFailure(data) {
      const errors = { ...(data.errors || {}) };
      if (errors.exact) {
        this.setQuoteError(errors.exact.join(" "));
        delete errors.exact;
      }
      if (this.form) this.form.showErrors(errors);
      announce(data.message, "error");
    }
  }

  NA.Panel = Panel;
})();
