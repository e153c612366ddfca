import { describe, expect, it } from 'vitest';
import { pageRows, scrollToShow, visibleRange } from './virtual';

const g = { scrollTop: 0, height: 440, row: 40, header: 40, count: 10_000 };

describe('visibleRange', () => {
  it('renders the rows in view and the overscan, never past either end', () => {
    expect(visibleRange(g, 5)).toEqual({ start: 0, end: 15 });
    expect(visibleRange({ ...g, scrollTop: 4000 }, 5)).toEqual({ start: 94, end: 115 });
    expect(visibleRange({ ...g, scrollTop: 400_000 - 400 }, 5)).toEqual({ start: 9984, end: 10_000 });
    expect(visibleRange({ ...g, count: 3 }, 5)).toEqual({ start: 0, end: 3 });
    expect(visibleRange({ ...g, count: 0 }, 5)).toEqual({ start: 0, end: 0 });
  });
});

describe('scrollToShow', () => {
  it('scrolls the least that shows the whole row below the header', () => {
    expect(scrollToShow(g, 3)).toBe(0);
    expect(scrollToShow(g, 10)).toBe(40);
    expect(scrollToShow({ ...g, scrollTop: 4000 }, 50)).toBe(2000);
    expect(scrollToShow({ ...g, scrollTop: 4000 }, 105)).toBe(4000);
  });
});

describe('pageRows', () => {
  it('is the rows that fit under the header, at least one', () => {
    expect(pageRows(g)).toBe(10);
    expect(pageRows({ ...g, height: 10 })).toBe(1);
  });
});
