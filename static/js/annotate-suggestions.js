/*
 * Suggestions on the Annotate screen: "Suggest" asks the server what the attribution assistant
 * proposes (quotes and paraphrases, their speaker resolved to the newsroom's people and the
 * position held). They show as dashed highlights in the story and as a list (#annotate-
 * suggestions); one opens in the panel, to accept, edit then accept, or reject. Accepting is
 * the screen's ordinary save; a speaker not on record is added as a new person only then.
 */
(function () {
  "use strict";
  const NA = (window.NewsroomAnnotate = window.NewsroomAnnotate || {});
  const { el, request, getJSON, announce, quoted } = NA.util;

  const DEFAULT_CONFIDENCE = "0.8";

  class Suggestions {
    /** screen: the AnnotateScreen, whose update() redraws the body, list and suggestions. */
    constructor({ config, screen, panel, container }) {
      this.config = config;
      this.screen = screen;
      this.panel = panel;
      this.container = container;
      this.items = null; // null until the editor asks for suggestions
      this.openKey = null;
      this.controls = this.buildControls();
    }

    get active() {
      return this.items !== null;
    }

    buildControls() {
      this.suggestButton = el(
        "button",
        { type: "button", class: "button", id: "annotate-suggest", onclick: () => this.load({ announce: true }) },
        "Suggest",
      );
      this.confidence = el("input", {
        id: "annotate-suggest-confidence",
        type: "number",
        min: 0,
        max: 1,
        step: 0.05,
        value: DEFAULT_CONFIDENCE,
      });
      this.acceptAllButton = el(
        "button",
        {
          type: "button",
          class: "button",
          id: "annotate-accept-all",
          onclick: () => this.acceptAll(),
        },
        "Accept all at or above",
      );
      this.bulk = el(
        "span",
        { class: "annotate-suggest-bulk", hidden: true },
        this.acceptAllButton,
        el("label", { for: this.confidence.id }, "confidence"),
        this.confidence,
      );
      return el("span", { class: "annotate-suggest-tools" }, this.suggestButton, this.bulk);
    }

    /** Fetch the suggestions; `announce` says how many (after a save, its message stands). */
    async load({ announce: say } = {}) {
      const { ok, data } = await getJSON(this.config.urls.suggestions);
      if (!ok) {
        announce(data.message, "error");
        return;
      }
      this.screen.update(data);
      if (!say) return;
      const count = this.items.length;
      announce(count === 1 ? "1 suggestion." : `${count} suggestions.`);
    }

    /** Suggestions from the server (with the body that highlights them), or null to reload. */
    show(items) {
      this.items = items;
      this.bulk.hidden = false;
      if (this.openKey && !this.find(this.openKey) && this.panel.mode === "suggestion") {
        this.panel.close();
      }
      this.render();
      this.markOpen(this.panel.mode === "suggestion" ? this.openKey : null);
    }

    find(key) {
      return (this.items || []).find((item) => item.key === key) || null;
    }

    render() {
      const items = this.items || [];
      const heading = el("h2", {}, items.length ? `Suggestions (${items.length})` : "Suggestions");
      const list = items.length
        ? el(
            "ol",
            { class: "annotate-items annotate-suggestion-items" },
            items.map((item) =>
              el(
                "li",
                { class: "annotate-item", "data-kind": item.kind, "data-suggestion": item.key },
                el(
                  "button",
                  {
                    type: "button",
                    class: "annotate-item__open",
                    onclick: () => this.open(item.key, { focus: true, scroll: true }),
                  },
                  el("span", { class: "annotate-kind", "data-kind": item.kind }, item.kind_label),
                  el("span", { class: "annotate-item__summary" }, whoSaid(item)),
                  el("span", { class: "annotate-item__exact" }, quoted(item.exact, 90)),
                ),
              ),
            ),
          )
        : el("p", { class: "annotate-placeholder" }, "Nothing to suggest.");
      this.container.replaceChildren(heading, list);
      this.container.hidden = false;
    }

    open(key, { focus, scroll } = {}) {
      const item = this.find(key);
      if (!item) return;
      this.openKey = key;
      this.panel.openSuggestion(item, {
        accept: () => this.accept(item),
        edit: () => this.edit(item),
        reject: () => this.reject(item),
        details: this.details(item),
      });
      this.markOpen(key);
      if (focus) this.panel.heading.focus();
      const first = this.body().querySelector(`[data-suggestion="${key}"]`);
      if (scroll && first) first.scrollIntoView({ block: "center" });
    }

    body() {
      return document.getElementById("annotate-body");
    }

    markOpen(key) {
      this.body()
        .querySelectorAll(".annotation--suggestion.is-open")
        .forEach((span) => span.classList.remove("is-open"));
      if (!key) return;
      this.body()
        .querySelectorAll(`[data-suggestion="${key}"]`)
        .forEach((span) => span.classList.add("is-open"));
    }

    /** What the suggestion proposes, as [term, description] pairs for the panel. */
    details(item) {
      const speaker = item.speaker || item.speaker_organization;
      let who = speaker ? speaker.text : "Not found: choose the speaker";
      if (!speaker && item.speaker_name) {
        who = `${item.speaker_name} (not on record: accepting adds them as a new person)`;
      }
      return [
        ["Kind", item.kind_label],
        ["Speaker", who],
        ["Position", item.position ? item.position.text : "None on record for that date"],
        ["Confidence", item.confidence.toFixed(2)],
      ];
    }

    /** Accept as proposed: the ordinary save; what it lacks (a source) is asked in the panel. */
    async accept(item) {
      let speaker = item.speaker;
      if (!speaker && !item.speaker_organization && item.speaker_name) {
        const added = await request("POST", this.config.urls.people, { name: item.speaker_name });
        if (!added.ok) {
          this.edit(item);
          announce(added.data.message, "error");
          return;
        }
        speaker = item.speaker = added.data;
      }
      const { ok, data } = await request("POST", this.config.urls.annotations, {
        kind: item.kind,
        selector: selectorOf(item),
        speaker: speaker ? speaker.id : null,
        speaker_organization: item.speaker_organization ? item.speaker_organization.id : null,
        position: item.position ? item.position.id : null,
      });
      if (!ok) {
        this.edit(item);
        this.panel.showFailure(data);
        return;
      }
      this.screen.update(data);
      this.panel.openExisting(data.annotation, { focus: true });
      announce(`Accepted the ${item.kind_label.toLowerCase()}.`);
    }

    /** Open the suggestion as a new annotation, filled in, to change before saving. */
    edit(item) {
      this.openKey = null;
      this.markOpen(null);
      this.panel.openPrefilled(selectorOf(item), {
        kind: item.kind,
        speaker: item.speaker,
        speaker_organization: item.speaker_organization,
        position: item.position,
        speaker_name: item.speaker_name,
      });
    }

    async reject(item) {
      const { ok, data } = await request("POST", this.config.urls.rejections, {
        kind: item.kind,
        selector: selectorOf(item),
      });
      if (!ok) {
        announce(data.message, "error");
        return;
      }
      this.panel.close();
      this.screen.update(data);
      announce(data.message);
    }

    async acceptAll() {
      const value = Number(this.confidence.value);
      if (this.confidence.value === "" || !(value >= 0 && value <= 1)) {
        announce("Give the lowest confidence to accept as a number from 0 to 1.", "error");
        this.confidence.focus();
        return;
      }
      this.acceptAllButton.disabled = true;
      const { ok, data } = await request("POST", this.config.urls.acceptances, {
        min_confidence: value,
      });
      this.acceptAllButton.disabled = false;
      if (!ok) {
        announce(data.message, "error");
        return;
      }
      if (this.panel.mode === "suggestion") this.panel.close();
      this.screen.update(data);
      announce(data.message);
    }
  }

  function selectorOf(item) {
    const { exact, prefix, suffix, start, end } = item;
    return { exact, prefix, suffix, start, end };
  }

  function whoSaid(item) {
    const speaker = item.speaker || item.speaker_organization;
    const who = speaker ? speaker.text : item.speaker_name || "speaker unknown";
    return `${who} · ${item.confidence.toFixed(2)}`;
  }

  NA.Suggestions = Suggestions;
})();
