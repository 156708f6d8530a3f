/*
 * The fields of one annotation: its kind, who said it (speaker, position at the time,
 * organisation or description for an unnamed speaker, source), what it mentions, and a note.
 * Only the fields the chosen kind needs are shown. The form knows nothing of saving; the
 * panel (annotate-panel.js) reads `payload()` and hands server errors to `showErrors()`.
 */
(function () {
  "use strict";
  const NA = (window.NewsroomAnnotate = window.NewsroomAnnotate || {});
  const { el, request, getJSON, announce, field, setFieldError } = NA.util;

  const LINK_FIELDS = [
    "speaker",
    "speaker_organization",
    "source",
    "mentioned_person",
    "mentioned_organization",
    "mentioned_place",
  ];
  // Which group of fields each kind shows; the server asks for the same ones.
  const GROUPS_BY_KIND = {
    quote: ["speaker"],
    paraphrase: ["speaker"],
    mention: ["mention"],
    claim: ["note"],
    note: ["note"],
  };

  class AnnotationForm {
    constructor(config, annotation) {
      this.config = config;
      this.positionRequests = 0;
      this.positionsReady = false;
      this.links = {};
      this.wrappers = {}; // field name -> wrapper, where its error message goes
      this.element = this.build(annotation || {});
      this.fill(annotation);
      this.showGroupsForKind();
    }

    build(annotation) {
      this.kind = el(
        "select",
        { id: "annotate-kind", onchange: () => this.showGroupsForKind() },
        this.config.kinds.map(([value, label]) => el("option", { value }, label)),
      );
      this.kind.value = annotation.kind || "quote";
      const element = el(
        "div",
        { class: "annotate-fields" },
        this.wrap("kind", "Kind", this.kind),
        this.speakerGroup(),
        this.mentionGroup(),
        this.noteGroup(),
      );
      this.links.speaker.onChange(() => this.refreshPositions());
      this.links.source.onChange(() => this.refreshPositions());
      return element;
    }

    addPersonOption(name) {
      return {
        label: (term) => `Add a new person “${term}”`,
        run: (term) => this.addPerson(term, name),
      };
    }

    // Quotes and paraphrases: who said it, in which position, on what evidence.
    speakerGroup() {
      this.position = el("select", { id: "annotate-position" });
      this.speakerDescription = el("input", {
        id: "annotate-speaker-description",
        type: "text",
        maxlength: 300,
      });
      this.sourceForm = new NA.SourceForm(this.config, (choice) => this.sourceAdded(choice));
      return el(
        "fieldset",
        { class: "annotate-group", "data-group": "speaker" },
        el("legend", {}, "Who said it"),
        this.combobox("speaker", "Speaker", {
          create: this.addPersonOption("speaker"),
          help: "Search by name or alias.",
        }),
        this.wrap(
          "position",
          "Position at the time",
          this.position,
          "Held on the source’s date, else the article’s; change it if the story says otherwise.",
        ),
        el(
          "fieldset",
          { class: "annotate-subgroup" },
          el("legend", {}, "Or, for an unnamed speaker"),
          this.combobox("speaker_organization", "Organisation they speak for"),
          this.wrap(
            "speaker_description",
            "How the story describes them",
            this.speakerDescription,
            "For example: “sources within the administration”.",
          ),
        ),
        this.combobox("source", "Source", {
          create: {
            label: (term) => `Add a new source “${term}”…`,
            run: (term) => this.sourceForm.open(term),
          },
          help: "Where the words come from: a document, a report, an interview.",
        }),
        this.sourceForm.element,
      );
    }

    mentionGroup() {
      return el(
        "fieldset",
        { class: "annotate-group", "data-group": "mention" },
        el("legend", {}, "What it mentions"),
        this.combobox("mentioned_person", "Person", {
          create: this.addPersonOption("mentioned_person"),
        }),
        this.combobox("mentioned_organization", "Organisation"),
        this.combobox("mentioned_place", "Place"),
      );
    }

    noteGroup() {
      this.note = el("textarea", { id: "annotate-note", rows: 3 });
      return el(
        "div",
        { class: "annotate-group", "data-group": "note" },
        this.wrap("note", "Note", this.note, "What to check, or what to tell the desk."),
      );
    }

    wrap(name, label, control, help) {
      this.wrappers[name] = field(name, label, control, { help });
      return this.wrappers[name];
    }

    combobox(name, label, options) {
      const box = new NA.Combobox({ name, label, searchUrl: this.config.urls.search, ...options });
      this.links[name] = box;
      this.wrappers[name] = box.element;
      return box.element;
    }

    fill(annotation) {
      if (!annotation) {
        this.refreshPositions();
        return;
      }
      LINK_FIELDS.forEach((name) => {
        this.links[name].value = annotation[name];
      });
      this.speakerDescription.value = annotation.speaker_description || "";
      this.note.value = annotation.note || "";
      // An existing annotation shows the position it has, not today's default.
      this.refreshPositions(annotation.position ? annotation.position : null);
    }

    showGroupsForKind() {
      const shown = GROUPS_BY_KIND[this.kind.value] || [];
      this.element.querySelectorAll("[data-group]").forEach((group) => {
        group.hidden = !shown.includes(group.dataset.group);
      });
    }

    isShown(name) {
      const wrapper = this.wrappers[name];
      return wrapper && !wrapper.closest("[hidden]");
    }

    /** The positions the speaker held; the default (or `keep`) selected. */
    async refreshPositions(keep) {
      const count = ++this.positionRequests;
      const speaker = this.links.speaker.value;
      this.positionsReady = !speaker;
      if (!speaker) {
        this.position.replaceChildren(el("option", { value: "" }, "Choose a speaker first"));
        return;
      }
      const source = this.links.source.value;
      const { ok, data } = await getJSON(this.config.urls.positions, {
        speaker: speaker.id,
        source: source ? source.id : "",
      });
      if (count !== this.positionRequests) return; // the speaker or source changed meanwhile
      const positions = ok ? data.positions : [];
      if (keep && !positions.some((position) => position.id === keep.id)) positions.push(keep);
      this.position.replaceChildren(
        el("option", { value: "" }, positions.length ? "Not stated" : "No positions on record"),
        ...positions.map((position) => el("option", { value: position.id }, position.text)),
      );
      const selected = keep === undefined ? data.default : keep && keep.id;
      this.position.value = selected ? String(selected) : "";
      this.positionsReady = true;
    }

    async addPerson(name, fieldName) {
      const { ok, data } = await request("POST", this.config.urls.people, { name });
      setFieldError(this.wrappers[fieldName], ok ? "" : data.message);
      if (!ok) {
        announce(data.message, "error");
        return null;
      }
      announce(`Added ${data.text}.`);
      return data;
    }

    sourceAdded(choice) {
      this.links.source.value = choice;
      this.links.source.changed();
      this.links.source.input.focus();
    }

    /**
     * What to send: the fields the kind shows; hidden link fields are cleared so the stored
     * annotation is what the editor saw. The note is kept whatever the kind. Returns null,
     * with the fields marked, when a name was typed but never chosen from the suggestions.
     */
    payload() {
      const kind = this.kind.value;
      const payload = { kind, note: this.note.value };
      let missing = null;
      for (const name of LINK_FIELDS) {
        const box = this.links[name];
        const shown = this.isShown(name);
        if (shown && box.pendingText()) {
          setFieldError(
            box.element,
            `Choose “${box.pendingText()}” from the suggestions, or add it as new.`,
          );
          missing = missing || box.input;
        }
        payload[name] = shown && box.value ? box.value.id : null;
      }
      const speakerShown = this.isShown("speaker");
      payload.speaker_description = speakerShown ? this.speakerDescription.value : "";
      payload.position = speakerShown && this.position.value ? Number(this.position.value) : null;
      // Saved before the positions arrived: leave the position as it is, not cleared.
      if (speakerShown && !this.positionsReady) delete payload.position;
      if (missing) {
        missing.focus();
        return null;
      }
      return payload;
    }

    clearErrors() {
      Object.values(this.wrappers).forEach((wrapper) => setFieldError(wrapper, ""));
    }

    /** Put each field's messages under it; return what no shown field could take. */
    showErrors(errors) {
      const unplaced = {};
      let first = null;
      for (const [name, messages] of Object.entries(errors || {})) {
        if (this.isShown(name)) {
          setFieldError(this.wrappers[name], messages.join(" "));
          first = first || this.wrappers[name].querySelector("input, select, textarea");
        } else {
          unplaced[name] = messages;
        }
      }
      if (first) first.focus();
      return unplaced;
    }
  }

  /**
   * "Add a new source" without leaving the screen: kind, title, address, and for an anonymous
   * source the justification the desk requires. Not a <form> of its own (forms do not nest):
   * Enter in its fields adds the source instead of saving the annotation.
   */
  class SourceForm {
    constructor(config, onAdded) {
      this.config = config;
      this.onAdded = onAdded;
      this.kind = el(
        "select",
        { id: "annotate-new-source-kind", onchange: () => this.showJustification() },
        config.source_kinds.map(([value, label]) => el("option", { value }, label)),
      );
      this.title = el("input", { id: "annotate-new-source-title", type: "text", maxlength: 300 });
      this.url = el("input", {
        id: "annotate-new-source-url",
        type: "url",
        placeholder: "https://",
      });
      this.justification = el("textarea", { id: "annotate-new-source-justification", rows: 3 });
      this.wrappers = {
        kind: field("kind", "Kind of source", this.kind),
        title: field("title", "Title", this.title),
        url: field("url", "Address (optional)", this.url),
        anonymity_justification: field(
          "anonymity_justification",
          "Why the source stays anonymous",
          this.justification,
          { help: "Required for an anonymous source." },
        ),
      };
      this.element = el(
        "fieldset",
        {
          class: "annotate-new-source",
          id: "annotate-new-source",
          hidden: true,
          onkeydown: (event) => this.onKeydown(event),
        },
        el("legend", {}, "New source"),
        Object.values(this.wrappers),
        el(
          "div",
          { class: "annotate-actions" },
          el(
            "button",
            { type: "button", class: "button", onclick: () => this.submit() },
            "Add source",
          ),
          el(
            "button",
            { type: "button", class: "button annotate-secondary", onclick: () => this.cancel() },
            "Cancel",
          ),
        ),
      );
      this.showJustification();
    }

    open(title) {
      this.title.value = title || "";
      this.element.hidden = false;
      this.kind.focus();
      return Promise.resolve(null); // the choice comes later, from submit()
    }

    cancel() {
      this.element.hidden = true;
      document.getElementById("annotate-source").focus();
    }

    showJustification() {
      this.wrappers.anonymity_justification.hidden = this.kind.value !== "anonymous";
    }

    onKeydown(event) {
      if (event.key === "Enter" && event.target.tagName === "INPUT") {
        event.preventDefault();
        this.submit();
      } else if (event.key === "Escape") {
        event.stopPropagation();
        this.cancel();
      }
    }

    async submit() {
      Object.values(this.wrappers).forEach((wrapper) => setFieldError(wrapper, ""));
      const { ok, data } = await request("POST", this.config.urls.sources, {
        kind: this.kind.value,
        title: this.title.value,
        url: this.url.value,
        anonymity_justification: this.kind.value === "anonymous" ? this.justification.value : "",
      });
      if (!ok) {
        for (const [name, messages] of Object.entries(data.errors || {})) {
          if (this.wrappers[name]) setFieldError(this.wrappers[name], messages.join(" "));
        }
        announce(data.message, "error");
        return;
      }
      this.element.hidden = true;
      [this.title, this.url, this.justification].forEach((control) => {
        control.value = "";
      });
      announce(`Added the source ${data.text}.`);
      this.onAdded(data);
    }
  }

  NA.AnnotationForm = AnnotationForm;
  NA.SourceForm = SourceForm;
})();
