import { describe, expect, it } from 'vitest';
import { msUntil, timeLeft } from './countdown';

const H = 3_600_000;
const M = 60_000;

describe('timeLeft', () => {
  it('words hours and minutes as the tray does, seconds under an hour', () => {
    expect(timeLeft('en', 3 * H + 12 * M + 30_000, false)).toBe('3 h 12 min');
    expect(timeLeft('en', 12 * M + 5_000, false)).toBe('12 min 05 s');
    expect(timeLeft('en', 45_000, false)).toBe('45 s');
    expect(timeLeft('zh-TW', 12 * M + 5_000, false)).toBe('12 分鐘 05 秒');
  });

  it('marks an estimated end', () => {
    expect(timeLeft('en', 7 * H + 12 * M, true)).toBe('≈ 7 h 12 min');
  });

  it('has no words once the end has passed', () => {
    expect(timeLeft('en', 0, false)).toBeNull();
    expect(timeLeft('en', -5 * M, true)).toBeNull();
  });
});

describe('msUntil', () => {
  it('counts down to an ISO time and ignores a missing one', () => {
    const now = Date.parse('2026-01-01T10:00:00Z');
    expect(msUntil('2026-01-01T11:30:00Z', now)).toBe(90 * M);
    expect(msUntil('2026-01-01T09:00:00Z', now)).toBe(-H);
    expect(msUntil(null, now)).toBeNull();
    expect(msUntil('soon', now)).toBeNull();
  });
});
