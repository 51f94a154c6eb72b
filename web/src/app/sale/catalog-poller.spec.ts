import { Component, inject } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { product } from '../../testing/fixtures';
import { ApiError } from '../core/api-error';
import { ShopApi } from '../core/shop-api';
import { CatalogPoller, POLL_INTERVAL_MS } from './catalog-poller';

/** The poller lives as long as the page that provides it. */
@Component({ selector: 'app-host', template: '', providers: [CatalogPoller] })
class Host {
  readonly poller = inject(CatalogPoller);
}

describe('CatalogPoller', () => {
  let visibility: DocumentVisibilityState;
  const listProducts = jest.fn();

  function setVisibility(state: DocumentVisibilityState): void {
    visibility = state;
    document.dispatchEvent(new Event('visibilitychange'));
  }

  beforeEach(() => {
    jest.useFakeTimers();
    visibility = 'visible';
    jest.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
    listProducts.mockReset().mockResolvedValue({ products: [product({ available: 40 })], asOf: '' });
    TestBed.configureTestingModule({ providers: [{ provide: ShopApi, useValue: { listProducts } }] });
  });

  afterEach(() => {
    TestBed.resetTestingModule();
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  function startPoller(): { poller: CatalogPoller; destroy: () => void } {
    const fixture = TestBed.createComponent(Host);
    const poller = fixture.componentInstance.poller;
    poller.start();
    return { poller, destroy: () => fixture.destroy() };
  }

  it('loads at once, then every ~2 s while the tab is visible', async () => {
    const { poller } = startPoller();
    await jest.advanceTimersByTimeAsync(0);
    expect(listProducts).toHaveBeenCalledTimes(1);
    expect(poller.products()).toHaveLength(1);
    expect(poller.loaded()).toBe(true);

    await jest.advanceTimersByTimeAsync(3 * POLL_INTERVAL_MS);
    expect(listProducts).toHaveBeenCalledTimes(4);
  });

  it('stops while the tab is hidden and refreshes as soon as it is visible again', async () => {
    startPoller();
    await jest.advanceTimersByTimeAsync(0);

    setVisibility('hidden');
    await jest.advanceTimersByTimeAsync(10 * POLL_INTERVAL_MS);
    expect(listProducts).toHaveBeenCalledTimes(1);

    setVisibility('visible');
    await jest.advanceTimersByTimeAsync(0);
    expect(listProducts).toHaveBeenCalledTimes(2);
    await jest.advanceTimersByTimeAsync(POLL_INTERVAL_MS);
    expect(listProducts).toHaveBeenCalledTimes(3);
  });

  it('stops when its page goes away', async () => {
    const { destroy } = startPoller();
    await jest.advanceTimersByTimeAsync(0);
    destroy();
    await jest.advanceTimersByTimeAsync(10 * POLL_INTERVAL_MS);
    expect(listProducts).toHaveBeenCalledTimes(1);
  });

  it('remembers the most units seen per product, for the stock bar', async () => {
    listProducts
      .mockResolvedValueOnce({ products: [product({ available: 40 })], asOf: '' })
      .mockResolvedValueOnce({ products: [product({ available: 10 })], asOf: '' });
    const { poller } = startPoller();
    await jest.advanceTimersByTimeAsync(POLL_INTERVAL_MS);

    expect(poller.products()[0]?.available).toBe(10);
    expect(poller.peaks()['demo-hoodie']).toBe(40);
  });

  it('keeps the last products and says why when a refresh fails, then recovers', async () => {
    const { poller } = startPoller();
    await jest.advanceTimersByTimeAsync(0);
    listProducts.mockRejectedValueOnce(new ApiError(0, 'NETWORK', 'Could not reach the shop.'));

    await jest.advanceTimersByTimeAsync(POLL_INTERVAL_MS);
    expect(poller.problem()).toBe('Could not reach the shop.');
    expect(poller.products()).toHaveLength(1);

    await jest.advanceTimersByTimeAsync(POLL_INTERVAL_MS);
    expect(poller.problem()).toBeUndefined();
  });
});
