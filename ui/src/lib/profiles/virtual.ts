// The arithmetic of the Profiles grid's virtual scrolling: rows of one fixed height under a
// sticky header of another, inside a scrolling box; only the rows in view plus `overscan` on
// each side are in the DOM.

export interface Geometry {
  /** The box's scrollTop (px). */
  scrollTop: number;
  /** The box's height (px). */
  height: number;
  /** One row (px). */
  row: number;
  /** The sticky header (px). */
  header: number;
  /** Rows in all. */
  count: number;
}

/** The rows to render: [start, end). */
export function visibleRange(g: Geometry, overscan: number): { start: number; end: number } {
  const first = Math.floor((g.scrollTop - g.header) / g.row);
  const last = Math.ceil((g.scrollTop + g.height - g.header) / g.row);
  return { start: Math.max(0, first - overscan), end: Math.min(g.count, Math.max(0, last) + overscan) };
}

/** The scrollTop that brings row `index` fully into view below the header (the same one when
 * it is already). */
export function scrollToShow(g: Geometry, index: number): number {
  const top = g.header + index * g.row;
  if (top - g.header < g.scrollTop) return Math.max(0, top - g.header);
  if (top + g.row > g.scrollTop + g.height) return top + g.row - g.height;
  return g.scrollTop;
}

/** Rows that fit under the header (a page for PageUp/PageDown). */
export function pageRows(g: Geometry): number {
  return Math.max(1, Math.floor((g.height - g.header) / g.row));
}
