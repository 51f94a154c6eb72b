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

  function startLine(): { line: LinePoller; destroy: () => void } {
    const fixture = TestBed.createComponent(Host);
    fixture.componentInstance.line.start('drop');
    return { line: fixture.componentInstance.line, destroy: () => fixture.destroy() };
  }

  it('joins once, then polls with its ticket only when the server says to', async () => {
    check
      .mockResolvedValueOnce(waiting())
      .mockResolvedValueOnce(waiting({ position: 60, estimatedWaitSeconds: 120, retryAfterSeconds: 60 }));
    const { line } = startLine();
    await jest.advanceTimersByTimeAsync(0);
    expect(check).toHaveBeenCalledWith('drop', undefined);
    expect(line.status()).toEqual({ kind: 'waiting', position: 120, waitSeconds: 240 });

    await jest.advanceTimersByTimeAsync(29_000);
    expect(check).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(check).toHaveBeenLastCalledWith('drop', 't-1');
    expect(line.status()).toEqual({ kind: 'waiting', position: 60, waitSeconds: 120 });
  });

  it('shows the turn with its pass, and asks again right after the pass expires (on the server clock)', async () => {
    check
      .mockResolvedValueOnce(admitted({ serverTime: '2030-01-01T10:04:00.000Z' }))
      .mockResolvedValueOnce({ ...waiting(), state: 'expired', admitted: false });
    const { line } = startLine();
    await jest.advanceTimersByTimeAsync(0);
    expect(line.status()).toEqual({ kind: 'admitted', pass: 'p-1', passExpiresAt: '2030-01-01T10:05:00.000Z' });

    await jest.advanceTimersByTimeAsync(60_000 + 500);
    expect(check).toHaveBeenCalledTimes(2);
    expect(line.status()).toEqual({ kind: 'expired' });
    await jest.advanceTimersByTimeAsync(600_000);
    expect(check).toHaveBeenCalledTimes(2);
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
    let visibility: DocumentVisibilityState = 'visible';
    jest.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
    const setVisibility = (state: DocumentVisibilityState) => {
      visibility = state;
      document.dispatchEvent(new Event('visibilitychange'));
    };
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

  it('stops when its panel goes away', async () => {
    check.mockResolvedValue(waiting({ retryAfterSeconds: 1 }));
    const { destroy } = startLine();
    await jest.advanceTimersByTimeAsync(0);
    destroy();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(check).toHaveBeenCalledTimes(1);
  });
});
