/*
 * An autocomplete field (the WAI-ARIA combobox pattern with a listbox popup) over one of the
 * Annotate screen's search endpoints: type, then pick a suggestion with the mouse or with
 * arrows and Enter; Escape closes the suggestions. Optionally the last suggestion adds what
 * was typed as a new record ("Add a new person …").
 *
 * The chosen record is `value` ({id, text} or null); typed text that was never turned into a
 * choice is `pendingText()`, so the form can say so instead of silently saving nothing.
 */
(function () {
  "use strict";
  const NA = (window.NewsroomAnnotate = window.NewsroomAnnotate || {});
  const { el, getJSON, debounce, field } = NA.util;

  const SEARCH_DELAY_MS = 150; // quick enough to feel live, slow enough not to query every key

  class Combobox {
    /**
     * name: the annotation field ("speaker"); label: its visible label; searchUrl: where to
     * search; create: optional {label(term) -> option text, run(term) -> Promise<choice|null>}.
     */
    constructor({ name, label, searchUrl, create, help }) {
      this.name = name;
      this.searchUrl = searchUrl;
      this.create = create || null;
      this.choice = null;
      this.options = []; // [{choice} | {create: true} | {empty: true}]
      this.active = -1;
      this.searchCount = 0; // answers to older searches are ignored
      this.listeners = [];
      const id = `annotate-${name.replace(/_/g, "-")}`;
      this.listbox = el("ul", {
        id: `${id}-options`,
        role: "listbox",
        class: "annotate-options",
        hidden: true,
        "aria-label": `${label} suggestions`,
      });
      this.input = el("input", {
        id,
        type: "text",
        role: "combobox",
        autocomplete: "off",
        spellcheck: "false",
        "aria-autocomplete": "list",
        "aria-expanded": "false",
        "aria-controls": this.listbox.id,
        oninput: () => this.onInput(),
        onkeydown: (event) => this.onKeydown(event),
        onblur: () => this.close(),
      });
      this.listbox.addEventListener("mousedown", (event) => event.preventDefault()); // keep focus
      this.listbox.addEventListener("click", (event) => this.onClick(event));
      const box = el("div", { class: "annotate-combobox" }, this.input, this.listbox);
      this.element = field(name, label, this.input, { help, node: box });
      this.search = debounce(() => this.runSearch(), SEARCH_DELAY_MS);
    }

    get value() {
      return this.choice;
    }

    set value(choice) {
      this.choice = choice || null;
      this.input.value = choice ? choice.text : "";
    }

    /** Text typed but not chosen: the editor meant someone the form does not know yet. */
    pendingText() {
      const text = this.input.value.trim();
      return text && !this.choice ? text : "";
    }

    onChange(listener) {
      this.listeners.push(listener);
    }

    changed() {
      this.listeners.forEach((listener) => listener(this.choice));
    }

    onInput() {
      if (this.choice) {
        this.choice = null; // editing the text drops the choice it showed
        this.changed();
      }
      if (this.input.value.trim()) this.search();
      else this.close();
    }

    async runSearch() {
      const term = this.input.value.trim();
      if (!term) return;
      const count = ++this.searchCount;
      const { ok, data } = await getJSON(`${this.searchUrl}${this.name}/`, { term });
      if (count !== this.searchCount || document.activeElement !== this.input) return;
      const results = ok ? data.results || [] : [];
      this.options = results.map((choice) => ({ choice }));
      if (this.create) this.options.push({ create: true, term });
      if (!this.options.length) this.options.push({ empty: true, term });
      this.render();
    }

    render() {
      this.listbox.replaceChildren(
        ...this.options.map((option, index) => this.renderOption(option, index)),
      );
      this.active = -1;
      this.listbox.hidden = false;
      this.input.setAttribute("aria-expanded", "true");
      this.input.removeAttribute("aria-activedescendant");
    }

    renderOption(option, index) {
      let text;
      if (option.choice) text = option.choice.text;
      else if (option.create) text = this.create.label(option.term);
      else text = `No match for “${option.term}”`;
      return el(
        "li",
        {
          id: `${this.input.id}-option-${index}`,
          role: "option",
          "aria-selected": "false",
          "aria-disabled": option.empty ? "true" : null,
          "data-index": index,
          class: option.create ? "annotate-option annotate-option--create" : "annotate-option",
        },
        text,
      );
    }

    isOpen() {
      return !this.listbox.hidden;
    }

    close() {
      this.searchCount += 1; // a search still under way must not reopen the list
      this.listbox.hidden = true;
      this.input.setAttribute("aria-expanded", "false");
      this.input.removeAttribute("aria-activedescendant");
      this.active = -1;
    }

    move(step) {
      const count = this.options.length;
      if (!count) return;
      this.active = (this.active + step + count) % count;
      this.listbox.querySelectorAll("[role=option]").forEach((item, index) => {
        item.setAttribute("aria-selected", String(index === this.active));
        if (index === this.active) {
          this.input.setAttribute("aria-activedescendant", item.id);
          item.scrollIntoView({ block: "nearest" });
        }
      });
    }

    onKeydown(event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!this.isOpen()) this.runSearch();
        else this.move(event.key === "ArrowDown" ? 1 : -1);
      } else if (event.key === "Enter" && this.isOpen()) {
        // Enter picks a suggestion; it must not submit the form around the field.
        event.preventDefault();
        if (this.active >= 0) this.pick(this.options[this.active]);
      } else if (event.key === "Escape" && this.isOpen()) {
        event.preventDefault();
        event.stopPropagation(); // close the suggestions, not the panel
        this.close();
      }
    }

    onClick(event) {
      const item = event.target.closest("[role=option]");
      if (item) this.pick(this.options[Number(item.dataset.index)]);
    }

    async pick(option) {
      if (!option || option.empty) return;
      this.close();
      if (option.create) {
        const choice = await this.create.run(option.term);
        if (!choice) return;
        this.value = choice;
      } else {
        this.value = option.choice;
      }
      this.changed();
    }
  }

  NA.Combobox = Combobox;
})();
