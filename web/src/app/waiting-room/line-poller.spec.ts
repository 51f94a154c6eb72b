import { Component, inject } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { ApiError } from '../core/api-error';
import { ShopApi } from '../core/shop-api';
import type { AdmissionView } from '../core/shop-types';
import { LinePoller } from './line-poller';

/** The poller lives as long as the panel that provides it. */
@Component({ selector: 'app-host', template: '', providers: [LinePoller] })
class Host {
  readonly line = inject(LinePoller);
}

const NOW = '2030-01-01T10:00:00.000Z';
const waiting = (overrides: Partial<AdmissionView> = {}): AdmissionView => ({
  sku: 'drop',
  state: 'waiting',
  admitted: false,
  position: 120,
  estimatedWaitSeconds: 240,
  retryAfterSeconds: 30,
  ticket: 't-1',
  opensAt: NOW,
  serverTime: NOW,
  ...overrides,
});
const admitted = (overrides: Partial<AdmissionView> = {}): AdmissionView => ({
  sku: 'drop',
  state: 'admitted',
  admitted: true,
  position: 0,
  ticket: 't-1',
  pass: 'p-1',
  passExpiresAt: '2030-01-01T10:05:00.000Z',
  opensAt: NOW,
  serverTime: NOW,
  ...overrides,
});

describe('LinePoller', () => {
  const check = jest.fn();

  beforeEach(() => {
    jest.useFakeTimers();
    check.mockReset();
    TestBed.configureTestingModule({ providers: [{ provide: ShopApi, useValue: { checkAdmission: check } }] });
  });

  afterEach(() => {
    TestBed.resetTestingModule();
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  /** The tab's visibility under the test's control: returns the setter, which tells the document. */
  function fakeVisibility(): (state: DocumentVisibilityState) => void {
    let visibility: DocumentVisibilityState = 'visible';
    jest.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
    return (state) => {
      visibility = state;
      document.dispatchEvent(new Event('visibilitychange'));
    };
  }

  function startLine(): { line: LinePoller; destroy: () => void } {
    const fixture = TestBed.createComponent(Host);
    fixture.componentInstance.line.start('drop');
    return { line: fixture.componentInstance.line, destroy: () => fixture.destroy() };
  }

  /** A server for one early joiner: `early` joiners counted by each instant, the turn at `draw` of them, at `rate`/s. */
  function serveLine(opensAt: number, draw: number, rate: number, early: (now: number) => number) {
    return async (): Promise<AdmissionView> => {
      const now = Date.now();
      const turn = Math.max(opensAt, opensAt + (draw * early(now) * 1_000) / rate);
      const base = {
        sku: 'drop',
        ticket: 't-1',
        opensAt: new Date(opensAt).toISOString(),
        serverTime: new Date(now).toISOString(),
      };
      if (now >= turn)
        return {
          ...base,
          state: 'admitted',
          admitted: true,
          position: 0,
          pass: 'p-1',
          passExpiresAt: new Date(turn + 300_000).toISOString(),
        };
      return {
        ...base,
        state: 'waiting',
        admitted: false,
        position: Math.floor(((turn - Math.max(now, opensAt)) * rate) / 1_000),
        estimatedWaitSeconds: Math.ceil((turn - now) / 1_000),
        turnAt: new Date(turn).toISOString(),
        // The API's hint (half the wait): the storefront asks later than this, as line-asks.ts says.
        retryAfterSeconds: Math.max(1, Math.ceil((turn - now) / 2_000)),
      };
    };
  }

  it('asks as the cost model counts: joins, once more in the window before the opening, at its turn, and at the exact turn if the line grew', async () => {
    const opensAt = Date.parse(NOW) + 600_000;
    jest.setSystemTime(Date.parse(NOW));
    jest.spyOn(Math, 'random').mockReturnValue(0.25);
    // 1,000 joined when this shopper joins, 9,000 by the opening (evenly in between); 100 admitted/s; their draw 0.5.
    const early = (now: number) => Math.min(9_000, 1_000 + ((now - Date.parse(NOW)) / 600_000) * 8_000);
    const asks: number[] = [];
    check.mockImplementation(
      ((serve) => async () => {
        asks.push(Date.now() - opensAt);
        return serve();
      })(serveLine(opensAt, 0.5, 100, early)),
    );
    const { line } = startLine();
    await jest.advanceTimersByTimeAsync(0);
    expect(check).toHaveBeenCalledWith('drop', undefined);
    expect(line.status()).toEqual({ kind: 'waiting', position: 500, waitSeconds: 605 });

    await jest.advanceTimersByTimeAsync(600_000 + 60_000);
    // Join; refresh 120 s before the opening + 0.25 × 120 s = 90 s before it; at the turn it was told then
    // (7,800 counted: 39 s); at the exact turn (9,000: 45 s). Nothing between (the API's hint alone: ~10 asks).
    expect(asks).toEqual([-600_000, -90_000, 39_000, 45_000]);
    expect(check).toHaveBeenLastCalledWith('drop', 't-1');
    expect(line.status()).toMatchObject({ kind: 'admitted', pass: 'p-1' });
  });

  it('counts the place and the wait down on the page between asks', async () => {
    jest.setSystemTime(Date.parse(NOW));
    check.mockResolvedValueOnce(
      waiting({ position: 120, estimatedWaitSeconds: 120, turnAt: '2030-01-01T10:02:00.000Z', retryAfterSeconds: 60 }),
    );
    const { line } = startLine();
    await jest.advanceTimersByTimeAsync(0);
    expect(line.status()).toEqual({ kind: 'waiting', position: 120, waitSeconds: 120 });

    await jest.advanceTimersByTimeAsync(90_000);
    expect(line.status()).toEqual({ kind: 'waiting', position: 30, waitSeconds: 30 });
    expect(check).toHaveBeenCalledTimes(1);
  });

  it('shows the turn with its pass, and says when it passed (on the server clock) without asking again', async () => {
    check.mockResolvedValueOnce(admitted({ serverTime: '2030-01-01T10:04:00.000Z' }));
    const { line } = startLine();
    await jest.advanceTimersByTimeAsync(0);
    expect(line.status()).toEqual({ kind: 'admitted', pass: 'p-1', passExpiresAt: '2030-01-01T10:05:00.000Z' });

    await jest.advanceTimersByTimeAsync(59_000);
    expect(line.status()).toMatchObject({ kind: 'admitted' });
    await jest.advanceTimersByTimeAsync(1_000);
    expect(line.status()).toEqual({ kind: 'expired' });
    await jest.advanceTimersByTimeAsync(600_000);
    expect(check).toHaveBeenCalledTimes(1);
  });

  it('tells a shopper in line at once when the catalog says sold out, and stops polling', async () => {
    check.mockResolvedValue(waiting());
    const { line } = startLine();
    await jest.advanceTimersByTimeAsync(0);

    line.soldOut();
    await jest.advanceTimersByTimeAsync(600_000);

    expect(line.status()).toEqual({ kind: 'sold-out' });
    expect(check).toHaveBeenCalledTimes(1);
  });

  it('keeps the place on screen when a poll fails, and retries after the Retry-After', async () => {
    check
      .mockResolvedValueOnce(waiting({ retryAfterSeconds: 1 }))
      .mockRejectedValueOnce(
        new ApiError(503, 'TRY_AGAIN', 'The shop is very busy right now.', { retryAfterSeconds: 3 }),
      )
      .mockResolvedValueOnce(waiting({ position: 3 }));
    const { line } = startLine();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(line.problem()).toBe('The shop is very busy right now.');
    expect(line.status()).toMatchObject({ kind: 'waiting', position: 120 });

    await jest.advanceTimersByTimeAsync(3_000);
    expect(line.problem()).toBeUndefined();
    expect(line.status()).toMatchObject({ kind: 'waiting', position: 3 });
  });

  it('does not poll while the tab is hidden, and polls at once when it is visible again', async () => {
    const setVisibility = fakeVisibility();
    check.mockResolvedValue(waiting({ retryAfterSeconds: 1 }));
    startLine();
    await jest.advanceTimersByTimeAsync(0);

    setVisibility('hidden');
    await jest.advanceTimersByTimeAsync(60_000);
    expect(check).toHaveBeenCalledTimes(1);

    setVisibility('visible');
    await jest.advanceTimersByTimeAsync(0);
    expect(check).toHaveBeenCalledTimes(2);
  });

  it('back in view before its ask is due, waits for it rather than asking at once', async () => {
    const setVisibility = fakeVisibility();
    jest.setSystemTime(Date.parse(NOW));
    check.mockResolvedValue(waiting({ turnAt: '2030-01-01T10:01:00.000Z' }));
    startLine();
    await jest.advanceTimersByTimeAsync(0);

    setVisibility('hidden');
    await jest.advanceTimersByTimeAsync(20_000);
    setVisibility('visible');
    await jest.advanceTimersByTimeAsync(39_000);
    expect(check).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(check).toHaveBeenCalledTimes(2);
  });

  it('stops when its panel goes away', async () => {
    check.mockResolvedValue(waiting({ retryAfterSeconds: 1 }));
    const { destroy } = startLine();
    await jest.advanceTimersByTimeAsync(0);
    destroy();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(check).toHaveBeenCalledTimes(1);
  });
});
