/*
 * The side list (#annotate-list): every annotation in reading order, orphans on top, each a
 * button that opens it in the panel. Orphans (their words were edited away) say so, and offer
 * to re-attach them to the current selection or to discard them.
 */
(function () {
  "use strict";
  const NA = (window.NewsroomAnnotate = window.NewsroomAnnotate || {});
  const { el, quoted } = NA.util;

  class AnnotationList {
    /** actions: {open(annotation), reattach(annotation), discard(annotation)} */
    constructor(container, actions) {
      this.container = container;
      this.actions = actions;
    }

    render(annotations, openId) {
      const orphans = annotations.filter((annotation) => annotation.orphaned).length;
      const count = annotations.length === 1 ? "1 annotation" : `${annotations.length} annotations`;
      const summary = orphans ? `${count}, ${orphans} orphaned` : count;
      const list = annotations.length
        ? el(
            "ol",
            { class: "annotate-items" },
            annotations.map((a) => this.item(a, a.id === openId)),
          )
        : el("p", { class: "annotate-placeholder" }, "No annotations yet.");
      this.container.replaceChildren(el("p", { class: "annotate-count" }, summary), list);
    }

    /** Mark the annotation open in the panel, without redrawing (which would lose focus). */
    markOpen(openId) {
      this.container.querySelectorAll(".annotate-item").forEach((item) => {
        const button = item.querySelector(".annotate-item__open");
        if (Number(item.dataset.annotationId) === openId)
          button.setAttribute("aria-current", "true");
        else button.removeAttribute("aria-current");
      });
    }

    item(annotation, isOpen) {
      const classes = ["annotate-item"];
      if (annotation.orphaned || annotation.wording_before)
        classes.push("annotate-item--orphaned");
      return el(
        "li",
        {
          class: classes.join(" "),
          "data-kind": annotation.kind,
          "data-annotation-id": annotation.id,
        },
        el(
          "button",
          {
            type: "button",
            class: "annotate-item__open",
            "aria-current": isOpen ? "true" : null,
            onclick: () => this.actions.open(annotation),
          },
          el(
            "span",
            { class: "annotate-kind", "data-kind": annotation.kind },
            annotation.kind_label,
          ),
          el("span", { class: "annotate-item__summary" }, summaryWithoutKind(annotation)),
          el("span", { class: "annotate-item__exact" }, quoted(annotation.exact, 90)),
          annotation.source_check_label
            ? el(
                "span",
                {
                  class: "annotate-item__source-check",
                  "data-source-check": annotation.source_check,
                },
                annotation.source_check_label,
              )
            : null,
        ),
        annotation.orphaned ? this.orphanTools(annotation) : null,
        annotation.wording_before ? this.wordingChange(annotation) : null,
      );
    }

    wordingChange(annotation) {
      // Someone's words changed in an edit: shown side by side until another editor confirms
      // them on the article's page, re-attaches the quote or makes it a paraphrase.
      return el(
        "div",
        { class: "annotate-orphan" },
        el("p", { class: "annotate-orphan__flag" }, "Wording changed by an edit:"),
        el("p", {}, el("del", {}, quoted(annotation.wording_before, 200))),
        el("p", {}, el("ins", {}, quoted(annotation.exact, 200))),
      );
    }

    orphanTools(annotation) {
      // Pressing a button must not clear the selection the editor made in the story.
      const keepSelection = (event) => event.preventDefault();
      return el(
        "div",
        { class: "annotate-orphan" },
        el("p", { class: "annotate-orphan__flag" }, "Orphaned: its words were edited away"),
        el(
          "div",
          { class: "annotate-orphan__actions" },
          el(
            "button",
            {
              type: "button",
              class: "button",
              onmousedown: keepSelection,
              onclick: () => this.actions.reattach(annotation),
            },
            "Re-attach to selection",
          ),
          el(
            "button",
            {
              type: "button",
              class: "button annotate-delete",
              onmousedown: keepSelection,
              onclick: () => this.actions.discard(annotation),
            },
            "Discard",
          ),
        ),
      );
    }
  }

  // The summary starts with the kind, which the list already shows as a label.
  function summaryWithoutKind(annotation) {
    const prefix = `${annotation.kind_label} — `;
    const summary = annotation.summary || "";
    return summary.startsWith(prefix) ? summary.slice(prefix.length) : "";
  }

  NA.AnnotationList = AnnotationList;
})();
