/*
 * The plain text of an article body, computed in the browser exactly as the server computes it
 * (articles/anchoring.py, `plain_text`), with a map from every plain-text character back to the
 * DOM. Annotations are offsets into that text, so the two definitions must never drift apart:
 * the browser tests compare them on tricky bodies.
 *
 * Offsets count Unicode code points (as Python's str does), never UTF-16 units, so an emoji
 * before a span does not shift it.
 *
 * Exposes window.NewsroomPlainText = {project, rangeToOffsets, offsetsToRange, describe}.
 */
(function () {
  "use strict";

  // Keep in step with BLOCK_TAGS, HIDDEN_TAGS and WHITESPACE in articles/anchoring.py.
  // prettier-ignore
  const BLOCK_TAGS = new Set([
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
    "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "ul",
  ]);
  const HIDDEN_TAGS = new Set(["script", "style", "template"]);
  // ASCII whitespace only: a non-breaking space is a character the reader sees, and is kept.
  const WHITESPACE = new Set([" ", "\t", "\n", "\r", "\f"]);
  const CONTEXT_SIZE = 32;

  /* The state machine of anchoring._Projector: pending breaks and spaces are written only
   * before the next visible character, and never at the start. */
  class Projector {
    constructor() {
      this.chars = []; // one entry per code point of the plain text
      this.points = []; // points[i]: where chars[i] came from, or null for an inserted break
      this.pendingSpace = false;
      this.pendingBreaks = 0;
    }

    blockBoundary() {
      this.pendingBreaks = 2;
    }

    // Each <br> is a line of its own; two or more in a row make a blank line, never more.
    lineBreak() {
      this.pendingBreaks = Math.min(this.pendingBreaks + 1, 2);
    }

    text(node) {
      let offset = 0; // in UTF-16 units, what DOM ranges count
      for (const char of node.data) {
        if (WHITESPACE.has(char)) {
          this.pendingSpace = true;
        } else {
          this.flushPending();
          this.chars.push(char);
          this.points.push({ node, offset, length: char.length });
        }
        offset += char.length;
      }
    }

    flushPending() {
      if (this.chars.length) {
        if (this.pendingBreaks) {
          for (let i = 0; i < this.pendingBreaks; i += 1) this.push("\n");
        } else if (this.pendingSpace) {
          this.push(" ");
        }
      }
      this.pendingSpace = false;
      this.pendingBreaks = 0;
    }

    push(separator) {
      this.chars.push(separator);
      this.points.push(null);
    }
  }

  function isSkipped(element) {
    const tag = element.localName;
    return HIDDEN_TAGS.has(tag) || element.getAttribute("data-plain-text") === "skip";
  }

  // The root itself is the container, not part of the body: only its contents are walked.
  function walk(parent, projector) {
    for (let node = parent.firstChild; node; node = node.nextSibling) {
      if (node.nodeType === Node.TEXT_NODE || node.nodeType === Node.CDATA_SECTION_NODE) {
        projector.text(node);
      } else if (node.nodeType === Node.ELEMENT_NODE && !isSkipped(node)) {
        const tag = node.localName;
        if (BLOCK_TAGS.has(tag)) projector.blockBoundary();
        else if (tag === "br") projector.lineBreak();
        walk(node, projector);
        if (BLOCK_TAGS.has(tag)) projector.blockBoundary();
      }
      // Comments and processing instructions contribute nothing, as on the server.
    }
  }

  /** The plain text of `root`'s contents, and for each code point the DOM point it came from. */
  function project(root) {
    const projector = new Projector();
    walk(root, projector);
    return { text: projector.chars.join(""), chars: projector.chars, points: projector.points };
  }

  // Indexes of the characters that came from the DOM, in document order.
  function sourcedIndexes(points) {
    const indexes = [];
    points.forEach((point, index) => {
      if (point) indexes.push(index);
    });
    return indexes;
  }

  // The first position in `indexes` for which `isAfter` holds (isAfter is monotone).
  function firstWhere(indexes, isAfter) {
    let low = 0;
    let high = indexes.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (isAfter(indexes[middle])) high = middle;
      else low = middle + 1;
    }
    return low;
  }

  /**
   * The code-point offsets {start, end} of the text a DOM Range selects, or null when it
   * selects no visible character inside `root`. The span is trimmed to start and end on
   * non-whitespace characters the user actually selected, so a selection that overshoots a
   * word by a space (or a paragraph break) does not drag the span outward. `projection`, if
   * given, is project(root) made since the root last changed.
   */
  function rangeToOffsets(root, range, projection) {
    if (!range || range.collapsed) return null;
    const { chars, points } = projection || project(root); // a caller may reuse a projection
    const indexes = sourcedIndexes(points);
    // A character is selected when it starts at or after the range's start...
    const first = firstWhere(indexes, (i) => !startsBefore(range, points[i]));
    // ...and ends at or before the range's end.
    const pastLast = firstWhere(indexes, (i) => endsAfter(range, points[i]));
    let start = first;
    let end = pastLast - 1;
    while (start <= end && isBlank(chars[indexes[start]])) start += 1;
    while (end >= start && isBlank(chars[indexes[end]])) end -= 1;
    if (start > end) return null;
    return { start: indexes[start], end: indexes[end] + 1 };
  }

  function startsBefore(range, point) {
    return range.comparePoint(point.node, point.offset) < 0;
  }

  function endsAfter(range, point) {
    return range.comparePoint(point.node, point.offset + point.length) > 0;
  }

  // Beyond the ASCII whitespace already collapsed: a selection edge on a no-break space.
  function isBlank(char) {
    return /^\s$/u.test(char);
  }

  /** A DOM Range over the plain-text span [start, end), for scrolling to or selecting it. */
  function offsetsToRange(root, start, end) {
    const { points } = project(root);
    let first = null;
    let last = null;
    for (let i = Math.max(0, start); i < Math.min(end, points.length); i += 1) {
      if (points[i]) {
        first = first || points[i];
        last = points[i];
      }
    }
    if (!first) return null;
    const range = document.createRange();
    range.setStart(first.node, first.offset);
    range.setEnd(last.node, last.offset + last.length);
    return range;
  }

  /** The selector pair for text[start:end], as anchoring.describe makes it on the server. */
  function describe(text, start, end) {
    const chars = Array.from(text);
    return {
      exact: chars.slice(start, end).join(""),
      prefix: chars.slice(Math.max(0, start - CONTEXT_SIZE), start).join(""),
      suffix: chars.slice(end, end + CONTEXT_SIZE).join(""),
      start,
      end,
    };
  }

  window.NewsroomPlainText = { project, rangeToOffsets, offsetsToRange, describe, CONTEXT_SIZE };
})();
