/*
 * The Annotate screen: select words in the story (#annotate-body) with the mouse or the
 * keyboard, then describe them in the panel; click a highlight to edit it. The other parts
 * are loaded before this file: annotate-util.js, annotate-combobox.js, annotate-form.js,
 * annotate-panel.js, annotate-list.js, and plain-text.js, which turns a selection into the
 * offsets the server checks against its own copy of the text.
 */
(function () {
  "use strict";
  const NA = window.NewsroomAnnotate;
  const PlainText = window.NewsroomPlainText;
  const PARTS = [
    "util",
    "Combobox",
    "AnnotationForm",
    "SourceForm",
    "Panel",
    "AnnotationList",
    "Suggestions",
  ];
  if (!PlainText || !NA || PARTS.some((part) => !NA[part])) {
    throw new Error(
      "annotate.js needs plain-text.js, annotate-util.js, annotate-combobox.js, " +
        "annotate-form.js, annotate-panel.js, annotate-list.js and annotate-suggestions.js " +
          "loaded before it.",
    );
  }
  const { el, announce } = NA.util;

  // Arrow keys move a caret through the story (or, with Shift, extend the selection), since a
  // browser without caret browsing does neither in text that is not editable.
  const KEY_MOVES = {
    ArrowLeft: ["backward", "character"],
    ArrowRight: ["forward", "character"],
    ArrowUp: ["backward", "line"],
    ArrowDown: ["forward", "line"],
    Home: ["backward", "lineboundary"],
    End: ["forward", "lineboundary"],
  };

  class AnnotateScreen {
    constructor(config, body) {
      this.config = config;
      this.body = body;
      this.annotations = config.annotations;
      this.projection = null; // the body's plain text, until the body is replaced
      this.lastSelection = null; // the last words selected in the story, while still selected
      this.list = new NA.AnnotationList(document.getElementById("annotate-list"), {
        open: (annotation) => this.open(annotation),
        reattach: (annotation) => this.reattach(annotation),
        discard: (annotation) => this.panel.remove(annotation),
      });
      this.panel = new NA.Panel({
        config,
        container: document.getElementById("annotate-panel"),
        onState: (answer) => this.update(answer),
        onShow: (id) => this.markOpen(id),
      });
      this.suggestions = new NA.Suggestions({
        config,
        screen: this,
        panel: this.panel,
        container: document.getElementById("annotate-suggestions"),
      });
      this.prepareBody();
      this.list.render(this.annotations, null);
      this.checkText();
    }

    prepareBody() {
      const body = this.body;
      body.before(this.toolbar());
      body.tabIndex = 0;
      body.setAttribute("aria-label", "Story text");
      body.setAttribute("aria-describedby", "annotate-keyboard-help");
      // A drag that starts in the story may end anywhere on the page.
      body.addEventListener("mousedown", () => {
        this.dragging = true;
      });
      document.addEventListener("mouseup", () => {
        if (!this.dragging) return;
        this.dragging = false;
        window.setTimeout(() => this.selectionEnded(), 0); // once the browser has settled it
      });
      body.addEventListener("keydown", (event) => this.onKeydown(event));
      body.addEventListener("click", (event) => this.onClick(event));
      body.addEventListener("focus", () => this.ensureCaret());
      body.addEventListener("blur", () => this.paintCaret());
      document.addEventListener("selectionchange", () => this.onSelectionChange());
    }

    toolbar() {
      this.annotateButton = el(
        "button",
        {
          type: "button",
          class: "button",
          id: "annotate-selection-button",
          "aria-disabled": "true",
          onmousedown: (event) => event.preventDefault(), // keep the story's selection
          onclick: () => this.annotateSelection(),
        },
        "Annotate selection",
      );
      const legend = this.config.kinds.map(([kind, label]) =>
        el("li", { class: "annotate-kind", "data-kind": kind }, label),
      );
      return el(
        "div",
        { class: "annotate-toolbar" },
        this.annotateButton,
        this.suggestions.controls,
        el(
          "p",
          { class: "annotate-help-text", id: "annotate-keyboard-help" },
          "Keyboard: focus the story, move with the arrow keys, select with Shift and the arrows, " +
            "then press Enter.",
        ),
        el("ul", { class: "annotate-legend", "aria-label": "Highlight colours" }, legend),
      );
    }

    // A page whose text is not the server's would make every selection fail: say so at once.
    checkText() {
      if (this.project().chars.length !== this.config.plain_text_length) {
        announce(
          "This page’s text differs from the article’s: reload the page before annotating.",
          "error",
        );
      }
    }

    project() {
      this.projection = this.projection || PlainText.project(this.body);
      return this.projection;
    }

    /** The selected words of the story as a selector, or null when none are selected. */
    currentSelector() {
      const selection = window.getSelection();
      if (!selection.rangeCount || selection.isCollapsed) return null;
      const range = selection.getRangeAt(0);
      if (!range.intersectsNode(this.body)) return null;
      const projection = this.project();
      const offsets = PlainText.rangeToOffsets(this.body, range, projection);
      return offsets && PlainText.describe(projection.text, offsets.start, offsets.end);
    }

    onSelectionChange() {
      if (this.selectionFrame) return;
      // Selecting with the mouse fires this for every pixel: look once per frame at most.
      this.selectionFrame = window.requestAnimationFrame(() => {
        this.selectionFrame = null;
        const selector = this.currentSelector();
        const selection = window.getSelection();
        if (selector) this.lastSelection = selector;
        else if (selection.isCollapsed && this.body.contains(selection.anchorNode))
          this.lastSelection = null;
        this.annotateButton.setAttribute("aria-disabled", String(!this.lastSelection));
        this.paintCaret();
      });
    }

    /** A mouse or keyboard selection has ended: show it in the panel, keeping focus here. */
    selectionEnded() {
      const selector = this.currentSelector();
      if (selector) {
        this.lastSelection = selector;
        this.panel.offerSelection(selector);
      }
    }

    /** "Annotate selection" (the button, or Enter in the story): open the form and go to it. */
    annotateSelection() {
      const selector = this.currentSelector() || this.lastSelection;
      if (!selector) {
        announce("Select some words in the story first.", "error");
        return;
      }
      if (this.panel.mode === "edit") this.panel.offerSelection(selector);
      else this.panel.openNew(selector, { focus: true });
    }

    reattach(annotation) {
      const selector = this.currentSelector() || this.lastSelection;
      if (!selector) {
        announce(
          "Select the words in the story first, then choose “Re-attach to selection”.",
          "error",
        );
        return;
      }
      this.panel.attach(annotation, selector);
    }

    onKeydown(event) {
      const move = KEY_MOVES[event.key];
      if (move && !event.metaKey) {
        event.preventDefault();
        this.ensureCaret();
        const [direction, granularity] = move;
        const unit =
          (event.ctrlKey || event.altKey) && granularity === "character" ? "word" : granularity;
        window.getSelection().modify(event.shiftKey ? "extend" : "move", direction, unit);
        if (event.shiftKey) this.selectionEnded();
      } else if (event.key === "Enter") {
        event.preventDefault(); // a link in the story must not take the editor away
        if (this.currentSelector()) this.annotateSelection();
        else this.openAt(window.getSelection().anchorNode, { focus: true });
      }
    }

    onClick(event) {
      if (event.target.closest("a")) event.preventDefault(); // links here are for annotating
      if (!window.getSelection().isCollapsed) return; // the end of a drag, handled on mouseup
      this.openAt(event.target, {});
    }

    /** Open the annotations covering `node`: the one, or a choice, innermost first. */
    openAt(node, { focus }) {
      const ids = [];
      let element = node && (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement);
      // A suggestion inside (or over) the annotations there is what the click meant.
      const suggestion = element && element.closest("[data-suggestion]");
      const marked = element && element.closest("[data-annotation-id]");
      if (suggestion && this.body.contains(suggestion) && !(marked && suggestion.contains(marked))) {
        this.suggestions.open(suggestion.dataset.suggestion, { focus });
        return;
      }
      while (element && element !== this.body && this.body.contains(element)) {
        const id = Number(element.dataset.annotationId);
        if (id && !ids.includes(id)) ids.push(id);
        element = element.parentElement;
      }
      const found = ids.map((id) => this.annotations.find((a) => a.id === id)).filter(Boolean);
      if (found.length === 1) this.panel.openExisting(found[0], { focus });
      else if (found.length > 1) this.panel.openChoice(found);
    }

    open(annotation) {
      this.panel.openExisting(annotation, { focus: true });
      const first = this.body.querySelector(`[data-annotation-id="${annotation.id}"]`);
      if (first) first.scrollIntoView({ block: "center" });
    }

    /**
     * The server's answer to a write: its annotations and the body re-rendered with them, and
     * with the suggestions left when it holds them; else, while suggestions show, fetch them.
     */
    update(answer) {
      this.annotations = answer.annotations;
      this.body.innerHTML = answer.body_html;
      this.projection = null;
      this.lastSelection = null;
      this.list.render(this.annotations, this.panel.openId);
      this.markOpen(this.panel.openId);
      if (answer.suggestions) this.suggestions.show(answer.suggestions);
      else if (this.suggestions.active) this.suggestions.load();
    }

    markOpen(id) {
      this.body
        .querySelectorAll(".annotation.is-open")
        .forEach((span) => span.classList.remove("is-open"));
      if (id) {
        this.body
          .querySelectorAll(`[data-annotation-id="${id}"]`)
          .forEach((span) => span.classList.add("is-open"));
      }
      this.list.markOpen(id);
      if (this.suggestions && this.panel.mode !== "suggestion") this.suggestions.markOpen(null);
    }

    // With no selection in the story yet, the keyboard starts from its first word.
    ensureCaret() {
      const selection = window.getSelection();
      if (selection.rangeCount && this.body.contains(selection.anchorNode)) return;
      const walker = document.createTreeWalker(this.body, NodeFilter.SHOW_TEXT);
      let node = walker.nextNode();
      while (node && !node.data.trim()) node = walker.nextNode();
      if (node) selection.collapse(node, node.data.length - node.data.trimStart().length);
    }

    /** Show where the keyboard caret is (text that is not editable draws none). */
    paintCaret() {
      if (!(window.CSS && CSS.highlights && window.Highlight)) return;
      const selection = window.getSelection();
      const node = selection.focusNode;
      const inBody =
        document.activeElement === this.body && selection.isCollapsed && this.body.contains(node);
      if (
        !inBody ||
        node.nodeType !== Node.TEXT_NODE ||
        selection.focusOffset >= node.data.length
      ) {
        CSS.highlights.delete("annotate-caret");
        return;
      }
      const range = document.createRange();
      const next = node.data.codePointAt(selection.focusOffset) > 0xffff ? 2 : 1;
      range.setStart(node, selection.focusOffset);
      range.setEnd(node, selection.focusOffset + next);
      CSS.highlights.set("annotate-caret", new Highlight(range));
    }
  }

  function start() {
    const config = document.getElementById("annotate-config");
    const body = document.getElementById("annotate-body");
    if (config && body) NA.screen = new AnnotateScreen(JSON.parse(config.textContent), body);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
