import { Component, inject } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Subject } from 'rxjs';
import { order, product } from '../../testing/fixtures';
import { ApiError } from '../core/api-error';
import { ShopApi } from '../core/shop-api';
import {
  CatalogPoller,
  LISTING_MAX_AGE_ON_FOCUS_MS,
  LISTING_MAX_AGE_ON_NEW_PRODUCT_MS,
  OWN_PURCHASE_GRACE_MS,
  POLL_INTERVAL_MS,
} from './catalog-poller';
import { Clock } from './clock';

/** The poller lives as long as the page that provides it. */
@Component({ selector: 'app-host', template: '', providers: [CatalogPoller] })
class Host {
  readonly poller = inject(CatalogPoller);
}

describe('CatalogPoller', () => {
  let visibility: DocumentVisibilityState;
  const listProducts = jest.fn();
  const availability = jest.fn();
  const observe = jest.fn();
  let refusals: Subject<ApiError>;
  const feed = (available: number, sku = 'demo-hoodie') => ({
    products: [{ sku, available, soldOut: available === 0 }],
    serverTime: '2030-01-01T10:00:00.000Z',
  });

  function setVisibility(state: DocumentVisibilityState): void {
    visibility = state;
    document.dispatchEvent(new Event('visibilitychange'));
  }

  beforeEach(() => {
    jest.useFakeTimers();
    visibility = 'visible';
    refusals = new Subject();
    jest.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
    listProducts
      .mockReset()
      .mockResolvedValue({ products: [product({ available: 40, loadedUnits: 40 })], asOf: '2030-01-01T09:59:59.500Z' });
    availability.mockReset().mockResolvedValue(feed(40));
    observe.mockReset();
    TestBed.configureTestingModule({
      providers: [
        { provide: ShopApi, useValue: { listProducts, availability, staleViewRefusals: refusals } },
        { provide: Clock, useValue: { observe } },
      ],
    });
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

  it('reads the signed-in listing once, then polls only the public feed every ~2 s', async () => {
    const { poller } = startPoller();
    await jest.advanceTimersByTimeAsync(0);
    expect(listProducts).toHaveBeenCalledTimes(1);
    expect(poller.products()).toHaveLength(1);
    expect(poller.loaded()).toBe(true);

    await jest.advanceTimersByTimeAsync(30 * POLL_INTERVAL_MS);
    expect(listProducts).toHaveBeenCalledTimes(1);
    expect(availability).toHaveBeenCalledTimes(30);
  });

  it("applies the feed's stock to the listing's products, keeping what only the listing knows", async () => {
    availability.mockResolvedValue(feed(0));
    const { poller } = startPoller();
    await jest.advanceTimersByTimeAsync(POLL_INTERVAL_MS);

    expect(poller.products()[0]).toMatchObject({
      name: 'Midnight Hoodie',
      loadedUnits: 40,
      available: 0,
      soldOut: true,
    });
  });

  it('sets the server clock from every reply: the listing as a lower bound, the feed with its round trip', async () => {
    startPoller();
    await jest.advanceTimersByTimeAsync(POLL_INTERVAL_MS);

    const [[asOf, listingSent, listingReceived], [serverTime, feedSent, feedReceived]] = observe.mock.calls;
    expect(asOf).toBe('2030-01-01T09:59:59.500Z');
    expect(listingSent).toBe(listingReceived);
    expect(serverTime).toBe('2030-01-01T10:00:00.000Z');
    expect(feedReceived).toBeGreaterThanOrEqual(feedSent);
  });

  it('re-reads the listing at once after a refusal that says the stock shown was stale', async () => {
    const { poller } = startPoller();
    await jest.advanceTimersByTimeAsync(0);
    listProducts.mockResolvedValueOnce({
      products: [product({ available: 0, soldOut: true, loadedUnits: 40 })],
      asOf: '',
    });

    refusals.next(new ApiError(409, 'SOLD_OUT', 'Sold out'));
    await jest.advanceTimersByTimeAsync(0);

    expect(listProducts).toHaveBeenCalledTimes(2);
    expect(poller.products()[0]?.soldOut).toBe(true);
  });

  it('re-reads the listing when the tab regains focus, at most every 30 s; the feed otherwise', async () => {
    startPoller();
    await jest.advanceTimersByTimeAsync(0);

    window.dispatchEvent(new Event('focus'));
    await jest.advanceTimersByTimeAsync(0);
    expect(listProducts).toHaveBeenCalledTimes(1);
    expect(availability).toHaveBeenCalledTimes(1);

    await jest.advanceTimersByTimeAsync(LISTING_MAX_AGE_ON_FOCUS_MS);
    window.dispatchEvent(new Event('focus'));
    await jest.advanceTimersByTimeAsync(0);
    expect(listProducts).toHaveBeenCalledTimes(2);
  });

  it('re-reads the listing when the feed names a product it has not shown, at most every 5 s', async () => {
    availability.mockResolvedValue({
      products: [...feed(40).products, { sku: 'new-one', available: 5, soldOut: false }],
      serverTime: '2030-01-01T10:00:00.000Z',
    });
    startPoller();
    await jest.advanceTimersByTimeAsync(POLL_INTERVAL_MS);
    expect(listProducts).toHaveBeenCalledTimes(1);

    await jest.advanceTimersByTimeAsync(LISTING_MAX_AGE_ON_NEW_PRODUCT_MS);
    expect(listProducts).toHaveBeenCalledTimes(2);
  });

  it('stops while the tab is hidden and polls as soon as it is visible again', async () => {
    startPoller();
    await jest.advanceTimersByTimeAsync(0);

    setVisibility('hidden');
    await jest.advanceTimersByTimeAsync(10 * POLL_INTERVAL_MS);
    expect(availability).toHaveBeenCalledTimes(0);

    setVisibility('visible');
    await jest.advanceTimersByTimeAsync(0);
    expect(availability).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(POLL_INTERVAL_MS);
    expect(availability).toHaveBeenCalledTimes(2);
  });

  it('stops when its page goes away', async () => {
    const { destroy } = startPoller();
    await jest.advanceTimersByTimeAsync(0);
    destroy();
    await jest.advanceTimersByTimeAsync(10 * POLL_INTERVAL_MS);
    refusals.next(new ApiError(409, 'SOLD_OUT', 'Sold out'));
    expect(listProducts).toHaveBeenCalledTimes(1);
    expect(availability).toHaveBeenCalledTimes(0);
  });

  it('keeps the last products and says why when a poll fails, then recovers', async () => {
    const { poller } = startPoller();
    await jest.advanceTimersByTimeAsync(0);
    availability.mockRejectedValueOnce(new ApiError(0, 'NETWORK', 'Could not reach the shop.'));

    await jest.advanceTimersByTimeAsync(POLL_INTERVAL_MS);
    expect(poller.problem()).toBe('Could not reach the shop.');
    expect(poller.products()).toHaveLength(1);

    await jest.advanceTimersByTimeAsync(POLL_INTERVAL_MS);
    expect(poller.problem()).toBeUndefined();
  });

  describe("the shopper's own purchase", () => {
    it('shows at once on its product, while the feed still shows the count from before it', async () => {
      availability.mockResolvedValue(feed(4));
      const { poller } = startPoller();
      await jest.advanceTimersByTimeAsync(POLL_INTERVAL_MS);
      expect(poller.products()[0]?.available).toBe(4);

      poller.reflect(order({ quantity: 1 }));
      expect(poller.products()[0]?.available).toBe(3);

      await jest.advanceTimersByTimeAsync(POLL_INTERVAL_MS); // the feed, cached, still says 4
      expect(poller.products()[0]?.available).toBe(3);
    });

    it('never counts it twice: once the feed shows it, the feed alone counts (others buying too)', async () => {
      availability.mockResolvedValue(feed(4));
      const { poller } = startPoller();
      await jest.advanceTimersByTimeAsync(POLL_INTERVAL_MS);
      poller.reflect(order({ quantity: 2 }));
      expect(poller.products()[0]?.available).toBe(2);

      availability.mockResolvedValue(feed(2)); // the feed caught up with the purchase
      await jest.advanceTimersByTimeAsync(POLL_INTERVAL_MS);
      availability.mockResolvedValue(feed(1)); // another shopper bought one
      await jest.advanceTimersByTimeAsync(POLL_INTERVAL_MS);

      expect(poller.products()[0]?.available).toBe(1);
    });

    it('shows the lower count when others bought meanwhile, not its own estimate', async () => {
      availability.mockResolvedValue(feed(10));
      const { poller } = startPoller();
      await jest.advanceTimersByTimeAsync(POLL_INTERVAL_MS);
      poller.reflect(order({ quantity: 1 }));

      availability.mockResolvedValue(feed(5));
      await jest.advanceTimersByTimeAsync(POLL_INTERVAL_MS);

      expect(poller.products()[0]?.available).toBe(5);
    });

    it('trusts the feed again after a grace period (e.g. the units came back from a cancelled hold)', async () => {
      availability.mockResolvedValue(feed(4));
      const { poller } = startPoller();
      await jest.advanceTimersByTimeAsync(POLL_INTERVAL_MS);
      poller.reflect(order({ quantity: 1 }));

      await jest.advanceTimersByTimeAsync(OWN_PURCHASE_GRACE_MS + POLL_INTERVAL_MS);

      expect(poller.products()[0]?.available).toBe(4);
    });

    it('leaves the other products as the feed says', async () => {
      listProducts.mockResolvedValue({
        products: [product({ available: 40 }), product({ sku: 'demo-tote', available: 30 })],
        asOf: '2030-01-01T09:59:59.500Z',
      });
      availability.mockResolvedValue({
        products: [
          { sku: 'demo-hoodie', available: 40, soldOut: false },
          { sku: 'demo-tote', available: 30, soldOut: false },
        ],
        serverTime: '2030-01-01T10:00:00.000Z',
      });
      const { poller } = startPoller();
      await jest.advanceTimersByTimeAsync(POLL_INTERVAL_MS);

      poller.reflect(order({ sku: 'demo-tote', quantity: 3 }));

      expect(poller.products().map((item) => item.available)).toEqual([40, 27]);
    });
  });
});
