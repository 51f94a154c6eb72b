import { Component, inject } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { deferred, order } from '../../testing/fixtures';
import { ApiError } from '../core/api-error';
import { ShopApi } from '../core/shop-api';
import type { Order } from '../core/shop-types';
import { Clock } from '../sale/clock';
import { AFTER_HOLD_MS, ENDING_POLL_MS, ORDER_POLL_MS, OrderFollower } from './order-follower';

/** The follower lives as long as the page or card that provides it. */
@Component({ selector: 'app-host', template: '', providers: [OrderFollower] })
class Host {
  readonly follower = inject(OrderFollower);
}

const NOW = Date.parse('2030-01-01T10:05:00.000Z');
const held = (overrides: Partial<Order> = {}) =>
  order({
    status: 'PENDING_PAYMENT',
    holdExpiresAt: '2030-01-01T10:10:00.000Z',
    checkoutUrl: 'https://pay.test/s/1',
    ...overrides,
  });

describe('OrderFollower', () => {
  let visibility: DocumentVisibilityState;
  const getOrder = jest.fn();
  const cancelOrder = jest.fn();
  const availability = jest.fn();
  const observe = jest.fn();
  let clock: { now: () => number; synchronized: boolean; observe: jest.Mock };

  beforeEach(() => {
    jest.useFakeTimers();
    visibility = 'visible';
    jest.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
    getOrder.mockReset().mockResolvedValue(held());
    cancelOrder.mockReset().mockResolvedValue(held({ status: 'CANCELLED', checkoutUrl: undefined }));
    availability.mockReset().mockResolvedValue({ products: [], serverTime: '2030-01-01T10:05:00.000Z' });
    observe.mockReset();
    clock = { now: () => NOW, synchronized: true, observe };
    TestBed.configureTestingModule({
      providers: [
        { provide: ShopApi, useValue: { getOrder, cancelOrder, availability } },
        { provide: Clock, useValue: clock },
      ],
    });
  });

  afterEach(() => {
    TestBed.resetTestingModule();
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  function create(): { follower: OrderFollower; destroy: () => void } {
    const fixture = TestBed.createComponent(Host);
    return { follower: fixture.componentInstance.follower, destroy: () => fixture.destroy() };
  }

  it('reads a waiting order every few seconds when asked to, and stops once it has ended', async () => {
    const { follower } = create();
    follower.follow('order-1', { everyMs: ORDER_POLL_MS });
    await jest.advanceTimersByTimeAsync(0);
    expect(getOrder).toHaveBeenCalledWith('order-1');
    expect(follower.order()?.status).toBe('PENDING_PAYMENT');

    await jest.advanceTimersByTimeAsync(2 * ORDER_POLL_MS);
    expect(getOrder).toHaveBeenCalledTimes(3);

    getOrder.mockResolvedValue(held({ status: 'CONFIRMED', checkoutUrl: undefined }));
    await jest.advanceTimersByTimeAsync(ORDER_POLL_MS);
    expect(follower.order()?.status).toBe('CONFIRMED');
    await jest.advanceTimersByTimeAsync(20 * ORDER_POLL_MS);
    expect(getOrder).toHaveBeenCalledTimes(4);
  });

  it('without an interval, reads a held order it was given only once its hold has run out', async () => {
    const { follower } = create();
    follower.follow('order-1', { known: held() });
    await jest.advanceTimersByTimeAsync(300_000 + AFTER_HOLD_MS - 1);
    expect(getOrder).not.toHaveBeenCalled();
    expect(follower.order()).toEqual(held());

    // The shop has not returned it yet: ask again a little later, until it has.
    clock.now = () => NOW + 300_000 + AFTER_HOLD_MS;
    await jest.advanceTimersByTimeAsync(1);
    expect(getOrder).toHaveBeenCalledTimes(1);
    getOrder.mockResolvedValue(held({ status: 'EXPIRED', checkoutUrl: undefined }));
    await jest.advanceTimersByTimeAsync(ENDING_POLL_MS);
    expect(getOrder).toHaveBeenCalledTimes(2);
    expect(follower.order()?.status).toBe('EXPIRED');
    await jest.advanceTimersByTimeAsync(10 * ENDING_POLL_MS);
    expect(getOrder).toHaveBeenCalledTimes(2);
  });

  it('reads nothing while the tab is hidden, and reads at once when it is visible again', async () => {
    const { follower } = create();
    follower.follow('order-1', { everyMs: ORDER_POLL_MS });
    await jest.advanceTimersByTimeAsync(0);
    visibility = 'hidden';
    document.dispatchEvent(new Event('visibilitychange'));
    await jest.advanceTimersByTimeAsync(10 * ORDER_POLL_MS);
    expect(getOrder).toHaveBeenCalledTimes(1);

    visibility = 'visible';
    document.dispatchEvent(new Event('visibilitychange'));
    await jest.advanceTimersByTimeAsync(0);
    expect(getOrder).toHaveBeenCalledTimes(2);
  });

  it('cancels through the API and shows the cancelled order, ignoring a read that was in flight', async () => {
    const { follower } = create();
    follower.follow('order-1', { everyMs: ORDER_POLL_MS });
    await jest.advanceTimersByTimeAsync(0);
    const slowRead = deferred<Order>();
    getOrder.mockReturnValueOnce(slowRead.promise);
    await jest.advanceTimersByTimeAsync(ORDER_POLL_MS);

    const cancelled = follower.cancel();
    expect(follower.cancelling()).toBe(true);
    await cancelled;
    slowRead.resolve(held());
    await jest.advanceTimersByTimeAsync(0);

    expect(cancelOrder).toHaveBeenCalledWith('order-1');
    expect(follower.cancelling()).toBe(false);
    expect(follower.order()?.status).toBe('CANCELLED');
    await jest.advanceTimersByTimeAsync(10 * ORDER_POLL_MS);
    expect(getOrder).toHaveBeenCalledTimes(2);
  });

  it('says why a cancel was refused and reads the order again to show what it became', async () => {
    const { follower } = create();
    follower.follow('order-1', { known: held() });
    cancelOrder.mockRejectedValue(
      new ApiError(409, 'ORDER_NOT_CANCELLABLE', 'This order can no longer be cancelled: it was paid.'),
    );
    getOrder.mockResolvedValue(held({ status: 'CONFIRMED', checkoutUrl: undefined }));

    await follower.cancel();
    await jest.advanceTimersByTimeAsync(0);

    expect(follower.cancelProblem()).toBe('This order can no longer be cancelled: it was paid.');
    expect(follower.order()?.status).toBe('CONFIRMED');
  });

  it('marks an order the shop does not know as missing and stops reading', async () => {
    getOrder.mockRejectedValue(new ApiError(404, 'ORDER_NOT_FOUND', 'That order could not be found.'));
    const { follower } = create();
    follower.follow('nope', { everyMs: ORDER_POLL_MS });
    await jest.advanceTimersByTimeAsync(10 * ORDER_POLL_MS);
    expect(follower.missing()).toBe(true);
    expect(getOrder).toHaveBeenCalledTimes(1);
  });

  it('keeps the last order when a read fails, says so, and tries again', async () => {
    const { follower } = create();
    follower.follow('order-1', { everyMs: ORDER_POLL_MS });
    await jest.advanceTimersByTimeAsync(0);
    getOrder.mockRejectedValueOnce(new ApiError(0, 'NETWORK', 'Could not reach the shop.'));
    await jest.advanceTimersByTimeAsync(ORDER_POLL_MS);
    expect(follower.problem()).toBe('Could not reach the shop.');
    expect(follower.order()?.status).toBe('PENDING_PAYMENT');

    await jest.advanceTimersByTimeAsync(ORDER_POLL_MS);
    expect(follower.problem()).toBeUndefined();
  });

  it('sets the server clock from the public feed when a held order arrives and the clock has no server time yet', async () => {
    clock.synchronized = false;
    const { follower } = create();
    follower.follow('order-1', { everyMs: ORDER_POLL_MS });
    await jest.advanceTimersByTimeAsync(2 * ORDER_POLL_MS);
    expect(availability).toHaveBeenCalledTimes(1);
    expect(observe).toHaveBeenCalledWith('2030-01-01T10:05:00.000Z', expect.any(Number), expect.any(Number));
  });

  it('stops reading when its page goes', async () => {
    const { follower, destroy } = create();
    follower.follow('order-1', { everyMs: ORDER_POLL_MS });
    await jest.advanceTimersByTimeAsync(0);
    destroy();
    await jest.advanceTimersByTimeAsync(10 * ORDER_POLL_MS);
    expect(getOrder).toHaveBeenCalledTimes(1);
    expect(availability).not.toHaveBeenCalled();
  });
});
